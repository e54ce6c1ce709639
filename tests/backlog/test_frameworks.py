"""Each framework's formula against numbers worked out by hand, and the framework rules."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.backlog import scoring, selectors, services
from apps.backlog.models import Hypothesis, Score, ScoreSummary

pytestmark = pytest.mark.django_db


def criteria(framework):
    return list(framework.criteria.all())


def test_it_gives_every_new_group_ice_rice_and_pie_with_ice_current(group, framework):
    names = set(group.scoring_frameworks.values_list("name", flat=True))
    assert {"ICE", "RICE", "PIE"} <= names
    assert selectors.backlog_settings(group).framework == framework("ICE")


def test_it_scores_ice_as_the_average_of_its_criteria(framework):
    ice = framework("ICE")
    result = scoring.compute(ice.rule, criteria(ice), {"impact": 8, "confidence": 6, "ease": 4})
    # (8 + 6 + 4) / 3 = 6; positions on 1–10: 7/9, 5/9, 3/9 → mean 15/27.
    assert result.total == pytest.approx(6.0)
    assert result.normalised == pytest.approx(15 / 27)
    assert result.impact == pytest.approx(7 / 9)
    assert result.effort == pytest.approx(1 - 3 / 9)  # ease 4 is fairly hard work


def test_it_scores_rice_as_reach_times_impact_times_confidence_over_effort(framework):
    rice = framework("RICE")
    values = {"reach": 2000, "impact": 2, "confidence": 0.8, "effort": 4}
    result = scoring.compute(rice.rule, criteria(rice), values)
    # 2000 × 2 × 0.8 ÷ 4 = 800
    assert result.total == pytest.approx(800.0)
    # positions: reach 2000/1e7, impact 1.75/2.75, confidence 0.8, effort (a cost) 1 − 4/52
    expected = (2000 / 10_000_000 + 1.75 / 2.75 + 0.8 + (1 - 4 / 52)) / 4
    assert result.normalised == pytest.approx(expected)
    assert result.effort == pytest.approx(4 / 52)


def test_it_scores_pie_as_the_average_of_potential_importance_and_ease(framework):
    pie = framework("PIE")
    result = scoring.compute(pie.rule, criteria(pie), {"potential": 9, "importance": 5, "ease": 7})
    assert result.total == pytest.approx(7.0)  # (9 + 5 + 7) / 3


def test_it_scores_a_custom_weighted_framework_with_a_negative_weight_for_cost(group, users):
    custom = services.framework_create(
        actor=users["priya"],
        group=group,
        name="Value vs cost",
        rule="sum",
        criteria=[
            {"name": "Customer value", "scale_min": 0, "scale_max": 5, "weight": 2},
            {"name": "Strategic fit", "scale_min": 0, "scale_max": 5, "weight": 1},
            {"name": "Build cost", "scale_min": 0, "scale_max": 20, "weight": -0.5},
        ],
    )
    keys = [c.key for c in criteria(custom)]
    assert keys == ["customer_value", "strategic_fit", "build_cost"]
    values = {"customer_value": 4, "strategic_fit": 3, "build_cost": 10}
    result = scoring.compute(custom.rule, criteria(custom), values)
    # 2·4 + 1·3 − 0.5·10 = 6
    assert result.total == pytest.approx(6.0)
    # (2·0.8 + 1·0.6 + 0.5·(1 − 0.5)) / 3.5 = 0.7
    assert result.normalised == pytest.approx(0.7)


def test_a_weighted_mean_divides_by_the_sum_of_absolute_weights(group, users):
    custom = services.framework_create(
        actor=users["priya"],
        group=group,
        name="Mean with a cost",
        rule="mean",
        criteria=[
            {"name": "Value", "scale_min": 0, "scale_max": 10, "weight": 3},
            {"name": "Cost", "scale_min": 0, "scale_max": 10, "weight": -1},
        ],
    )
    result = scoring.compute(custom.rule, criteria(custom), {"value": 8, "cost": 4})
    assert result.total == pytest.approx((3 * 8 - 4) / 4)  # 5.0


def test_it_refuses_a_rice_effort_of_zero_because_it_divides(framework):
    rice = framework("RICE")
    with pytest.raises(scoring.ScoreError) as caught:
        scoring.compute(
            rice.rule, criteria(rice), {"reach": 10, "impact": 1, "confidence": 1, "effort": 0}
        )
    assert caught.value.field == "values.effort"
    assert "greater than 0" in caught.value.message


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"impact": 11, "confidence": 5, "ease": 5}, "values.impact", "within its scale 1–10"),
        ({"impact": 0, "confidence": 5, "ease": 5}, "values.impact", "within its scale 1–10"),
        ({"impact": 5, "ease": 5}, "values.confidence", "Missing criterion"),
        ({"impact": 5, "confidence": 5, "ease": 5, "reach": 3}, "values.reach", "Unknown"),
    ],
)
def test_it_names_the_criterion_and_the_rule_for_bad_values(framework, values, field, words):
    ice = framework("ICE")
    with pytest.raises(scoring.ScoreError) as caught:
        scoring.compute(ice.rule, criteria(ice), values)
    assert caught.value.field == field
    assert words in caught.value.message


def test_the_aggregate_is_the_mean_and_median_of_members():
    agg = scoring.aggregate(
        [(6.0, 0.5, None, None), (8.0, 0.7, None, None), (3.0, 0.2, None, None)]
    )
    assert agg.mean == pytest.approx(17 / 3)
    assert agg.median == 6.0
    assert agg.spread == pytest.approx(0.5)
    assert agg.scorer_count == 3
    assert agg.discuss


@pytest.mark.parametrize(
    ("norms", "discuss"),
    [((0.2, 0.5), True), ((0.2, 0.49), False), ((0.9,), False), ((0.1, 0.1, 0.95), True)],
)
def test_members_a_third_of_the_scale_apart_are_flagged_discuss(norms, discuss):
    agg = scoring.aggregate([(1.0, n, None, None) for n in norms])
    assert agg.discuss is discuss


@pytest.mark.parametrize(
    ("rule", "criterion", "field", "words"),
    [
        ("sum", {"name": "A", "scale_min": 5, "scale_max": 5}, "criteria.0.scale_max", "above"),
        ("sum", {"name": "A", "scale_min": 0, "scale_max": 5, "weight": 0}, "criteria.0.weight", "non-zero"),
        ("product", {"name": "A", "scale_min": -1, "scale_max": 5}, "criteria.0.scale_min", "0 or above"),
        ("sum", {"name": " ", "scale_min": 0, "scale_max": 5}, "criteria.0.name", "name"),
        ("sum", {"name": "A", "scale_min": 0, "scale_max": 2e9}, "criteria.0.scale_max", "±1e+09"),
        ("sum", {"name": "A", "scale_min": 0, "scale_max": 5, "weight": 11}, "criteria.0.weight", "±10"),
    ],
)  # fmt: skip
def test_it_refuses_a_framework_that_breaks_a_rule(group, users, rule, criterion, field, words):
    with pytest.raises(ValidationError) as caught:
        services.framework_create(
            actor=users["priya"], group=group, name="Broken", rule=rule, criteria=[criterion]
        )
    assert field in caught.value.message_dict
    assert words in caught.value.message_dict[field][0]
    assert not group.scoring_frameworks.filter(name="Broken").exists()


def test_it_refuses_two_criteria_with_the_same_key(group, users):
    with pytest.raises(ValidationError) as caught:
        services.framework_create(
            actor=users["priya"],
            group=group,
            name="Twice",
            criteria=[
                {"name": "Reach", "scale_min": 0, "scale_max": 5},
                {"name": "reach", "scale_min": 0, "scale_max": 5},
            ],
        )
    assert "criteria.1.key" in caught.value.message_dict


def test_only_the_program_manager_creates_a_framework(group, users):
    with pytest.raises(PermissionDenied):
        services.framework_create(
            actor=users["lena"],
            group=group,
            name="Mine",
            criteria=[{"name": "A", "scale_min": 0, "scale_max": 1}],
        )


def test_only_an_admin_changes_a_standard_framework(framework, users):
    with pytest.raises(PermissionDenied):
        services.framework_update(actor=users["priya"], framework=framework("ICE"), name="Ice")
    services.framework_update(actor=users["dana"], framework=framework("ICE"), description="x")


def test_changing_framework_keeps_old_scores_and_asks_members_to_rescore(
    group, users, hypothesis, ice_score, framework
):
    ice_score("tomas", hypothesis, 8, 6, 4)
    services.framework_choose(actor=users["priya"], framework=framework("RICE"))

    assert Score.objects.filter(hypothesis=hypothesis, framework=framework("ICE")).count() == 1
    row = selectors.ranked(
        Hypothesis.objects.filter(pk=hypothesis.pk),
        framework_ids=selectors.current_framework_ids(users["tomas"]),
        viewer=users["tomas"],
    ).get()
    assert row.score is None and row.scorer_count == 0 and not row.scored_by_me

    services.score_submit(
        actor=users["tomas"],
        hypothesis=hypothesis,
        values={"reach": 1000, "impact": 1, "confidence": 0.5, "effort": 2},
    )
    assert ScoreSummary.objects.get(hypothesis=hypothesis, framework=framework("RICE")).mean == 250
    assert ScoreSummary.objects.get(hypothesis=hypothesis, framework=framework("ICE")).mean == 6


def test_it_refuses_to_delete_a_framework_in_use(group, users, hypothesis, framework):
    custom = services.framework_create(
        actor=users["priya"],
        group=group,
        name="Custom",
        criteria=[{"name": "Value", "scale_min": 0, "scale_max": 10}],
    )
    services.framework_choose(actor=users["priya"], framework=custom)
    with pytest.raises(ValidationError, match="current framework"):
        services.framework_delete(actor=users["priya"], framework=custom)

    services.score_submit(actor=users["lena"], hypothesis=hypothesis, values={"value": 7})
    services.framework_choose(actor=users["priya"], framework=framework("ICE"))
    with pytest.raises(ValidationError, match="1 scores were given"):
        services.framework_delete(actor=users["priya"], framework=custom)
    assert Score.objects.filter(framework=custom).count() == 1


def test_it_deletes_an_unused_custom_framework(group, users):
    custom = services.framework_create(
        actor=users["priya"],
        group=group,
        name="Custom",
        criteria=[{"name": "Value", "scale_min": 0, "scale_max": 10}],
    )
    services.framework_delete(actor=users["priya"], framework=custom)
    assert not group.scoring_frameworks.filter(name="Custom").exists()


def test_it_refuses_to_change_criteria_once_members_scored(group, users, hypothesis):
    custom = services.framework_create(
        actor=users["priya"],
        group=group,
        name="Custom",
        criteria=[{"name": "Value", "scale_min": 0, "scale_max": 10}],
    )
    services.framework_choose(actor=users["priya"], framework=custom)
    services.score_submit(actor=users["lena"], hypothesis=hypothesis, values={"value": 7})
    with pytest.raises(ValidationError) as caught:
        services.framework_update(
            actor=users["priya"],
            framework=custom,
            criteria=[{"name": "Value", "scale_min": 0, "scale_max": 5}],
        )
    assert "criteria" in caught.value.message_dict
    assert custom.criteria.get().scale_max == 10


def test_setting_a_group_up_twice_adds_nothing(group):
    before = group.scoring_frameworks.count()
    services.backlog_setup(group=group)
    assert group.scoring_frameworks.count() == before
