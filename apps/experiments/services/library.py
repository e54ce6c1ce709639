"""The metric library and the data sources it reads.

Data sources are configuration: only an admin creates or changes one. A source's config
never holds a secret; a PostgreSQL URL or a Trino password is named by an environment
variable and read at connect time. Metrics are written by members: their SQL is parsed on
save, and run once against the source (with a row limit), so a syntax error or a missing
column is reported then, in the parser's or the database's words.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from apps.accounts import policy
from apps.accounts.models import User, WorkingGroup
from apps.accounts.policy import Action
from apps.core.text_rules import check_text
from apps.experiments.models import DataSource, Direction, Metric, MetricKind, SourceKind

# What a source's config may hold, per kind; anything else is refused, secrets above all.
CONFIG_KEYS: dict[str, set[str]] = {
    SourceKind.DUCKDB: {"path", "files"},
    SourceKind.POSTGRESQL: {"url_env"},
    SourceKind.TRINO: {"host", "port", "user", "catalog", "schema", "http_scheme", "password_env"},
}
# The sqlglot dialect each kind of source speaks, for parsing SQL on save.
DIALECTS: dict[str, str] = {
    SourceKind.DUCKDB: "duckdb",
    SourceKind.POSTGRESQL: "postgres",
    SourceKind.TRINO: "trino",
}
ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]{0,63}$")
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
MAX_SQL = 20_000


def _check_config(kind: str, config) -> dict:
    if kind not in SourceKind.values:
        raise ValidationError({"kind": f"One of {', '.join(SourceKind.values)}."})
    if not isinstance(config, dict):
        raise ValidationError({"config": "Give the settings as an object."})
    unknown = set(config) - CONFIG_KEYS[kind]
    if unknown:
        raise ValidationError(
            {"config": f"Not a {kind} setting: {', '.join(sorted(unknown))}. Allowed: "
             f"{', '.join(sorted(CONFIG_KEYS[kind]))}. Secrets stay in environment variables."}
        )  # fmt: skip
    for key in ("url_env", "password_env"):
        if key in config and not (isinstance(config[key], str) and ENV_NAME.match(config[key])):
            raise ValidationError(
                {"config": f"{key} names an environment variable (UPPER_CASE), not its value."}
            )
    if kind == SourceKind.POSTGRESQL and "url_env" not in config:
        raise ValidationError({"config": "Name the environment variable holding the URL: url_env."})
    if kind == SourceKind.DUCKDB and not isinstance(config.get("path", ""), str):
        raise ValidationError({"config": "path is a file path."})
    if kind == SourceKind.TRINO and not config.get("host"):
        raise ValidationError({"config": "A Trino source needs its host."})
    return dict(config)


def _check_segments(columns) -> list[str]:
    if not isinstance(columns, list) or len(columns) > 10:
        raise ValidationError({"segment_columns": "At most 10 column names, as a list."})
    for column in columns:
        if not isinstance(column, str) or not IDENTIFIER.match(column):
            raise ValidationError({"segment_columns": f"{column!r} is not a column name."})
    return columns


def _check_sql(field: str, sql: str, check) -> str:
    from apps.experiments.warehouse import WarehouseError

    sql = check_text(field, sql, max_length=MAX_SQL, required="Give the SQL.")
    try:
        check(sql)
    except WarehouseError as error:
        raise ValidationError({field: str(error)}) from None
    return sql


@transaction.atomic
def data_source_create(
    *, actor: User, group: WorkingGroup, name: str, kind: str, config: dict,
    assignment_sql: str, segment_columns: list[str] | None = None,
) -> DataSource:  # fmt: skip
    from apps.experiments.warehouse import check_assignment_sql

    policy.require(actor, group, Action.CONFIGURE)
    if kind not in SourceKind.values:
        raise ValidationError({"kind": f"One of {', '.join(SourceKind.values)}."})
    name = check_text("name", name, max_length=120, required="A data source needs a name.")
    if DataSource.objects.filter(working_group=group, name=name).exists():
        raise ValidationError({"name": "This group already has a data source of that name."})
    return DataSource.objects.create(
        working_group=group, name=name, kind=kind, config=_check_config(kind, config),
        assignment_sql=_check_sql(
            "assignment_sql", assignment_sql,
            lambda sql: check_assignment_sql(sql, dialect=DIALECTS[kind]),
        ),
        segment_columns=_check_segments(segment_columns or []), created_by=actor,
    )  # fmt: skip


@transaction.atomic
def data_source_update(*, actor: User, source: DataSource, **changes) -> DataSource:
    from apps.experiments.warehouse import check_assignment_sql

    source = DataSource.objects.select_for_update().get(pk=source.pk)
    policy.require(actor, source.working_group_id, Action.CONFIGURE)
    unknown = set(changes) - {"name", "config", "assignment_sql", "segment_columns"}
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "Not a setting of a data source."})
    if "name" in changes:
        source.name = check_text("name", changes["name"], max_length=120)
        if DataSource.objects.filter(working_group_id=source.working_group_id,
                                     name=source.name).exclude(pk=source.pk).exists():  # fmt: skip
            raise ValidationError({"name": "This group already has a data source of that name."})
    if "config" in changes:
        source.config = _check_config(source.kind, changes["config"])
    if "assignment_sql" in changes:
        source.assignment_sql = _check_sql(
            "assignment_sql",
            changes["assignment_sql"],
            lambda sql: check_assignment_sql(sql, dialect=DIALECTS[source.kind]),
        )
    if "segment_columns" in changes:
        source.segment_columns = _check_segments(changes["segment_columns"])
    source.save()
    return source


def traffic_measure(*, actor: User, source: DataSource) -> DataSource:
    """Measure units first exposed per day over the last 28 days, for sample-size duration."""
    from apps.experiments.sources import connect
    from apps.experiments.warehouse import WarehouseError, daily_traffic

    policy.require(actor, source.working_group_id, Action.CONFIGURE)
    try:
        warehouse = connect(source)
        try:
            traffic = daily_traffic(warehouse, source.assignment_sql)
        finally:
            warehouse.close()
    except WarehouseError as error:
        raise ValidationError({"daily_traffic": str(error)}) from None
    DataSource.objects.filter(pk=source.pk).update(
        daily_traffic=traffic, traffic_measured_at=timezone.now()
    )
    source.refresh_from_db()
    return source


def _probe(source: DataSource, metric: Metric) -> None:
    """Run the metric once on its source: a missing column is the database's message."""
    from apps.experiments.sources import connect, metric_query
    from apps.experiments.warehouse import WarehouseError, probe_metric

    try:
        warehouse = connect(source)
        try:
            probe_metric(warehouse, source.assignment_sql, metric_query(metric, cuped=True))
        finally:
            warehouse.close()
    except WarehouseError as error:
        raise ValidationError({"sql": str(error)}) from None


def _check_metric(metric: Metric) -> None:
    from apps.experiments.warehouse import check_covariate_sql, check_metric_sql

    dialect = DIALECTS[metric.data_source.kind]

    if metric.kind not in MetricKind.values:
        raise ValidationError({"kind": f"One of {', '.join(MetricKind.values)}."})
    if metric.direction not in Direction.values:
        raise ValidationError({"direction": f"One of {', '.join(Direction.values)}."})
    metric.name = check_text("name", metric.name, max_length=120, required="A metric needs a name.")
    metric.description = check_text("description", metric.description, max_length=4000,
                                    required=None)  # fmt: skip
    if (
        not isinstance(metric.tags, list)
        or len(metric.tags) > 20
        or not all(isinstance(t, str) and 0 < len(t.strip()) <= 40 for t in metric.tags)
    ):
        raise ValidationError({"tags": "At most 20 tags of up to 40 characters."})
    metric.tags = sorted({t.strip().lower() for t in metric.tags})
    metric.sql = _check_sql(
        "sql", metric.sql, lambda sql: check_metric_sql(sql, metric.kind, dialect=dialect)
    )
    if metric.covariate_sql:
        if metric.kind == MetricKind.RATIO:
            raise ValidationError({"covariate_sql": "CUPED is not offered for ratio metrics."})
        metric.covariate_sql = _check_sql(
            "covariate_sql",
            metric.covariate_sql,
            lambda sql: check_covariate_sql(sql, dialect=dialect),
        )


@transaction.atomic
def metric_create(
    *, actor: User, group: WorkingGroup, source: DataSource, name: str, kind: str, sql: str,
    key: str = "", direction: str = Direction.INCREASE, description: str = "",
    covariate_sql: str = "", tags: list[str] | None = None, probe: bool = True,
) -> Metric:  # fmt: skip
    policy.require(actor, group, Action.CREATE)
    if source.working_group_id != group.pk:
        raise ValidationError({"data_source": "That data source belongs to another group."})
    key = slugify(key or name)[:60].strip("-")
    if not key:
        raise ValidationError({"key": "A key is letters, digits and hyphens."})
    if Metric.objects.filter(working_group=group, key=key).exists():
        raise ValidationError({"key": f"The library already has a metric with the key {key}."})
    metric = Metric(
        working_group=group, data_source=source, key=key, name=name, kind=kind, sql=sql,
        direction=direction, description=description, covariate_sql=covariate_sql or "",
        tags=tags or [], owner=actor,
    )  # fmt: skip
    _check_metric(metric)
    if probe:
        _probe(source, metric)
    metric.save()
    return metric


@transaction.atomic
def metric_update(*, actor: User, metric: Metric, **changes) -> Metric:
    metric = Metric.objects.select_for_update().select_related("data_source").get(pk=metric.pk)
    policy.require(actor, metric.working_group_id, Action.EDIT, owner_id=metric.owner_id)
    allowed = {"name", "description", "tags", "direction", "sql", "covariate_sql"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "Not a field a metric may change; "
                               "its key, kind and source are fixed once saved."})  # fmt: skip
    for field, value in changes.items():
        setattr(metric, field, value if value is not None else "")
    _check_metric(metric)
    if {"sql", "covariate_sql"} & set(changes):
        _probe(metric.data_source, metric)
    metric.save()
    return metric
