"""In real Chromium: the program manager reorders the agenda by hand, then redrafts it after
a hypothesis was accepted and a new one proposed. The preview shows the change first; the
redraft keeps the hand-made order and lists no subject twice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.backlog import services as backlog_services
from apps.meetings import services
from apps.meetings.models import AgendaItem, Kind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _titles(page) -> list[str]:
    return page.locator("[data-testid=agenda-title]").all_inner_texts()


def test_a_redraft_keeps_the_manual_order_and_lists_no_subject_twice(
    live_server, page, demo, demo_password
):
    users, group = demo.users, demo.group
    pm = users["priya"]

    def propose(who, title):
        return backlog_services.hypothesis_propose(
            actor=users[who], group=group, title=title, change="c", metric="conversion",
            rationale="r",
        )  # fmt: skip

    guest = propose("lena", "Guest checkout by default")
    propose("tomas", "Typo-tolerant search")
    meeting = services.meeting_create(
        actor=pm, group=group, kind=Kind.WORKING_GROUP, title="Growth working group",
        starts_at=timezone.now() + timedelta(days=5),
    )  # fmt: skip
    services.meeting_draft_agenda(actor=pm, meeting=meeting)
    services.agenda_item_add(actor=pm, meeting=meeting, title="Q3 planning", minutes=10)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "priya")
    page.fill("#id_password", demo_password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    assert _titles(page)[-2:] == ["Q3 planning", "Any other business"]

    # The PM moves their own item to the top, one place at a time (htmx swaps the agenda).
    for _ in range(len(_titles(page)) - 2):
        before = _titles(page)
        index = before.index("Q3 planning")
        page.locator("[data-testid=agenda-item]").nth(index).locator(
            "[data-testid=move-up]"
        ).click()
        page.wait_for_function(
            "i => document.querySelectorAll('[data-testid=agenda-title]')[i]"
            ".innerText === 'Q3 planning'",
            arg=index - 1,
        )
    assert _titles(page)[0] == "Q3 planning"
    order_by_hand = _titles(page)

    # Meanwhile the group accepted guest checkout (and scored it) and a new idea arrived.
    item = AgendaItem.objects.get(meeting=meeting, subject_id=guest.pk)
    services.decision_record(
        actor=pm, meeting=meeting, agenda_item=item, text="Accept guest checkout",
        kind="hypothesis.transition", payload={"hypothesis": guest.pk, "to_status": "accepted"},
    )  # fmt: skip
    backlog_services.score_submit(
        actor=pm, hypothesis=guest, values={"impact": 8, "confidence": 8, "ease": 8}
    )
    propose("marco", "Holdout group for recommendations")

    page.click("[data-testid=draft-agenda]")
    preview = page.locator("[data-testid=redraft-preview]")
    preview.wait_for()
    assert (
        page.locator("[data-testid=redraft-added]")
        .inner_text()
        .startswith("New: Holdout group for recommendations")
    )
    updated = page.locator("[data-testid=redraft-updated]").inner_text()
    assert "New: Guest checkout by default → Ready to design: Guest checkout by default" in updated
    stored = AgendaItem.objects.filter(meeting=meeting, removed=False).order_by("position")
    assert [i.title for i in stored] == order_by_hand  # the preview changed nothing yet
    page.click("[data-testid=confirm-redraft]")
    page.wait_for_url(f"{live_server.url}/meetings/{meeting.pk}/")

    titles = _titles(page)
    assert titles[0] == "Q3 planning" and titles[-1] == "Any other business"
    assert len(titles) == len(set(titles))
    assert "New: Guest checkout by default" not in titles
    assert titles.count("Ready to design: Guest checkout by default") == 1
    # The new proposal joined the proposals; the hand-made order of the rest held.
    assert titles.index("New: Holdout group for recommendations") == (
        titles.index("New: Typo-tolerant search") + 1
    )
    assert [t for t in titles if t in order_by_hand] == [t for t in order_by_hand if t in titles]
    subjects = list(
        AgendaItem.objects.filter(
            meeting=meeting, removed=False, subject_id__isnull=False
        ).values_list("subject_type_id", "subject_id")
    )
    assert len(subjects) == len(set(subjects))
