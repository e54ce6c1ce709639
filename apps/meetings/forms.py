"""Forms for the meeting pages: they check shapes; services decide."""

import uuid

from django import forms
from django.utils import timezone

from apps.core.dates import check_date

from .models import TIMEBOX_MAX_MINUTES, TIMEBOX_MIN_MINUTES, ActionItem


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.display_name


class NotesForm(forms.Form):
    notes = forms.CharField(required=False, max_length=100_000, strip=False, widget=forms.Textarea)
    version = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)


class AgendaItemForm(forms.Form):
    title = forms.CharField(max_length=240)
    minutes = forms.IntegerField(
        min_value=TIMEBOX_MIN_MINUTES, max_value=TIMEBOX_MAX_MINUTES, initial=5
    )
    detail = forms.CharField(
        required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 2})
    )
    presenter = MemberChoice(queryset=None, required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = members


class AgendaItemEditForm(AgendaItemForm):
    """Editing an item carries the version it was opened at, so a save never overwrites a
    change made since (the service compares and sets)."""

    version = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)


def add_request_key(form: forms.Form) -> forms.Form:
    """Give a decision form a hidden key, new on every render: a second submit of the same
    rendered form (a double click, a retry) sends the same key and records nothing new."""
    form.fields["request_key"] = forms.CharField(
        max_length=64, required=False, widget=forms.HiddenInput, initial=lambda: uuid.uuid4().hex
    )
    return form


class DecisionForm(forms.Form):
    """A decision in words. Decisions that change something (a hypothesis, a milestone)
    come through their kind's own form, brought by the app that owns the change."""

    text = forms.CharField(max_length=10_000, widget=forms.Textarea(attrs={"rows": 2}))
    agenda_item = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args, agenda=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].choices = [("", "—")] + [(i.pk, i.title) for i in agenda]
        add_request_key(self)


class ActionItemForm(forms.Form):
    title = forms.CharField(max_length=200)
    owner = MemberChoice(queryset=None, empty_label="— owner —")
    assignee = MemberChoice(queryset=None, required=False, empty_label="— none —")
    due_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(
        required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members
        self.fields["assignee"].queryset = members
        self.fields["due_on"].initial = timezone.localdate()

    def clean_due_on(self):
        return check_date(self.cleaned_data["due_on"])


class ActionItemStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionItem.Status.choices)
    blocked_reason = forms.CharField(required=False, max_length=240)


class WorkingSessionForm(forms.Form):
    title = forms.CharField(max_length=160)
    starts_at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    duration_minutes = forms.IntegerField(min_value=5, max_value=480, initial=45)
    attendees = forms.ModelMultipleChoiceField(queryset=None, required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = members
        self.fields["attendees"].label_from_instance = lambda u: u.display_name

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        check_date(starts_at.date())
        return starts_at


WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


def _zones() -> list[tuple[str, str]]:
    import zoneinfo

    return [(z, z) for z in sorted(zoneinfo.available_timezones()) if "/" in z or z == "UTC"]


class SeriesForm(forms.Form):
    """A group's recurring meeting; the service checks the rules and schedules it ahead."""

    title = forms.CharField(max_length=160, required=False, help_text="Default: “<group> meeting”.")
    kind = forms.ChoiceField(
        choices=[
            ("working_group", "Working-group meeting"),
            ("stakeholder_update", "Stakeholder update"),
        ]
    )
    weekday = forms.TypedChoiceField(coerce=int, choices=WEEKDAYS, initial=1)
    start_time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}), initial="10:00")
    timezone = forms.ChoiceField(choices=_zones, initial="UTC", label="Time zone")
    duration_minutes = forms.IntegerField(min_value=5, max_value=480, initial=60, label="Minutes")
    starts_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The first meeting is on the weekday on or after this date.",
    )
    cadence_days = forms.IntegerField(
        min_value=1,
        max_value=92,
        required=False,
        label="Every … days",
        help_text="Empty: follow the working group's cadence, also when it changes.",
    )
    location = forms.CharField(max_length=240, required=False)

    def clean_starts_on(self):
        return check_date(self.cleaned_data["starts_on"])
