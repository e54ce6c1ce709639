"""Dashboard panels: each app's panels.py registers its own, found by core at startup."""

from django.apps import apps as django_apps

from apps.backlog import panels as backlog_panels
from apps.conflicts import panels as conflicts_panels
from apps.core import dashboard
from apps.experiments import panels as experiments_panels
from apps.knowledge import panels as knowledge_panels
from apps.meetings import panels as meetings_panels
from apps.roadmap import panels as roadmap_panels


def test_every_apps_panels_are_found_in_the_dashboards_order():
    found = [(p.order, p.name, p.template, p.context) for p in dashboard.registered_panels()]

    assert found == [
        (10, "Next meeting", "meetings/panels/next_meeting.html", meetings_panels.next_meeting),
        (11, "Meeting prep", "meetings/panels/meeting_prep.html", meetings_panels.meeting_prep),
        (
            20,
            "My action items",
            "meetings/panels/my_action_items.html",
            meetings_panels.my_action_items,
        ),
        (
            21,
            "Experiments that need attention",
            "experiments/panels/attention.html",
            experiments_panels.needs_attention,
        ),
        (
            22,
            "My experiments",
            "experiments/panels/mine.html",
            experiments_panels.my_experiments,
        ),
        (
            23,
            "Conflicts on my experiments",
            "conflicts/panels/mine.html",
            conflicts_panels.my_conflicts,
        ),
        (
            24,
            "Learnings to write",
            "knowledge/learning_panel.html",
            knowledge_panels.learnings_to_write,
        ),
        (
            25,
            "Waiting for your score",
            "backlog/panels/awaiting_score.html",
            backlog_panels.awaiting_my_score,
        ),
        (
            30,
            "Decision points ahead",
            "roadmap/panels/decision_points.html",
            roadmap_panels.decision_points_ahead,
        ),
        (
            40,
            "Latest decisions",
            "roadmap/panels/recent_decisions.html",
            roadmap_panels.recent_decisions,
        ),
    ]


def test_each_panel_comes_from_its_own_apps_panels_module():
    ours = {c.name for c in django_apps.get_app_configs() if c.name.startswith("apps.")}

    modules = {p.context.__module__ for p in dashboard.registered_panels()}

    assert modules == {
        "apps.backlog.panels",
        "apps.conflicts.panels",
        "apps.experiments.panels",
        "apps.knowledge.panels",
        "apps.meetings.panels",
        "apps.roadmap.panels",
    }
    assert {m.removesuffix(".panels") for m in modules} <= ours


def test_no_app_registers_a_panel_from_its_ready(monkeypatch):
    monkeypatch.setattr(dashboard, "_PANELS", {})

    for config in django_apps.get_app_configs():
        if config.name.startswith("apps.") and config.name != "apps.core":
            config.ready()

    assert dashboard.registered_panels() == []


def test_the_decorator_registers_the_function_unchanged(monkeypatch):
    monkeypatch.setattr(dashboard, "_PANELS", {})

    def late(user):
        return {"who": user}

    decorated = dashboard.dashboard_panel("Late", template="x/late.html", order=50)(late)

    assert decorated is late
    assert dashboard.registered_panels() == [dashboard.Panel("Late", "x/late.html", late, 50)]


def test_panels_for_shows_panels_by_order_then_name_and_hides_empty_ones(monkeypatch):
    monkeypatch.setattr(dashboard, "_PANELS", {})
    dashboard.register_panel("B", "b.html", lambda user: {"b": user}, order=5)
    dashboard.register_panel("A", "a.html", lambda user: {"a": user}, order=5)
    dashboard.register_panel("First", "first.html", lambda user: {"f": user}, order=1)
    dashboard.register_panel("Hidden", "hidden.html", lambda user: None, order=0)

    shown = dashboard.panels_for("lena")

    assert [(p["name"], p["template"], p["context"]) for p in shown] == [
        ("First", "first.html", {"f": "lena"}),
        ("A", "a.html", {"a": "lena"}),
        ("B", "b.html", {"b": "lena"}),
    ]
