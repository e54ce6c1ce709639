"""The one rule for a date a person types, in any app: it lies between EARLIEST and LATEST.

An absolute window rather than a horizon around today ("within ten years"), because a
date is checked again each time its record is edited: a meeting or plan saved under a
moving horizon would, years later, refuse to save unchanged. The window still catches what
a horizon was for: typed years like 0205 or 20255, and years near 1 or 9999, which overflow
time-zone and quarter arithmetic. The API shows DATE_HELP beside each date field.
"""

import datetime

from django.core.exceptions import ValidationError

EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)
DATE_HELP = f"Between {EARLIEST} and {LATEST}."
OUT_OF_RANGE = f"Pick a date {DATE_HELP.lower()}"


def check_date(value: datetime.date | None, *, field: str | None = None) -> datetime.date | None:
    """`value` (None passes: whether a date is required is the form's rule) if it lies
    between EARLIEST and LATEST; otherwise a ValidationError, naming `field` when given (a
    service's error) and plain for a form's clean_<field>."""
    if value is None or EARLIEST <= value <= LATEST:
        return value
    raise ValidationError({field: OUT_OF_RANGE} if field else OUT_OF_RANGE)
