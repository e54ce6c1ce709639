from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import TemplateView

from apps.core.dashboard import panels_for
from apps.core.forms import add_service_errors

from . import policy, selectors, services
from .forms import MembershipAddForm, MembershipRoleForm
from .models import Membership, Role, WorkingGroup
from .permissions import PolicyRequiredMixin
from .policy import Action, PolicyTarget


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = selectors.dashboard_groups_for(self.request.user)
        context["panels"] = panels_for(self.request.user)
        return context


class GroupPageMixin(PolicyRequiredMixin):
    def get_group(self) -> WorkingGroup:
        if not hasattr(self, "_group"):
            self._group = get_object_or_404(WorkingGroup, slug=self.kwargs["slug"])
        return self._group

    def get_policy_target(self) -> PolicyTarget:
        group = self.get_group()
        if not policy.allows(self.request.user, group, Action.READ):
            raise Http404("No such working group.")  # don't reveal groups you are not in
        return PolicyTarget(group=group)


class WorkingGroupView(GroupPageMixin, TemplateView):
    template_name = "accounts/group_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        group = selectors.group_with_members(self.kwargs["slug"])
        can_manage = policy.allows(self.request.user, group, Action.MANAGE)
        my_role = policy.role_in(self.request.user, group)
        context.update(
            group=group,
            can_manage=can_manage,
            my_role=my_role,
            my_role_label=Role(my_role).label if my_role else None,
            add_form=MembershipAddForm(actor=self.request.user, group=group)
            if can_manage
            else None,
            changes=selectors.recent_membership_changes(group) if can_manage else None,
        )
        return context


class MembershipAddView(GroupPageMixin, View):
    policy_action = Action.MANAGE

    def post(self, request, slug):
        group = self.get_group()
        form = MembershipAddForm(request.POST, actor=request.user, group=group)
        if form.is_valid():
            try:
                membership = services.membership_add(
                    actor=request.user, group=group, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                if not request.htmx:
                    return redirect("group-detail", slug=slug)
                return render(
                    request,
                    "accounts/_member_row.html",
                    {"m": membership, "group": group, "can_manage": True},
                )
        response = render(
            request,
            "accounts/_member_add_form.html",
            {"group": group, "add_form": form},
            # htmx swaps only 2xx answers: send the form back as a 200 retargeted at itself.
            status=200 if request.htmx else 400,
        )
        response["HX-Retarget"] = "#member-add"
        response["HX-Reswap"] = "outerHTML"
        return response


class MembershipEditView(GroupPageMixin, View):
    """Edit one membership: the PM changes anything, a member only their own delegate."""

    def get_membership(self) -> Membership:
        membership = get_object_or_404(
            Membership.objects.select_related("user", "working_group"),
            pk=self.kwargs["pk"],
            working_group=self.get_group(),
        )
        if membership.user_id != self.request.user.pk:
            policy.require(self.request.user, membership.working_group, Action.MANAGE)
        return membership

    def get(self, request, slug, pk):
        membership = self.get_membership()
        return render(
            request,
            "accounts/_member_edit.html",
            {
                "m": membership,
                "group": membership.working_group,
                "form": MembershipRoleForm(instance=membership, actor=request.user),
            },
        )

    def post(self, request, slug, pk):
        membership = self.get_membership()
        form = MembershipRoleForm(request.POST, instance=membership, actor=request.user)
        if form.is_valid():
            changed = {f: form.cleaned_data[f] for f in form.changed_data}
            try:
                membership = services.membership_update(
                    actor=request.user,
                    membership=Membership.objects.get(pk=membership.pk),
                    **changed,
                )
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                if request.htmx:
                    return render(
                        request,
                        "accounts/_member_row.html",
                        {
                            "m": membership,
                            "group": membership.working_group,
                            "can_manage": policy.allows(
                                request.user, membership.working_group, Action.MANAGE
                            ),
                        },
                    )
                return redirect("group-detail", slug=slug)
        return render(
            request,
            "accounts/_member_edit.html",
            {"m": membership, "group": membership.working_group, "form": form},
            status=400,
        )
