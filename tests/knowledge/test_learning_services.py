"""Learnings through their services: who may write, submit and publish, what a learning
rests on, and the prefill from a concluded experiment's design and results."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.knowledge.learning_templates import prefill, template_for
from apps.knowledge.models import Learning, LearningLink, LearningStatus, LinkRole
from apps.knowledge.services import learnings as services
from tests.knowledge.learning_helpers import DELIVERY, THRESHOLD, learning_of, past

pytestmark = pytest.mark.django_db


@pytest.fixture
def concluded(demo):
    return past(demo, DELIVERY, write_learning=False)


def _draft(demo, experiment, who="lena", **extra):
    fields = {"title": "Show fees early", "changed": "Fees on the product page.",
              "happened": "Orders +4 %.", **extra}  # fmt: skip
    return services.learning_create(actor=demo.users[who], group=demo.group,
                                    experiments=[(experiment, LinkRole.SUPPORTS)], **fields)  # fmt: skip


def test_a_member_drafts_a_learning_resting_on_an_experiment(demo, concluded):
    learning = _draft(demo, concluded, tags=["Shipping", " checkout ", "shipping"])

    assert learning.status == LearningStatus.DRAFT
    assert learning.author == demo.users["lena"]
    assert learning.tags == ["shipping", "checkout"]
    assert list(learning.links.values_list("experiment_id", "role")) == [(concluded.pk, "supports")]


def test_a_stakeholder_may_not_draft_one(demo, concluded):
    with pytest.raises(PermissionDenied):
        _draft(demo, concluded, who="sofia")

    assert not Learning.objects.exists()


@pytest.mark.parametrize("field,value,message", [
    ("title", "  ", "A learning needs a title"),
    ("changed", "", "Say what changed."),
    ("happened", "x" * 10_001, "At most 10000 characters."),
])  # fmt: skip
def test_it_refuses_a_missing_or_overlong_text_and_saves_nothing(demo, concluded, field, value,
                                                                  message):  # fmt: skip
    with pytest.raises(ValidationError) as error:
        _draft(demo, concluded, **{field: value})

    assert message in error.value.message_dict[field][0]
    assert not Learning.objects.exists()


def test_it_refuses_an_experiment_of_another_group(demo, concluded):
    from apps.experiments.models import Experiment
    from tests.accounts.factories import WorkingGroupFactory

    Experiment.objects.filter(pk=concluded.pk).update(working_group=WorkingGroupFactory())

    with pytest.raises(ValidationError) as error:
        _draft(demo, concluded)

    assert "experiments[0].experiment" in error.value.message_dict


def test_the_author_submits_and_the_statistics_lead_publishes(demo, concluded):
    learning = _draft(demo, concluded)

    services.learning_transition(actor=demo.users["lena"], learning=learning, action="submit")
    services.learning_transition(actor=demo.users["marco"], learning=learning, action="publish")

    learning.refresh_from_db()
    assert learning.status == LearningStatus.PUBLISHED
    assert learning.published_by == demo.users["marco"]
    assert learning.published_at is not None


@pytest.mark.parametrize("who", ["lena", "tomas", "sofia"])
def test_neither_the_author_nor_another_member_publishes(demo, concluded, who):
    learning = _draft(demo, concluded)
    services.learning_transition(actor=demo.users["lena"], learning=learning, action="submit")

    with pytest.raises(PermissionDenied):
        services.learning_transition(actor=demo.users[who], learning=learning, action="publish")

    learning.refresh_from_db()
    assert learning.status == LearningStatus.IN_REVIEW


def test_the_program_manager_sends_it_back_with_a_reason(demo, concluded):
    learning = _draft(demo, concluded)
    services.learning_transition(actor=demo.users["lena"], learning=learning, action="submit")

    with pytest.raises(ValidationError) as error:
        services.learning_transition(actor=demo.users["priya"], learning=learning,
                                     action="request_changes")  # fmt: skip
    assert "reason" in error.value.message_dict
    services.learning_transition(actor=demo.users["priya"], learning=learning,
                                 action="request_changes", reason="Add the guardrail.")  # fmt: skip

    learning.refresh_from_db()
    assert (learning.status, learning.review_note) == (LearningStatus.DRAFT, "Add the guardrail.")


def test_a_published_learning_is_frozen_until_reopened(demo):
    exp = past(demo, DELIVERY)
    learning = learning_of(exp)

    with pytest.raises(ValidationError) as error:
        services.learning_update(actor=demo.users["lena"], learning=learning, title="New")
    assert "status" in error.value.message_dict

    services.learning_transition(actor=demo.users["marco"], learning=learning, action="reopen",
                                 reason="The returns data came in.")  # fmt: skip
    services.learning_update(actor=demo.users["lena"], learning=learning, title="New")
    assert Learning.objects.get(pk=learning.pk).title == "New"


def test_it_refuses_a_step_from_the_wrong_status_naming_what_is_allowed(demo, concluded):
    learning = _draft(demo, concluded)

    with pytest.raises(ValidationError) as error:
        services.learning_transition(actor=demo.users["marco"], learning=learning, action="publish")

    assert "you may: " in error.value.message_dict["action"][0]


def test_a_learning_rests_on_several_experiments_supporting_or_contradicting(demo, concluded):
    other = past(demo, THRESHOLD, write_learning=False)
    learning = _draft(demo, concluded)

    services.learning_link(actor=demo.users["lena"], learning=learning, experiment=other,
                           role=LinkRole.CONTRADICTS)  # fmt: skip
    services.learning_link(actor=demo.users["lena"], learning=learning, experiment=other,
                           role=LinkRole.SUPPORTS)  # fmt: skip

    assert dict(learning.links.values_list("experiment_id", "role")) == {
        concluded.pk: "supports", other.pk: "supports"}  # fmt: skip
    services.learning_unlink(actor=demo.users["lena"], learning=learning, experiment=other)
    assert LearningLink.objects.filter(learning=learning).count() == 1
    with pytest.raises(ValidationError):
        services.learning_unlink(actor=demo.users["lena"], learning=learning, experiment=other)


def test_another_member_may_not_edit_the_authors_draft_but_her_delegate_may(demo, concluded):
    learning = _draft(demo, concluded)

    with pytest.raises(PermissionDenied):
        services.learning_update(actor=demo.users["tomas"], learning=learning, title="Mine now")
    # Aisha is Lena's delegate in the demo group.
    services.learning_update(actor=demo.users["aisha"], learning=learning, title="Ours")
    assert Learning.objects.get(pk=learning.pk).title == "Ours"


def test_the_prefill_carries_the_design_and_the_results(demo, concluded):
    values = prefill(concluded)

    assert values["title"].startswith("Show delivery cost on the product page: order conversion +")
    assert "delivery cost under the price" in values["changed"]
    assert "Variants: Control (control), Treatment." in values["changed"]
    assert values["happened"].startswith("Order conversion +4.")
    assert "significant." in values["happened"]
    assert "Guardrails: Add-to-basket rate" in values["happened"]
    assert "Decision: Ship." in values["happened"]
    assert "We expected it because exit surveys" in values["why"]
    assert "Order conversion +4.1 %" in values["why"]  # the decision's rationale
    assert "shipping" in values["tags"] and "product-pages" in values["tags"]


def test_each_experiment_type_asks_its_own_questions():
    assert "sample ratio" in template_for("aa").happened
    assert "worth together" in template_for("holdout").happened
    assert template_for("unknown") == template_for("ab")
