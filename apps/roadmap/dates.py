"""The dates a plan, milestone or stakeholder update may name: the API and the pages share it."""

import datetime

from django.core.exceptions import ValidationError

# Bounded so the timeline's quarter arithmetic never leaves the calendar.
EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)
DATE_HELP = f"Between {EARLIEST} and {LATEST}."


def check_bounds(value: datetime.date | None) -> datetime.date | None:
    """`value` (or None) if it lies between EARLIEST and LATEST; otherwise a ValidationError."""
    if value is not None and not (EARLIEST <= value <= LATEST):
        raise ValidationError(f"Pick a date {DATE_HELP.lower()}")
    return value
