"""Meeting pages: the index, one meeting (agenda, notes, decisions, action items), a group's
action items, downloads and the calendar feed. Views read through selectors and write
through services; htmx requests get the partial they swap."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
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
from apps.accounts.views import GroupPageMixin
from apps.backlog.models import Hypothesis
from apps.backlog.models import Status as HypothesisStatus
from apps.core.forms import add_service_errors

from . import calendar, hooks, selectors, services
from .forms import (
    ActionItemForm,
    ActionItemStatusForm,
    AgendaItemEditForm,
    AgendaItemForm,
    DecisionForm,
    NotesForm,
    SeriesForm,
    WorkingSessionForm,
    add_request_key,
)
from .models import ActionItem, AgendaItem, CalendarToken, Kind, Meeting, MeetingSeries


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


def _hypotheses_to_decide(group_id: int) -> list[Hypothesis]:
    return list(
        Hypothesis.objects.filter(
            working_group_id=group_id,
            status__in=[
                HypothesisStatus.PROPOSED,
                HypothesisStatus.ACCEPTED,
                HypothesisStatus.PARKED,
            ],
        )
        .only("pk", "title")
        .order_by("title")[:300]
    )


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
        "can_manage": can_manage,
        "can_write": selectors.may_edit_notes(user, meeting),
        "can_create": policy.allows(user, group, Action.CREATE),
        "action_rows": [{"item": i, "overdue": i.is_overdue(today)} for i in meeting.action_list],
        "decision_kinds": hooks.decision_kinds(),
    }
    if context["can_write"]:
        context["decision_form"] = extra.pop("decision_form", None) or DecisionForm(
            agenda=meeting.agenda, hypotheses=_hypotheses_to_decide(group.pk)
        )
        context["kind_forms"] = _kind_forms(
            meeting, user, extra.pop("kind_form", None), request.GET
        )
        _link_decisions(meeting.agenda, context["kind_forms"])
    if context["can_create"]:
        context["action_form"] = extra.pop("action_form", None) or ActionItemForm(members=members)
    if can_manage:
        context["item_form"] = extra.pop("item_form", None) or AgendaItemForm(members=members)
    context.update(extra)
    return context


class MeetingView(MeetingMixin, TemplateView):
    template_name = "meetings/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(meeting_context(self.request, self.get_meeting().pk))
        return context


def _agenda_response(request, meeting: Meeting):
    """The agenda partial after a change (htmx), or back to the meeting page."""
    if not request.htmx:
        return redirect("meetings:detail", pk=meeting.pk)
    context = meeting_context(request, meeting.pk)
    return render(request, "meetings/_agenda.html", context)


class DraftAgendaView(MeetingMixin, View):
    policy_action = Action.MANAGE

    def post(self, request, pk):
        meeting = self.get_meeting()
        try:
            result = services.meeting_draft_agenda(actor=request.user, meeting=meeting)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request,
                f"Agenda drafted: {result.created} new, {result.updated} updated, "
                f"{result.dropped} no longer relevant. Your own edits were kept.",
            )
        return redirect("meetings:detail", pk=meeting.pk)


class ShareView(MeetingMixin, View):
    policy_action = Action.MANAGE

    def post(self, request, pk):
        meeting = self.get_meeting()
        try:
            count = services.meeting_share_notes(actor=request.user, meeting=meeting)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, f"Notes shared with {count} people.")
        return redirect("meetings:detail", pk=meeting.pk)


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


class AgendaItemAddView(MeetingMixin, View):
    policy_action = Action.MANAGE

    def post(self, request, pk):
        meeting = self.get_meeting()
        members = selectors.writers_queryset(meeting.working_group_id)
        form = AgendaItemForm(request.POST, members=members)
        if form.is_valid():
            try:
                services.agenda_item_add(actor=request.user, meeting=meeting, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#agenda")
        context = meeting_context(request, meeting.pk, item_form=form)
        return render(request, "meetings/detail.html", context, status=400)


class AgendaItemMixin(PolicyRequiredMixin):
    def get_item(self) -> AgendaItem:
        if not hasattr(self, "_item"):
            self._item = get_object_or_404(
                AgendaItem.objects.select_related("meeting__working_group"),
                pk=self.kwargs["pk"],
                removed=False,
            )
        return self._item

    def get_policy_target(self) -> PolicyTarget:
        group_id = self.get_item().meeting.working_group_id
        if not policy.allows(self.request.user, group_id, Action.READ):
            raise Http404("No such agenda item.")
        return PolicyTarget(group=group_id)


class AgendaItemMoveView(AgendaItemMixin, View):
    policy_action = Action.MANAGE

    def post(self, request, pk, direction):  # the URL admits only up|down
        item = self.get_item()
        services.agenda_item_move(actor=request.user, item=item, direction=direction)
        return _agenda_response(request, item.meeting)


class AgendaOrderView(MeetingMixin, View):
    """The agenda in the order the PM dragged it to: every item's id once (`item=`…)."""

    policy_action = Action.MANAGE

    def post(self, request, pk):
        meeting = self.get_meeting()
        raw = request.POST.getlist("item")
        ids = [int(v) for v in raw if v.isdigit() and len(v) < 19]
        try:
            if len(ids) != len(raw):
                raise ValidationError({"items": "Item ids are numbers."})
            services.agenda_reorder(actor=request.user, meeting=meeting, item_ids=ids)
        except ValidationError as exc:
            if not request.htmx:
                messages.error(request, _error_text(exc))
                return redirect("meetings:detail", pk=meeting.pk)
            context = meeting_context(request, meeting.pk, agenda_error=_error_text(exc))
            return render(request, "meetings/_agenda.html", context, status=400)
        return _agenda_response(request, meeting)


class AgendaItemRemoveView(AgendaItemMixin, View):
    policy_action = Action.MANAGE

    def post(self, request, pk):
        item = self.get_item()
        services.agenda_item_remove(actor=request.user, item=item)
        return _agenda_response(request, item.meeting)


def _conflict_rows(form: AgendaItemForm, saved: AgendaItem, yours: dict) -> list[dict]:
    """Each edited field as saved now and as you sent it, for the conflict's side by side."""
    rows = []
    for name in ("title", "minutes", "presenter", "detail"):
        now, sent = getattr(saved, name), yours.get(name)
        if name == "presenter":
            now, sent = (p.display_name if p else "—" for p in (now, sent))
        rows.append(
            {"label": form.fields[name].label or name.title(), "saved": now, "yours": sent,
             "differs": now != sent}
        )  # fmt: skip
    return rows


class AgendaItemEditView(AgendaItemMixin, View):
    """Edit one item in place. The form carries the version it was opened at; if someone
    saved the item since, nothing is overwritten: both versions are shown side by side."""

    policy_action = Action.MANAGE

    def _render(self, request, form, status=200, **extra):
        context = {"item": self.get_item(), "form": form, **extra}
        if not request.htmx:
            return render(request, "meetings/agenda_item_edit.html", context, status=status)
        response = render(request, "meetings/_agenda_item_edit.html", context)
        # The form targets the whole agenda for a successful save; an error or a conflict
        # replaces only this item's card.
        response["HX-Retarget"] = f"#item-{self.get_item().pk}"
        response["HX-Reswap"] = "outerHTML"
        return response

    def _members(self):
        return selectors.writers_queryset(self.get_item().meeting.working_group_id)

    def get(self, request, pk):
        item = self.get_item()
        form = AgendaItemEditForm(
            initial={
                "title": item.title,
                "minutes": item.minutes,
                "detail": item.detail,
                "presenter": item.presenter_id,
                "version": item.version,
            },
            members=self._members(),
        )
        return self._render(request, form)

    def post(self, request, pk):
        item = self.get_item()
        form = AgendaItemEditForm(request.POST, members=self._members())
        if form.is_valid():
            try:
                services.agenda_item_update(actor=request.user, item=item, **form.cleaned_data)
            except services.AgendaItemConflict as conflict:
                # Your values stay in the form, now at the saved version: saving again
                # applies them over the other person's change, knowingly.
                data = request.POST.copy()
                data["version"] = str(conflict.item.version)
                return self._render(
                    request,
                    AgendaItemEditForm(data, members=self._members()),
                    status=409,
                    conflict=conflict.item,
                    conflict_rows=_conflict_rows(form, conflict.item, conflict.yours),
                )
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                return _agenda_response(request, item.meeting)
        return self._render(request, form, status=400)


class NotesView(AgendaItemMixin, View):
    """Save one agenda item's notes; a stale version gets the conflict, never an overwrite."""

    def post(self, request, pk):
        (item,) = selectors.present_agenda([self.get_item()], request.user)
        if getattr(item, "withheld", False):
            raise PermissionDenied(selectors.WITHHELD_NOTES)
        form = NotesForm(request.POST)
        if not form.is_valid():
            return HttpResponse(
                "The notes form was incomplete: " + form.errors.as_text(), status=400
            )
        try:
            item = services.agenda_item_save_notes(
                actor=request.user, item=item, **form.cleaned_data
            )
        except services.NotesConflict as conflict:
            context = {"item": conflict.item, "yours": conflict.yours, "meeting": item.meeting}
            if request.htmx:
                return render(request, "meetings/_notes_conflict.html", context)
            return render(request, "meetings/notes_conflict.html", context, status=409)
        if request.htmx:
            return render(request, "meetings/_notes.html", {"item": item, "can_write": True})
        return redirect(reverse("meetings:detail", args=[item.meeting_id]) + f"#item-{item.pk}")


def _recorded_before(request, meeting: Meeting, request_key: str | None) -> bool:
    """This rendered form was submitted before (a double click landing after the first
    answer changed what the form offers): the decision stands and nothing is checked again."""
    request_key = (request_key or "").strip()
    return (
        bool(request_key)
        and selectors.may_edit_notes(request.user, meeting)
        and meeting.decisions.filter(request_key=request_key).exists()
    )


def _decision_recorded(request, meeting: Meeting):
    messages.success(request, "Decision recorded.")
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#decisions")


class DecisionCreateView(MeetingMixin, View):
    def post(self, request, pk):
        meeting = self.get_meeting()
        if request.POST.get("kind"):
            return self._post_kind(request, meeting, request.POST["kind"])
        if _recorded_before(request, meeting, request.POST.get("request_key")):
            return _decision_recorded(request, meeting)
        agenda = list(AgendaItem.objects.filter(meeting=meeting, removed=False))
        form = DecisionForm(
            request.POST,
            agenda=agenda,
            hypotheses=_hypotheses_to_decide(meeting.working_group_id),
        )
        if form.is_valid():
            data = form.cleaned_data
            item = next((i for i in agenda if i.pk == data["agenda_item"]), None)
            kind, payload = "", None
            if data["hypothesis"]:
                kind = "hypothesis.transition"
                payload = {"hypothesis": data["hypothesis"], "to_status": data["to_status"]}
            try:
                services.decision_record(
                    actor=request.user,
                    meeting=meeting,
                    text=data["text"],
                    agenda_item=item,
                    kind=kind,
                    payload=payload,
                    request_key=data["request_key"],
                )
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                messages.success(request, "Decision recorded.")
                return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#decisions")
        context = meeting_context(request, meeting.pk, decision_form=form)
        return render(request, "meetings/detail.html", context, status=400)

    def _post_kind(self, request, meeting, name: str):
        """A decision through a kind's own form (e.g. the roadmap's milestone decision)."""
        kind = hooks.decision_kinds().get(name)
        if kind is None or kind.form is None:
            messages.error(
                request,
                f"Unknown decision kind {name!r}."
                if kind is None
                else f"Decisions of kind {name!r} are recorded with the decision form.",
            )
            context = meeting_context(request, meeting.pk)
            return render(request, "meetings/detail.html", context, status=400)
        form = _kind_form(kind, meeting, request.user, request.POST)
        if _recorded_before(request, meeting, request.POST.get(form.add_prefix("request_key"))):
            return _decision_recorded(request, meeting)
        if form.is_valid():
            try:
                services.decision_record(
                    actor=request.user,
                    meeting=meeting,
                    text=form.decision_text(),
                    kind=kind.name,
                    payload=form.payload(),
                    request_key=form.cleaned_data["request_key"],
                )
            except ValidationError as exc:
                add_service_errors(exc, form, prefix="payload.")
            else:
                messages.success(request, "Decision recorded.")
                return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#decisions")
        context = meeting_context(request, meeting.pk, kind_form=(kind.name, form))
        return render(request, "meetings/detail.html", context, status=400)


class ActionItemCreateView(MeetingMixin, View):
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
                messages.success(request, "Action item added.")
                return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#action-items")
        context = meeting_context(request, meeting.pk, action_form=form)
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
        context.update(
            group=group,
            owners=owners,
            today=today,
            statuses=ActionItem.Status.choices,
            can_manage=policy.allows(self.request.user, group, Action.MANAGE),
            can_create=policy.allows(self.request.user, group, Action.CREATE),
        )
        return context


class WorkingSessionCreateView(GroupPageMixin, View):
    """A "meeting between meetings" about one action item or hypothesis."""

    policy_action = Action.CREATE

    def _subject(self, request):
        model = ActionItem if self.kwargs["about"] == "action-item" else Hypothesis
        pk = int(self.kwargs["about_pk"]) if len(self.kwargs["about_pk"]) < 19 else 0
        found = model.objects.filter(pk=pk, working_group=self.get_group()).first()
        if found is None:
            raise Http404("No such action item or hypothesis in this working group.")
        return self.kwargs["about"], found

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


class SeriesCreateView(GroupPageMixin, View):
    """The program manager sets up the group's recurring meeting; it is scheduled ahead."""

    policy_action = Action.MANAGE

    def _render(self, request, form, status=200):
        context = {"form": form, "group": self.get_group()}
        return render(request, "meetings/series_form.html", context, status=status)

    def get(self, request, slug):
        return self._render(
            request,
            SeriesForm(
                initial={
                    "starts_on": timezone.localdate(),
                    "timezone": timezone.get_current_timezone_name(),
                }
            ),
        )

    def post(self, request, slug):
        form = SeriesForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                series = services.series_create(
                    actor=request.user,
                    group=self.get_group(),
                    timezone_name=data.pop("timezone"),
                    **data,
                )
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                count = series.meetings.count()
                messages.success(request, f"“{series.title}” set up: {count} meeting(s) ahead.")
                return redirect("meetings:index")
        return self._render(request, form, status=400)


class SeriesGenerateView(PolicyRequiredMixin, View):
    policy_action = Action.MANAGE

    def get_policy_target(self) -> PolicyTarget:
        self.series = get_object_or_404(MeetingSeries, pk=self.kwargs["pk"])
        if not policy.allows(self.request.user, self.series.working_group_id, Action.READ):
            raise Http404("No such series.")
        return PolicyTarget(group=self.series.working_group_id)

    def post(self, request, pk):
        created = services.series_generate(series=self.series)
        messages.success(request, f"{len(created)} meeting(s) scheduled ahead.")
        return redirect("meetings:index")


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


class SeriesFeedView(View):
    """A series' meetings for calendar apps, which cannot sign in: the secret token in the
    URL names the person, and the policy still decides whether they see the series."""

    def get(self, request, token, pk):
        found = CalendarToken.objects.select_related("user").filter(token=token).first()
        series = MeetingSeries.objects.filter(pk=pk).first()
        if (
            found is None
            or series is None
            or not policy.allows(found.user, series.working_group_id, Action.READ)
        ):
            raise Http404("No such calendar feed.")
        since = timezone.now() - timedelta(days=90)
        meetings = list(Meeting.objects.filter(series=series, starts_at__gte=since))
        body = calendar.feed_ics(
            series.title,
            meetings,
            lambda m: request.build_absolute_uri(reverse("meetings:detail", args=[m.pk])),
        )
        return HttpResponse(body, content_type="text/calendar; charset=utf-8")
