"""The statistics engine: A/B analysis from per-variant sufficient statistics.

Pure numpy/scipy, no Django: `analyze(variants, settings)` for one analysis,
`analyze_many(batch, settings)` for a whole experiment's metrics × arms × segments,
`sample_size(design)` for planning, `assignment_dependence` / `interaction_effect` for
two experiments sharing units. Metrics are binomial, continuous or ratios Σy/Σx
(analysed by the delta method, `ratio.py`). Impossible input raises `StatsError` naming
the field.
"""

from .analysis import AnalysisResult, ArmResult, analyze
from .batch import BatchInput, BatchResult, analyze_many
from .corrections import adjust_p_values
from .decisions import GuardrailStatus, Recommendation, guardrail_status, recommend
from .errors import StatsError
from .interaction import (
    AssignmentTable,
    Cell,
    Dependence,
    Interaction,
    Verdict,
    assignment_dependence,
    interaction_effect,
    interaction_verdict,
)
from .power import Design, SampleSize, minimum_detectable_effect, sample_size
from .segments import pooled_over_segments, simpsons_paradox
from .settings import AnalysisSettings, Correction, Method, MetricType, Prior
from .shrinkage import Effect, PriorFit, Shrinkage, ShrunkEffect, empirical_bayes
from .statistics import VariantStatistic

__all__ = [
    "AnalysisResult",
    "AnalysisSettings",
    "ArmResult",
    "AssignmentTable",
    "BatchInput",
    "BatchResult",
    "Cell",
    "Correction",
    "Dependence",
    "Design",
    "Effect",
    "GuardrailStatus",
    "Interaction",
    "Method",
    "MetricType",
    "Prior",
    "PriorFit",
    "Recommendation",
    "SampleSize",
    "Shrinkage",
    "ShrunkEffect",
    "StatsError",
    "VariantStatistic",
    "Verdict",
    "adjust_p_values",
    "analyze",
    "analyze_many",
    "assignment_dependence",
    "empirical_bayes",
    "guardrail_status",
    "interaction_effect",
    "interaction_verdict",
    "minimum_detectable_effect",
    "pooled_over_segments",
    "recommend",
    "sample_size",
    "simpsons_paradox",
]
