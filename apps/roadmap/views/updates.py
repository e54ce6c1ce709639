"""The stakeholder update: the page, its Markdown, and emailing it with its progress."""

import datetime

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from apps.accounts import policy
from apps.accounts.models import WorkingGroup
from apps.accounts.permissions import PolicyRequiredMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.core.forms import add_service_errors
from apps.roadmap import selectors, services, updates
from apps.roadmap.forms import UpdateRangeForm

from .plans import error_text


class UpdateMixin(PolicyRequiredMixin):
    """The update of one of your groups (`group=<slug>`) for `since`–`until`."""

    def get_policy_target(self) -> PolicyTarget:
        params = self.request.POST if self.request.method == "POST" else self.request.GET
        groups = WorkingGroup.objects.visible_to(self.request.user).order_by("name")
        slug = params.get("group")
        self.group = groups.filter(slug=slug).first() if slug else groups.first()
        if self.group is None:
            raise Http404("No such working group.")
        today = timezone.localdate()
        defaults = {"since": today - datetime.timedelta(days=28), "until": today}
        self.range_form = UpdateRangeForm(
            {
                "since": params.get("since") or defaults["since"],
                "until": params.get("until") or defaults["until"],
            }
        )
        return PolicyTarget(group=self.group)

    def get_update(self):
        if not self.range_form.is_valid():
            return None
        data = self.range_form.cleaned_data
        try:
            services.check_update_range(data["since"], data["until"])
        except ValidationError as exc:
            add_service_errors(exc, self.range_form)
            return None
        return selectors.stakeholder_update(
            self.request.user, self.group, data["since"], data["until"]
        )


def _introduction(params) -> tuple[str, str]:
    """The introduction a request carries, checked: (text, error)."""
    try:
        return services.check_introduction(params.get("introduction", "")), ""
    except ValidationError as exc:
        return "", " ".join(exc.messages)


class UpdateView(UpdateMixin, View):
    """The update as stakeholders will read it. The program manager may write an
    introduction (`introduction=`), previewed here above the update and sent with it."""

    def get(self, request):
        update = self.get_update()
        can_send = policy.allows(request.user, self.group, Action.MANAGE)
        introduction, introduction_error = _introduction(request.GET) if can_send else ("", "")
        if update is not None:
            update.introduction = introduction
        return render(
            request,
            "roadmap/update.html",
            {
                "group": self.group,
                "groups": WorkingGroup.objects.visible_to(request.user).order_by("name"),
                "form": self.range_form,
                "u": update,
                "can_send": can_send,
                "last_dispatch": selectors.last_dispatch(self.group) if can_send else None,
                "recipients": selectors.stakeholders_of(self.group),
                "query": request.GET.urlencode(),
                "introduction_error": introduction_error,
            },
            status=200 if update is not None and not introduction_error else 400,
        )


class UpdateMarkdownView(UpdateMixin, View):
    def get(self, request):
        update = self.get_update()
        if update is None:
            return HttpResponse(
                "Bad range: " + self.range_form.errors.as_text(),
                status=400,
                content_type="text/plain",
            )
        if policy.allows(request.user, self.group, Action.MANAGE):
            update.introduction = _introduction(request.GET)[0]
        body = updates.as_markdown(update, base_url=request.build_absolute_uri("/"))
        response = HttpResponse(body, content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{updates.filename(update)}"'
        return response


class UpdateSendView(UpdateMixin, View):
    """Queue the emailing; the answer shows its progress (htmx polls it) or leads to it."""

    policy_action = Action.MANAGE

    def post(self, request):
        if not self.range_form.is_valid():
            return HttpResponse(
                self.range_form.errors.as_text(), status=400, content_type="text/plain"
            )
        data = self.range_form.cleaned_data
        try:
            dispatch = services.stakeholder_update_send(
                actor=request.user, group=self.group, since=data["since"], until=data["until"],
                introduction=request.POST.get("introduction", ""),
            )  # fmt: skip
        except ValidationError as exc:
            return HttpResponse(error_text(exc), status=400, content_type="text/plain")
        dispatch.refresh_from_db()  # without a broker the job has already run
        if request.htmx:
            return render(request, "roadmap/_dispatch.html", {"dispatch": dispatch})
        return redirect("roadmap:update-dispatch", pk=dispatch.pk)


class UpdateDispatchView(LoginRequiredMixin, View):
    """How the emailing of an update is going: queued, sending (n of m), sent or failed."""

    def get(self, request, pk):
        dispatch = selectors.dispatch_for(request.user, pk)
        if request.htmx:
            return render(request, "roadmap/_dispatch.html", {"dispatch": dispatch})
        return render(request, "roadmap/dispatch.html", {"dispatch": dispatch})
