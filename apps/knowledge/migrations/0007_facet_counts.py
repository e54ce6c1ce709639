"""FacetCount, and the PostgreSQL triggers that keep it equal to the index's rows.

Statement-level triggers with transition tables: a batch of a thousand index rows adjusts
the counts in one grouped upsert, in the order of the counts' key so that two writers lock
the same count rows in the same order. An update subtracts the old rows and adds the new
ones in the same statement. SQLite has neither; its search counts from the rows.
"""

from django.db import migrations, models

# The facet values of each row of `source` (a table of index rows), with `sign`: the same
# values, and the same exclusions (no NULL or empty scalar), as search/postgres.py counts.
_VALUES = """
    SELECT r.working_group_id, r.stakeholders, coalesce(r.access_unit_id, 0) AS access_unit_id,
           f.facet, f.value, {sign} AS sign
    FROM {source} AS r
    CROSS JOIN LATERAL (
        VALUES ('kind', r.kind::text), ('outcome', r.outcome::text), ('status', r.status::text),
               ('year', r.year::text), ('business_unit', r.business_unit_id::text)
        UNION ALL SELECT 'surface', v FROM jsonb_array_elements_text(r.surfaces) AS v
        UNION ALL SELECT 'metric', v FROM jsonb_array_elements_text(r.metrics) AS v
        UNION ALL SELECT 'tag', v FROM jsonb_array_elements_text(r.tags) AS v
    ) AS f(facet, value)
    WHERE f.value IS NOT NULL AND (f.facet IN ('surface', 'metric', 'tag') OR f.value <> '')
"""


def _apply(*parts: tuple[str, int]) -> str:
    values = " UNION ALL ".join(_VALUES.format(source=s, sign=sign) for s, sign in parts)
    return f"""
    INSERT INTO knowledge_facetcount
        (working_group_id, stakeholders, access_unit_id, facet, value, n)
    SELECT working_group_id, stakeholders, access_unit_id, facet, value, sum(sign)
    FROM ({values}) AS changes
    GROUP BY working_group_id, stakeholders, access_unit_id, facet, value
    HAVING sum(sign) <> 0
    ORDER BY working_group_id, stakeholders, access_unit_id, facet, value
    ON CONFLICT (working_group_id, stakeholders, access_unit_id, facet, value)
    DO UPDATE SET n = knowledge_facetcount.n + EXCLUDED.n;
    """


def _function(name: str, body: str) -> str:
    return f"""
    CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {body}
        RETURN NULL;
    END $$;
    """


CREATE = [
    _function("knowledge_facets_inserted", _apply(("new_rows", 1))),
    _function("knowledge_facets_deleted", _apply(("old_rows", -1))),
    _function("knowledge_facets_updated", _apply(("old_rows", -1), ("new_rows", 1))),
    _function("knowledge_facets_truncated", "DELETE FROM knowledge_facetcount;"),
    """CREATE TRIGGER knowledge_facets_inserted AFTER INSERT ON knowledge_searchitem
       REFERENCING NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION knowledge_facets_inserted();""",
    """CREATE TRIGGER knowledge_facets_deleted AFTER DELETE ON knowledge_searchitem
       REFERENCING OLD TABLE AS old_rows
       FOR EACH STATEMENT EXECUTE FUNCTION knowledge_facets_deleted();""",
    """CREATE TRIGGER knowledge_facets_updated AFTER UPDATE ON knowledge_searchitem
       REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION knowledge_facets_updated();""",
    """CREATE TRIGGER knowledge_facets_truncated AFTER TRUNCATE ON knowledge_searchitem
       FOR EACH STATEMENT EXECUTE FUNCTION knowledge_facets_truncated();""",
    # The rows indexed before the triggers existed.
    _apply(("knowledge_searchitem", 1)),
]
DROP = [
    f"DROP TRIGGER IF EXISTS {name} ON knowledge_searchitem; DROP FUNCTION IF EXISTS {name}();"
    for name in (
        "knowledge_facets_inserted",
        "knowledge_facets_deleted",
        "knowledge_facets_updated",
        "knowledge_facets_truncated",
    )
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0006_search_item_head")]

    operations = [
        migrations.CreateModel(
            name="FacetCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("working_group_id", models.BigIntegerField()),
                ("stakeholders", models.CharField(max_length=4)),
                ("access_unit_id", models.BigIntegerField(default=0)),
                ("facet", models.CharField(max_length=20)),
                ("value", models.TextField()),
                ("n", models.BigIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=(
                            "working_group_id",
                            "stakeholders",
                            "access_unit_id",
                            "facet",
                            "value",
                        ),
                        name="one_facet_count_each",
                    )
                ],
            },
        ),
        migrations.RunPython(create, drop),
    ]
