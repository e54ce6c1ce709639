"""The dates a meeting, series or action item may fall on: the API and the pages share it."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

# Dates far from now are typos, and years near 1 or 9999 overflow time-zone arithmetic.
HORIZON_YEARS = 10


def check_within_horizon(value: date) -> date:
    """`value` if it lies within HORIZON_YEARS of today; otherwise a ValidationError."""
    today = timezone.localdate()
    if abs((value - today).days) > 366 * HORIZON_YEARS:
        raise ValidationError(f"Choose a date within {HORIZON_YEARS} years of today.")
    return value
