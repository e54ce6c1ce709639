"""A new working group gets its scoring frameworks as it is created; and the signal other
apps hear a proposal by.

Groups belong to the accounts app, which knows nothing of the backlog; listening here keeps
it that way. Groups that predate the backlog were set up by migration 0002, so every group
has its settings and the backlog's reads never write.
"""

from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

from apps.accounts.models import WorkingGroup

from .services.setup import backlog_setup


@receiver(post_save, sender=WorkingGroup, dispatch_uid="backlog_setup_new_group")
def set_up_new_group(sender, instance: WorkingGroup, created: bool, raw: bool = False, **kwargs):
    if created and not raw:
        backlog_setup(group=instance)


# Sent by the propose page inside the proposal's transaction, with `actor`, `hypothesis` and
# `data` (the submitted form): an app that adds fields of its own to the form (the knowledge
# base's "looks like a duplicate of") records them with the hypothesis, or refuses the whole
# proposal by raising ValidationError naming its field. The backlog knows none of them.
hypothesis_proposed = Signal()
