"""What a locked-out sign-in sees, and which address a sign-in attempt comes from.

django-axes counts wrong passwords per username and address (settings.AXES_*) and calls
these two hooks.
"""

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

LOCKED_OUT_MESSAGE = "Too many wrong passwords: sign-in is locked for {minutes} minutes."


def cool_off_minutes(request: HttpRequest | None = None) -> int:
    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds() // 60) if cool_off else 0


def locked_out_message(request: HttpRequest | None = None) -> str:
    return LOCKED_OUT_MESSAGE.format(minutes=cool_off_minutes(request))


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, read the way DRF's throttles read it (NUM_PROXIES).

    Only the hops our own proxies appended to X-Forwarded-For are trusted; a client can
    write anything in front of them.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        return hops[-min(count, len(hops))]
    return request.META.get("REMOTE_ADDR")


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """A page with the reason and a way out for people; the API's own 429 for clients."""
    if request.path.startswith("/api/"):
        # The token endpoint answers a lockout itself, in the API's error shape.
        if original_response is not None and original_response.status_code == 429:
            return original_response
        return JsonResponse(
            {"status": 429, "code": "locked_out", "detail": locked_out_message(request)},
            status=429,
        )
    return render(
        request,
        "accounts/locked_out.html",
        {"message": locked_out_message(request), "cool_off_minutes": cool_off_minutes(request)},
        status=429,
    )
