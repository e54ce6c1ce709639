"""The agenda of one meeting: adding, ordering, editing and removing items, and each
item's notes. htmx requests get the partial they swap."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django_htmx.http import reswap, retarget

from apps.accounts import policy
from apps.accounts.permissions import PolicyRequiredMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.core.forms import add_service_errors
from apps.meetings import selectors, services
from apps.meetings.forms import (
    AgendaItemEditForm,
    AgendaItemForm,
    NotesForm,
)
from apps.meetings.models import AgendaItem, Meeting

from .meeting import MeetingMixin, _error_text, meeting_context


def _agenda_response(request, meeting: Meeting):
    """The agenda partial after a change (htmx), or back to the meeting page."""
    if not request.htmx:
        return redirect("meetings:detail", pk=meeting.pk)
    context = meeting_context(request, meeting.pk)
    return render(request, "meetings/_agenda.html", context)


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
            return render(request, "meetings/_agenda.html", context, status=422)
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
        # A form error is a 422, which htmx swaps (base.html's responseHandling); a conflict
        # is an answer to choose from, not an error.
        response = render(
            request,
            "meetings/_agenda_item_edit.html",
            context,
            status=422 if status == 400 else 200,
        )
        # The form targets the whole agenda for a successful save; an error or a conflict
        # replaces only this item's card.
        return reswap(retarget(response, f"#item-{self.get_item().pk}"), "outerHTML")

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
