"""Experiments that collide, built through the experiments' services.

`pair(demo)` drafts two designs on the same surface over overlapping dates for everyone,
in review (so the engine compares them); `launched` from the experiments' factories starts
one. Surfaces and layers are the demo group's.
"""

import datetime

from django.utils import timezone

from apps.experiments import services as experiments
from apps.experiments.models import Layer, Surface
from tests.experiments import factories as ef


def surface(demo, name: str = "Checkout page") -> Surface:
    return Surface.objects.get_or_create(working_group=demo.group, name=name)[0]


def layer(demo, name: str = "checkout") -> Layer:
    return Layer.objects.get_or_create(working_group=demo.group, name=name)[0]


def in_review(demo, owner: str = "aisha", *, surfaces=None, start_in: int = 0, days: int = 28,
              **fields):  # fmt: skip
    """A design in review on `surfaces` (the checkout page by default)."""
    today = timezone.localdate()
    start = today + datetime.timedelta(days=start_in)
    fields.setdefault("data_source", ef.source(demo, name="Checkout warehouse"))
    exp = ef.design(
        demo, owner, surfaces=surfaces if surfaces is not None else [surface(demo)],
        planned_start=start, planned_end=start + datetime.timedelta(days=days), **fields,
    )  # fmt: skip
    experiments.experiment_transition(actor=demo.users[owner], experiment=exp, action="submit")
    return exp


def pair(demo, **fields):
    """Two designs in review that change the checkout page for everyone at the same time."""
    a = in_review(demo, "aisha", title="Guest checkout", key="guest-checkout", **fields)
    b = in_review(demo, "lena", title="One-page checkout", key="one-page-checkout", **fields)
    return a, b
