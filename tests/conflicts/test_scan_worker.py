"""The hourly scan on a real Celery worker over Redis: it opens the conflicts, a second
delivery of the same job changes nothing, and a conflict that no longer holds is resolved
with when and why."""

import time

import pytest
from django.core import mail
from django.db.models.signals import post_save

from apps.conflicts.models import Conflict, ConflictStatus
from apps.conflicts.signals import recheck_on_save
from apps.conflicts.tasks import scan_conflicts
from apps.experiments.models import Experiment

from . import factories as f


@pytest.fixture
def quiet_saves():
    """Only the scan under test writes conflicts: no re-check queued by the setup's saves."""
    post_save.disconnect(sender=Experiment, dispatch_uid="conflicts.recheck_on_save")
    yield
    post_save.connect(recheck_on_save, sender=Experiment, dispatch_uid="conflicts.recheck_on_save")


def _rows() -> list[dict]:
    # What the scan writes; the owners' emails (a job the first scan queued) mark their own.
    rows = Conflict.objects.order_by("pk").values()
    return [{k: v for k, v in r.items() if k not in ("notified", "notified_to")} for r in rows]


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_hourly_scan_is_idempotent_and_resolves_what_disappears(
    demo, quiet_saves, celery_app, celery_worker
):
    _, b = f.pair(demo)

    first = scan_conflicts.delay().get(timeout=60)
    opened = _rows()
    assert first["opened"] == 2 and len(opened) == 2
    assert all(r["status"] == ConflictStatus.OPEN for r in opened)

    # The same job delivered again (acks_late redelivers after a lost worker): no change.
    again = [scan_conflicts.delay() for _ in range(2)]
    assert [r.get(timeout=60) for r in again] == [
        {"candidates": 2, "findings": 2, "opened": 0, "updated": 0, "resolved": 0}
    ] * 2
    assert _rows() == opened
    # The owners were emailed once per conflict by the job the first scan queued.
    deadline = time.monotonic() + 30
    while Conflict.objects.filter(notified=False).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "aisha@example.com", "aisha@example.com", "lena@example.com", "lena@example.com",
    ]  # fmt: skip

    # Lena's design goes back to draft: the conflicts no longer hold.
    Experiment.objects.filter(pk=b.pk).update(status="draft")
    last = scan_conflicts.delay().get(timeout=60)

    assert last["resolved"] == 2
    for row in Conflict.objects.all():
        assert row.status == ConflictStatus.RESOLVED
        assert row.resolved_at is not None
        assert row.resolved_reason == (
            f"Experiment {b.pk} is no longer scheduled or running: it is now draft."
        )
