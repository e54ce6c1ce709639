"""The shape of a past experiment in the demo catalogue, and the metrics they moved."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PastMetric:
    key: str
    name: str
    kind: str  # "binomial" or "continuous"
    baseline: float  # a rate, or a mean per unit
    sd: float | None = None  # per unit, continuous metrics only
    lower_is_better: bool = False


# fmt: off
METRICS = {
    m.key: m
    for m in (
        PastMetric("order-conversion", "Order conversion", "binomial", 0.034),
        PastMetric("add-to-basket-rate", "Add-to-basket rate", "binomial", 0.11),
        PastMetric("checkout-completion", "Checkout completion", "binomial", 0.62),
        PastMetric("revenue-per-visitor", "Revenue per visitor", "continuous", 2.4, 18.0),
        PastMetric("average-order-value", "Average order value", "continuous", 58.0, 40.0),
        PastMetric("search-click-through", "Search click-through", "binomial", 0.41),
        PastMetric("zero-result-searches", "Zero-result searches", "binomial", 0.07,
                   lower_is_better=True),
        PastMetric("email-click-rate", "Email click rate", "binomial", 0.045),
        PastMetric("unsubscribe-rate", "Unsubscribe rate", "binomial", 0.004,
                   lower_is_better=True),
        PastMetric("onboarding-completion", "Onboarding completion", "binomial", 0.52),
        PastMetric("day-7-retention", "Day-7 retention", "binomial", 0.31),
        PastMetric("registration-rate", "Registration rate", "binomial", 0.085),
        PastMetric("page-load-seconds", "Page load time (s)", "continuous", 2.1, 1.2,
                   lower_is_better=True),
        PastMetric("return-rate", "Return rate", "binomial", 0.09, lower_is_better=True),
        PastMetric("support-contact-rate", "Support contact rate", "binomial", 0.021,
                   lower_is_better=True),
        PastMetric("subscription-starts", "Subscription starts", "binomial", 0.018),
    )
}
# fmt: on


@dataclass(frozen=True)
class PastLearning:
    changed: str
    happened: str
    why: str
    next: str


@dataclass(frozen=True)
class PastExperiment:
    key: str
    title: str  # the experiment's title
    hypothesis: str  # the hypothesis's title
    change: str  # "If we …"
    because: str  # "… because"
    design: str  # the design in a few sentences
    surfaces: tuple[str, ...]
    metric: str  # the primary metric's key in METRICS
    guardrail: str  # a guardrail's key in METRICS
    decision: str  # ship / dont_ship / iterate / inconclusive
    outcome: str  # won / lost / flat / inconclusive
    rationale: str  # why the decision
    learning: PastLearning
    tags: tuple[str, ...]
    year: int
    quarter: int
    lift: float  # the primary metric's relative lift, treatment against control
    ci_low: float
    ci_high: float
    owner: str  # a demo username
    unit: str  # a business unit's slug
    type: str = "ab"  # ab, aa or holdout
    guardrail_lift: float = 0.0
    story: str = ""  # "", "reset", "novelty" or "simpson"
    variants: tuple[str, ...] = field(default=("Control", "Treatment"))

    @property
    def statement(self) -> str:
        verb = "fall" if METRICS[self.metric].lower_is_better else "rise"
        return f"If we {self.change}, {METRICS[self.metric].name.lower()} will {verb}, because {self.because}"

    @property
    def quarter_label(self) -> str:
        return f"{self.year} Q{self.quarter}"


L = PastLearning
E = PastExperiment
