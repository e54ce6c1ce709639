"""The production settings module is safe to deploy when given its environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The deploy check must see production's own environment, not the test run's.
_NOT_INHERITED = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set for the browser tests only
}


def _check_deploy(env_overrides: dict) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in _NOT_INHERITED}
    env.update(DJANGO_SETTINGS_MODULE="expprogram.settings.production", **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_no_warnings_given_its_environment():
    result = _check_deploy(
        {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "expr.example.com",
            "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:////tmp/expr-deploy.sqlite3"),
        }
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _check_deploy({"ALLOWED_HOSTS": "expr.example.com"})

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
