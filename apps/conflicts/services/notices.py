"""Emails about new conflicts: the owners of both experiments, one email each per conflict.

The scan queues one job on commit when it opened conflicts; the job sends whatever open
conflict has not been announced yet, so a lost job is made up by the next scan's. Each
recipient is written into the conflict's `notified_to` (under a row lock, committed)
before their email goes out: a redelivered job skips them, so nobody gets two (at most
once: an email lost to a crash is still on the conflicts page, the experiment's page and
the next meeting's agenda).

An owner who may not read the other experiment (a confidential plan's) is told that their
experiment collides with one they cannot see, never its name.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from apps.accounts.models import User
from apps.conflicts.models import Conflict, ConflictStatus
from apps.experiments.models import Experiment

BATCH = 200


def _recipients(conflict: Conflict) -> list[User]:
    ids = {conflict.experiment_a.owner_id}
    if conflict.experiment_b is not None:
        ids.add(conflict.experiment_b.owner_id)
    return list(User.objects.filter(pk__in=ids, is_active=True).exclude(email="").order_by("pk"))


def _message(conflict: Conflict, person: User) -> tuple[str, str]:
    a, b = conflict.experiment_a, conflict.experiment_b
    readable = set(
        Experiment.objects.visible_to(person)
        .filter(pk__in=[e.pk for e in (a, b) if e is not None])
        .values_list("pk", flat=True)
    )
    base = str(settings.SITE_URL or "").rstrip("/")
    if all(e is None or e.pk in readable for e in (a, b)):
        pair = f"{a.title} and {b.title}" if b is not None else a.title
        subject = f"Conflict: {conflict.get_kind_display().lower()} — {pair}"[:200]
        url = base + reverse("conflicts:detail", args=[conflict.pk])
        body = (
            f"{conflict.get_severity_display()}: {conflict.explanation}\n\n"
            f"What to do: {conflict.remedy}\n\n"
            f"Rule: {conflict.rule}\n\nDetails and the overlap: {url}\n"
        )
        return subject, body
    own = a if a.owner_id == person.pk else b
    assert own is not None
    subject = f"Conflict: {own.title} collides with another experiment"[:200]
    url = base + reverse("experiments:detail", args=[own.pk])
    body = (
        f"Your experiment {own.title} collides with an experiment of a confidential plan "
        f"({conflict.get_kind_display().lower()}). The group's statistics lead sees the "
        f"details and can help you move or acknowledge it.\n\nYour experiment: {url}\n"
    )
    return subject, body


def _claim(conflict_id: int, person_id: int) -> bool:
    """Record that `person` is emailed about the conflict; False if they already were."""
    with transaction.atomic():
        row = Conflict.objects.select_for_update().only("notified_to").get(pk=conflict_id)
        if person_id in row.notified_to:
            return False
        row.notified_to = [*row.notified_to, person_id]
        row.save(update_fields=["notified_to"])
    return True


def conflict_notices_send() -> int:
    """Email the owners about every open conflict not yet announced; the number sent."""
    sent, after = 0, 0
    while True:
        pending = list(
            Conflict.objects.filter(notified=False, pk__gt=after)
            .select_related("experiment_a", "experiment_b")
            .order_by("pk")[:BATCH]
        )
        if not pending:
            return sent
        for conflict in pending:
            sent += _announce(conflict)
            after = conflict.pk


def _announce(conflict: Conflict) -> int:
    """Email each owner of the conflict's experiments once; then mark it announced."""
    sent = 0
    # Acknowledged or resolved before the job ran: nothing left to announce.
    if conflict.status == ConflictStatus.OPEN:
        for person in _recipients(conflict):
            if not _claim(conflict.pk, person.pk):
                continue
            subject, body = _message(conflict, person)
            send_mail(subject=subject, message=body, recipient_list=[person.email],
                      from_email=settings.DEFAULT_FROM_EMAIL)  # fmt: skip
            sent += 1
    Conflict.objects.filter(pk=conflict.pk).update(notified=True)
    return sent
