"""The program manager pins a hypothesis to the top of the ranking, with a reason, or unpins it.

From the ranking (htmx: the ranking re-renders, an error shows beside the reason) or as a
plain form post that returns to the backlog.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.views import View

from apps.accounts.policy import Action
from apps.backlog import services
from apps.backlog.forms import PinForm

from .hypotheses import HypothesisMixin
from .ranking import backlog_url, ranking_context


class PinView(HypothesisMixin, View):
    policy_action = Action.MANAGE

    def get(self, request, pk):
        return redirect("backlog:hypothesis", pk=pk)

    def _done(self, request, *, errors=None, status=200):
        h = self.get_hypothesis()
        query = request.POST.get("return_query", "")[:2000]
        if request.htmx:
            context = ranking_context(request, h.working_group, QueryDict(query), highlight=h.pk)
            context["pin_errors"] = {h.pk: errors} if errors else {}
            return render(request, "backlog/_ranking.html", context, status=status)
        if errors:
            messages.error(request, f"{h.title} was not pinned: {' '.join(errors)}")
        return redirect(backlog_url(h.working_group, query))

    def post(self, request, pk):
        form = PinForm(request.POST)
        if not form.is_valid():
            return self._done(request, errors=form.errors["reason"], status=422)
        try:
            services.hypothesis_pin(
                actor=request.user,
                hypothesis=self.get_hypothesis(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            return self._done(request, errors=exc.messages, status=422)
        if not request.htmx:
            messages.success(request, f"{self.get_hypothesis().title} is pinned to the top.")
        return self._done(request)


class UnpinView(PinView):
    def post(self, request, pk):
        services.hypothesis_unpin(actor=request.user, hypothesis=self.get_hypothesis())
        if not request.htmx:
            messages.success(request, f"{self.get_hypothesis().title} is ranked by score again.")
        return self._done(request)
