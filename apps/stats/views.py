"""The calculators page: analyse an A/B test and plan a sample size, for people."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.views import View
from django.views.generic import TemplateView

from .engine import StatsError, analyze, sample_size
from .forest import forest_plot
from .forms import AnalysisForm, SampleSizeForm

PAGE = "stats/calculators.html"


class CalculatorsView(LoginRequiredMixin, TemplateView):
    template_name = PAGE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(analysis_form=AnalysisForm(), sample_form=SampleSizeForm())
        return context


class AnalyzeView(LoginRequiredMixin, View):
    """Posts of the analysis form: the htmx partial, or the whole page without JavaScript."""

    def post(self, request):
        form = AnalysisForm(request.POST)
        context = {"analysis_form": form}
        if form.is_valid():
            try:
                result = analyze(form.variants, form.settings)
            except StatsError as error:
                form.add_engine_error(error)
            else:
                context.update(result=result, plot=forest_plot(result), settings=form.settings)
        if request.htmx:
            return render(request, "stats/_analysis.html", context)
        return render(request, PAGE, {**context, "sample_form": SampleSizeForm()})


class SampleSizeView(LoginRequiredMixin, View):
    def post(self, request):
        form = SampleSizeForm(request.POST)
        context = {"sample_form": form}
        if form.is_valid():
            data = form.cleaned_data
            try:
                context["plan"] = sample_size(
                    form.design, data.get("daily_traffic"), data["allocation"]
                )
            except StatsError as error:
                form.add_engine_error(error)
        if request.htmx:
            return render(request, "stats/_sample_size.html", context)
        return render(request, PAGE, {**context, "analysis_form": AnalysisForm()})
