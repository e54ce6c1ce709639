"""Every entry point defaults to the production settings, which refuse to start
half-configured; only the local make verbs ask for the development settings."""

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENTRY_POINTS = ["manage.py", "expprogram/celery.py", "expprogram/wsgi.py", "expprogram/asgi.py"]
PRODUCTION = "expprogram.settings.production"
DEVELOPMENT = "expprogram.settings.base"


def _default_settings(path: str) -> list[str]:
    """The values of every `os.environ.setdefault("DJANGO_SETTINGS_MODULE", ...)` in a file."""
    tree = ast.parse((ROOT / path).read_text())
    return [
        node.args[1].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "setdefault"
        and len(node.args) == 2
        and isinstance(node.args[0], ast.Constant)
        and node.args[0].value == "DJANGO_SETTINGS_MODULE"
    ]


def test_manage_celery_wsgi_and_asgi_name_the_same_default():
    defaults = {path: _default_settings(path) for path in ENTRY_POINTS}

    assert defaults == {path: [PRODUCTION] for path in ENTRY_POINTS}


def test_manage_py_without_settings_or_environment_refuses_to_start():
    """A forgotten DJANGO_SETTINGS_MODULE must not quietly run DEBUG with the dev key."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DATABASE_URL"}
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 1
    assert "ImproperlyConfigured: SECRET_KEY must be set in the environment" in result.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_the_local_make_verbs_run_the_development_settings_unless_told_otherwise():
    result = subprocess.run(
        ["make", "--dry-run", "--always-make", "--just-print", "run", "worker", "beat"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    commands = [
        line
        for line in result.stdout.splitlines()
        if "manage.py" in line or "celery -A expprogram" in line
    ]

    assert result.returncode == 0, result.stderr
    assert len(commands) == 5  # migrate, seed_demo, runserver, worker, beat
    for command in commands:
        assert f"DJANGO_SETTINGS_MODULE=${{DJANGO_SETTINGS_MODULE:-{DEVELOPMENT}}} " in command
