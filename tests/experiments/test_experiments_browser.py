"""In real Chromium: a member drafts an experiment from an accepted hypothesis, the
statistics lead approves it, the owner starts it once the checklist passes, "Refresh now"
pulls a snapshot from a DuckDB file, the results show the forest plot, and the program
manager concludes it on the meeting page; the pages read at desktop and phone widths
without sideways scrolling."""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

KEY = "delivery-dates"
UNITS = 8_000  # half per arm: past the planned sample, so the read is not provisional
ASSIGNMENT_SQL = (
    "SELECT experiment_key, unit_id, variant, first_exposure_at, country, platform FROM exposures"
)


def _warehouse(path: Path) -> None:
    """The tables the source reads, with one old event per metric so the launch checklist's
    probe finds rows; the experiment's own exposures are written once it has started.

    Not the demo warehouse (warehouse.demo_data): its units were exposed days ago, and a
    pull reads exposures from the experiment's start, which the page sets to now.
    """
    import duckdb

    connection = duckdb.connect(str(path))
    connection.execute(
        "CREATE TABLE exposures (experiment_key VARCHAR, unit_id BIGINT, variant VARCHAR, "
        "first_exposure_at TIMESTAMP, country VARCHAR, platform VARCHAR)"
    )
    connection.execute(
        "CREATE TABLE events (unit_id BIGINT, ts TIMESTAMP, name VARCHAR, value DOUBLE)"
    )
    connection.execute(
        "INSERT INTO events VALUES (-1, TIMESTAMP '2026-01-01', 'purchase', 1), "
        "(-1, TIMESTAMP '2026-01-01', 'revenue', 10), (-1, TIMESTAMP '2026-01-01', 'load', 900)"
    )
    connection.close()


def _expose(path: Path, started_at: datetime.datetime) -> None:
    """UNITS units exposed just after the start, alternating arms; the treatment converts
    at 12 % against the control's 10 %, spends a little more and loads as fast."""
    import duckdb

    start = started_at.astimezone(datetime.UTC).replace(tzinfo=None)
    connection = duckdb.connect(str(path))
    connection.execute("SELECT setseed(0.42)")
    connection.execute(
        f"""INSERT INTO exposures
        SELECT '{KEY}', i, CASE WHEN i % 2 = 0 THEN 'control' ELSE 'treatment' END,
               $start + to_microseconds(i), CASE WHEN i % 3 = 0 THEN 'DE' ELSE 'FR' END,
               CASE WHEN i // 2 % 4 = 0 THEN 'ios' ELSE 'web' END
        FROM range({UNITS}) t(i)""",
        {"start": start},
    )
    connection.execute(
        f"""INSERT INTO events
        SELECT i, $start + to_microseconds({UNITS} + i), 'purchase', 1 FROM range({UNITS}) t(i)
        WHERE random() < CASE WHEN i % 2 = 0 THEN 0.10 ELSE 0.12 END""",
        {"start": start},
    )
    connection.execute(
        f"""INSERT INTO events
        SELECT i, $start + to_microseconds({UNITS} + i), 'revenue',
               20 + 10 * random() + CASE WHEN i % 2 = 0 THEN 0 ELSE 0.5 END
        FROM range({UNITS}) t(i)""",
        {"start": start},
    )
    connection.execute(
        f"""INSERT INTO events
        SELECT i, $start + to_microseconds({UNITS} + i), 'load', 800 + 200 * random()
        FROM range({UNITS}) t(i)""",
        {"start": start},
    )
    connection.close()


def _login(page, url: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def _no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth"
        " && document.body.scrollWidth <= window.innerWidth"
    )


def _too_wide(page) -> list[str]:
    """The first elements reaching past the viewport's right edge, for a failure message."""
    return page.evaluate(
        "Array.from(document.querySelectorAll('body *'))"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 8)"
        ".map(e => e.tagName + '.' + e.getAttribute('class'))"
    )


def test_a_design_goes_from_draft_to_results_with_a_forest_plot(
    live_server, page, demo, demo_password, tmp_path
):
    from apps.experiments import services
    from apps.experiments.models import Experiment, MetricKind, Snapshot

    from .factories import accepted_hypothesis

    warehouse = tmp_path / "warehouse.duckdb"
    _warehouse(warehouse)
    dana, marco = demo.users["dana"], demo.users["marco"]
    source = services.data_source_create(
        actor=dana, group=demo.group, name="Product warehouse", kind="duckdb",
        config={"path": str(warehouse)}, assignment_sql=ASSIGNMENT_SQL,
        segment_columns=["country", "platform"],
    )  # fmt: skip
    for key, name, kind, direction, event in (
        ("purchase", "Checkout conversion", MetricKind.BINOMIAL, "increase", "purchase"),
        ("revenue", "Revenue per user", MetricKind.CONTINUOUS, "increase", "revenue"),
        ("page-load", "Page load time (ms)", MetricKind.CONTINUOUS, "decrease", "load"),
    ):
        services.metric_create(
            actor=marco, group=demo.group, source=source, key=key, name=name, kind=kind,
            direction=direction, sql=f"SELECT unit_id, ts, value FROM events WHERE name = '{event}'",
        )  # fmt: skip
    hypothesis = accepted_hypothesis(demo, owner="aisha", title="Delivery dates build trust")
    base = live_server.url

    # Aisha drafts the design from the accepted hypothesis.
    _login(page, f"{base}/experiments/", "aisha", demo_password)
    page.click(f"[data-testid=draft-experiment][href$='hypothesis={hypothesis.pk}']")
    form = page.locator("[data-testid=design-form]")
    form.locator("#id_key").fill(KEY)
    form.locator("#id_data_source").select_option(label="Product warehouse")
    today = timezone.localdate()
    form.locator("#id_planned_start").fill(str(today))
    form.locator("#id_planned_end").fill(str(today + datetime.timedelta(days=14)))
    form.locator("#id_baseline").fill("0.1")
    form.locator("#id_mde").fill("0.2")
    form.locator("#id_daily_traffic").fill("50000")
    rows = form.locator("[data-testid=metric-table] tbody tr")
    rows.filter(has_text="Checkout conversion").locator("select").select_option("primary")
    rows.filter(has_text="Revenue per user").locator("select").select_option("secondary")
    load = rows.filter(has_text="Page load time")
    load.locator("select").select_option("guardrail")
    load.locator("input").fill("0.05")
    form.locator("[data-testid=save-design]").click()
    page.wait_for_selector("[data-testid=experiment-status]")
    exp = Experiment.objects.get(key=KEY)
    assert page.url.endswith(f"/experiments/{exp.pk}/")
    assert page.inner_text("[data-testid=experiment-status]") == "Draft"

    page.click("[data-testid=action-submit]")
    page.wait_for_selector("[data-testid=experiment-status]:has-text('In review')")

    # The statistics lead approves it.
    _login(page, f"{base}/experiments/{exp.pk}/", "marco", demo_password)
    page.click("[data-testid=action-approve]")
    page.wait_for_selector("[data-testid=experiment-status]:has-text('Approved')")

    # The owner starts it once every check passes.
    _login(page, f"{base}/experiments/{exp.pk}/", "aisha", demo_password)
    page.wait_for_selector("[data-testid=checklist][data-ready=true]")
    shots = Path(os.environ.get("EXPR_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "experiment-approved-1280.png"), full_page=True)
    page.click("[data-testid=action-start]")
    page.wait_for_selector("[data-testid=experiment-status]:has-text('Running')")
    exp.refresh_from_db()
    _expose(warehouse, exp.started_at)

    # "Refresh now" pulls a snapshot (Celery runs eagerly here) and the results appear.
    page.click("[data-testid=refresh]")
    page.wait_for_selector("[data-testid=forest-plot]")
    snapshot = Snapshot.objects.filter(experiment=exp, status="done").first()
    # A second pull reads the same data: the cumulative chart draws a band between them.
    page.click("[data-testid=refresh]")
    page.wait_for_selector("[data-testid=cumulative] svg.wide polygon.band")
    assert page.locator("[data-testid=cumulative] svg.wide circle.dot").count() == 2
    assert snapshot.analysis["units"] == UNITS
    forest = page.locator("[data-testid=forest-plot] svg.wide g.row")
    assert forest.count() == 3
    assert page.locator("[data-testid=pull][data-status=done]").count() == 1
    assert page.locator("[data-testid=guardrails] li").count() == 1
    assert page.locator("[data-testid=segment-row]").count() > 0

    # The working group concludes it in its meeting, through the meeting page's own form.
    from apps.meetings import services as meetings
    from apps.meetings.models import Kind

    meeting = meetings.meeting_create(
        actor=demo.users["priya"], group=demo.group, title="Working group",
        kind=Kind.WORKING_GROUP, starts_at=timezone.now() + datetime.timedelta(hours=1),
    )  # fmt: skip
    _login(page, f"{base}/meetings/{meeting.pk}/", "priya", demo_password)
    conclude = page.locator("[data-testid=experiment-conclude]")
    conclude.locator("select[name=experiment-conclude-experiment]").select_option(str(exp.pk))
    conclude.locator("select[name=experiment-conclude-decision]").select_option("ship")
    conclude.locator("textarea[name=experiment-conclude-rationale]").fill(
        "Delivery dates lifted conversion with no guardrail harmed."
    )
    conclude.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=decisions]")
    assert "Ship: Delivery dates build trust" in page.inner_text("[data-testid=decisions]")
    exp.refresh_from_db()
    assert (exp.status, exp.decision) == ("concluded", "ship")
    hypothesis.refresh_from_db()
    assert hypothesis.status == "concluded"

    _login(page, f"{base}/experiments/", "aisha", demo_password)
    accepted_hypothesis(demo, owner="aisha", title="Free returns")
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{base}/experiments/{exp.pk}/results/")
        page.wait_for_selector("[data-testid=forest-plot]")
        page.screenshot(path=str(shots / f"experiment-results-{width}.png"), full_page=True)
        for part in ("forest-card", "cumulative-card"):
            page.locator(f"[data-testid={part}]").screenshot(
                path=str(shots / f"{part}-{width}.png")
            )
        assert _no_sideways_scroll(page), (width, "results", _too_wide(page))
        page.goto(f"{base}/experiments/{exp.pk}/")
        page.wait_for_selector("[data-testid=forest-plot]")
        page.screenshot(path=str(shots / f"experiment-page-{width}.png"), full_page=True)
        assert _no_sideways_scroll(page), (width, "experiment", _too_wide(page))
        page.goto(f"{base}/experiments/")
        page.screenshot(path=str(shots / f"experiments-index-{width}.png"), full_page=True)
        assert _no_sideways_scroll(page), (width, "index", _too_wide(page))
        page.click("[data-testid=draft-experiment]")
        page.wait_for_selector("[data-testid=metric-table]")
        page.screenshot(path=str(shots / f"experiment-form-{width}.png"), full_page=True)
        assert _no_sideways_scroll(page), (width, "design form", _too_wide(page))
