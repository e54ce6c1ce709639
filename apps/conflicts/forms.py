"""Forms of the conflicts pages: the list's filters, the acknowledgement, the timeline's."""

from django import forms

from .models import ConflictStatus, Kind


class FilterForm(forms.Form):
    status = forms.ChoiceField(choices=ConflictStatus.choices, required=False)
    group = forms.TypedChoiceField(coerce=int, required=False, empty_value=None,
                                   label="Working group")  # fmt: skip
    surface = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    layer = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(choices=[("", "Any kind"), *Kind.choices], required=False)

    def __init__(self, data=None, *, choices: dict, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["group"].choices = [("", "Any group")] + [  # type: ignore[attr-defined]
            (g.pk, g.name) for g in choices["groups"]
        ]
        self.fields["surface"].choices = [("", "Any surface")] + [  # type: ignore[attr-defined]
            (s.pk, s.name) for s in choices["surfaces"]
        ]
        self.fields["layer"].choices = [("", "Any layer")] + [  # type: ignore[attr-defined]
            (layer.pk, layer.name) for layer in choices["layers"]
        ]


class AcknowledgeForm(forms.Form):
    # Not required here: the service names the missing reason in its own words.
    reason = forms.CharField(
        required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Why may the launch go ahead?"}),
        label="Reason",
    )  # fmt: skip


class TimelineForm(forms.Form):
    group = forms.TypedChoiceField(coerce=int, required=False, empty_value=None,
                                   label="Working group")  # fmt: skip
    by = forms.ChoiceField(choices=[("surface", "By surface"), ("layer", "By layer")],
                           required=False)  # fmt: skip

    def __init__(self, data=None, *, groups, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["group"].choices = [("", "All my groups")] + [(g.pk, g.name) for g in groups]
