"""One meeting's page and what acts on the whole meeting: drafting its agenda, sharing
its notes, attendance, and its downloads; the index of meetings and the calendar token."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from apps.accounts import policy
from apps.accounts.models import User, WorkingGroup
from apps.accounts.permissions import PolicyRequiredMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.meetings import calendar, hooks, selectors, services
from apps.meetings.forms import (
    ActionItemForm,
    AgendaItemForm,
    DecisionForm,
    add_request_key,
)
from apps.meetings.markup import render_markdown
from apps.meetings.models import CalendarToken, Meeting


def _error_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(f"{f}: {' '.join(m)}" for f, m in exc.message_dict.items())
    return " ".join(exc.messages)


class IndexView(LoginRequiredMixin, TemplateView):
    template_name = "meetings/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(selectors.index_for(user))
        token = CalendarToken.objects.filter(user=user).first()
        context["feed_token"] = token.token if token else None
        context["groups"] = list(WorkingGroup.objects.visible_to(user))
        context["managed_group_ids"] = {
            g.pk for g in context["groups"] if policy.allows(user, g, Action.MANAGE)
        }
        return context


class CalendarTokenView(LoginRequiredMixin, View):
    """Make (or with reset=1, replace) the secret for the person's calendar feed URLs."""

    def post(self, request):
        if request.POST.get("reset"):
            services.calendar_token_reset(user=request.user)
        else:
            services.calendar_token_for(user=request.user)
        return redirect("meetings:index")


class MeetingMixin(PolicyRequiredMixin):
    """Pages about one meeting: a meeting you cannot see is not found."""

    def get_meeting(self) -> Meeting:
        if not hasattr(self, "_meeting"):
            self._meeting = get_object_or_404(
                Meeting.objects.select_related("working_group"), pk=self.kwargs["pk"]
            )
        return self._meeting

    def get_policy_target(self) -> PolicyTarget:
        meeting = self.get_meeting()
        if not policy.allows(self.request.user, meeting.working_group_id, Action.READ):
            raise Http404("No such meeting.")
        return PolicyTarget(group=meeting.working_group_id)


def _kind_form(kind: hooks.DecisionKind, meeting, user, data=None, **kwargs):
    prefix = kind.name.replace(".", "-")
    return add_request_key(kind.form(data, meeting=meeting, user=user, prefix=prefix, **kwargs))


def _kind_forms(meeting, user, bound: tuple | None, query) -> list[tuple]:
    """(kind, form) for each decision kind that brings a form and has something to decide;
    `bound` is (kind name, form) coming back with its errors. `?decide=<kind>&subject=<id>`
    (an agenda item's "Record the decision" link) preselects the subject."""
    forms_ = []
    for kind in hooks.decision_kinds().values():
        if kind.form is None:
            continue
        # A control the person's role cannot use is not shown: it would end in a 403.
        if kind.requires and not policy.allows(user, meeting.working_group_id, kind.requires):
            continue
        if bound is not None and bound[0] == kind.name:
            forms_.append((kind, bound[1]))
            continue
        initial = {}
        field = getattr(kind.form, "subject_field", None)
        if field and query.get("decide") == kind.name and query.get("subject", "").isdigit():
            initial[field] = int(query["subject"])
        form = _kind_form(kind, meeting, user, initial=initial)
        if form.is_available():
            forms_.append((kind, form))
    return forms_


def _link_decisions(agenda, kind_forms) -> None:
    """Give each agenda item about something a kind's form can decide now (a milestone
    due, say) a `decide_url` to that form with the item's subject preselected."""
    for kind, form in kind_forms:
        model, field = getattr(form, "subject_model", None), getattr(form, "subject_field", None)
        if model is None or field is None:
            continue
        content_type = ContentType.objects.get_for_model(model)
        open_ids = {str(value) for value, _ in form.fields[field].choices if value != ""}
        for item in agenda:
            if item.subject_type_id == content_type.pk and str(item.subject_id) in open_ids:
                item.decide_url = (
                    f"?decide={kind.name}&subject={item.subject_id}#decide-{form.prefix}"
                )


def meeting_context(request, meeting_pk: int, **extra) -> dict:
    user = request.user
    meeting = selectors.meeting_detail(meeting_pk, user)
    group = meeting.working_group
    can_manage = policy.allows(user, group, Action.MANAGE)
    members = selectors.writers_queryset(group)
    today = timezone.localdate()
    context = {
        "meeting": meeting,
        "group": group,
        "agenda": meeting.agenda,
        "agenda_minutes": sum(i.minutes for i in meeting.agenda),
        "over_minutes": max(sum(i.minutes for i in meeting.agenda) - meeting.duration_minutes, 0),
        "attendance_taken": selectors.attendance_taken(meeting.attendee_list),
        "can_manage": can_manage,
        "can_write": selectors.may_edit_notes(user, meeting),
        "can_create": policy.allows(user, group, Action.CREATE),
        "action_rows": [{"item": i, "overdue": i.is_overdue(today)} for i in meeting.action_list],
        "decision_kinds": hooks.decision_kinds(),
        "decision_rows": hooks.describe_decisions(meeting.decision_list),
    }
    if context["can_write"]:
        context["decision_form"] = extra.pop("decision_form", None) or DecisionForm(
            agenda=meeting.agenda
        )
        context["kind_forms"] = _kind_forms(
            meeting, user, extra.pop("kind_form", None), request.GET
        )
        _link_decisions(meeting.agenda, context["kind_forms"])
    if context["can_create"]:
        context["action_form"] = extra.pop("action_form", None) or ActionItemForm(members=members)
    if can_manage:
        context["notes_dispatch"] = selectors.last_notes_dispatch(meeting)
        context["item_form"] = extra.pop("item_form", None) or AgendaItemForm(members=members)
    context.update(extra)
    return context


class MeetingView(MeetingMixin, TemplateView):
    template_name = "meetings/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(meeting_context(self.request, self.get_meeting().pk))
        return context


class DraftAgendaView(MeetingMixin, View):
    """Drafting the agenda. A first draft is written at once; a redraft is shown first (GET:
    what it would add, update, remove and keep) and written when the PM confirms that very
    preview (POST with its fingerprint as `expected`)."""

    policy_action = Action.MANAGE

    def _preview(self, request, meeting, *, status=200, error=""):
        preview = services.meeting_redraft_preview(actor=request.user, meeting=meeting)
        context = {"meeting": meeting, "plan": preview, "error": error}
        return render(request, "meetings/redraft_preview.html", context, status=status)

    def get(self, request, pk):
        meeting = self.get_meeting()
        try:
            return self._preview(request, meeting)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
            return redirect("meetings:detail", pk=meeting.pk)

    def post(self, request, pk):
        meeting = self.get_meeting()
        expected = request.POST.get("expected") or None
        try:
            result = services.meeting_draft_agenda(
                actor=request.user, meeting=meeting, expected=expected
            )
        except ValidationError as exc:
            if "expected" in getattr(exc, "message_dict", {}):
                # The program moved on since the preview: show the plan as it is now.
                return self._preview(
                    request, meeting, status=409, error=" ".join(exc.message_dict["expected"])
                )
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request,
                f"Agenda drafted: {result.created} new, {result.updated} updated, "
                f"{result.dropped} no longer relevant. Your own edits and order were kept.",
            )
        return redirect("meetings:detail", pk=meeting.pk)


class ShareView(MeetingMixin, View):
    """Sharing the notes: a preview with who receives them (GET), then the emailing (POST).
    Notes of a meeting that has not started yet are sent only with `confirm_not_held`."""

    policy_action = Action.MANAGE

    def _preview(self, request, meeting, *, status=200, error=""):
        report = selectors.meeting_report(meeting, viewer=request.user)
        context = {
            "meeting": meeting,
            "recipients": services.share_recipients(meeting),
            "held": selectors.meeting_has_started(meeting),
            "body": render_markdown(selectors.meeting_markdown(report)),
            "error": error,
        }
        return render(request, "meetings/share_preview.html", context, status=status)

    def get(self, request, pk):
        return self._preview(request, self.get_meeting())

    def post(self, request, pk):
        meeting = self.get_meeting()
        confirm = request.POST.get("confirm_not_held") in ("on", "1", "true")
        try:
            dispatch = services.meeting_share_notes(
                actor=request.user, meeting=meeting, confirm_not_held=confirm
            )
        except ValidationError as exc:
            return self._preview(request, meeting, status=400, error=" ".join(exc.messages))
        messages.success(
            request, f"Sharing the notes with {dispatch.total} people: progress below."
        )
        return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#notes-dispatch")


class NotesDispatchView(LoginRequiredMixin, View):
    """The progress of one emailing of a meeting's notes: the partial polls itself (htmx)
    until the job has sent every copy or failed; without htmx, the meeting's page shows it."""

    def get(self, request, pk):
        dispatch = selectors.notes_dispatch_for(request.user, pk)
        if request.htmx:
            return render(request, "meetings/_notes_dispatch.html", {"dispatch": dispatch})
        return redirect(reverse("meetings:detail", args=[dispatch.meeting_id]) + "#notes-dispatch")


class AttendanceView(MeetingMixin, View):
    def post(self, request, pk):
        meeting = self.get_meeting()
        ids = [int(v) for v in request.POST.getlist("present") if v.isdigit() and len(v) < 19]
        present = User.objects.filter(pk__in=ids)
        try:
            services.meeting_record_attendance(actor=request.user, meeting=meeting, present=present)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, "Attendance recorded.")
        return redirect("meetings:detail", pk=meeting.pk)


class MarkdownView(MeetingMixin, View):
    def get(self, request, pk):
        meeting = self.get_meeting()
        report = selectors.meeting_report(meeting, viewer=request.user)
        text = selectors.meeting_markdown(report)
        response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
        name = f"meeting-{meeting.local_start:%Y-%m-%d}-{meeting.pk}.md"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class MeetingIcsView(MeetingMixin, View):
    def get(self, request, pk):
        meeting = self.get_meeting()
        body = calendar.meeting_ics(
            meeting, request.build_absolute_uri(reverse("meetings:detail", args=[meeting.pk]))
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
        return response
