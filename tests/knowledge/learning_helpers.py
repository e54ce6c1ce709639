"""Concluded experiments and learnings for the learning and meta-analysis tests, built from
the demo catalogue through the services (`apps.knowledge.demo.past_experiment`)."""

from apps.experiments.models import Experiment
from apps.knowledge.models import Learning

DELIVERY = "pdp-delivery-cost"  # won, published learning
THRESHOLD = "free-delivery-threshold-39"  # lost


def past(demo, key: str = DELIVERY, *, write_learning: bool = True) -> Experiment:
    from apps.knowledge.demo import past_experiment

    return past_experiment(demo, key, write_learning=write_learning)


def learning_of(experiment: Experiment) -> Learning:
    return Learning.objects.get(links__experiment=experiment)


def hide_behind_confidential_plan(demo, experiment: Experiment) -> None:
    """Tie the experiment to a confidential Commerce plan's decision point: Sofia (Commerce
    stakeholder) may read it, James (Platform Engineering stakeholder) may not."""
    from tests.roadmap.factories import milestones_of, plan_with

    plan = plan_with(demo, title="Project Nightjar", confidential=True, milestones=(5, 60))
    first, _ = milestones_of(plan)
    Experiment.objects.filter(pk=experiment.pk).update(milestone=first)
