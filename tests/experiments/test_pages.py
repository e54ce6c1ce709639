"""The experiment pages: who sees what, the design form and its errors, the lifecycle, the
results drawn from a pushed snapshot, and the pure pieces behind them (the novelty rule,
the chart geometry)."""

import csv
import datetime
import io
import math
import re

import pytest
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from apps.experiments import charts, selectors, services
from apps.experiments.models import Experiment, MetricKind, Snapshot, SnapshotSource, Status
from apps.experiments.selectors import EffectPoint, novelty_check
from apps.experiments.services import MetricSpec

from . import factories

# --- the novelty rule (pure) -------------------------------------------------------------


def _points(*triples) -> list[EffectPoint]:
    return [EffectPoint(*t) for t in triples]


def test_a_stable_effect_is_not_flagged():
    points = _points(*[(0.02, 0.01, 0.03)] * 6)
    assert novelty_check(points) == (False, "")


def test_fewer_than_four_snapshots_are_never_flagged():
    points = _points((0.20, 0.15, 0.25), (0.02, 0.01, 0.03), (0.01, 0.0, 0.02))
    assert novelty_check(points) == (False, "")


def test_an_early_lift_above_the_latest_interval_is_a_novelty_effect_wearing_off():
    points = _points((0.12, 0.02, 0.22), (0.10, 0.05, 0.15), (0.04, 0.02, 0.06),
                     (0.02, 0.01, 0.03))  # fmt: skip
    flagged, reason = novelty_check(points)
    # The early half's mean, computed here: (0.12 + 0.10) / 2 = 0.11 > 0.03.
    assert flagged
    assert "+11.00 %" in reason and "above" in reason and "novelty" in reason


def test_an_effect_that_builds_up_is_a_primacy_effect():
    points = _points((-0.04, -0.09, 0.01), (-0.01, -0.04, 0.02), (0.02, 0.0, 0.04),
                     (0.03, 0.02, 0.04))  # fmt: skip
    flagged, reason = novelty_check(points)
    assert flagged and "below" in reason and "primacy" in reason


def test_a_shrinking_negative_effect_is_a_novelty_effect_too():
    # Direction follows the effect's size: −8 % early, −1 % now is a harm wearing off.
    points = _points((-0.08, -0.12, -0.04), (-0.08, -0.10, -0.06), (-0.02, -0.03, -0.01),
                     (-0.01, -0.02, 0.0))  # fmt: skip
    flagged, reason = novelty_check(points)
    assert flagged and "novelty" in reason


def test_halves_whose_intervals_do_not_overlap_are_flagged_even_if_the_mean_agrees():
    # Early mean (−0.02 + 0.06) / 2 = 0.02 lies inside the latest [0, 0.04], but the
    # halfway interval [0.055, 0.065] misses it.
    points = _points((-0.02, -0.05, 0.01), (0.06, 0.055, 0.065), (0.03, 0.0, 0.05),
                     (0.02, 0.0, 0.04))  # fmt: skip
    flagged, reason = novelty_check(points)
    assert flagged and "do not overlap" in reason


interval = st.tuples(
    st.floats(-0.5, 0.5, allow_nan=False), st.floats(0.0001, 0.3, allow_nan=False)
).map(lambda t: EffectPoint(t[0], t[0] - t[1], t[0] + t[1]))


@given(st.lists(interval, min_size=0, max_size=12), st.floats(-0.3, 0.3, allow_nan=False))
def test_the_rule_reads_only_the_shape_of_the_effect_not_its_level(points, shift):
    """Shifting every estimate by the same amount, or mirroring them, flags the same series
    (up to floating-point ties at an interval's edge, which the strategy keeps away)."""
    flagged, reason = novelty_check(points)
    mirrored = [EffectPoint(-p.lift, -p.ci_high, -p.ci_low) for p in points]
    assert novelty_check(mirrored)[0] == flagged
    assert flagged == bool(reason)
    if len(points) < 4:
        assert not flagged
    shifted = [EffectPoint(p.lift + shift, p.ci_low + shift, p.ci_high + shift) for p in points]
    early = points[: len(points) // 2]
    if early:
        mean = math.fsum(p.lift for p in early) / len(early)
        margin = min(abs(mean - points[-1].ci_low), abs(mean - points[-1].ci_high),
                     abs(early[-1].ci_high - points[-1].ci_low),
                     abs(early[-1].ci_low - points[-1].ci_high))  # fmt: skip
        if margin > 1e-9:
            assert novelty_check(shifted)[0] == flagged


@given(st.lists(interval, min_size=1, max_size=12))
def test_an_unchanging_estimate_is_never_flagged(points):
    first = points[0]
    assert novelty_check([first] * len(points)) == (False, "")


# --- chart geometry (pure) ---------------------------------------------------------------


def _metric(key, role, arms, *, higher=True, harm=None):
    return {"key": key, "name": key.title(), "role": role, "kind": "binomial",
            "higher_is_better": higher, "harm_threshold": harm, "arms": arms}  # fmt: skip


def _arm(name, lift, low, high, significant=False, guardrail=None):
    arm = {"name": name, "relative_lift": lift, "ci_low": low, "ci_high": high,
           "significant": significant, "p_value": 0.5}  # fmt: skip
    if guardrail:
        arm["guardrail"] = guardrail
    return arm


def test_the_forest_plot_places_each_interval_on_one_linear_axis():
    analysis = {"metrics": [
        _metric("conversion", "primary", [_arm("treatment", 0.12, 0.05, 0.19, True)]),
        _metric("latency", "guardrail", [_arm("treatment", 0.01, -0.02, 0.04, guardrail="pass")],
                higher=False, harm=0.05),
    ]}  # fmt: skip
    f = charts.forest(analysis)
    assert f is not None
    primary, guard = f["rows"]
    assert f["left"] <= primary["x_low"] < primary["x_point"] < primary["x_high"] <= f["right"]
    # Linear: the point divides its interval in the ratio the values do (0.07 : 0.07).
    assert primary["x_point"] - primary["x_low"] == pytest.approx(
        primary["x_high"] - primary["x_point"], abs=0.2
    )
    # Zero sits where a value of 0 maps: between the guardrail's low and its point.
    assert guard["x_low"] < f["zero_x"] < guard["x_point"]
    assert primary["tone"] == "win" and guard["tone"] == "flat"
    assert guard["guardrail"] == "pass" and primary["guardrail"] is None
    # Lower is better: harm is a rise of 5 %, to the right of zero and past the interval.
    assert guard["x_harm"] > guard["x_high"] > f["zero_x"]
    assert primary["x_harm"] is None
    assert [t["label"] for t in f["ticks"]][:1] and all(
        f["left"] <= t["at"] <= f["right"] for t in f["ticks"]
    )


def test_the_phone_drawing_puts_labels_above_intervals_within_its_width():
    analysis = {"metrics": [
        _metric("conversion", "primary", [_arm("treatment", 0.12, 0.05, 0.19, True)]),
        _metric("latency", "guardrail", [_arm("treatment", 0.01, -0.02, 0.04, guardrail="fail")],
                higher=False, harm=0.05),
    ]}  # fmt: skip
    wide, narrow = charts.forest(analysis), charts.forest(analysis, charts.FOREST_NARROW)
    assert narrow["stacked"] and not wide["stacked"]
    assert narrow["width"] < wide["width"]
    for row in narrow["rows"]:
        assert row["label_y"] < row["y"]  # the label sits above its interval
        assert 0 <= row["x_low"] <= row["x_high"] <= narrow["width"]
    # The same values map to the same shares of each axis.
    for w, n in zip(wide["rows"], narrow["rows"], strict=True):
        share_w = (w["x_point"] - wide["left"]) / (wide["right"] - wide["left"])
        share_n = (n["x_point"] - narrow["left"]) / (narrow["right"] - narrow["left"])
        assert share_w == pytest.approx(share_n, abs=0.005)
    assert narrow["rows"][1]["verdict_label"] == "✗ fail"


def test_a_significant_fall_in_a_lower_is_better_metric_is_a_win():
    analysis = {"metrics": [_metric("latency", "secondary",
                                    [_arm("treatment", -0.1, -0.15, -0.05, True)],
                                    higher=False)]}  # fmt: skip
    assert charts.forest(analysis)["rows"][0]["tone"] == "win"


def test_no_forest_plot_without_an_interval():
    analysis = {
        "metrics": [_metric("conversion", "primary", [_arm("treatment", None, None, None)])]
    }
    assert charts.forest(analysis) is None
    assert charts.forest({}) is None


@given(st.lists(st.tuples(st.floats(-2, 2), st.floats(0, 1), st.floats(0, 1)), min_size=1,
                max_size=8))  # fmt: skip
def test_every_interval_stays_inside_the_plot_in_order(cells):
    arms = [_arm(f"t{i}", mid, mid - lo, mid + hi) for i, (mid, lo, hi) in enumerate(cells)]
    f = charts.forest({"metrics": [_metric("m", "primary", arms)]})
    assert f is not None and len(f["rows"]) == len(cells)
    for row in f["rows"]:
        assert (
            f["left"] - 0.1 <= row["x_low"] <= row["x_point"] <= row["x_high"] <= f["right"] + 0.1
        )
    assert f["left"] <= f["zero_x"] <= f["right"]


def test_the_cumulative_chart_puts_the_line_inside_its_band_in_time_order():
    start = datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC)
    points = [
        {"taken_at": (start + datetime.timedelta(hours=h)).isoformat(), "lift": lift,
         "ci_low": lift - 0.03, "ci_high": lift + 0.03}
        for h, lift in ((0, 0.05), (6, 0.03), (30, 0.02))
    ]  # fmt: skip
    c = charts.cumulative(points)
    assert c is not None
    xs = [d["x"] for d in c["dots"]]
    assert xs[0] == c["left"] and xs[-1] == c["right"] and xs == sorted(xs)
    # Time, not index: 6 h of 30 h is a fifth of the width.
    assert xs[1] - xs[0] == pytest.approx((c["right"] - c["left"]) / 5, abs=0.2)
    assert len(c["band"].split()) == 2 * len(points)
    assert c["top"] <= c["zero_y"] <= c["bottom"]
    for dot, p in zip(c["dots"], points, strict=True):
        assert dot["y"] < c["zero_y"]  # every lift here is above zero (SVG y grows down)
        assert "%" in dot["title"] and f"{p['lift'] * 100:+.1f}" in dot["title"]
    assert charts.cumulative([]) is None


# --- pages -------------------------------------------------------------------------------


def _page(client, url, data=None, **headers):
    return client.get(url, data or {}, **headers)


HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_index_lists_the_groups_experiments_by_status_for_every_role(demo, web_as):
    draft = factories.design(demo, title="Shorter checkout")
    for who in ("aisha", "priya", "sofia", "marco"):
        response = _page(web_as(who), "/experiments/")
        assert response.status_code == 200
        body = response.content.decode()
        assert "Shorter checkout" in body and draft.key in body
        assert 'data-status="draft"' in body
    # A member sees the accepted hypotheses waiting for a design; a stakeholder does not.
    factories.accepted_hypothesis(demo, title="Waiting for a design")
    assert "Waiting for a design" in _page(web_as("lena"), "/experiments/").content.decode()
    assert "Waiting for a design" not in _page(web_as("sofia"), "/experiments/").content.decode()


def test_the_index_filters_by_status_type_and_owner(demo, web_as):
    factories.design(demo, title="Aisha test")
    factories.approved(demo, owner="lena", title="Lena approved test")
    client = web_as("priya")
    body = _page(client, "/experiments/", {"status": "approved"}).content.decode()
    assert "Lena approved test" in body and "Aisha test" not in body
    body = _page(client, "/experiments/", {"owner": demo.users["aisha"].pk}).content.decode()
    assert "Aisha test" in body and "Lena approved test" not in body
    body = _page(client, "/experiments/", {"type": "canary"}).content.decode()
    assert "No experiments match these filters" in body
    # htmx swaps only the list
    partial = client.get("/experiments/", {"status": "draft"}, HTTP_HX_TARGET="experiments-body",
                         **HTMX)  # fmt: skip
    assert partial.content.decode().lstrip().startswith('<div id="experiments-body"')


def test_the_index_shows_the_primary_metrics_headline_lift(demo, web_as, monkeypatch):
    exp = factories.launched(demo, monkeypatch, title="Delivery dates")
    services.snapshot_store(actor=demo.users["aisha"], experiment=exp,
                            rows=factories.push_rows(exp), source=SnapshotSource.PUSH)  # fmt: skip
    body = _page(web_as("sofia"), "/experiments/").content.decode()
    # 560/10000 against 500/10000: +12.0 %.
    assert "+12.0 %" in body


def test_an_outsider_sees_no_experiment_and_a_hidden_one_is_a_404(demo, web_as, client):
    exp = factories.design(demo)
    outsider = type(demo.users["aisha"]).objects.create_user("outsider", password="pw-x-12345")
    client.force_login(outsider)
    assert exp.title not in client.get("/experiments/").content.decode()
    assert client.get(f"/experiments/{exp.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/experiments/{exp.pk}/").status_code == 302


def test_an_experiment_on_a_confidential_plan_is_hidden_from_other_units_stakeholders(demo, web_as):
    from tests.roadmap.factories import plan_with

    plan = plan_with(demo, confidential=True, sponsor="sofia", title="Pricing secret")
    milestone = plan.milestones.first()
    exp = factories.design(demo, milestone=milestone, title="Secret price test")
    assert _page(web_as("james"), f"/experiments/{exp.pk}/").status_code == 404
    assert "Secret price test" not in _page(web_as("james"), "/experiments/").content.decode()
    assert _page(web_as("james"), f"/experiments/{exp.pk}/results.csv").status_code == 404
    assert _page(web_as("sofia"), f"/experiments/{exp.pk}/").status_code == 200  # Commerce
    assert _page(web_as("tomas"), f"/experiments/{exp.pk}/").status_code == 200  # a member


def test_the_design_page_offers_each_viewer_only_the_steps_the_policy_allows(demo, web_as):
    exp = factories.design(demo)  # Aisha's draft
    owner = _page(web_as("aisha"), f"/experiments/{exp.pk}/").content.decode()
    assert 'data-testid="action-submit"' in owner and 'data-testid="edit-design"' in owner
    for who in ("sofia", "lena", "marco"):
        body = _page(web_as(who), f"/experiments/{exp.pk}/").content.decode()
        assert 'data-testid="action-' not in body, who
        assert 'data-testid="edit-design"' not in body, who
    services.experiment_transition(actor=demo.users["aisha"], experiment=exp, action="submit")
    lead = _page(web_as("marco"), f"/experiments/{exp.pk}/").content.decode()
    assert 'data-testid="action-approve"' in lead and 'data-testid="open-request_changes"' in lead
    assert (
        'data-testid="action-approve"'
        not in _page(web_as("aisha"), f"/experiments/{exp.pk}/").content.decode()
    )


def test_the_design_page_shows_the_sizing_and_says_clusters_for_cluster_units(demo, web_as):
    exp = factories.design(demo, unit="cluster", baseline=0.05, mde=0.1)
    body = _page(web_as("sofia"), f"/experiments/{exp.pk}/").content.decode()
    sizing = services.experiment_sizing(Experiment.objects.get(pk=exp.pk))
    assert f"{sizing.n_per_variant:,}" in body
    assert 'data-testid="counts-clusters"' in body and "clusters" in body


def test_the_lifecycle_takes_a_step_and_records_it_in_the_history(demo, web_as):
    exp = factories.design(demo)
    client = web_as("aisha")
    response = client.post(f"/experiments/{exp.pk}/transition/", {"action": "submit"}, **HTMX)
    assert response.status_code == 200 and response["HX-Redirect"] == f"/experiments/{exp.pk}/"
    exp.refresh_from_db()
    assert exp.status == Status.IN_REVIEW
    body = _page(client, f"/experiments/{exp.pk}/").content.decode()
    assert "Draft → In review" in body


def test_a_refused_step_shows_why_in_place(demo, web_as):
    exp = factories.design(demo)
    services.experiment_transition(actor=demo.users["aisha"], experiment=exp, action="submit")
    client = web_as("marco")
    response = client.post(f"/experiments/{exp.pk}/transition/",
                           {"action": "request_changes", "reason": "  "}, **HTMX)  # fmt: skip
    assert response.status_code == 422
    assert "Say why." in response.content.decode()
    assert Experiment.objects.get(pk=exp.pk).status == Status.IN_REVIEW
    # A stakeholder may take no step at all: the service's policy refuses.
    refused = web_as("sofia").post(f"/experiments/{exp.pk}/transition/", {"action": "approve"})
    assert refused.status_code == 403


def test_starting_is_refused_with_the_failing_checks_listed(demo, web_as):
    exp = factories.approved(demo)  # its data source is a file that does not exist
    response = web_as("aisha").post(f"/experiments/{exp.pk}/transition/", {"action": "start"},
                                    **HTMX)  # fmt: skip
    assert response.status_code == 422
    body = response.content.decode()
    assert 'data-testid="lifecycle-errors"' in body and "not found" in body
    assert Experiment.objects.get(pk=exp.pk).status == Status.APPROVED


def test_the_checklist_loads_after_the_page_and_lists_each_check(demo, web_as):
    exp = factories.approved(demo)
    page = _page(web_as("aisha"), f"/experiments/{exp.pk}/").content.decode()
    assert f'hx-get="/experiments/{exp.pk}/checklist/"' in page
    body = _page(web_as("aisha"), f"/experiments/{exp.pk}/checklist/", **HTMX).content.decode()
    assert 'data-check="approved"' in body and 'data-check="metrics"' in body
    assert re.search(r'class="pass" data-check="approved"', body)
    assert re.search(r'class="fail" data-check="metrics"', body)
    assert _page(web_as("sofia"), f"/experiments/{exp.pk}/checklist/").status_code == 403


def test_concluding_needs_a_decision_and_its_rationale(demo, web_as, monkeypatch):
    exp = factories.launched(demo, monkeypatch)
    client = web_as("aisha")
    url = f"/experiments/{exp.pk}/transition/"
    response = client.post(url, {"action": "conclude", "decision": "ship"}, **HTMX)
    assert response.status_code == 422
    assert "rationale" in response.content.decode()
    response = client.post(url, {"action": "conclude", "decision": "ship",
                                 "rationale": "Conversion rose 12 %; guardrails held."})  # fmt: skip
    assert response.status_code == 302
    exp.refresh_from_db()
    assert (exp.status, exp.decision) == (Status.CONCLUDED, "ship")
    assert "guardrails held" in _page(client, f"/experiments/{exp.pk}/").content.decode()


# --- the design form ----------------------------------------------------------------------


def _design_data(demo, hypothesis, **overrides) -> dict:
    src = factories.source(demo)
    conversion = factories.metric(demo, src, "checkout-conversion")
    latency = factories.metric(demo, src, "page-load-ms", MetricKind.CONTINUOUS,
                               direction="decrease")  # fmt: skip
    data = {
        "hypothesis": hypothesis.pk, "title": "Delivery dates on product pages",
        "key": "", "type": "ab", "unit": "user", "owner": demo.users["aisha"].pk,
        "variants": "control: 1\ntreatment: 1", "data_source": src.pk,
        "layer_share": "100", "allocation": "100", "audience": "country in DE, AT",
        "planned_start": str(timezone.localdate()),
        "planned_end": str(timezone.localdate() + datetime.timedelta(days=28)),
        "method": "frequentist", "alpha": "0.05", "power": "0.8", "mde": "0.02",
        "correction": "holm", "baseline": "0.05", "refresh_minutes": "60",
        "rollout_stages": "10, 50, 100",
        f"role_{conversion.pk}": "primary",
        f"role_{latency.pk}": "guardrail", f"harm_{latency.pk}": "0.05",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_a_member_drafts_an_experiment_from_an_accepted_hypothesis(demo, web_as):
    hypothesis = factories.accepted_hypothesis(demo, owner="aisha")
    client = web_as("aisha")
    form = _page(client, "/experiments/new/", {"hypothesis": hypothesis.pk})
    assert form.status_code == 200
    assert "control: 1\ntreatment: 1" in form.content.decode()
    response = client.post(f"/experiments/new/?hypothesis={hypothesis.pk}",
                           _design_data(demo, hypothesis))  # fmt: skip
    exp = Experiment.objects.get(hypothesis=hypothesis)
    assert response.status_code == 302 and response["Location"] == f"/experiments/{exp.pk}/"
    assert exp.audience == [{"attribute": "country", "operator": "in", "values": ["DE", "AT"]}]
    assert exp.rollout_stages == [10, 50, 100]
    links = {link.metric.key: (link.role, link.harm_threshold)
             for link in exp.metric_links.select_related("metric")}  # fmt: skip
    assert links == {"checkout-conversion": ("primary", None), "page-load-ms": ("guardrail", 0.05)}
    assert [(v.name, v.is_control) for v in exp.variants.all()] == [
        ("control", True), ("treatment", False),
    ]  # fmt: skip


def test_a_draft_may_wait_for_its_metrics_but_a_design_may_not_drop_them(demo, web_as):
    hypothesis = factories.accepted_hypothesis(demo)
    data = {k: v for k, v in _design_data(demo, hypothesis).items() if not k.startswith("role_")}
    client = web_as("aisha")
    assert client.post(f"/experiments/new/?hypothesis={hypothesis.pk}", data).status_code == 302
    assert not Experiment.objects.get(hypothesis=hypothesis).metric_links.exists()
    exp = factories.design(demo, data_source=demo.group.data_sources.get())
    data = {**data, "key": exp.key, "title": exp.title, "version": exp.version}
    response = client.post(f"/experiments/{exp.pk}/edit/", data, **HTMX)
    assert response.status_code == 422
    assert "Name exactly one primary metric" in response.content.decode()
    assert exp.metric_links.count() == 3


def test_the_design_forms_errors_come_back_beside_their_fields_as_a_422(demo, web_as):
    hypothesis = factories.accepted_hypothesis(demo)
    client = web_as("aisha")
    data = _design_data(demo, hypothesis, variants="control 1\ntreatment: many")
    response = client.post(f"/experiments/new/?hypothesis={hypothesis.pk}", data, **HTMX)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Line 1 (“control 1”): write “name: weight”." in body
    assert "Line 2: the weight “many” is not a number." in body
    assert not Experiment.objects.filter(hypothesis=hypothesis).exists()


def test_the_services_rules_land_beside_the_metric_table(demo, web_as):
    hypothesis = factories.accepted_hypothesis(demo)
    data = _design_data(demo, hypothesis)
    latency_role = next(k for k, v in data.items() if v == "guardrail")
    data[latency_role] = "primary"  # two primaries
    response = web_as("aisha").post(f"/experiments/new/?hypothesis={hypothesis.pk}", data, **HTMX)
    assert response.status_code == 422
    assert re.search(
        r'data-testid="metrics-error">Name exactly one primary metric', response.content.decode()
    )
    data = _design_data(demo, hypothesis, variants="control: 1")
    response = web_as("aisha").post(f"/experiments/new/?hypothesis={hypothesis.pk}", data)
    assert response.status_code == 400
    assert "An experiment needs a control and at least one more." in response.content.decode()


def test_choosing_a_type_refills_its_template_and_keeps_what_was_typed(demo, web_as):
    hypothesis = factories.accepted_hypothesis(demo)
    response = _page(web_as("aisha"), "/experiments/new/",
                     {"hypothesis": hypothesis.pk, "type": "canary", "title": "My canary",
                      "variants": "a: 1\nb: 1"}, **HTMX)  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith("<form")
    assert "control: 99\ncanary: 1" in body and 'value="My canary"' in body
    assert 'value="1, 10, 50, 100"' in body


def test_only_writers_may_draft_and_only_from_a_hypothesis_they_see(demo, web_as):
    hypothesis = factories.accepted_hypothesis(demo)
    assert (
        _page(web_as("sofia"), "/experiments/new/", {"hypothesis": hypothesis.pk}).status_code
        == 403
    )
    assert _page(web_as("aisha"), "/experiments/new/").status_code == 404
    assert _page(web_as("aisha"), "/experiments/new/", {"hypothesis": 10**8}).status_code == 404


def test_editing_a_design_saved_since_keeps_both_versions(demo, web_as):
    exp = factories.design(demo)
    client = web_as("aisha")
    form = _page(client, f"/experiments/{exp.pk}/edit/").content.decode()
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    services.experiment_update(actor=demo.users["priya"], experiment=exp, title="PM's title")
    data = {**_design_data(demo, exp.hypothesis), "title": "Aisha's title", "version": version,
            "key": exp.key}  # fmt: skip
    data.pop("hypothesis")
    response = client.post(f"/experiments/{exp.pk}/edit/", data)
    assert response.status_code == 409
    assert 'data-testid="design-conflict"' in response.content.decode()
    assert Experiment.objects.get(pk=exp.pk).title == "PM's title"
    fresh = re.search(r'name="version" value="(\d+)"', response.content.decode()).group(1)
    response = client.post(f"/experiments/{exp.pk}/edit/", {**data, "version": fresh})
    assert response.status_code == 302
    assert Experiment.objects.get(pk=exp.pk).title == "Aisha's title"


# --- results ----------------------------------------------------------------------------


def _running_with_results(demo, monkeypatch, **design):
    exp = factories.launched(demo, monkeypatch, **design)
    services.snapshot_store(actor=demo.users["aisha"], experiment=exp,
                            rows=factories.push_rows(exp), source=SnapshotSource.PUSH)  # fmt: skip
    return exp


def test_the_results_show_the_recommendation_the_forest_plot_and_each_guardrail(
    demo, web_as, monkeypatch
):
    exp = _running_with_results(demo, monkeypatch)
    body = _page(web_as("sofia"), f"/experiments/{exp.pk}/").content.decode()
    assert 'data-testid="results"' in body and 'data-testid="forest-plot"' in body
    # One forest row per metric × treatment, the guardrail carrying its verdict.
    wide = body[body.index('<svg class="chart wide"') :]
    rows = re.findall(r'<g class="row (\w+)" data-metric="([\w-]+)"', wide[: wide.index("</svg>")])
    assert [key for _, key in rows] == ["checkout-conversion", "revenue", "page-load-ms"]
    assert '<svg class="chart narrow"' in body  # the phone's drawing
    snapshot = Snapshot.objects.get(experiment=exp)
    guard = snapshot.analysis["metrics"][2]["arms"][0]["guardrail"]
    assert f'data-metric="page-load-ms" data-status="{guard}"' in body
    verdict = snapshot.analysis["recommendations"][0]["verdict"]
    assert f'data-verdict="{verdict}"' in body
    # The planned sample is far off: a provisional read, and the progress bar says how far.
    assert 'data-testid="provisional-banner"' in body
    units = snapshot.analysis["units"]
    assert f'value="{units}"' in body and 'data-testid="sample-progress"' in body
    assert "Refresh now" not in body  # a stakeholder may not pull


def test_a_sample_ratio_mismatch_raises_the_banner(demo, web_as, monkeypatch):
    exp = factories.launched(demo, monkeypatch)
    rows = factories.push_rows(exp, counts=(10_000, 9_000), conversions=(500, 450))
    services.snapshot_store(actor=demo.users["aisha"], experiment=exp, rows=rows,
                            source=SnapshotSource.PUSH)  # fmt: skip
    body = _page(web_as("aisha"), f"/experiments/{exp.pk}/").content.decode()
    assert 'data-testid="srm-banner"' in body and "10,000" in body and "9,000" in body


def test_identical_arms_that_differ_raise_the_aa_red_flag(demo, web_as, monkeypatch):
    exp = factories.launched(demo, monkeypatch, type="aa")
    # 5 % against 6.5 % over 10,000 units each: far beyond chance for identical arms.
    rows = factories.push_rows(exp, conversions=(500, 650))
    services.snapshot_store(actor=demo.users["aisha"], experiment=exp, rows=rows,
                            source=SnapshotSource.PUSH)  # fmt: skip
    body = _page(web_as("sofia"), f"/experiments/{exp.pk}/").content.decode()
    assert 'data-testid="aa-banner"' in body
    assert "differs significantly between identical arms" in body


def test_an_effect_that_fades_over_the_run_raises_the_novelty_banner(demo, web_as, monkeypatch):
    exp = factories.launched(demo, monkeypatch)
    for n, control, treatment in ((20_000, 1_000, 1_400), (40_000, 2_000, 2_700),
                                  (80_000, 4_000, 4_400), (160_000, 8_000, 8_400)):  # fmt: skip
        rows = factories.push_rows(exp, counts=(n, n), conversions=(control, treatment))
        services.snapshot_store(actor=demo.users["aisha"], experiment=exp, rows=rows,
                                source=SnapshotSource.PUSH)  # fmt: skip
    body = _page(web_as("sofia"), f"/experiments/{exp.pk}/").content.decode()
    # Early lifts +40 % and +35 % against a latest +5 %: the effect wears off.
    assert 'data-testid="novelty-banner"' in body and "novelty" in body
    assert body.count('<circle class="dot"') == 2 * 4  # each drawing has all four snapshots


def test_the_csv_holds_the_current_snapshots_results_and_statistics(demo, web_as, monkeypatch):
    exp = _running_with_results(demo, monkeypatch)
    response = _page(web_as("sofia"), f"/experiments/{exp.pk}/results.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert f'filename="{exp.key}-run1-' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    results = {r["metric"]: r for r in rows if r["section"] == "result"}
    # Conversion: 560/10000 over 500/10000, computed here: +12 %.
    assert float(results["checkout-conversion"]["relative_lift"]) == pytest.approx(0.12, rel=1e-9)
    assert results["checkout-conversion"]["role"] == "primary"
    assert results["page-load-ms"]["guardrail"] in ("pass", "fail", "inconclusive")
    stats = [r for r in rows if r["section"] == "statistic"]
    assert {(r["metric"], r["arm"], r["n"]) for r in stats} >= {
        ("checkout-conversion", "control", "10000"), ("checkout-conversion", "treatment", "10000"),
    }  # fmt: skip
    assert sum(float(r["sum"]) for r in stats if r["metric"] == "checkout-conversion") == 1060


def test_csv_cells_a_spreadsheet_would_run_are_quoted_as_text(demo, web_as, monkeypatch):
    src = factories.source(demo)
    primary = factories.metric(demo, src, "formula-metric", name="=HYPERLINK(1)")
    exp = factories.launched(demo, monkeypatch, data_source=src,
                             metrics=[MetricSpec(primary, "primary")])  # fmt: skip
    services.snapshot_store(actor=demo.users["aisha"], experiment=exp,
                            rows=factories.push_rows(exp), source=SnapshotSource.PUSH)  # fmt: skip
    body = _page(web_as("aisha"), f"/experiments/{exp.pk}/results.csv").content.decode()
    assert "'=HYPERLINK(1)" in body
    assert all(not cell.startswith("=") for row in csv.reader(io.StringIO(body)) for cell in row)


def test_no_csv_before_the_first_snapshot(demo, web_as, monkeypatch):
    exp = factories.launched(demo, monkeypatch)
    assert _page(web_as("aisha"), f"/experiments/{exp.pk}/results.csv").status_code == 404
    body = _page(web_as("aisha"), f"/experiments/{exp.pk}/").content.decode()
    assert 'data-testid="no-results"' in body


def test_the_cumulative_effect_reads_only_the_current_runs_snapshots(demo, monkeypatch):
    exp = factories.launched(demo, monkeypatch)
    for n, c in ((2_000, 130), (4_000, 250), (6_000, 350), (8_000, 450)):
        services.snapshot_store(actor=demo.users["aisha"], experiment=exp,
                                rows=factories.push_rows(exp, counts=(n, n), conversions=(100 * n // 2_000, c)),
                                source=SnapshotSource.PUSH)  # fmt: skip
    effect = selectors.cumulative_effect(exp)
    lifts = [p["lift"] for p in effect["points"]]
    # Computed here from the counts: treatment rate over control rate, minus one.
    assert lifts == pytest.approx([130 / 100 - 1, 250 / 200 - 1, 350 / 300 - 1, 450 / 400 - 1])
    expected = novelty_check([EffectPoint(p["lift"], p["ci_low"], p["ci_high"])
                              for p in effect["points"]])  # fmt: skip
    assert (effect["novelty"], effect["novelty_reason"]) == expected
    services.experiment_transition(actor=demo.users["aisha"], experiment=exp, action="reset",
                                   reason="The assignment double-counted mobile users.")  # fmt: skip
    assert selectors.cumulative_effect(exp)["points"] == []
    assert selectors.current_snapshot(exp) is None
    assert len(selectors.snapshot_history(exp)) == 0


def test_a_failed_pull_shows_its_error_to_admins_and_a_neutral_sentence_to_others(
    demo, web_as, monkeypatch, django_capture_on_commit_callbacks
):
    exp = _running_with_results(demo, monkeypatch)  # its source file does not exist
    # The pull is queued on commit (here: as the test's transaction would commit) and runs
    # eagerly; every retry fails the same way.
    with django_capture_on_commit_callbacks(execute=True):
        response = web_as("aisha").post(f"/experiments/{exp.pk}/refresh/", **HTMX)
        queued = response.content.decode()
    pull = Snapshot.objects.filter(experiment=exp).order_by("-pk").first()
    assert response.status_code == 200 and 'data-status="queued"' in queued
    assert f'hx-get="/experiments/snapshots/{pull.pk}/" hx-trigger="every 1s"' in queued
    assert pull.status == "failed" and "not found" in pull.error
    member = _page(web_as("aisha"), f"/experiments/{exp.pk}/results/", **HTMX).content.decode()
    assert 'data-status="failed"' in member
    assert selectors.FAILED_PULL_NEUTRAL in member and "not found" not in member
    # The previous results stay.
    assert 'data-testid="forest-plot"' in member
    admin = _page(web_as("dana"), f"/experiments/{exp.pk}/").content.decode()
    assert 'data-testid="pull-error"' in admin and "not found" in admin
    poll = _page(web_as("dana"), f"/experiments/snapshots/{pull.pk}/", **HTMX)
    assert poll["HX-Trigger"] == "experiment-results-changed"
    assert "not found" in poll.content.decode()
    assert (
        "not found"
        not in _page(web_as("sofia"), f"/experiments/snapshots/{pull.pk}/").content.decode()
    )


def test_refreshing_is_for_writers_of_a_running_experiment(demo, web_as, monkeypatch):
    exp = factories.launched(demo, monkeypatch)
    assert web_as("sofia").post(f"/experiments/{exp.pk}/refresh/").status_code == 403
    draft = factories.design(demo, title="Not running")
    response = web_as("aisha").post(f"/experiments/{draft.pk}/refresh/", **HTMX)
    assert response.status_code == 422
    assert "Results are pulled while an experiment runs" in response.content.decode()


def _with_metrics(demo, monkeypatch, count: int, prefix: str) -> Experiment:
    """A running experiment with `count` metrics and two pushed snapshots."""
    src = factories.source(demo, name=f"{prefix} source")
    metrics = [
        MetricSpec(
            factories.metric(demo, src, f"{prefix}-{i}"), "primary" if i == 0 else "secondary"
        )
        for i in range(count)
    ]
    exp = factories.launched(demo, monkeypatch, data_source=src, metrics=metrics,
                             title=f"{prefix} experiment")  # fmt: skip
    for _ in range(2):
        services.snapshot_store(actor=demo.users["aisha"], experiment=exp,
                                rows=factories.push_rows(exp), source=SnapshotSource.PUSH)  # fmt: skip
    return exp


def test_the_pages_cost_the_same_queries_for_three_metrics_as_for_ten(
    demo, web_as, monkeypatch, django_assert_num_queries
):
    from django.db import connection

    small = _with_metrics(demo, monkeypatch, 3, "small")
    client = web_as("aisha")
    client.get(f"/experiments/{small.pk}/")  # the session and caches warm up once
    with CaptureQueriesContext(connection) as page:
        assert client.get(f"/experiments/{small.pk}/").status_code == 200
    with CaptureQueriesContext(connection) as index:
        assert client.get("/experiments/").status_code == 200
    big = _with_metrics(demo, monkeypatch, 10, "big")
    with django_assert_num_queries(len(page)):
        assert client.get(f"/experiments/{big.pk}/").status_code == 200
    with django_assert_num_queries(len(index)):  # and the index, with one more experiment
        assert client.get("/experiments/").status_code == 200
    with django_assert_num_queries(_results_queries(client, small)):
        assert client.get(f"/experiments/{big.pk}/results/", **HTMX).status_code == 200


def _results_queries(client, exp) -> int:
    from django.db import connection

    with CaptureQueriesContext(connection) as results:
        client.get(f"/experiments/{exp.pk}/results/", **HTMX)
    return len(results)


# --- the metric library and data sources ------------------------------------------------


def test_the_metric_library_lists_metrics_and_lets_members_add_one(demo, web_as):
    src = factories.source(demo)
    factories.metric(demo, src, "checkout-conversion")
    for who in ("sofia", "aisha"):
        body = _page(web_as(who), "/experiments/metrics/").content.decode()
        assert "Checkout Conversion" in body
    assert (
        'data-testid="new-metric"'
        not in _page(web_as("sofia"), "/experiments/metrics/").content.decode()
    )
    assert _page(web_as("sofia"), "/experiments/metrics/new/").status_code == 403
    assert _page(web_as("aisha"), "/experiments/metrics/new/").status_code == 200


def test_a_metrics_sql_error_is_shown_beside_the_sql_field(demo, web_as):
    src = factories.source(demo)
    data = {"name": "Orders", "key": "", "data_source": src.pk, "kind": "binomial",
            "direction": "increase", "sql": "SELECT unit_id, ts FROM orders"}  # fmt: skip
    response = web_as("aisha").post("/experiments/metrics/new/", data, **HTMX)
    assert response.status_code == 422
    body = response.content.decode()
    assert re.search(r'data-field="sql">[^<]+', body)
    assert not type(src).objects.get(pk=src.pk).metrics.filter(name="Orders").exists()


def test_only_the_owner_or_the_pm_edits_a_metric(demo, web_as):
    src = factories.source(demo)
    metric = factories.metric(demo, src, "checkout-conversion")  # owned by Marco
    assert _page(web_as("aisha"), f"/experiments/metrics/{metric.pk}/edit/").status_code == 403
    assert _page(web_as("marco"), f"/experiments/metrics/{metric.pk}/edit/").status_code == 200
    response = web_as("priya").post(f"/experiments/metrics/{metric.pk}/edit/", {
        "name": "Checkout conversion", "direction": "increase", "description": "Orders / visits",
        "tags": "checkout, core", "sql": metric.sql, "covariate_sql": "",
    })  # fmt: skip
    assert response.status_code == 302
    metric.refresh_from_db()
    assert metric.description == "Orders / visits" and metric.tags == ["checkout", "core"]


def test_members_see_a_data_sources_name_and_only_admins_its_settings(demo, web_as):
    factories.source(demo, name="Main warehouse", path="/srv/data/main.duckdb")
    member = _page(web_as("aisha"), "/experiments/sources/").content.decode()
    assert "Main warehouse" in member
    assert "/srv/data/main.duckdb" not in member and "SELECT experiment_key" not in member
    assert 'data-testid="new-source"' not in member
    admin = _page(web_as("dana"), "/experiments/sources/").content.decode()
    assert "/srv/data/main.duckdb" in admin and 'data-testid="new-source"' in admin
    assert _page(web_as("aisha"), "/experiments/sources/new/").status_code == 403
    assert _page(web_as("priya"), "/experiments/sources/new/").status_code == 403


def test_an_admin_adds_a_data_source_and_a_secret_in_its_settings_is_refused(demo, web_as):
    client = web_as("dana")
    data = {"name": "Warehouse", "kind": "postgresql",
            "config": '{"url_env": "WAREHOUSE_URL", "password": "hunter2"}',
            "assignment_sql": factories.ASSIGNMENT_SQL, "segment_columns": "country"}  # fmt: skip
    response = client.post(f"/experiments/sources/new/?group={demo.group.slug}", data, **HTMX)
    assert response.status_code == 422
    assert re.search(
        r'data-field="config">Not a postgresql setting: password', response.content.decode()
    )
    data["config"] = '{"url_env": "WAREHOUSE_URL"}'
    response = client.post(f"/experiments/sources/new/?group={demo.group.slug}", data)
    assert response.status_code == 302
    assert demo.group.data_sources.get().config == {"url_env": "WAREHOUSE_URL"}


def test_measuring_traffic_on_a_missing_file_says_why_in_the_row(demo, web_as):
    src = factories.source(demo)
    response = web_as("dana").post(f"/experiments/sources/{src.pk}/traffic/", **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<tr id="source-{src.pk}"') and "not found" in body
    # Measuring is one of an admin's tools on the source, as in the API.
    assert web_as("aisha").post(f"/experiments/sources/{src.pk}/traffic/").status_code == 403
    member = _page(web_as("aisha"), "/experiments/sources/").content.decode()
    assert 'data-testid="measure-traffic"' not in member
