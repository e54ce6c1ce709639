"""Action items of a meeting and of a group, and working sessions about one subject."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from apps.accounts import policy
from apps.accounts.permissions import PolicyRequiredMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.accounts.views import GroupPageMixin
from apps.core.forms import add_service_errors
from apps.meetings import selectors, services
from apps.meetings.forms import (
    ActionItemForm,
    ActionItemStatusForm,
    WorkingSessionForm,
)
from apps.meetings.models import ActionItem, Kind
from apps.meetings.services.action_items import action_items_updatable_by
from apps.meetings.subjects import resolve_subject

from .meeting import MeetingMixin, _error_text, meeting_context


class ActionItemCreateView(MeetingMixin, View):
    """Adds an action item. From htmx the meeting's action-items block is swapped in place:
    with the new row, or with the form and its errors beside their fields (a 422, which
    base.html's htmx-config swaps), so the person never loses their place on the page."""

    policy_action = Action.CREATE

    def post(self, request, pk):
        meeting = self.get_meeting()
        form = ActionItemForm(
            request.POST, members=selectors.writers_queryset(meeting.working_group_id)
        )
        if form.is_valid():
            try:
                services.action_item_create(
                    actor=request.user,
                    group=meeting.working_group,
                    meeting=meeting,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                if request.htmx:
                    context = meeting_context(request, meeting.pk, action_added=True)
                    return render(request, "meetings/_action_items.html", context)
                messages.success(request, "Action item added.")
                return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#action-items")
        context = meeting_context(request, meeting.pk, action_form=form)
        if request.htmx:
            return render(request, "meetings/_action_items.html", context, status=422)
        return render(request, "meetings/detail.html", context, status=400)


class ActionItemStatusView(PolicyRequiredMixin, View):
    def get_policy_target(self) -> PolicyTarget:
        self.item = get_object_or_404(
            ActionItem.objects.select_related("working_group"), pk=self.kwargs["pk"]
        )
        if not policy.allows(self.request.user, self.item.working_group_id, Action.READ):
            raise Http404("No such action item.")
        return PolicyTarget(group=self.item.working_group_id)

    def post(self, request, pk):
        form = ActionItemStatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.errors.as_text())
        else:
            try:
                services.action_item_update(actor=request.user, item=self.item, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, _error_text(exc))
            else:
                messages.success(
                    request, f"“{self.item.title}” is {self.item.get_status_display().lower()}."
                )
        return redirect(
            reverse("meetings:action-items", args=[self.item.working_group.slug])
            + f"#action-{self.item.pk}"
        )


class GroupActionItemsView(GroupPageMixin, TemplateView):
    template_name = "meetings/action_items.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        group = self.get_group()
        owners = selectors.open_items_by_owner(group)
        owner_filter = self.request.GET.get("owner", "")
        if owner_filter.isdigit():
            owners = [o for o in owners if o.owner.pk == int(owner_filter)]
        today = timezone.localdate()
        items = [item for o in owners for item in o.items]
        context.update(
            group=group,
            owners=owners,
            today=today,
            # The status controls show only on items this person may change (the policy's
            # answer): anywhere else they would end in a refusal.
            updatable=action_items_updatable_by(self.request.user, items),
            statuses=ActionItem.Status.choices,
            can_manage=policy.allows(self.request.user, group, Action.MANAGE),
            can_create=policy.allows(self.request.user, group, Action.CREATE),
        )
        return context


class WorkingSessionCreateView(GroupPageMixin, View):
    """A "meeting between meetings" about one action item or hypothesis."""

    policy_action = Action.CREATE

    # The URL's word for a subject, as the subject's "app_label.model". Meetings resolve the
    # model by name (as the API's subject_type does) and import no feature app.
    SUBJECTS = {"action-item": "meetings.actionitem", "hypothesis": "backlog.hypothesis"}

    def _subject(self, request):
        about = self.kwargs["about"]
        try:
            found = resolve_subject(self.SUBJECTS[about], self.kwargs["about_pk"], self.get_group())
        except ValidationError:
            raise Http404("No such action item or hypothesis in this working group.") from None
        return about, found

    def _render(self, request, form, key, subject, status=200):
        return render(
            request,
            "meetings/session_form.html",
            {"form": form, "group": self.get_group(), "subject": subject, "subject_key": key},
            status=status,
        )

    def get(self, request, slug, about, about_pk):
        key, subject = self._subject(request)
        members = selectors.members_queryset(self.get_group())
        form = WorkingSessionForm(
            initial={"title": f"Working session: {subject}"[:160]}, members=members
        )
        return self._render(request, form, key, subject)

    def post(self, request, slug, about, about_pk):
        key, subject = self._subject(request)
        group = self.get_group()
        form = WorkingSessionForm(request.POST, members=selectors.members_queryset(group))
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = services.meeting_create(
                    actor=request.user,
                    group=group,
                    kind=Kind.WORKING_SESSION,
                    title=data["title"],
                    starts_at=data["starts_at"],
                    duration_minutes=data["duration_minutes"],
                    timezone_name=timezone.get_current_timezone_name(),
                    attendees=[*data["attendees"], request.user],
                    subject=subject,
                )
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                messages.success(request, "Working session scheduled.")
                return redirect("meetings:detail", pk=meeting.pk)
        return self._render(request, form, key, subject, status=400)
