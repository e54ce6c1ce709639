"""Sixty past experiments of the demo program, written the way the team wrote them up.

Three years of a mid-sized shop's experimentation: checkout, search, product pages, the
homepage, emails, app onboarding, pricing, delivery, sign-up and loyalty. Wins, losses, flat
and inconclusive results, two A/A checks and two holdouts, and the stories every program
collects: a restart after a logging bug (`story="reset"`), a novelty effect that faded
(`story="novelty"`) and a Simpson's paradox from an uneven ramp (`story="simpson"`).

People write the same idea in different words (delivery / shipping, basket / cart,
sign-up / registration, PDP / product page), and the catalogue does too: searching it is a
real test of the knowledge base. `seed_knowledge` turns each entry into a hypothesis, a
designed and concluded experiment with pushed results, and a published learning; the
lift and interval here are what the results were drawn to show (the stored analysis
recomputes them from the pushed statistics, so they agree to rounding).
"""

from . import (
    checkout,
    delivery,
    emails,
    homepage,
    loyalty,
    onboarding,
    platform,
    pricing,
    product_pages,
    recent,
    search,
    stories,
)
from .model import METRICS, PastExperiment, PastLearning, PastMetric

# In the order the demo seeds them: test settings seed the first few.
CATALOGUE: tuple[PastExperiment, ...] = tuple(
    entry
    for area in (
        delivery,
        checkout,
        search,
        product_pages,
        homepage,
        emails,
        onboarding,
        pricing,
        loyalty,
        platform,
        stories,
        recent,
    )
    for entry in area.ENTRIES
)

__all__ = ["CATALOGUE", "METRICS", "PastExperiment", "PastLearning", "PastMetric"]
