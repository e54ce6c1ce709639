from django import forms

from . import policy
from .models import BusinessUnit, Membership, Role, User
from .policy import Action


def _without_admin(choices) -> list:
    return [choice for choice in choices if choice[0] != Role.ADMIN]


class MembershipAddForm(forms.Form):
    """Add a person; only an admin offers the admin role."""

    user = forms.ModelChoiceField(queryset=User.objects.filter(is_active=True))
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)
    business_unit = forms.ModelChoiceField(queryset=BusinessUnit.objects.all(), required=False)

    def __init__(self, *args, actor: User, group, **kwargs):
        super().__init__(*args, **kwargs)
        if not policy.allows(actor, group, Action.CONFIGURE):
            self.fields["role"].choices = _without_admin(self.fields["role"].choices)


class MembershipRoleForm(forms.ModelForm):
    """Edit a membership, offering only the fields the person editing may set.

    Everyone names their own delegate; the business unit (which confidentiality trusts)
    and the role are the program manager's or an admin's, and only an admin grants,
    changes or takes away the admin role.
    """

    class Meta:
        model = Membership
        fields = ["role", "business_unit", "delegate"]

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        group = self.instance.working_group
        self.fields["delegate"].queryset = User.objects.filter(
            memberships__working_group=group
        ).exclude(pk=self.instance.user_id)
        if not policy.allows(actor, group, Action.MANAGE):
            del self.fields["role"], self.fields["business_unit"]
        elif not policy.allows(actor, group, Action.CONFIGURE):
            if self.instance.role == Role.ADMIN:
                del self.fields["role"]
            else:
                self.fields["role"].choices = _without_admin(self.fields["role"].choices)
