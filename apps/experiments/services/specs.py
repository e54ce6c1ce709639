"""The parts of a design passed to the services: variants and metric roles."""

from dataclasses import dataclass

from apps.experiments.models import Metric


@dataclass(frozen=True)
class VariantSpec:
    name: str
    weight: float
    is_control: bool = False
    description: str = ""


@dataclass(frozen=True)
class MetricSpec:
    metric: Metric
    role: str
    harm_threshold: float | None = None
