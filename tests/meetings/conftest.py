from datetime import timedelta

import pytest
from django.utils import timezone

from apps.backlog import services as backlog_services
from apps.meetings import services
from apps.meetings.models import Kind


@pytest.fixture
def group(demo):
    return demo.group


@pytest.fixture
def users(demo):
    return demo.users


@pytest.fixture
def meeting(demo):
    """Next week's working-group meeting, scheduled by the PM; everyone but stakeholders
    is invited and Marco takes notes."""
    m = services.meeting_create(
        actor=demo.users["priya"],
        group=demo.group,
        kind=Kind.WORKING_GROUP,
        title="Growth working group",
        starts_at=timezone.now() + timedelta(days=7),
        timezone_name="Europe/Berlin",
    )
    return services.meeting_update(
        actor=demo.users["priya"], meeting=m, note_taker=demo.users["marco"]
    )


@pytest.fixture
def propose(demo):
    """propose("lena", title=…) → a hypothesis proposed through the backlog's service."""

    def make(username: str = "lena", **fields):
        defaults = dict(
            title="Guest checkout by default",
            change="preselect guest checkout",
            metric="checkout conversion",
            rationale="the sign-in wall is the most-clicked back button target",
        )
        return backlog_services.hypothesis_propose(
            actor=demo.users[username], group=demo.group, **{**defaults, **fields}
        )

    return make


@pytest.fixture
def action_item(demo, meeting):
    """Lena owns it (Aisha is her delegate); due in five days."""
    return services.action_item_create(
        actor=demo.users["priya"],
        group=demo.group,
        title="Write the experiment design",
        owner=demo.users["lena"],
        due_on=timezone.localdate() + timedelta(days=5),
        meeting=meeting,
    )
