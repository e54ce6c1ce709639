"""The demo program: one command, every app's part, idempotent."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db

APPS = ("accounts", "backlog", "meetings", "roadmap")


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for label in APPS
        for model in apps.get_app_config(label).get_models()
    }


def test_seed_demo_prints_how_to_log_in_and_running_it_twice_adds_nothing():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())

    assert _counts() == first
    text = out.getvalue()
    assert "password: expr-demo-2026" in text
    for username in ("priya", "marco", "lena", "sofia", "dana"):
        assert f"  {username} " in text


def test_seed_demo_fills_every_section():
    call_command("seed_demo", stdout=io.StringIO())
    counts = _counts()

    assert counts["backlog.Hypothesis"] >= 30
    assert counts["meetings.Meeting"] >= 2
    assert counts["roadmap.ResearchPlan"] == 4
    # The next meeting's agenda was drafted after the plans existed: it asks for decisions.
    from apps.meetings.models import AgendaItem

    assert AgendaItem.objects.filter(key__startswith="milestone:", removed=False).exists()
