"""The search index's GIN indexes (tsvector, trigram), on PostgreSQL only.

They stay out of the model state: SQLite has neither GIN nor pg_trgm, and its fallback
search reads the rows without them.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


def _indexes(apps):
    from apps.knowledge.models.search import POSTGRES_INDEXES, TERM_INDEXES

    item, term = (
        apps.get_model("knowledge", "SearchItem"),
        apps.get_model("knowledge", "SearchTerm"),
    )
    return [(item, index) for index in POSTGRES_INDEXES] + [(term, i) for i in TERM_INDEXES]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.add_index(model, index)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_search_index")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create, drop),
    ]
