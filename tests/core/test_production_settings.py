"""The production settings module is safe to deploy when given its environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The deploy check must see production's own environment, not the test run's.
_NOT_INHERITED = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "EMAIL_BACKEND",
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


def _full_environment() -> dict:
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "expr.example.com",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:////tmp/expr-deploy.sqlite3"),
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    }


def test_check_deploy_passes_with_no_warnings_given_its_environment():
    result = _check_deploy(_full_environment())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_BACKEND"]
)
def test_production_refuses_to_start_without_each_required_setting(missing):
    environment = _full_environment()
    del environment[missing]

    result = _check_deploy(environment)

    assert result.returncode == 1
    assert f"{missing} must be set in the environment" in result.stderr


@pytest.mark.parametrize("backend", ["console", "locmem", "dummy"])
def test_production_refuses_an_email_backend_that_delivers_nothing(backend):
    environment = _full_environment()
    environment["EMAIL_BACKEND"] = f"django.core.mail.backends.{backend}.EmailBackend"

    result = _check_deploy(environment)

    assert result.returncode == 1
    assert "delivers no mail" in result.stderr
