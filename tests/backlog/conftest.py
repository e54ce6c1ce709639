import pytest

from apps.backlog import services
from apps.backlog.models import ScoringFramework


@pytest.fixture
def group(demo):
    return demo.group


@pytest.fixture
def users(demo):
    return demo.users


@pytest.fixture
def propose(demo):
    """propose("lena", title=…) → a hypothesis proposed through the service."""

    def make(username: str = "lena", **fields):
        defaults = dict(
            title="Delivery date instead of shipping speed",
            change="show an estimated delivery date",
            metric="checkout conversion",
            rationale="a date is easier to trust than a speed",
        )
        return services.hypothesis_propose(
            actor=demo.users[username], group=demo.group, **{**defaults, **fields}
        )

    return make


@pytest.fixture
def hypothesis(propose):
    return propose("lena")


@pytest.fixture
def framework(demo):
    """framework("RICE") → one of the demo group's frameworks by name."""

    def get(name: str) -> ScoringFramework:
        return ScoringFramework.objects.get(working_group=demo.group, name=name)

    return get


@pytest.fixture
def ice_score(demo):
    """ice_score("tomas", h, 8, 6, 4) → that member's ICE score of h."""

    def score(username: str, hypothesis, impact, confidence, ease, comment=""):
        return services.score_submit(
            actor=demo.users[username],
            hypothesis=hypothesis,
            values={"impact": impact, "confidence": confidence, "ease": ease},
            comment=comment,
        )[0]

    return score
