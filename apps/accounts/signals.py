"""Deactivating a person ends their API tokens, whichever path deactivates them.

`tokens.user_deactivate` records who did it; this catches the rest (the Django admin's
user form, a shell), where nobody is recorded as the revoker.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import User
from .tokens import api_tokens_revoke_all


@receiver(post_save, sender=User, dispatch_uid="accounts.revoke_tokens_of_inactive_users")
def revoke_tokens_of_inactive_users(sender, instance: User, **kwargs) -> None:
    if not instance.is_active:
        api_tokens_revoke_all(user=instance, revoked_by=None)
