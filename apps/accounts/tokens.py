"""API tokens: create, revoke, and end them all when a person is deactivated.

Only a SHA-256 hash of a key is stored, so a leaked database holds no usable key and the
key is shown once, when the token is made. A person manages their own tokens; an admin
(the role policy's global CONFIGURE) may list and revoke anyone's.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from . import policy
from .models import ApiToken, User
from .policy import Action

# Keys start with a fixed marker so secret scanners and people can tell what they found.
KEY_MARKER = "expr_"
PREFIX_LENGTH = len(KEY_MARKER) + 6
DEFAULT_LIFETIME_DAYS = 90
MAX_LIFETIME_DAYS = 365
LIFETIME_CHOICES_DAYS = (7, 30, 90, 365)
# Writing last_used_at on every request would turn each API read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def is_token_admin(actor: User) -> bool:
    """Admins revoke anyone's tokens: the policy's global CONFIGURE (superusers, admins)."""
    return policy.allows_global(actor, Action.CONFIGURE)


def may_manage_tokens_of(actor: User, owner_id: int) -> bool:
    return actor.is_authenticated and (actor.pk == owner_id or is_token_admin(actor))


def tokens_visible_to(actor: User, *, owner_id: int | None = None) -> QuerySet[ApiToken]:
    """The actor's own tokens, or those of person `owner_id` when the actor is an admin."""
    owner_id = actor.pk if owner_id is None else owner_id
    if not may_manage_tokens_of(actor, owner_id):
        raise PermissionDenied("Only an admin may see another person's tokens.")
    return ApiToken.objects.filter(user_id=owner_id)


def token_for_key(key: str) -> ApiToken | None:
    return ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()


def token_state(token: ApiToken, *, now: datetime | None = None) -> str:
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= (now or timezone.now()):
        return "expired"
    return "active"


def _expiry(*, expires_at: datetime | None, expires_in_days: int | None) -> datetime:
    now = timezone.now()
    if expires_at is not None and expires_in_days is not None:
        raise ValidationError({"expires_at": "Give either expires_at or expires_in_days."})
    if expires_at is not None:
        if expires_at <= now:
            raise ValidationError({"expires_at": "The expiry must be in the future."})
        if expires_at > now + timedelta(days=MAX_LIFETIME_DAYS):
            raise ValidationError(
                {"expires_at": f"A token lives at most {MAX_LIFETIME_DAYS} days."}
            )
        return expires_at
    days = DEFAULT_LIFETIME_DAYS if expires_in_days is None else expires_in_days
    if not 1 <= days <= MAX_LIFETIME_DAYS:
        raise ValidationError(
            {"expires_in_days": f"Choose between 1 and {MAX_LIFETIME_DAYS} days."}
        )
    return now + timedelta(days=days)


def api_token_create(
    *,
    actor: User,
    name: str = "",
    expires_at: datetime | None = None,
    expires_in_days: int | None = None,
) -> tuple[ApiToken, str]:
    """A new token for the actor; returns it with its key, which is not stored anywhere."""
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied("Sign in to create an API token.")
    name = name.strip() or "API token"
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise ValidationError({"name": "Keep the name under 100 characters."})
    expiry = _expiry(expires_at=expires_at, expires_in_days=expires_in_days)
    key = KEY_MARKER + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        prefix=key[:PREFIX_LENGTH],
        key_hash=hash_key(key),
        expires_at=expiry,
    )
    return token, key


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke one token; revoking a revoked token keeps its first revocation."""
    if not may_manage_tokens_of(actor, token.user_id):
        raise PermissionDenied("Only the owner or an admin may revoke this token.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def api_tokens_revoke_all(*, user: User, revoked_by: User | None) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=revoked_by
    )


def api_token_touch(token: ApiToken) -> None:
    """Record a use, at most once per LAST_USED_RESOLUTION."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> User:
    """Deactivate a person: they can no longer sign in, and every token they hold ends."""
    policy.require_global(actor, Action.CONFIGURE)
    if user.pk == actor.pk:
        raise ValidationError({"user": "You cannot deactivate yourself."})
    api_tokens_revoke_all(user=user, revoked_by=actor)
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    return user
