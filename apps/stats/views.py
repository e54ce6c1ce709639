"""The calculators page: analyse an A/B test and plan a sample size, for people.

Every calculation can be saved or shared as a link: the page's query string holds a form's
inputs (each form has its own prefix) and the page restores and calculates them.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from .engine import StatsError, analyze, sample_size
from .forest import forest_plot
from .forms import (
    ANALYSIS_PREFIX,
    LONG_DAYS,
    PLAN_PREFIX,
    SHORT_DAYS,
    AnalysisForm,
    SampleSizeForm,
)
from .readings import level_text, read

PAGE = "stats/calculators.html"


def analysis_context(form: AnalysisForm) -> dict:
    """The analysis form and, when it is valid, its result with the page's readings."""
    context: dict = {"analysis_form": form}
    # A valid form has built its settings; `is not None` says so to the type checker.
    if form.is_valid() and form.settings is not None:
        try:
            result = analyze(form.variants, form.settings)
        except StatsError as error:
            form.add_engine_error(error)
        else:
            context.update(
                result=result,
                plot=forest_plot(result),
                settings=form.settings,
                level=level_text(form.settings.alpha),
                readings=read(result, form.settings, form.variants[0].name),
                share_url=f"{reverse('calculators:index')}?{form.shared_query()}#analysis",
            )
    return context


def duration_warning(days: int | None) -> str:
    if days is None:
        return ""
    if days < SHORT_DAYS:
        return (
            f"Under {SHORT_DAYS} days: run it for at least a full week, or weekday and weekend "
            "behaviour are not both covered."
        )
    if days > LONG_DAYS:
        return (
            f"Over {LONG_DAYS // 7} weeks: returning users, cookie churn and fading novelty "
            "blur a test this long; consider a larger effect, more traffic or fewer variants."
        )
    return ""


def sample_size_context(form: SampleSizeForm) -> dict:
    context: dict = {"sample_form": form}
    if form.is_valid() and form.design is not None:
        data = form.cleaned_data
        try:
            plan = sample_size(form.design, data.get("daily_traffic"), data["allocation"])
        except StatsError as error:
            form.add_engine_error(error)
        else:
            context.update(
                plan=plan,
                duration_warning=duration_warning(plan.duration_days),
                plan_share_url=f"{reverse('calculators:index')}?{form.shared_query()}#sample-size",
            )
    return context


def _bound(form_class, prefix: str, params):
    """A form bound to a shared link's inputs, or an empty one when the link has none."""
    if any(key.startswith(f"{prefix}-") for key in params):
        return form_class(params)
    return form_class()


class CalculatorsView(LoginRequiredMixin, TemplateView):
    template_name = PAGE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        analysis = _bound(AnalysisForm, ANALYSIS_PREFIX, self.request.GET)
        plan = _bound(SampleSizeForm, PLAN_PREFIX, self.request.GET)
        context.update(
            analysis_context(analysis) if analysis.is_bound else {"analysis_form": analysis}
        )
        context.update(sample_size_context(plan) if plan.is_bound else {"sample_form": plan})
        return context


class AnalyzeView(LoginRequiredMixin, View):
    """Posts of the analysis form: the htmx partial, or the whole page without JavaScript."""

    def post(self, request):
        context = analysis_context(AnalysisForm(request.POST))
        if request.htmx:
            return render(request, "stats/_analysis.html", context)
        return render(request, PAGE, {**context, "sample_form": SampleSizeForm()})


class SampleSizeView(LoginRequiredMixin, View):
    def post(self, request):
        context = sample_size_context(SampleSizeForm(request.POST))
        if request.htmx:
            return render(request, "stats/_sample_size.html", context)
        return render(request, PAGE, {**context, "analysis_form": AnalysisForm()})
