"""CI proves the production database: PostgreSQL 15 or newer, with what search needs."""

import pytest
from django.db import connection


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_database_is_postgresql_15_or_newer():
    # The marker already guarantees PostgreSQL; the version is what production needs.
    assert connection.pg_version >= 150000


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_extensions_full_text_and_trigram_search_need_are_available():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM pg_available_extensions WHERE name IN ('pg_trgm', 'unaccent')"
        )
        assert {row[0] for row in cursor.fetchall()} == {"pg_trgm", "unaccent"}
