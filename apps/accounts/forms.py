from django import forms

from .models import BusinessUnit, Membership, Role, User


class MembershipAddForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.filter(is_active=True))
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)
    business_unit = forms.ModelChoiceField(queryset=BusinessUnit.objects.all(), required=False)


class MembershipRoleForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "business_unit", "delegate"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        group = self.instance.working_group
        self.fields["delegate"].queryset = User.objects.filter(
            memberships__working_group=group
        ).exclude(pk=self.instance.user_id)
