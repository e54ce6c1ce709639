"""Alerts on a new snapshot: a guardrail breach, a sample ratio mismatch or an A/A red flag
emails the experiment's owner and the group's statistics lead, once per problem and run.

The problems are worked out when the snapshot is written; the email is a job queued on
commit, never SMTP inside the pull. The snapshot's `alerts_sent` is set before sending, so a
redelivered job sends nothing twice (at most once: an alert lost to a crash is still on the
page and on the next meeting's agenda).
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from apps.accounts.models import Membership, Role, User
from apps.experiments.models import Snapshot, SnapshotStatus


def problems(analysis: dict) -> dict[str, str]:
    """The problems an analysis shows, keyed for "once", in words for the email."""
    found = {}
    if analysis.get("srm", {}).get("flag"):
        found["srm"] = "Sample ratio mismatch: the observed split differs from the design."
    for metric in analysis.get("metrics", []):
        for arm in metric.get("arms", []):
            if arm.get("guardrail") == "fail":
                found[f"guardrail:{metric['key']}:{arm['name']}"] = (
                    f"Guardrail {metric['name']} failed for {arm['name']}."
                )
    if analysis.get("aa", {}).get("red_flag"):
        found["aa"] = "A/A red flag: " + " ".join(analysis["aa"]["reasons"])
    return found


def snapshot_alerts_queue(snapshot_id: int) -> None:
    """Record the snapshot's new problems and queue their email after commit."""
    from apps.experiments.tasks import send_snapshot_alerts

    with transaction.atomic():
        snapshot = Snapshot.objects.select_for_update().get(pk=snapshot_id)
        earlier = (
            Snapshot.objects.filter(
                experiment_id=snapshot.experiment_id, run=snapshot.run, status=SnapshotStatus.DONE
            )
            .exclude(pk=snapshot.pk)
            .values_list("alert_keys", flat=True)
        )
        seen = {key for keys in earlier for key in keys}
        new = sorted(set(problems(snapshot.analysis)) - seen)
        if not new:
            return
        snapshot.alert_keys = new
        snapshot.save(update_fields=["alert_keys"])
        transaction.on_commit(lambda: send_snapshot_alerts.delay(snapshot_id))


def alert_recipients(snapshot: Snapshot) -> list[User]:
    exp = snapshot.experiment
    leads = Membership.objects.filter(
        working_group_id=exp.working_group_id, role=Role.STATISTICS_LEAD
    ).values("user_id")
    return list(User.objects.filter(pk__in=[exp.owner_id]) | User.objects.filter(pk__in=leads))


def snapshot_alerts_send(snapshot_id: int) -> int:
    with transaction.atomic():
        snapshot = (
            Snapshot.objects.select_for_update().select_related("experiment").get(pk=snapshot_id)
        )
        if snapshot.alerts_sent or not snapshot.alert_keys:
            return 0
        snapshot.alerts_sent = True
        snapshot.save(update_fields=["alerts_sent"])
    exp = snapshot.experiment
    words = problems(snapshot.analysis)
    lines = [words[key] for key in snapshot.alert_keys if key in words]
    url = str(settings.SITE_URL or "").rstrip("/") + reverse("experiments:detail", args=[exp.pk])
    recipients = [u.email for u in alert_recipients(snapshot) if u.email and u.is_active]
    for address in recipients:
        send_mail(
            subject=f"Experiment {exp.key}: " + ("; ".join(lines))[:150],
            message="\n".join(lines) + f"\n\nResults: {url}\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[address],
        )
    return len(recipients)
