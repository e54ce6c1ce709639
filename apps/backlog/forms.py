"""Forms of the backlog pages. They check shapes; the services check the rules."""

from django import forms

from apps.accounts.models import Role, User, WorkingGroup

from . import scoring
from .models import (
    EDITABLE_FIELDS,
    EXPECTED_EFFECT_MAX,
    Criterion,
    Hypothesis,
    ScoringFramework,
    Status,
    expected_effect_problem,
)

MEETING_CHOICES = 300


class HypothesisForm(forms.ModelForm):
    tags = forms.CharField(
        required=False, max_length=400, help_text="Comma-separated, e.g. checkout, mobile"
    )

    class Meta:
        model = Hypothesis
        fields = list(EDITABLE_FIELDS)
        labels = {
            "change": "If we…",
            "metric": "…then this metric",
            "direction": "moves",
            "expected_effect": "by about (%)",
            "rationale": "…because",
            "evidence": "Evidence and links",
            "effort_weeks": "Effort (person-weeks)",
        }
        # Say what helps a person write a testable statement, or nothing: the labels
        # already read as the sentence ("If we… then this metric rises by about…").
        help_texts = {
            "change": "One change a user would notice, e.g. “show the delivery date on "
            "product pages”.",
            "metric": "One metric an experiment can measure, e.g. checkout conversion.",
            "direction": "",
            "expected_effect": "Your best guess of the relative change, e.g. 2.5 for 2.5 %; "
            "it sizes the test. Above 0, at most 1,000 % (100 % for a metric that falls).",
            "rationale": "What you saw that makes you believe it: data, research, tickets.",
            "evidence": "Optional: links to dashboards, research or earlier experiments.",
            "category": "",
            "business_unit": "",
            "effort_weeks": "Optional; it feeds the portfolio balance by effort.",
        }
        widgets = {
            "change": forms.Textarea(attrs={"rows": 2}),
            "rationale": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
            "expected_effect": forms.NumberInput(
                attrs={"step": "any", "min": 0, "max": EXPECTED_EFFECT_MAX["increase"]}
            ),
            "effort_weeks": forms.NumberInput(attrs={"step": "any", "min": 0}),
        }

    def __init__(self, *args, group: WorkingGroup, **kwargs):
        super().__init__(*args, **kwargs)
        editors = [role for role in Role.values if role != Role.STAKEHOLDER]
        self.fields["owner"].queryset = User.objects.filter(
            memberships__working_group=group, memberships__role__in=editors
        ).order_by("first_name", "username")
        self.fields["owner"].required = False
        self.fields["owner"].help_text = "Leave empty to own it yourself."
        if self.instance.pk:
            self.initial["tags"] = ", ".join(t.name for t in self.instance.tags.all())

    def clean_effort_weeks(self):
        value = self.cleaned_data["effort_weeks"]
        if value is not None and not 0 <= value <= 10000:
            raise forms.ValidationError("Effort is between 0 and 10,000 person-weeks.")
        return value

    def clean(self):
        data = super().clean()
        problem = expected_effect_problem(data.get("expected_effect"), data.get("direction"))
        if problem and not self.has_error("expected_effect"):
            self.add_error("expected_effect", problem)
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["tags"] = [t for t in data.get("tags", "").split(",") if t.strip()]
        return data


class ScoreForm(forms.Form):
    """One number field per criterion of the framework, on its scale."""

    comment = forms.CharField(required=False, max_length=4000, widget=forms.TextInput())

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[c.key] = forms.FloatField(
                label=c.name,
                help_text=f"{scoring.scale_label(c)}{' ' + c.unit if c.unit else ''}",
                widget=forms.NumberInput(
                    attrs={"step": "any", "min": f"{c.scale_min:g}", "max": f"{c.scale_max:g}"}
                ),
            )
        self.order_fields([*(c.key for c in criteria), "comment"])

    def values(self) -> dict[str, float]:
        return {c.key: self.cleaned_data[c.key] for c in self.criteria}


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label="Move to")
    reason = forms.CharField(
        required=False, max_length=4000, widget=forms.TextInput(attrs={"size": 40})
    )

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = choices


class FrameworkForm(forms.Form):
    name = forms.CharField(max_length=80)
    description = forms.CharField(required=False, max_length=2000)
    rule = forms.ChoiceField(choices=ScoringFramework.Rule.choices, initial="sum")


class CriterionForm(forms.Form):
    name = forms.CharField(max_length=80, required=False)
    unit = forms.CharField(max_length=40, required=False)
    scale_min = forms.FloatField(required=False, initial=1)
    scale_max = forms.FloatField(required=False, initial=10)
    weight = forms.FloatField(required=False, initial=1)
    axis = forms.ChoiceField(choices=Criterion.Axis.choices, required=False)


CriterionFormSet = forms.formset_factory(CriterionForm, extra=5, max_num=scoring.MAX_CRITERIA)


def criteria_from(formset) -> list[dict]:
    """The filled-in rows of the criteria formset, as the service takes them."""
    rows = []
    for form in formset:
        data = form.cleaned_data
        if not data or not (data.get("name") or "").strip():
            continue
        rows.append(
            {
                "name": data["name"],
                "unit": data.get("unit") or "",
                "scale_min": data.get("scale_min"),
                "scale_max": data.get("scale_max"),
                "weight": data["weight"] if data.get("weight") is not None else 1.0,
                "axis": data.get("axis") or "",
            }
        )
    return rows


class TargetForm(forms.Form):
    product_share_target = forms.IntegerField(
        min_value=0, max_value=100, label="Target share of product-focused work (%)"
    )


class RankingSettingsForm(forms.Form):
    proposer_scores_count = forms.BooleanField(
        required=False,
        label="Proposers' scores of their own hypotheses count in the ranking",
        help_text="Off: a proposer may still score their idea, but the ranking leaves that "
        "score out.",
    )


class PinForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        label="Why pin it",
        widget=forms.TextInput(attrs={"placeholder": "e.g. legal deadline in March"}),
    )


class MeetingTransitionForm(forms.Form):
    """A decision that moves a hypothesis, taken in a working-group meeting (the meetings
    app shows it beside its own decision form; see `meeting_hooks`). Offers the group's
    hypotheses still open to triage; the workflow service decides whether the move fits."""

    hypothesis = forms.TypedChoiceField(coerce=int, label="Hypothesis")
    to_status = forms.ChoiceField(
        label="Moves to",
        choices=[
            ("", "—"),
            (Status.ACCEPTED, "accepted"),
            (Status.PARKED, "parked"),
            (Status.REJECTED, "rejected"),
        ],
    )
    text = forms.CharField(
        max_length=10_000,
        label="Decision",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Recorded in the meeting and as the reason for the move.",
    )
    # Agenda items about a hypothesis link here with it preselected (see meetings.hooks).
    subject_field = "hypothesis"
    subject_model = Hypothesis

    def __init__(self, data=None, *, meeting, user, **kwargs):
        super().__init__(data, **kwargs)
        # A triage list, not the whole history: what a meeting can still accept, park or
        # reject, capped so a large backlog renders as fast as a small one.
        open_ = (
            Hypothesis.objects.filter(
                working_group_id=meeting.working_group_id,
                status__in=[Status.PROPOSED, Status.ACCEPTED, Status.PARKED],
            )
            .order_by("title", "pk")
            .values_list("pk", "title")[:MEETING_CHOICES]
        )
        self.fields["hypothesis"].choices = [("", "—"), *open_]

    def is_available(self) -> bool:
        return len(self.fields["hypothesis"].choices) > 1

    def payload(self) -> dict:
        data = self.cleaned_data
        return {"hypothesis": data["hypothesis"], "to_status": data["to_status"]}

    def decision_text(self) -> str:
        return self.cleaned_data["text"]
