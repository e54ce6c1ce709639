"""A group's recurring meetings and their calendar feed."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from apps.accounts import policy
from apps.accounts.permissions import PolicyRequiredMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.accounts.views import GroupPageMixin
from apps.core.forms import add_service_errors
from apps.meetings import calendar, services
from apps.meetings.forms import (
    SeriesForm,
)
from apps.meetings.models import CalendarToken, Meeting, MeetingSeries


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
