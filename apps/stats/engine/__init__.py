"""The statistics engine: A/B analysis from per-variant sufficient statistics.

Pure numpy/scipy, no Django: `analyze(variants, settings)` for one analysis,
`analyze_many(batch, settings)` for a whole experiment's metrics × arms × segments,
`sample_size(design)` for planning. Metrics are binomial, continuous or ratios Σy/Σx
(analysed by the delta method, `ratio.py`). Impossible input raises `StatsError` naming
the field.
"""

from .analysis import AnalysisResult, ArmResult, analyze
from .batch import BatchInput, BatchResult, analyze_many
from .corrections import adjust_p_values
from .decisions import GuardrailStatus, Recommendation, guardrail_status, recommend
from .errors import StatsError
from .power import Design, SampleSize, minimum_detectable_effect, sample_size
from .segments import pooled_over_segments, simpsons_paradox
from .settings import AnalysisSettings, Correction, Method, MetricType, Prior
from .statistics import VariantStatistic

__all__ = [
    "AnalysisResult",
    "AnalysisSettings",
    "ArmResult",
    "BatchInput",
    "BatchResult",
    "Correction",
    "Design",
    "GuardrailStatus",
    "Method",
    "MetricType",
    "Prior",
    "Recommendation",
    "SampleSize",
    "StatsError",
    "VariantStatistic",
    "adjust_p_values",
    "analyze",
    "analyze_many",
    "guardrail_status",
    "minimum_detectable_effect",
    "pooled_over_segments",
    "recommend",
    "sample_size",
    "simpsons_paradox",
]
