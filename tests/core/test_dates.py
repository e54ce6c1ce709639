"""check_date: the one window a typed date must fall in, for every app."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from apps.core.dates import DATE_HELP, EARLIEST, LATEST, check_date


def test_it_lets_the_window_s_own_ends_through():
    assert check_date(EARLIEST) == EARLIEST
    assert check_date(LATEST) == LATEST


def test_it_lets_a_missing_date_through_for_the_form_to_require():
    assert check_date(None) is None


@pytest.mark.parametrize("day", [datetime.date(1999, 12, 31), datetime.date(2101, 1, 1)])
def test_it_rejects_a_day_just_outside_the_window(day):
    with pytest.raises(ValidationError) as excinfo:
        check_date(day)

    assert excinfo.value.messages == ["Pick a date between 2000-01-01 and 2100-12-31."]


def test_it_names_the_field_when_asked():
    with pytest.raises(ValidationError) as excinfo:
        check_date(datetime.date(9999, 12, 31), field="starts_at")

    assert excinfo.value.message_dict == {
        "starts_at": ["Pick a date between 2000-01-01 and 2100-12-31."]
    }


def test_a_date_saved_once_still_passes_decades_later():
    # A record is checked again at each edit: under a horizon around today, a 2001 plan
    # edited in 2095 would refuse to save unchanged.
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2095, 1, 1)):
        assert check_date(datetime.date(2001, 6, 1)) == datetime.date(2001, 6, 1)
    assert DATE_HELP == "Between 2000-01-01 and 2100-12-31."
