"""The search page, the navigation's search box target, and the propose form's
"has anyone tested this before?" panel (htmx partials)."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views import View

from apps.accounts.models import WorkingGroup
from apps.accounts.permissions import PolicyRequiredMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.backlog.models import Hypothesis
from apps.knowledge import selectors
from apps.knowledge.models.search import DuplicateLink
from apps.knowledge.search import FACETS
from apps.knowledge.search.engine import semantic_on
from apps.knowledge.search.params import MAX_PAGE, PAGE_SIZE, SearchParams
from apps.knowledge.services import duplicates

FACET_TITLES = {
    "kind": "Kind", "outcome": "Outcome", "status": "Status", "business_unit": "Business unit",
    "surface": "Surface", "metric": "Metric", "tag": "Tag", "year": "Year",
}  # fmt: skip


class AnyReaderMixin(PolicyRequiredMixin):
    """Searching is open to everyone signed in: what each person finds is scoped by the index's
    visibility rule, not by the page."""

    def get_policy_target(self) -> PolicyTarget:
        return PolicyTarget(group=None)


def _search_url(params: dict, **change) -> str:
    from django.utils.http import urlencode

    merged = {**params, **change, "page": change.get("page", 1)}
    return "?" + urlencode({k: v for k, v in merged.items() if v not in ("", None, 1) or k == "q"})


class SearchView(AnyReaderMixin, View):
    def get(self, request):
        params = SearchParams(data=request.GET)
        if not params.is_valid():
            context = {
                "errors": params.errors,
                "q": request.GET.get("q", "")[:200],
                "results": None,
            }
            return render(request, "knowledge/search.html", context, status=400)
        data = params.validated_data
        results = selectors.search_for(
            request.user, data.get("q"), params.filters(), page=data["page"]
        )
        chosen = {k: v for k, v in request.GET.items() if k in (*FACETS, "q") and v}
        facets = [
            {
                "name": name,
                "title": FACET_TITLES[name],
                "values": [
                    {
                        "value": value,
                        "url": _search_url(chosen, **{name: "" if value.selected else value.value}),
                    }
                    for value in results.facets.get(name, [])
                ],
            }
            for name in FACETS
            if results.facets.get(name)
        ]
        page = data["page"]
        context = {
            "results": results,
            "facets": facets,
            "q": data.get("q", ""),
            "page": page,
            "previous_url": _search_url(chosen, page=page - 1) if page > 1 else None,
            "next_url": _search_url(chosen, page=page + 1)
            if results.total > page * PAGE_SIZE and page < MAX_PAGE
            else None,
            "semantic": semantic_on(),
            "chosen": chosen,
        }
        template = "knowledge/_search_results.html" if request.htmx else "knowledge/search.html"
        return render(request, template, context)


class SimilarPanelView(AnyReaderMixin, View):
    """While a hypothesis is drafted: the five most similar past items, with outcomes.

    Reads the propose form's own fields (title, change, rationale), so the form needs no
    knowledge of this app beyond an include; `hypothesis` (an id) marks the saved hypothesis
    the panel is about, which may then be marked as a duplicate.
    """

    def get(self, request):
        hypothesis = _hypothesis_or_none(request, request.GET.get("hypothesis"))
        text = selectors.draft_text(
            *(request.GET.get(name, "")[:2000] for name in ("title", "change", "rationale"))
        )
        if not text and hypothesis is not None:
            text = selectors.hypothesis_text(hypothesis)
        hits = selectors.similar_for(request.user, text, hypothesis=hypothesis) if text else []
        context = _panel_context(request, hits, hypothesis, text)
        if hypothesis is None:
            # A draft: the boxes ticked so far (sent back by the panel) stay ticked, and
            # those no longer among the hits are listed under them.
            ticked = selectors.marked_items(request.user, request.GET.getlist("duplicate_of"))
            shown = {hit.id for hit in hits}
            context["ticked"] = {item.pk for item in ticked}
            context["kept"] = [item for item in ticked if item.pk not in shown]
        return render(request, "knowledge/_similar.html", context)


def _hypothesis_or_none(request, raw) -> Hypothesis | None:
    if not raw or not str(raw).isdigit():
        return None
    return Hypothesis.objects.visible_to(request.user).filter(pk=int(raw)).first()


def _panel_context(request, hits, hypothesis, text) -> dict:
    marked = (
        set(
            selectors.duplicate_links_for(request.user, hypothesis).values_list(
                "item_id", flat=True
            )
        )
        if hypothesis is not None
        else set()
    )
    from apps.accounts import policy

    can_mark = hypothesis is not None and policy.allows(
        request.user, hypothesis.working_group_id, Action.CREATE
    )
    return {"hits": hits, "hypothesis": hypothesis, "marked": marked, "can_mark": can_mark,
            "searched": bool(text)}  # fmt: skip


class DuplicateMarkView(PolicyRequiredMixin, View):
    """POST: mark the hypothesis as a likely duplicate of an item; answers the panel."""

    policy_action = Action.CREATE

    def get_policy_target(self) -> PolicyTarget:
        self.hypothesis = get_object_or_404(
            Hypothesis.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )
        return PolicyTarget(group=self.hypothesis.working_group_id)

    def post(self, request, pk):
        raw = request.POST.get("item", "")
        if not raw.isdigit():
            return HttpResponse("Choose the item it duplicates (item: a number).", status=400)
        try:
            duplicates.duplicate_link_create(
                actor=request.user, hypothesis=self.hypothesis, item_id=int(raw)
            )
        except ValidationError as exc:
            return HttpResponse(
                " ".join(m for ms in exc.message_dict.values() for m in ms), status=400
            )
        text = selectors.hypothesis_text(self.hypothesis)
        hits = selectors.similar_for(request.user, text, hypothesis=self.hypothesis)
        return render(request, "knowledge/_similar.html",
                      _panel_context(request, hits, self.hypothesis, text))  # fmt: skip


class DuplicateUnmarkView(PolicyRequiredMixin, View):
    policy_action = Action.READ

    def get_policy_target(self) -> PolicyTarget:
        self.link = get_object_or_404(
            DuplicateLink.objects.select_related("hypothesis").filter(
                hypothesis__in=Hypothesis.objects.visible_to(self.request.user)
            ),
            pk=self.kwargs["pk"],
        )
        return PolicyTarget(group=self.link.hypothesis.working_group_id)

    def post(self, request, pk):
        hypothesis = self.link.hypothesis
        duplicates.duplicate_link_delete(actor=request.user, link=self.link)
        text = selectors.hypothesis_text(hypothesis)
        hits = selectors.similar_for(request.user, text, hypothesis=hypothesis)
        return render(
            request, "knowledge/_similar.html", _panel_context(request, hits, hypothesis, text)
        )


class SuspectedDuplicatesView(PolicyRequiredMixin, View):
    """The backlog's list of hypotheses marked as likely duplicates (htmx partial)."""

    def get_policy_target(self) -> PolicyTarget:
        slug = self.request.GET.get("group", "")
        self.group = WorkingGroup.objects.visible_to(self.request.user).filter(slug=slug).first()
        if self.group is None:
            raise Http404("No such working group.")
        return PolicyTarget(group=self.group.pk)

    def get(self, request):
        rows = selectors.suspected_duplicates(request.user, self.group)
        return render(request, "knowledge/_duplicates.html", {"rows": rows, "group": self.group})
