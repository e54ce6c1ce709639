"""/healthz: what a load balancer and an operator read about the services ExPr needs."""

import pytest
from django.db.utils import ConnectionHandler
from django.test import override_settings

from apps.core import health
from tests.services import TEST_BROKER_URL

pytestmark = pytest.mark.django_db


def test_it_reports_200_when_the_database_answers_and_tasks_run_eagerly(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"] == {"ok": True, "detail": "eager: tasks run in-process, no broker"}


def test_it_reports_503_when_the_database_is_unreachable(client, monkeypatch):
    # A database on a closed port: the same driver error a stopped server gives.
    unreachable = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "expprogram",
                "USER": "postgres",
                "HOST": "127.0.0.1",
                "PORT": "1",
                "OPTIONS": {"connect_timeout": 2},
            }
        }
    )
    monkeypatch.setattr(health, "connections", unreachable)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"]["ok"] is False
    assert "OperationalError" in body["database"]["detail"]


@override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_it_reports_503_when_the_broker_is_unreachable(client):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False
    assert response.json()["database"]["ok"] is True


@pytest.mark.redis
def test_it_reports_200_with_a_real_broker(client):
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=TEST_BROKER_URL):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["broker"] == {"ok": True, "detail": "reachable"}


def test_it_answers_get_only(client):
    assert client.post("/healthz").status_code == 405
