"""On change: saving an experiment re-checks it against the rest, queued on commit.

Experiments know nothing of conflicts (the import contract forbids it), so the re-check
listens to the experiment's own save: every design edit (dates, surfaces, audience, layer,
unit, metrics: saved with the experiment in one transaction) and every lifecycle step
saves the row. The job runs after the transaction commits, so it reads the new design, and
never inside the request's transaction; a failure to queue it is logged, not raised (the
hourly scan catches up).
"""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from apps.experiments.models import Experiment


@receiver(post_save, sender=Experiment, dispatch_uid="conflicts.recheck_on_save")
def recheck_on_save(sender, instance: Experiment, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata
        return
    from .tasks import check_experiment_conflicts

    exp_id = instance.pk
    transaction.on_commit(lambda: check_experiment_conflicts.delay(exp_id), robust=True)
