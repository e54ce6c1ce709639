"""Recording a meeting's decisions: the plain decision form and each decision kind's own
form (a kind brought by another app through its meeting_hooks.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from apps.core.forms import add_service_errors
from apps.meetings import hooks, selectors, services
from apps.meetings.forms import (
    DecisionForm,
)
from apps.meetings.models import AgendaItem, Meeting

from .meeting import MeetingMixin, _kind_form, meeting_context


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
        form = DecisionForm(request.POST, agenda=agenda)
        if form.is_valid():
            data = form.cleaned_data
            item = next((i for i in agenda if i.pk == data["agenda_item"]), None)
            try:
                services.decision_record(
                    actor=request.user,
                    meeting=meeting,
                    text=data["text"],
                    agenda_item=item,
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
        """A decision through a kind's own form (a milestone decision, a hypothesis move)."""
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
