"""Learning pages: the list, one learning, writing one (prefilled from a concluded
experiment), editing it, linking experiments, and the review steps.

A learning the person may not read (another group's, a draft for a stakeholder, or one
resting on a confidential plan's experiment) is a 404. A form refused by a service comes
back with the errors beside their fields: 422 for htmx, which swaps the form in place, and
400 for a plain post.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django_htmx.http import HttpResponseClientRedirect

from apps.accounts.models import WorkingGroup
from apps.accounts.permissions import PolicyRequiredMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.experiments.models import Experiment, Status
from apps.knowledge.learning_templates import prefill, template_for
from apps.knowledge.models import Learning, LearningLink, LearningStatus, LinkRole
from apps.knowledge.services import learnings as services

PAGE_SIZE = 50
STEP_LABELS = {
    "submit": "Submit for review",
    "publish": "Publish",
    "request_changes": "Send back with a request",
    "reopen": "Reopen for a change",
}


def form_error_status(request) -> int:
    """422 for htmx (base.html lets htmx swap a 422 in), 400 for a plain post."""
    return 422 if request.htmx else 400


class LearningForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="The lesson in one line.")
    changed = forms.CharField(label="What changed", widget=forms.Textarea(attrs={"rows": 3}))
    happened = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 4}))
    why = forms.CharField(label="Why we think so", required=False,
                          widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    next_steps = forms.CharField(label="What we will do next", required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    tags = forms.CharField(required=False, help_text="Comma-separated: shipping, checkout.")

    def __init__(self, *args, template=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Every field is checked by the service, which names the rule; the form only renders.
        for field in self.fields.values():
            field.required = False
            field.max_length = None
            field.validators = []
        if template is not None:
            for name in ("changed", "happened", "why", "next_steps"):
                self.fields[name].help_text = getattr(template, name)

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in self.fields}


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class LearningMixin(PolicyRequiredMixin):
    """Pages about one learning; one the person may not read is a 404."""

    request: HttpRequest
    kwargs: dict[str, Any]

    def get_learning(self) -> Learning:
        if not hasattr(self, "_learning"):
            found = (
                Learning.objects.visible_to(self.request.user)
                .select_related("working_group", "author", "published_by")
                .filter(pk=self.kwargs["pk"])
                .first()
            )
            if found is None:
                raise Http404("No such learning.")
            self._learning = found
        return self._learning

    def get_policy_target(self) -> PolicyTarget:
        learning = self.get_learning()
        return PolicyTarget(group=learning.working_group_id, owner_id=learning.author_id)


def _links(learning: Learning, user) -> list[LearningLink]:
    visible = Experiment.objects.visible_to(user)
    return list(
        LearningLink.objects.filter(learning=learning, experiment__in=visible)
        .select_related("experiment")
        .order_by("role", "pk")
    )


def detail_context(request, learning: Learning, **extra) -> dict:
    user = request.user
    links = _links(learning, user)
    can_edit = learning.is_editable and services.may_edit(user, learning)
    linkable = []
    if can_edit:
        taken = {link.experiment_id for link in links}
        linkable = [
            e for e in Experiment.objects.visible_to(user)
            .filter(working_group_id=learning.working_group_id, status=Status.CONCLUDED)
            .order_by("-concluded_at", "-pk").only("pk", "title", "key")[:200]
            if e.pk not in taken
        ]  # fmt: skip
    steps = services.allowed_steps(learning, user)
    return {
        "learning": learning,
        "links": links,
        "can_edit": can_edit,
        "linkable": linkable,
        "roles": LinkRole.choices,
        "steps": [
            {"name": s, "label": STEP_LABELS[s], "needs_reason": s in services.REASON_REQUIRED}
            for s in steps
        ],
        "errors": [],
        **extra,
    }


class LearningListView(PolicyRequiredMixin, View):
    """The learnings of the person's groups, newest first; filter by status and tag."""

    def get_policy_target(self) -> PolicyTarget:
        return PolicyTarget(group=None)

    def get(self, request):
        status = request.GET.get("status", "")
        tag = request.GET.get("tag", "").strip().lower()[:40]
        qs = Learning.objects.visible_to(request.user).select_related("author", "working_group")
        if status in LearningStatus.values:
            qs = qs.filter(status=status)
        else:
            status = ""
        if tag:
            qs = (
                qs.filter(tags__contains=[tag])
                if _json_contains()
                else qs.filter(tags__icontains=f'"{tag}"')
            )
        page = Paginator(qs.order_by("-published_at", "-updated_at", "-pk"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return render(request, "knowledge/learnings.html", {
            "page": page, "status": status, "tag": tag, "statuses": LearningStatus.choices,
        })  # fmt: skip


def _json_contains() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


class LearningCreateView(PolicyRequiredMixin, View):
    """Write a learning: from a concluded experiment (`?experiment=`), prefilled from its
    design and results, or from scratch in one of your groups (`?group=`)."""

    policy_action = Action.CREATE

    def get_policy_target(self) -> PolicyTarget:
        params = self.request.POST if self.request.method == "POST" else self.request.GET
        self.experiment = None
        raw = params.get("experiment") or self.request.GET.get("experiment")
        if raw:
            if not str(raw).isdigit():
                raise Http404("No such experiment.")
            self.experiment = (
                Experiment.objects.visible_to(self.request.user)
                .select_related("hypothesis", "working_group")
                .filter(pk=int(raw))
                .first()
            )
            if self.experiment is None:
                raise Http404("No such experiment.")
            self.group = self.experiment.working_group
        else:
            groups = WorkingGroup.objects.visible_to(self.request.user).order_by("name")
            slug = params.get("group")
            group = groups.filter(slug=slug).first() if slug else groups.first()
            if group is None:
                raise Http404("No such working group.")
            self.group = group
        return PolicyTarget(group=self.group)

    def _context(self, form) -> dict:
        return {"form": form, "experiment": self.experiment, "group": self.group,
                "template": template_for(self.experiment.type if self.experiment else "ab")}  # fmt: skip

    def get(self, request):
        template = template_for(self.experiment.type if self.experiment else "ab")
        initial = {}
        if self.experiment is not None:
            initial = prefill(self.experiment)
            initial["tags"] = ", ".join(initial["tags"])
        form = LearningForm(initial=initial, template=template)
        return render(request, "knowledge/learning_form.html", self._context(form))

    def post(self, request):
        template = template_for(self.experiment.type if self.experiment else "ab")
        form = LearningForm(request.POST, template=template)
        form.is_valid()
        values = form.values()
        try:
            learning = services.learning_create(
                actor=request.user, group=self.group, title=values["title"],
                changed=values["changed"], happened=values["happened"], why=values["why"],
                next_steps=values["next_steps"], tags=services.check_tags(values["tags"]),
                experiments=[(self.experiment, LinkRole.SUPPORTS)] if self.experiment else [],
            )  # fmt: skip
        except ValidationError as exc:
            _add_errors(form, exc)
            name = (
                "knowledge/_learning_form.html" if request.htmx else "knowledge/learning_form.html"
            )
            return render(request, name, self._context(form), status=form_error_status(request))
        url = reverse("knowledge:learning", args=[learning.pk])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


class LearningDetailView(LearningMixin, View):
    def get(self, request, pk):
        return render(request, "knowledge/learning.html",
                      detail_context(request, self.get_learning()))  # fmt: skip


class LearningEditView(LearningMixin, View):
    policy_action = Action.EDIT

    def _template(self, learning: Learning):
        first = learning.links.select_related("experiment").first()
        return template_for(first.experiment.type if first else "ab")

    def get(self, request, pk):
        learning = self.get_learning()
        if not learning.is_editable:
            return redirect("knowledge:learning", pk=learning.pk)
        initial = {name: getattr(learning, name) for name in services.TEXT_FIELDS}
        initial["tags"] = ", ".join(learning.tags or [])
        form = LearningForm(initial=initial, template=self._template(learning))
        return render(request, "knowledge/learning_form.html",
                      {"form": form, "learning": learning, "group": learning.working_group})  # fmt: skip

    def post(self, request, pk):
        learning = self.get_learning()
        form = LearningForm(request.POST, template=self._template(learning))
        form.is_valid()
        values = form.values()
        try:
            values["tags"] = services.check_tags(values["tags"])
            services.learning_update(actor=request.user, learning=learning, **values)
        except ValidationError as exc:
            _add_errors(form, exc)
            context = {"form": form, "learning": learning, "group": learning.working_group}
            name = (
                "knowledge/_learning_form.html" if request.htmx else "knowledge/learning_form.html"
            )
            return render(request, name, context, status=form_error_status(request))
        url = reverse("knowledge:learning", args=[learning.pk])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


class LearningTransitionView(LearningMixin, View):
    """Submit, publish, send back or reopen: who may take which step is the service's call."""

    def post(self, request, pk):
        learning = self.get_learning()
        try:
            services.learning_transition(actor=request.user, learning=learning,
                                         action=request.POST.get("action", ""),
                                         reason=request.POST.get("reason", ""))  # fmt: skip
        except ValidationError as exc:
            errors = [m for ms in exc.message_dict.values() for m in ms]
            return render(request, "knowledge/learning.html",
                          detail_context(request, learning, errors=errors),
                          status=form_error_status(request))  # fmt: skip
        url = reverse("knowledge:learning", args=[learning.pk])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


class LearningLinkView(LearningMixin, View):
    """Rest the learning on one more experiment, supporting or contradicting it."""

    policy_action = Action.EDIT

    def post(self, request, pk):
        learning = self.get_learning()
        raw = request.POST.get("experiment", "")
        experiment = (
            Experiment.objects.filter(pk=int(raw)).first()
            if raw.isdigit() and len(raw) < 12
            else None
        )
        try:
            if experiment is None:
                raise ValidationError({"experiment": "Choose an experiment of this working group."})
            services.learning_link(actor=request.user, learning=learning, experiment=experiment,
                                   role=request.POST.get("role", LinkRole.SUPPORTS))  # fmt: skip
        except ValidationError as exc:
            errors = [m for ms in exc.message_dict.values() for m in ms]
            return render(request, "knowledge/learning.html",
                          detail_context(request, learning, errors=errors),
                          status=form_error_status(request))  # fmt: skip
        url = reverse("knowledge:learning", args=[learning.pk])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


class LearningUnlinkView(LearningMixin, View):
    policy_action = Action.EDIT

    def post(self, request, pk, experiment_pk):
        learning = self.get_learning()
        experiment = Experiment.objects.filter(pk=experiment_pk).first()
        try:
            if experiment is None:
                raise ValidationError(
                    {"experiment": "This learning does not rest on that experiment."}
                )
            services.learning_unlink(actor=request.user, learning=learning, experiment=experiment)
        except ValidationError as exc:
            errors = [m for ms in exc.message_dict.values() for m in ms]
            return render(request, "knowledge/learning.html",
                          detail_context(request, learning, errors=errors),
                          status=form_error_status(request))  # fmt: skip
        url = reverse("knowledge:learning", args=[learning.pk])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
