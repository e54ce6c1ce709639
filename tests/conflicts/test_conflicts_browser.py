"""In real Chromium: launching an experiment that collides with a running one on the
checkout page is refused, the checklist says why; the statistics lead acknowledges the
conflict on its page (a missing reason is named in place, nothing saved); then the owner
starts it. Screenshots of the pages go to /tmp/shots/confapp/."""

import os
from pathlib import Path

import pytest

from apps.conflicts.models import Conflict, ConflictStatus, Kind
from apps.experiments import checklist
from apps.experiments.models import Experiment

from . import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, url: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_a_conflicting_launch_waits_for_the_statistics_leads_acknowledgement(
    live_server, page, demo, demo_password, monkeypatch
):
    # The designs read no warehouse here: the metrics probe passes; every other check runs.
    monkeypatch.setitem(
        checklist._CHECKS, "metrics",
        checklist.LaunchCheck("metrics", "Metrics", 20,
                              lambda e: checklist.CheckOutcome(True, "checked")),
    )  # fmt: skip
    running = f.ef.launched(demo, monkeypatch, "lena", title="One-page checkout",
                            key="one-page-checkout", surfaces=[f.surface(demo)],
                            data_source=f.ef.source(demo, name="Checkout warehouse"))  # fmt: skip
    exp = f.ef.approved(demo, "aisha", title="Guest checkout", key="guest-checkout",
                        surfaces=[f.surface(demo)],
                        data_source=f.ef.source(demo, name="Checkout warehouse"))  # fmt: skip
    # Saving the approval queued the re-check on commit: the conflict is open already.
    conflict = Conflict.objects.get(kind=Kind.SURFACE_COLLISION)
    assert {conflict.experiment_a_id, conflict.experiment_b_id} == {running.pk, exp.pk}
    base = live_server.url
    shots = Path(os.environ.get("EXPR_SHOTS", "/tmp/shots/confapp"))
    shots.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The owner tries to start: refused, and the checklist says why.
    _login(page, f"{base}/experiments/{exp.pk}/", "aisha", demo_password)
    page.wait_for_selector("[data-testid=checklist][data-ready=false]")
    check = page.locator("[data-testid=checklist] li[data-check=conflicts]")
    assert "Blocked by 1 conflict" in check.inner_text()
    page.wait_for_selector("[data-testid=experiment-conflict]")
    page.click("[data-testid=action-start]")
    page.wait_for_selector("[data-testid=lifecycle-errors]")
    assert "No blocking conflict" in page.inner_text("[data-testid=lifecycle-errors]")
    assert page.inner_text("[data-testid=experiment-status]") == "Approved"
    page.screenshot(path=str(shots / "experiment-blocked-1280.png"), full_page=True)

    # The statistics lead acknowledges on the conflict's page; a blank reason is refused.
    _login(page, f"{base}/conflicts/", "marco", demo_password)
    page.screenshot(path=str(shots / "conflicts-list-1280.png"), full_page=True)
    page.click(f"a[href='/conflicts/{conflict.pk}/']")
    page.wait_for_selector("[data-testid=acknowledge]")
    page.click("[data-testid=acknowledge]")
    page.wait_for_selector("[data-testid=reason-error]")
    assert "Say why" in page.inner_text("[data-testid=reason-error]")
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.OPEN
    page.fill("#acknowledge textarea", "Both ship this month; we analyse them jointly.")
    page.click("[data-testid=acknowledge]")
    page.wait_for_selector("[data-testid=conflict-status]:has-text('Acknowledged')")
    page.screenshot(path=str(shots / "conflict-acknowledged-1280.png"), full_page=True)

    # Now the owner starts it.
    _login(page, f"{base}/experiments/{exp.pk}/", "aisha", demo_password)
    page.wait_for_selector("[data-testid=checklist][data-ready=true]")
    page.click("[data-testid=action-start]")
    page.wait_for_selector("[data-testid=experiment-status]:has-text('Running')")
    assert Experiment.objects.get(pk=exp.pk).status == "running"

    page.goto(f"{base}/conflicts/timeline/")
    page.wait_for_selector("[data-testid=timeline-svg]")
    page.screenshot(path=str(shots / "timeline-1280.png"), full_page=True)
