"""Forms for the roadmap pages: shapes only; the services own the rules."""

import datetime

from django import forms
from django.utils import timezone

from apps.accounts import policy
from apps.accounts.models import Membership, Role, User, WorkingGroup
from apps.accounts.policy import Action
from apps.backlog.models import Hypothesis
from apps.core.dates import check_date

from .models import Category, Milestone, Outcome, PlanStatus, ResearchPlan
from .selectors import RoadmapFilters, timeline_plans

DATE = forms.DateInput(attrs={"type": "date"})


class PlanForm(forms.Form):
    title = forms.CharField(max_length=160)
    goal = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    value_path = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
        help_text="What has to happen for the result to land in the product or platform.",
    )
    feature_teams = forms.CharField(
        max_length=800, required=False, help_text="Comma-separated, e.g. Checkout, Payments"
    )
    category = forms.ChoiceField(choices=Category.choices)
    owner = forms.ModelChoiceField(queryset=User.objects.none())
    sponsor = forms.ModelChoiceField(
        queryset=User.objects.none(), help_text="The stakeholder who sponsors the plan."
    )
    start_date = forms.DateField(widget=DATE)
    end_date = forms.DateField(widget=DATE)
    kill_criteria = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        help_text="Under what circumstances we stop.",
    )
    confidential = forms.BooleanField(
        required=False,
        help_text="Hide from stakeholders outside the sponsor's business unit.",
    )
    hypotheses = forms.ModelMultipleChoiceField(
        queryset=Hypothesis.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, group: WorkingGroup, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(memberships__working_group=group).order_by("first_name")
        self.fields["owner"].queryset = User.objects.filter(
            memberships__working_group=group,
            memberships__role__in=[r for r in Role.values if r != Role.STAKEHOLDER],
        ).order_by("first_name")
        self.fields["sponsor"].queryset = people
        stakeholder_ids = set(
            Membership.objects.filter(working_group=group, role=Role.STAKEHOLDER).values_list(
                "user_id", flat=True
            )
        )
        self.fields["sponsor"].label_from_instance = lambda u: (
            f"{u.display_name}{' (stakeholder)' if u.pk in stakeholder_ids else ''}"
        )
        self.fields["owner"].label_from_instance = lambda u: u.display_name
        self.fields["hypotheses"].queryset = Hypothesis.objects.filter(
            working_group=group
        ).order_by("title")
        if not self.is_bound and "start_date" not in self.initial:
            today = timezone.localdate()
            self.initial.update(start_date=today, end_date=today + datetime.timedelta(days=180))

    def clean_start_date(self):
        return check_date(self.cleaned_data.get("start_date"))

    def clean_end_date(self):
        return check_date(self.cleaned_data.get("end_date"))

    def clean_feature_teams(self):
        raw = self.cleaned_data.get("feature_teams") or ""
        return [team.strip() for team in raw.split(",") if team.strip()]


class PlanEditForm(PlanForm):
    """Editing carries the version the form was opened at: the service refuses to write
    over a change saved since."""

    version = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)


class MilestoneForm(forms.Form):
    title = forms.CharField(max_length=160)
    question = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    target_date = forms.DateField(widget=DATE)
    decision_criteria = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=8000,
        help_text="What result means continue, pivot or abandon — written before the data.",
    )
    reason = forms.CharField(
        max_length=4000,
        required=False,
        label="Why the criteria change",
        help_text="Required once the milestone has started; shown beside the change.",
    )

    def clean_target_date(self):
        return check_date(self.cleaned_data.get("target_date"))


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=8000,
        required=False,  # the service names the rule when it is missing
        help_text="Why this outcome, against the criteria written before the data.",
    )
    learned = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=8000,
        required=False,
        label="What we learned",
    )

    decided_by = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label="— me —",
        label="Decided by",
        help_text="Who took the decision, when it was not you (the sponsor, say).",
    )

    def __init__(self, *args, category: str, group: WorkingGroup | int, **kwargs):
        super().__init__(*args, **kwargs)
        if category != Category.PRODUCT:
            self.fields["outcome"].choices = [c for c in Outcome.choices if c[0] != Outcome.SHIP]
        self.fields["decided_by"].queryset = User.objects.filter(
            memberships__working_group=group, is_active=True
        ).order_by("first_name", "username")
        self.fields["decided_by"].label_from_instance = lambda u: u.display_name


class MeetingDecideForm(DecideForm):
    """A decision at a milestone, taken in a working-group meeting (the meetings app shows it
    beside its own decision form; see `meeting_hooks`). Offers each active plan's current
    decision point in the meeting's group; the service decides whether the outcome fits."""

    milestone = forms.TypedChoiceField(coerce=int, label="Decision point")
    field_order = ["milestone", "outcome", "rationale", "learned", "decided_by"]
    # Agenda items about a milestone link here with it preselected (see meetings.hooks).
    subject_field = "milestone"
    subject_model = Milestone

    def __init__(self, data=None, *, meeting, user, **kwargs):
        super().__init__(data, category=Category.PRODUCT, group=meeting.working_group, **kwargs)
        filters = RoadmapFilters(group=meeting.working_group, status=PlanStatus.ACTIVE)
        deciding = [plan for plan in timeline_plans(user, filters) if plan.current is not None]
        # Only decision points this person may decide (the plan's owner, a delegate, the
        # program manager): the form offers no choice the service would refuse.
        owners = dict(
            ResearchPlan.objects.filter(pk__in=[p.id for p in deciding]).values_list(
                "pk", "owner_id"
            )
        )
        self._current = {
            plan.current.id: (plan, plan.current)
            for plan in deciding
            if policy.allows(user, plan.working_group_id, Action.EDIT, owner_id=owners[plan.id])
        }
        self.fields["milestone"].choices = [("", "—")] + [
            (pk, f"{plan.title} — {m.title} (due {m.target_date:%-d %b})")
            for pk, (plan, m) in sorted(
                self._current.items(), key=lambda item: item[1][1].target_date
            )
        ]
        self.fields["outcome"].widget = forms.Select()
        self.fields["outcome"].choices = [("", "—"), *Outcome.choices]

    def is_available(self) -> bool:
        return bool(self._current)

    def payload(self) -> dict:
        data = self.cleaned_data
        payload = {
            "milestone": data["milestone"],
            "outcome": data["outcome"],
            "rationale": data["rationale"],
            "learned": data["learned"],
        }
        if data["decided_by"] is not None:
            payload["decided_by"] = data["decided_by"].pk
        return payload

    def decision_text(self) -> str:
        """The meeting's record of it. Meeting notes are shared with the group's
        stakeholders, so a confidential plan is named only by its business unit."""
        data = self.cleaned_data
        plan, milestone = self._current[data["milestone"]]
        outcome = Outcome(data["outcome"]).label
        if plan.confidential:
            where = f"a confidential {plan.unit_name or 'business unit'} plan's decision point"
        else:
            where = f"“{plan.title} — {milestone.title}”"
        by = f" (decided by {data['decided_by'].display_name})" if data["decided_by"] else ""
        return f"{outcome} at {where}{by}: {data['rationale']}"


class TransitionForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(PlanStatus.ACTIVE, "Active"), (PlanStatus.PAUSED, "Paused")]
    )


class UpdateRangeForm(forms.Form):
    since = forms.DateField(widget=DATE)
    until = forms.DateField(widget=DATE)

    def clean_since(self):
        return check_date(self.cleaned_data.get("since"))

    def clean_until(self):
        return check_date(self.cleaned_data.get("until"))

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "The update's range ends before it starts.")
        return data
