"""The demo has a history: hypotheses were proposed over past weeks and months, so only a
few are new since the last meeting and the next agenda triages those few."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.backlog.demo import RECENT_HOURS, seed_backlog
from apps.backlog.models import Hypothesis, Score, StatusChange
from apps.meetings.demo import seed_meetings
from apps.meetings.models import AgendaItem, Meeting

pytestmark = pytest.mark.django_db


def test_seeded_hypotheses_are_spread_over_past_weeks_and_keep_their_dates(demo):
    seed_backlog(demo)
    first = dict(Hypothesis.objects.values_list("pk", "created_at"))
    seed_backlog(demo)  # a second run adds nothing and moves nothing
    assert dict(Hypothesis.objects.values_list("pk", "created_at")) == first
    now = timezone.now()

    hypotheses = list(Hypothesis.objects.all())
    ages = [now - h.created_at for h in hypotheses]
    recent = [age for age in ages if age < timedelta(days=1)]

    assert len(recent) == len(RECENT_HOURS) == 3
    assert all(age > timedelta(days=9) for age in ages if age >= timedelta(days=1))
    assert max(ages) > timedelta(days=60)
    assert len({h.created_at.date() for h in hypotheses}) > 20
    assert all(h.created_at <= h.status_changed_at <= now for h in hypotheses)
    # Each move happened after the proposal, in order, and the scores in between.
    for change in StatusChange.objects.select_related("hypothesis"):
        assert change.hypothesis.created_at < change.at < now
    for score in Score.objects.select_related("hypothesis"):
        assert score.hypothesis.created_at < score.created_at < now


def test_the_next_meeting_triages_only_the_few_new_proposals(demo):
    seed_backlog(demo)
    seed_meetings(demo)
    nxt = Meeting.objects.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()

    titles = list(
        AgendaItem.objects.filter(meeting=nxt, removed=False, key__endswith=":proposed")
        .order_by("position")
        .values_list("title", flat=True)
    )

    assert len(titles) == 3
    assert not AgendaItem.objects.filter(meeting=nxt, key="backlog.proposed:more").exists()
