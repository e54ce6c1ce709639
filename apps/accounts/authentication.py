"""DRF authentication by named, expiring, revocable API tokens (`Authorization: Token <key>`)."""

from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .tokens import api_token_touch, token_for_key, token_state


class ApiTokenAuthentication(TokenAuthentication):
    """Looks the key up by its hash; refuses revoked or expired tokens and inactive people.

    Subclasses DRF's TokenAuthentication for its header parsing and `Token` keyword, so
    clients written against the old single token keep working with a new key.
    """

    keyword = "Token"

    def authenticate_credentials(self, key: str):
        token = token_for_key(key)
        if token is None:
            raise AuthenticationFailed("Invalid token.")
        state = token_state(token, now=timezone.now())
        if state != "active":
            raise AuthenticationFailed(f"This token is {state}.")
        if not token.user.is_active:
            raise AuthenticationFailed("This account is deactivated.")
        api_token_touch(token)
        return token.user, token
