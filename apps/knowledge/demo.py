"""The demo program's knowledge: three years of past experiments, concluded and written up.

`seed_knowledge` takes each entry of `demo_catalogue.CATALOGUE` through the services as the
team did: the hypothesis is proposed and accepted, the experiment designed, reviewed and
approved, its results pushed as snapshots, the decision recorded with its rationale, and a
learning drafted by the owner, submitted and published by the statistics lead.

Two steps are not replayed. The past experiments' warehouse is gone, so their launch
checklist (which queries the data source) cannot run today: the start is recorded as it
happened (a Transition and the hypothesis following), and the results arrive the way a
team pushes them from elsewhere, as sufficient statistics drawn to show the catalogue's
lift and interval. And the services stamp "now": the dates are moved back to the quarter
each experiment ran in, inside the same transaction, so the search index (rebuilt on
commit) sees the final dates.

Idempotent: an experiment is looked up by key and left alone when it exists. The stories
get their own shapes: the reset pushes a broken first run, resets and pushes the clean
one; the novelty effect pushes weekly looks whose lift fades; the Simpson's paradox pushes
per-ramp-week segments whose pooled result reverses.
"""

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.accounts.demo import DemoPeople
from apps.backlog import services as backlog
from apps.backlog.models import Hypothesis, StatusChange
from apps.backlog.models import Status as HypothesisStatus
from apps.experiments import services as experiments
from apps.experiments.models import (
    DataSource,
    Experiment,
    Metric,
    Snapshot,
    SnapshotSource,
    SourceKind,
    Status,
    Surface,
    Transition,
)
from apps.experiments.services import MetricSpec, VariantSpec

from .demo_catalogue import CATALOGUE, METRICS, PastExperiment, PastMetric
from .models import Learning, LearningLink, LinkRole
from .services import learnings

Z = 1.959963984540054
ARCHIVE = "Results archive (pushed from the 2023–2025 warehouse)"
WEIGHTS = {"ab": (1.0, 1.0), "aa": (1.0, 1.0), "holdout": (5.0, 95.0)}
# Learnings that rest on more than their own experiment: key -> [(other key, role)].
ALSO_RESTS_ON = {
    "shipping-fee-in-basket-total": [("pdp-delivery-cost", LinkRole.SUPPORTS),
                                     ("checkout-delivery-cost-early", LinkRole.SUPPORTS)],
    "free-shipping-progress-bar": [("free-delivery-threshold-39", LinkRole.SUPPORTS)],
    "express-shipping-default": [("pdp-delivery-cost", LinkRole.SUPPORTS)],
    "category-sort-bestsellers-rerun": [("category-sort-bestsellers", LinkRole.CONTRADICTS)],
    "search-personalised-ranking": [("search-learning-to-rank", LinkRole.SUPPORTS)],
    "app-onboarding-quiz": [("app-onboarding-skip", LinkRole.SUPPORTS)],
    "returns-free-label-removal": [("pdp-size-guide-fit", LinkRole.SUPPORTS)],
    "recs-basket-page": [("pdp-cross-sell-bundle", LinkRole.CONTRADICTS)],
    "holdout-recs-2024": [("homepage-recently-viewed", LinkRole.SUPPORTS),
                          ("pdp-cross-sell-bundle", LinkRole.SUPPORTS)],
}  # fmt: skip
OUTCOME_WORDS = {"won": "won", "lost": "lost", "flat": "flat", "inconclusive": "inconclusive"}


def _quarter_start(year: int, quarter: int) -> datetime.datetime:
    return datetime.datetime(year, 3 * (quarter - 1) + 1, 1, 9, 0, tzinfo=datetime.UTC)


def _timeline(e: PastExperiment, index: int) -> dict[str, datetime.datetime]:
    """Proposed, started, stopped, concluded and published: spread within the quarter."""
    start = _quarter_start(e.year, e.quarter) + datetime.timedelta(days=7 + (index * 11) % 45)
    run_days = {"holdout": 84}.get(e.type, 21 + (index % 3) * 7)
    stopped = start + datetime.timedelta(days=run_days)
    return {
        "proposed": start - datetime.timedelta(days=30),
        "accepted": start - datetime.timedelta(days=21),
        "approved": start - datetime.timedelta(days=3),
        "started": start,
        "stopped": stopped,
        "concluded": stopped + datetime.timedelta(days=4),
        "published": stopped + datetime.timedelta(days=9),
    }


# -- sufficient statistics drawn to show a lift and an interval ---------------------------


def _arm_variance(metric: PastMetric, mean: float) -> float:
    if metric.kind == "binomial":
        return mean * (1 - mean)
    return (metric.sd or 1.0) ** 2


def _units(metric: PastMetric, lift: float, half_width: float, weights) -> int:
    """Units in all, so that the relative lift's standard error is half_width / z:
    Var(lift) ≈ σ₁²/(n₁ m₀²) + m₁² σ₀²/(n₀ m₀⁴) (the delta method), with n_i = N w_i."""
    m0 = metric.baseline
    m1 = m0 * (1 + lift)
    w0, w1 = (w / sum(weights) for w in weights)
    per_unit = _arm_variance(metric, m1) / (w1 * m0**2) + m1**2 * _arm_variance(metric, m0) / (
        w0 * m0**4
    )
    se = max(half_width / Z, 1e-4)
    return int(min(max(per_unit / se**2, 2000), 5e7))


def _row(metric: PastMetric, variant: str, n: int, mean: float, segment=None, value=None):
    if metric.kind == "binomial":
        converted = round(n * min(max(mean, 0.0), 1.0))
        total, squares = float(converted), float(converted)
    else:
        sd = metric.sd or 1.0
        total, squares = n * mean, n * (sd**2 + mean**2)
    return {"metric": metric.key, "variant": variant, "segment": segment,
            "segment_value": value, "n": n, "sum": total, "sum_squares": squares}  # fmt: skip


def _rows(e: PastExperiment, lift: float, half_width: float) -> list[dict]:
    primary, guardrail = METRICS[e.metric], METRICS[e.guardrail]
    weights = WEIGHTS.get(e.type, (1.0, 1.0))
    total = _units(primary, lift, half_width, weights)
    n = [round(total * w / sum(weights)) for w in weights]
    rows = []
    for metric, effect in ((primary, lift), (guardrail, e.guardrail_lift)):
        for i, variant in enumerate(e.variants):
            mean = metric.baseline * (1 + effect) if i else metric.baseline
            rows.append(_row(metric, variant, n[i], mean))
    return rows


def _simpson_rows(e: PastExperiment) -> list[dict]:
    """An uneven ramp meets a sale week: 10 % in treatment during the sale (high conversion
    for everyone), 50 % after. Within each week the treatment converts 3 % better; pooled,
    it looks worse, because the control had most of the sale week's traffic."""
    primary, guardrail = METRICS[e.metric], METRICS[e.guardrail]
    weeks = [("week 1 (sale, 10 % ramp)", 240_000, 0.10, 1.18), ("week 2 (50 % split)", 360_000,
             0.50, 1.0)]  # fmt: skip
    rows: list[dict] = []
    pooled: dict[tuple[str, str], dict] = {}
    for label, units, share, boost in weeks:
        n = [round(units * (1 - share)), round(units * share)]
        for metric, effect in ((primary, 0.03), (guardrail, 0.0)):
            for i, variant in enumerate(e.variants):
                mean = metric.baseline * boost * (1 + effect * i)
                row = _row(metric, variant, n[i], mean, "ramp_week", label)
                rows.append(row)
                key = (metric.key, variant)
                acc = pooled.setdefault(key, {"n": 0, "sum": 0.0, "sum_squares": 0.0})
                for field in ("n", "sum", "sum_squares"):
                    acc[field] += row[field]
    for (metric_key, variant), acc in pooled.items():
        rows.append({"metric": metric_key, "variant": variant, "segment": None,
                     "segment_value": None, **acc})  # fmt: skip
    return rows


# -- the program's setup ------------------------------------------------------------------


def _archive(people: DemoPeople) -> DataSource:
    source, _ = DataSource.objects.get_or_create(
        working_group=people.group, name=ARCHIVE,
        defaults={"kind": SourceKind.DUCKDB, "config": {"path": "archive/results-2023-2025.duckdb"},
                  "assignment_sql": "SELECT experiment_key, unit_id, variant, first_exposure_at "
                  "FROM archived_exposures", "created_by": people.users["dana"]},
    )  # fmt: skip
    return source


def _metrics(people: DemoPeople, source: DataSource) -> dict[str, Metric]:
    found = {m.key: m for m in Metric.objects.filter(working_group=people.group, key__in=METRICS)}
    for key, m in METRICS.items():
        if key not in found:
            value = "converted" if m.kind == "binomial" else "amount"
            found[key] = experiments.metric_create(
                actor=people.users["marco"], group=people.group, source=source, key=key,
                name=m.name, kind=m.kind, direction="decrease" if m.lower_is_better else "increase",
                sql=f"SELECT unit_id, ts, {value} AS value FROM archived_{key.replace('-', '_')}",
                description=f"{m.name}, from the archived warehouse.", tags=["archive"],
                probe=False,
            )  # fmt: skip
    return found


def _surfaces(people: DemoPeople) -> dict[str, Surface]:
    names = sorted({s for e in CATALOGUE for s in e.surfaces})
    have = {s.name: s for s in Surface.objects.filter(working_group=people.group, name__in=names)}
    for name in names:
        if name not in have:
            have[name] = Surface.objects.create(working_group=people.group, name=name)
    return have


@transaction.atomic
def setup(people: DemoPeople) -> tuple[DataSource, dict[str, Metric], dict[str, Surface]]:
    """The archive's data source, its metrics and the surfaces the catalogue names."""
    source = _archive(people)
    return source, _metrics(people, source), _surfaces(people)


def past_experiment(people: DemoPeople, key: str, *, write_learning: bool = True) -> Experiment:
    """One catalogue entry, concluded (and written up): what tests build on."""
    index, entry = next((i, e) for i, e in enumerate(CATALOGUE) if e.key == key)
    source, metrics, surfaces = setup(people)
    with transaction.atomic():
        return _past_experiment(people, entry, index, source, metrics, surfaces,
                                write_learning=write_learning)  # fmt: skip


def catalogue() -> Sequence[PastExperiment]:
    """The entries to seed: all of them, or the first KNOWLEDGE_DEMO_LIMIT (tests)."""
    limit = getattr(settings, "KNOWLEDGE_DEMO_LIMIT", None)
    return CATALOGUE if limit is None else CATALOGUE[:limit]


def seed_knowledge(people: DemoPeople) -> str:
    entries = catalogue()
    existing = set(
        Experiment.objects.filter(working_group=people.group, key__in=[e.key for e in entries])
        .values_list("key", flat=True)
    )  # fmt: skip
    todo = [(i, e) for i, e in enumerate(entries) if e.key not in existing]
    if not todo:
        return f"knowledge: {len(entries)} past experiments already there"
    source, metrics, surfaces = setup(people)
    made: dict[str, Experiment] = {}
    # One transaction for the lot: the search index rebuilds (and the semantic extra embeds)
    # every touched item in one batch on commit, with the final dates, instead of once per
    # experiment; a failure leaves nothing half-seeded, and a rerun starts again.
    with transaction.atomic():
        for index, entry in todo:
            made[entry.key] = _past_experiment(people, entry, index, source, metrics, surfaces)
        _link_related(people, entries)
    return f"knowledge: {len(made)} past experiments concluded, with published learnings"


# -- one past experiment ------------------------------------------------------------------


def _hypothesis(people: DemoPeople, e: PastExperiment) -> Hypothesis:
    owner = people.users[e.owner]
    metric = METRICS[e.metric]
    hypothesis = backlog.hypothesis_propose(
        actor=owner, group=people.group, title=e.hypothesis, change=e.change,
        metric=metric.name.lower(), rationale=e.because,
        direction="decrease" if metric.lower_is_better else "increase",
        business_unit=people.units.get(e.unit), tags=e.tags[:3],
    )  # fmt: skip
    backlog.hypothesis_transition(
        actor=people.users["priya"], hypothesis=hypothesis, to_status=HypothesisStatus.ACCEPTED
    )
    return hypothesis


def _start(people: DemoPeople, exp: Experiment, owner) -> None:
    """The launch as it happened: the archived run passed its checklist back then."""
    Experiment.objects.filter(pk=exp.pk).update(status=Status.RUNNING, started_at=timezone.now())
    Transition.objects.create(
        experiment=exp, from_status=Status.APPROVED, to_status=Status.RUNNING, action="start",
        actor=owner, reason="", at=timezone.now(),
    )  # fmt: skip
    backlog.hypothesis_follow(actor=owner, hypothesis=exp.hypothesis,
                              to_status=HypothesisStatus.RUNNING,
                              reason=f"Experiment {exp.key} started.")  # fmt: skip
    exp.refresh_from_db()


def _push(owner, exp: Experiment, rows: list[dict]) -> Snapshot:
    return experiments.snapshot_store(
        actor=owner, experiment=exp, rows=rows, source=SnapshotSource.PUSH
    )


def _results(people, e: PastExperiment, exp: Experiment, owner, when) -> None:
    half = (e.ci_high - e.ci_low) / 2
    if e.story == "simpson":
        _push(owner, exp, _simpson_rows(e))
        return
    if e.story == "reset":
        broken = _push(owner, exp, _rows(e, -0.09, 0.03))
        Snapshot.objects.filter(pk=broken.pk).update(taken_at=when["started"] + _days(4))
        experiments.experiment_transition(
            actor=owner, experiment=exp, action="reset",
            reason="The treatment's new header replaced the element the 'step viewed' event "
            "listened to: completions in treatment went unrecorded. Logging fixed; restarting "
            "with clean data.",
        )  # fmt: skip
    if e.story == "novelty":
        # Cumulative looks, weekly: the early lift fades towards the settled one.
        span = (when["stopped"] - when["started"]).days
        for week, (lift, width) in enumerate(((0.062, 0.030), (0.038, 0.016), (0.022, 0.011))):
            look = _push(owner, exp, _rows(e, lift, width))
            at = when["started"] + _days(span * (week + 1) / 4)
            Snapshot.objects.filter(pk=look.pk).update(taken_at=at, started_at=at)
    final = _push(owner, exp, _rows(e, e.lift, half))
    Snapshot.objects.filter(pk=final.pk).update(
        taken_at=when["stopped"], started_at=when["stopped"]
    )


def _days(n: float) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _past_experiment(
    people, e: PastExperiment, index: int, source, metrics, surfaces, *, write_learning: bool = True
):
    owner = people.users[e.owner]
    when = _timeline(e, index)
    hypothesis = _hypothesis(people, e)
    primary = METRICS[e.metric]
    weights = WEIGHTS.get(e.type, (1.0, 1.0))
    exp = experiments.experiment_create(
        actor=owner, hypothesis=hypothesis, key=e.key, title=e.title, type=e.type,
        description=e.design, data_source=source,
        variants=[VariantSpec(name, weight, i == 0) for i, (name, weight)
                  in enumerate(zip(e.variants, weights, strict=True))],
        metrics=[MetricSpec(metrics[e.metric], "primary"),
                 MetricSpec(metrics[e.guardrail], "guardrail", harm_threshold=0.05)],
        surfaces=[surfaces[s] for s in e.surfaces],
        planned_start=when["started"].date(), planned_end=when["stopped"].date(),
        baseline=primary.baseline, baseline_sd=primary.sd, mde=0.03, correction="none",
        daily_traffic=50_000.0,
    )  # fmt: skip
    experiments.experiment_transition(actor=owner, experiment=exp, action="submit")
    experiments.experiment_transition(actor=people.users["marco"], experiment=exp, action="approve")
    _start(people, exp, owner)
    _results(people, e, exp, owner, when)
    experiments.experiment_transition(
        actor=owner, experiment=exp, action="stop", reason="Planned end reached."
    )
    experiments.experiment_transition(
        actor=owner, experiment=exp, action="conclude", decision=e.decision, rationale=e.rationale
    )
    learning = _learning(people, e, exp, owner) if write_learning else None
    _backdate(e, exp, hypothesis, learning, when)
    return exp


def _learning(people, e: PastExperiment, exp: Experiment, owner) -> Learning:
    metric = METRICS[e.metric]
    title = f"{e.title}: {metric.name.lower()} {e.lift * 100:+.1f} % ({OUTCOME_WORDS[e.outcome]})"
    learning = learnings.learning_create(
        actor=owner, group=people.group, title=title[:200], changed=e.learning.changed,
        happened=e.learning.happened, why=e.learning.why, next_steps=e.learning.next,
        tags=list(e.tags), experiments=[(exp, LinkRole.SUPPORTS)],
    )  # fmt: skip
    learnings.learning_transition(actor=owner, learning=learning, action="submit")
    learnings.learning_transition(actor=people.users["marco"], learning=learning, action="publish")
    return learning


def _backdate(e, exp, hypothesis, learning, when) -> None:
    """Move the services' "now" stamps back to when each step happened."""
    Hypothesis.objects.filter(pk=hypothesis.pk).update(
        created_at=when["proposed"], status_changed_at=when["concluded"]
    )
    changes = list(StatusChange.objects.filter(hypothesis=hypothesis).order_by("pk"))
    stamps = [when["accepted"], when["approved"], when["started"], when["stopped"],
              when["concluded"]]  # fmt: skip
    for change, at in zip(changes, stamps, strict=False):
        StatusChange.objects.filter(pk=change.pk).update(at=at)
    Experiment.objects.filter(pk=exp.pk).update(
        created_at=when["proposed"] + _days(10), approved_at=when["approved"],
        started_at=when["started"], stopped_at=when["stopped"], concluded_at=when["concluded"],
    )  # fmt: skip
    steps = {"submit": when["approved"] - _days(2), "approve": when["approved"],
             "start": when["started"], "reset": when["started"] + _days(5),
             "stop": when["stopped"], "conclude": when["concluded"]}  # fmt: skip
    for transition in Transition.objects.filter(experiment=exp):
        Transition.objects.filter(pk=transition.pk).update(
            at=steps.get(transition.action, when["started"])
        )
    if e.story == "reset":
        Experiment.objects.filter(pk=exp.pk).update(started_at=when["started"] + _days(5))
    if learning is None:
        return
    Learning.objects.filter(pk=learning.pk).update(
        created_at=when["concluded"], submitted_at=when["published"] - _days(2),
        published_at=when["published"], updated_at=when["published"],
    )  # fmt: skip


def _link_related(people: DemoPeople, entries: Sequence[PastExperiment]) -> None:
    keys = {e.key for e in entries}
    wanted = {k: v for k, v in ALSO_RESTS_ON.items() if k in keys}
    if not wanted:
        return
    by_key = {x.key: x for x in Experiment.objects.filter(working_group=people.group, key__in=keys)}
    with transaction.atomic():
        for key, others in wanted.items():
            learning = Learning.objects.filter(links__experiment=by_key[key]).first()
            if learning is None:
                continue
            for other, role in others:
                if other in by_key:
                    LearningLink.objects.get_or_create(
                        learning=learning, experiment=by_key[other],
                        defaults={"role": role, "added_by": learning.author},
                    )  # fmt: skip
