"""Experiments as the conflict engine reads them: dates, surfaces, primary metric and
audience, read in two queries whatever the number of experiments."""

import datetime

from django.utils import timezone

from apps.conflicts.candidates import candidate_for, current_candidates
from apps.experiments.models import Experiment, ExperimentMetric, MetricRole

from . import factories as f

AUDIENCE = [{"attribute": "Country", "operator": "in", "values": [" de", "AT"]}]


def test_a_candidate_carries_its_surfaces_layer_primary_metric_and_parsed_audience(demo):
    a, b = f.pair(demo, layer=f.layer(demo), layer_share=20, allocation=50)
    Experiment.objects.filter(pk__in=[a.pk, b.pk]).update(audience=AUDIENCE)
    metric = ExperimentMetric.objects.get(experiment=a, role=MetricRole.PRIMARY).metric

    by_id = {c.id: c for c in current_candidates()}

    own = by_id[a.pk]
    assert own.surface_names == {f.surface(demo).pk: "Checkout page"}
    assert own.surfaces == frozenset({f.surface(demo).pk})
    assert (own.layer_name, own.layer_share, own.allocation) == ("checkout", 0.2, 0.5)
    assert (own.primary_metric_id, own.primary_metric_name) == (metric.pk, metric.name)
    # Read as the catalogue normalises it, and the same text parsed once for both.
    assert [(c.attribute, c.values) for c in own.audience] == [("country", ("DE", "AT"))]
    assert own.audience is by_id[b.pk].audience
    assert (own.start, own.end) == (a.planned_start, a.planned_end)


def test_a_running_experiment_starts_on_the_local_day_it_started(demo, settings):
    settings.TIME_ZONE = "Pacific/Auckland"  # UTC+12 or +13: 20:00 UTC is the next day there
    a, _ = f.pair(demo)
    started = datetime.datetime.combine(a.planned_start, datetime.time(20), datetime.UTC)
    Experiment.objects.filter(pk=a.pk).update(status="running", started_at=started)

    with timezone.override("Pacific/Auckland"):
        own = candidate_for(Experiment.objects.get(pk=a.pk), today=a.planned_start)
        local_day = timezone.localdate(started)

    assert own.start == local_day == a.planned_start + datetime.timedelta(days=1)
