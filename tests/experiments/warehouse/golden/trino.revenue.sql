WITH pull_units AS (
  SELECT
    a.unit_id AS unit_id,
    CASE WHEN MIN(a.variant) = MAX(a.variant) THEN MIN(a.variant) END AS variant,
    MIN(a.first_exposure_at) AS first_exposure_at,
    MIN(a.country) AS segment_1,
    MIN(a.platform) AS segment_2
  FROM (
    SELECT
      e.experiment_id AS experiment_key,
      e.user_id AS unit_id,
      e.variation AS variant,
      e.exposed_at AS first_exposure_at,
      u.country,
      u.platform
    FROM analytics.exposures AS e
    JOIN analytics.users AS u
      ON u.user_id = e.user_id
    WHERE
      NOT e.user_id IS NULL
  ) AS a
  WHERE
    a.experiment_key = ?
    AND a.first_exposure_at >= ?
    AND a.first_exposure_at < ?
    AND NOT a.unit_id IS NULL
    AND NOT a.variant IS NULL
  GROUP BY
    a.unit_id
), pull_event_values AS (
  SELECT
    u.unit_id AS unit_id,
    CAST(SUM(m.value) AS DOUBLE) AS y
  FROM pull_units AS u
  INNER JOIN (
    SELECT
      user_id AS unit_id,
      created_at AS ts,
      amount AS value
    FROM analytics.orders
  ) AS m
    ON m.unit_id = u.unit_id AND m.ts >= u.first_exposure_at AND m.ts < ?
  GROUP BY
    u.unit_id
), pull_unit_values AS (
  SELECT
    u.unit_id AS unit_id,
    u.variant AS variant,
    u.segment_1 AS segment_1,
    u.segment_2 AS segment_2,
    COALESCE(e.y, 0) AS y
  FROM pull_units AS u
  LEFT JOIN pull_event_values AS e
    ON e.unit_id = u.unit_id
), pull_covariate AS (
  SELECT
    c.unit_id AS unit_id,
    CAST(SUM(c.value) AS DOUBLE) AS x
  FROM (
    SELECT
      user_id AS unit_id,
      SUM(amount) AS value
    FROM analytics.orders_before
    GROUP BY
      user_id
  ) AS c
  GROUP BY
    c.unit_id
), pull_cells AS (
  SELECT
    v.variant AS variant,
    v.segment_1 AS segment_1,
    v.segment_2 AS segment_2,
    COUNT(*) AS n,
    SUM(v.y) AS y_sum,
    SUM(v.y * v.y) AS y_squares,
    SUM(COALESCE(c.x, 0)) AS x_sum,
    SUM(COALESCE(c.x, 0) * COALESCE(c.x, 0)) AS x_squares,
    SUM(v.y * COALESCE(c.x, 0)) AS xy_sum
  FROM pull_unit_values AS v
  LEFT JOIN pull_covariate AS c
    ON c.unit_id = v.unit_id
  GROUP BY
    v.variant,
    v.segment_1,
    v.segment_2
)
SELECT
  pc.variant AS variant,
  pc.segment_1 AS segment_1,
  pc.segment_2 AS segment_2,
  GROUPING(pc.segment_1) AS grouping_1,
  GROUPING(pc.segment_2) AS grouping_2,
  SUM(pc.n) AS n,
  SUM(pc.y_sum) AS y_sum,
  SUM(pc.y_squares) AS y_squares,
  SUM(pc.x_sum) AS x_sum,
  SUM(pc.x_squares) AS x_squares,
  SUM(pc.xy_sum) AS xy_sum
FROM pull_cells AS pc
GROUP BY
  GROUPING SETS (
    (pc.variant),
    (pc.variant, pc.segment_1),
    (pc.variant, pc.segment_2)
  )
