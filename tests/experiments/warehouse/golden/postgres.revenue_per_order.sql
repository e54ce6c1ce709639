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
      e.user_id IS NOT NULL
  ) AS a
  WHERE
    a.experiment_key = %(experiment_key)s
    AND a.first_exposure_at >= %(start)s
    AND a.first_exposure_at < %(end)s
    AND NOT a.unit_id IS NULL
    AND NOT a.variant IS NULL
  GROUP BY
    a.unit_id
), pull_event_values AS (
  SELECT
    u.unit_id AS unit_id,
    CAST(SUM(m.numerator) AS DOUBLE PRECISION) AS y,
    CAST(SUM(m.denominator) AS DOUBLE PRECISION) AS d
  FROM pull_units AS u
  INNER JOIN (
    SELECT
      user_id AS unit_id,
      created_at AS ts,
      amount AS numerator,
      1 AS denominator
    FROM analytics.orders
  ) AS m
    ON m.unit_id = u.unit_id AND m.ts >= u.first_exposure_at AND m.ts < %(end)s
  GROUP BY
    u.unit_id
), pull_unit_values AS (
  SELECT
    u.unit_id AS unit_id,
    u.variant AS variant,
    u.segment_1 AS segment_1,
    u.segment_2 AS segment_2,
    COALESCE(e.y, 0) AS y,
    COALESCE(e.d, 0) AS d
  FROM pull_units AS u
  LEFT JOIN pull_event_values AS e
    ON e.unit_id = u.unit_id
), pull_cells AS (
  SELECT
    v.variant AS variant,
    v.segment_1 AS segment_1,
    v.segment_2 AS segment_2,
    COUNT(*) AS n,
    SUM(v.y) AS y_sum,
    SUM(v.y * v.y) AS y_squares,
    SUM(v.d) AS d_sum,
    SUM(v.d * v.d) AS d_squares,
    SUM(v.y * v.d) AS yd_sum
  FROM pull_unit_values AS v
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
  SUM(pc.d_sum) AS d_sum,
  SUM(pc.d_squares) AS d_squares,
  SUM(pc.yd_sum) AS yd_sum
FROM pull_cells AS pc
GROUP BY
  GROUPING SETS (
    (pc.variant),
    (pc.variant, pc.segment_1),
    (pc.variant, pc.segment_2)
  )
