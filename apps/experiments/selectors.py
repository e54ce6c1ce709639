"""Reads for the experiment pages and the API: the list, one experiment, its results.

The results read the current run's snapshots only: a reset marks the old run's snapshots
invalid and raises the run number, so neither the headline nor the cumulative chart mixes
a broken setup's data with the clean restart's.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import JSONField, OuterRef, Prefetch, Subquery

from apps.accounts import policy
from apps.accounts.models import User, WorkingGroup
from apps.accounts.policy import Action

from .models import (
    Experiment,
    ExperimentMetric,
    ExperimentQuerySet,
    MetricRole,
    Snapshot,
    SnapshotStatus,
    Status,
    Transition,
)

# Who reads: pages pass request.user, which may be anonymous (and then reads nothing).
Viewer = User | AnonymousUser
# The index lists experiments in the order a reader acts on them: what runs, then what
# waits for review or launch, then drafts, then what is over.
STATUS_ORDER = (
    Status.RUNNING,
    Status.IN_REVIEW,
    Status.APPROVED,
    Status.DRAFT,
    Status.STOPPED,
    Status.CONCLUDED,
)
# Fewer snapshots than this tell nothing about a trend in the effect.
NOVELTY_MIN_POINTS = 4
FAILED_PULL_NEUTRAL = "The last pull of the results failed; the previous results stay."


def experiments_for(user: Viewer, group: WorkingGroup | None = None) -> ExperimentQuerySet:
    """The experiments `user` may read (in `group`, or in all their groups), with what a list
    row shows: the hypothesis, the owner and the current snapshot's metrics.

    `current_metrics` is the `metrics` list of the current run's newest valid analysis (None
    before the first snapshot), read by a subquery so the list costs one query however many
    experiments it has; the segments, which can be large, are not read.
    """
    current = (
        Snapshot.objects.current()
        .filter(experiment=OuterRef("pk"), run=OuterRef("run"))
        .values("analysis__metrics")[:1]
    )
    qs = Experiment.objects.visible_to(user)
    if group is not None:
        qs = qs.filter(working_group=group)
    return qs.select_related("hypothesis", "owner", "working_group").annotate(
        current_metrics=Subquery(current, output_field=JSONField())
    )


def headline(metrics: Sequence[dict] | None) -> dict | None:
    """The primary metric's lift for the first treatment, as a list row shows it."""
    for metric in metrics or ():
        if metric.get("role") == MetricRole.PRIMARY and metric.get("arms"):
            arm = metric["arms"][0]
            if arm.get("relative_lift") is None:
                return None
            return {
                "metric": metric.get("name", ""),
                "arm": arm.get("name", ""),
                "lift": arm["relative_lift"],
                "ci_low": arm.get("ci_low"),
                "ci_high": arm.get("ci_high"),
                "significant": bool(arm.get("significant")),
            }
    return None


def experiment_for(user: Viewer, pk: int) -> Experiment:
    """One experiment the person may read, with everything its page shows; DoesNotExist
    otherwise (a 404: an experiment tied to a plan you may not read does not exist for you).

    The links, variants, surfaces and history are prefetched, so the page and the sizing
    (which reads `metric_links` and `variants` through `.all()`) cost the same whatever the
    number of metrics.
    """
    links = ExperimentMetric.objects.select_related("metric").order_by("position", "pk")
    return (
        Experiment.objects.visible_to(user)
        .select_related(
            "working_group",
            "hypothesis",
            "owner",
            "data_source",
            "layer",
            "milestone__plan",
            "approved_by",
            "concluded_by",
            "created_by",
        )
        .prefetch_related(
            "variants",
            "surfaces",
            Prefetch("metric_links", queryset=links),
            Prefetch("transitions", queryset=Transition.objects.select_related("actor")),
        )
        .get(pk=pk)
    )


def current_snapshot(exp: Experiment) -> Snapshot | None:
    """The newest valid, complete snapshot of the current run: what the results show."""
    return Snapshot.objects.current().filter(experiment=exp, run=exp.run).first()


def snapshot_history(exp: Experiment) -> list[Snapshot]:
    """The current run's valid, complete snapshots, oldest first.

    The raw statistics are left unread: a long-running experiment has hundreds of
    snapshots, and the history needs only their analyses.
    """
    return list(
        Snapshot.objects.current()
        .filter(experiment=exp, run=exp.run)
        .defer("stats")
        .order_by("taken_at", "pk")
    )


def latest_pull(exp: Experiment) -> Snapshot | None:
    """The current run's newest snapshot row in any state: the pull the page reports on."""
    return (
        Snapshot.objects.filter(experiment=exp, run=exp.run)
        .defer("stats", "analysis")
        .order_by("-created_at", "-pk")
        .first()
    )


def snapshot_for(user: Viewer, pk: int) -> Snapshot:
    """A snapshot of an experiment the person may read; DoesNotExist otherwise."""
    return (
        Snapshot.objects.filter(experiment__in=Experiment.objects.visible_to(user))
        .select_related("experiment")
        .defer("stats")
        .get(pk=pk)
    )


@dataclass(frozen=True)
class EffectPoint:
    """The primary metric's cumulative lift at one snapshot."""

    lift: float
    ci_low: float
    ci_high: float


def novelty_check(points: Sequence[EffectPoint]) -> tuple[bool, str]:
    """Whether the cumulative effect drifts over time, as a novelty or primacy effect does.

    The points are the primary metric's cumulative lift and interval at each snapshot of
    the run, oldest first. With n ≥ 4 points, the first half is the first ⌊n/2⌋ of them and
    the last point is the newest estimate. The effect is flagged when either
      (a) the mean lift of the first half's points lies outside the newest point's interval,
          or
      (b) the interval of the first half's last point and the newest interval do not
          overlap.
    Either says the early estimates describe a different effect from the one measured now.
    The reason names the direction by the effect's size, whatever its sign: an early effect
    larger than the newest one is shrinking (users try something new, then lose interest:
    novelty); a smaller one is growing (users first resist a change, then adopt it:
    primacy). Cumulative estimates share their early data, so they move together; a
    disagreement this large despite that is worth a look before deciding.
    Fewer than four points are never flagged.
    """
    if len(points) < NOVELTY_MIN_POINTS:
        return False, ""
    early = points[: len(points) // 2]
    last = points[-1]
    early_mean = math.fsum(p.lift for p in early) / len(early)
    outside = not last.ci_low <= early_mean <= last.ci_high
    boundary = early[-1]
    apart = boundary.ci_high < last.ci_low or boundary.ci_low > last.ci_high
    if not (outside or apart):
        return False, ""
    if outside:
        early_lift = early_mean
        reason = (
            f"The early snapshots' mean lift ({early_mean * 100:+.2f} %) lies "
            f"{'above' if early_mean > last.ci_high else 'below'} the latest interval "
            f"[{last.ci_low * 100:+.2f} %, {last.ci_high * 100:+.2f} %]"
        )
    else:
        early_lift = boundary.lift
        reason = (
            f"The interval halfway through the run [{boundary.ci_low * 100:+.2f} %, "
            f"{boundary.ci_high * 100:+.2f} %] and the latest [{last.ci_low * 100:+.2f} %, "
            f"{last.ci_high * 100:+.2f} %] do not overlap"
        )
    # Novelty and primacy are about the effect's size, whichever its sign: an early effect
    # larger than today's wears off, a smaller one builds up.
    trend = (
        "shrinks, as a novelty effect wearing off does" if abs(early_lift) > abs(last.lift)
        else "grows, as a primacy (change-aversion) effect fading does"
    )  # fmt: skip
    return True, f"{reason}: the effect {trend}. Let it run longer before deciding."


def _primary_arm(analysis: dict) -> tuple[dict | None, dict | None]:
    for metric in analysis.get("metrics") or ():
        if metric.get("role") == MetricRole.PRIMARY and metric.get("arms"):
            return metric, metric["arms"][0]
    return None, None


def cumulative_effect(exp: Experiment, history: Sequence[Snapshot] | None = None) -> dict:
    """The primary metric's lift and interval at each snapshot of the current run (the first
    treatment against the control), and whether it drifts (see `novelty_check`).

    Snapshots whose analysis has no interval (too little data yet) are left out.
    """
    snapshots = snapshot_history(exp) if history is None else history
    points, checked = [], []
    metric_name = arm_name = ""
    for snapshot in snapshots:
        metric, arm = _primary_arm(snapshot.analysis or {})
        if arm is None or None in (arm.get("relative_lift"), arm.get("ci_low"), arm.get("ci_high")):
            continue
        metric_name, arm_name = metric.get("name", ""), arm.get("name", "")  # type: ignore[union-attr]
        points.append({
            "taken_at": snapshot.taken_at.isoformat() if snapshot.taken_at else None,
            "lift": arm["relative_lift"], "ci_low": arm["ci_low"], "ci_high": arm["ci_high"],
            "units": (snapshot.analysis or {}).get("units"),
        })  # fmt: skip
        checked.append(EffectPoint(arm["relative_lift"], arm["ci_low"], arm["ci_high"]))
    novelty, reason = novelty_check(checked)
    return {
        "metric": metric_name,
        "arm": arm_name,
        "points": points,
        "novelty": novelty,
        "novelty_reason": reason,
    }


def sample_progress(analysis: dict) -> dict:
    """Units analysed against the units the design planned (percent capped at 100)."""
    units = analysis.get("units") or 0
    planned = analysis.get("planned_units")
    percent = min(100.0, 100 * units / planned) if planned else None
    return {
        "units": units,
        "planned_units": planned,
        "percent": None if percent is None else round(percent, 1),
        "reached": planned is not None and planned > 0 and units >= planned,
    }


def pull_status(snapshot: Snapshot | None, *, show_error: bool) -> dict | None:
    """The latest pull as the page and the API report it: its state, and why it failed to
    those who may configure the data source (the others read a neutral sentence)."""
    if snapshot is None:
        return None
    failed = snapshot.status == SnapshotStatus.FAILED
    return {
        "id": snapshot.pk,
        "status": snapshot.status,
        "source": snapshot.source,
        "finished": snapshot.is_finished,
        "requested_at": snapshot.created_at.isoformat() if snapshot.created_at else None,
        "taken_at": snapshot.taken_at.isoformat() if snapshot.taken_at else None,
        "attempts": snapshot.attempts,
        "error": (snapshot.error if show_error else FAILED_PULL_NEUTRAL) if failed else "",
    }


def guardrails(analysis: dict) -> list[dict]:
    """Each guardrail's verdict per treatment: pass, inconclusive or fail."""
    out = []
    for metric in analysis.get("metrics") or ():
        if metric.get("role") != MetricRole.GUARDRAIL:
            continue
        for arm in metric.get("arms") or ():
            out.append({
                "metric": metric.get("name", ""), "key": metric.get("key", ""),
                "arm": arm.get("name", ""), "status": arm.get("guardrail") or "inconclusive",
                "relative_lift": arm.get("relative_lift"), "ci_low": arm.get("ci_low"),
                "ci_high": arm.get("ci_high"), "harm_threshold": metric.get("harm_threshold"),
                "higher_is_better": metric.get("higher_is_better", True),
            })  # fmt: skip
    return out


def results_summary(exp: Experiment, *, user: Viewer | None = None) -> dict:
    """Everything the results section shows, as JSON (the page renders it, the API returns it).

    `user` decides whether a failed pull's error is shown (admins: CONFIGURE) or the neutral
    sentence; without one, the neutral sentence.
    """
    history = snapshot_history(exp)
    current = history[-1] if history else None
    analysis = (current.analysis or {}) if current is not None else {}
    show_error = user is not None and policy.allows(user, exp.working_group_id, Action.CONFIGURE)
    return {
        "experiment": {"id": exp.pk, "key": exp.key, "run": exp.run, "status": exp.status},
        "snapshot": None if current is None else {
            "id": current.pk,
            "taken_at": current.taken_at.isoformat() if current.taken_at else None,
            "source": current.source,
        },
        "analysis": analysis,
        "guardrails": guardrails(analysis),
        "cumulative": cumulative_effect(exp, history),
        "sample": sample_progress(analysis),
        "pull": pull_status(latest_pull(exp), show_error=show_error),
    }  # fmt: skip
