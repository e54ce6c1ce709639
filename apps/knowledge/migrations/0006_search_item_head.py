"""`head_vector` (title and statement) and its GIN index (PostgreSQL only, as in 0002).

A query matching more rows than search.postgres.CAP draws its candidates from it: the rows
whose title or statement match, found without decompressing every matching row's whole
document.
"""

from importlib import import_module

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations, models

import apps.knowledge.models.search

# SQLite adds a generated column by rebuilding the table with the indexes the state holds,
# and cannot build 0005's NULLS LAST one (which exists on PostgreSQL only): the state
# forgets it while the column is added, then holds it again, touching no database.
NEWEST = import_module("apps.knowledge.migrations.0005_search_item_newest").NEWEST

HEAD_INDEX = GinIndex(fields=["head_vector"], name="search_item_head")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("knowledge", "SearchItem"), HEAD_INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("knowledge", "SearchItem"), HEAD_INDEX)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0005_search_item_newest")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveIndex("searchitem", NEWEST.name)]
        ),
        migrations.AddField(
            model_name="searchitem",
            name="head_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=apps.knowledge.models.search._HeadExpression(),
                output_field=apps.knowledge.models.search.SearchVectorOrText(),
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex("searchitem", NEWEST)]
        ),
        migrations.RunPython(create, drop),
    ]
