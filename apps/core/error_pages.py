"""The site's 403, 404 and 500 pages: styled, with the navigation, saying why.

A refusal's reason is the PermissionDenied's message, which services and the page mixins
take from the role policy (`policy.refusal`), so a forced POST reads the same words the
service would have used. A 500 renders without touching the database when it can: the
error may be the database itself, so a failure to build the full page falls back to the
template alone.
"""

import logging

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

DEFAULT_REFUSAL = "Your role does not allow this here."
DEFAULT_MISSING = "There is no page at this address, or you cannot see what it shows."


def _message(exception) -> str:
    # Django's own resolver 404s carry a dict (tried patterns): not for the person's eyes.
    if exception is None or not exception.args or not isinstance(exception.args[0], str):
        return ""
    return exception.args[0].strip()


@requires_csrf_token
def permission_denied(request, exception=None):
    return render(
        request, "403.html", {"reason": _message(exception) or DEFAULT_REFUSAL}, status=403
    )


STALE_FORM = (
    "This form could not be checked: it was open too long, or you signed in or out in "
    "another tab. Nothing was saved; reload the page and send it again."
)


def csrf_failure(request, reason: str = ""):
    """A form whose CSRF token is missing or stale (settings.CSRF_FAILURE_VIEW)."""
    return render(request, "403.html", {"reason": STALE_FORM}, status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(
        request,
        "404.html",
        {"reason": _message(exception) or DEFAULT_MISSING, "request_path": request.path},
        status=404,
    )


@requires_csrf_token
def server_error(request):
    try:
        return render(request, "500.html", status=500)
    except Exception:
        logger.exception("The full 500 page failed; answering with the bare one")
        return HttpResponseServerError(loader.get_template("500.html").render())
