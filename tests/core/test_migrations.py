"""Models and migrations agree: a model change without its migration fails here, not in production."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit as exit_:
        assert not exit_.code, f"missing migrations:\n{out.getvalue()}"
