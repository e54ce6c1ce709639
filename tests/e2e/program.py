"""A small program for the page-level browser tests, built through the services in a few
seconds (the full demo seed takes a minute): scored hypotheses with long titles, a plan with
decision points, an experiment in review, a meeting with a drafted agenda, action items of
several owners and a note holding a long unbroken URL."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

LONG_URL = (
    "https://analytics.example.com/dashboards/checkout-funnel-weekly-conversion-by-platform"
    "-and-country?from=2026-10-01&to=2026-11-30&segment=returning_customers_with_saved_"
    "payment_methods_only&compare=previous_period&breakdown=device_category"
)

TITLES = [
    ("lena", "Guest checkout by default"),
    ("aisha", "Delivery date instead of shipping speed on every product and basket page"),
    ("tomas", "Free-shipping banner above the fold for first-time visitors from paid search"),
    ("lena", "Save carts across devices for signed-in customers"),
    ("marco", "CUPED for every conversion metric in the weekly read-out"),
]


@dataclass
class Program:
    hypotheses: list
    meeting: object
    plan: object
    experiment: object
    action_items: dict  # owner username → their action item


def build(demo) -> Program:
    from apps.backlog import services as backlog
    from apps.meetings import services as meetings
    from apps.meetings.models import Kind
    from tests.backlog.factories import HypothesisFactory
    from tests.experiments.factories import design
    from tests.roadmap.factories import plan_with

    users = demo.users
    hypotheses = []
    for owner, title in TITLES:
        hypotheses.append(
            backlog.hypothesis_propose(
                actor=users[owner],
                group=demo.group,
                title=title,
                change="change the page",
                metric="checkout conversion",
                rationale="customers tell us so in support tickets",
                evidence=f"Dashboard: {LONG_URL}",
            )
        )
    for scorer, offset in (("lena", 0), ("tomas", 1), ("aisha", 2)):
        for i, h in enumerate(hypotheses[:4]):
            values = {"impact": 3 + (i + offset) % 7, "confidence": 5, "ease": 4 + i}
            backlog.score_submit(actor=users[scorer], hypothesis=h, values=values)
    plan = plan_with(demo, title="Checkout path", owner="aisha")
    experiment = design(
        demo, owner="aisha", hypothesis=HypothesisFactory(
            working_group=demo.group, proposer=users["aisha"], owner=users["aisha"],
            status="accepted", title="One-page checkout",
        ),
    )  # fmt: skip
    from apps.experiments import services as experiments

    experiments.experiment_transition(actor=users["aisha"], experiment=experiment, action="submit")

    meeting = meetings.meeting_create(
        actor=users["priya"],
        group=demo.group,
        kind=Kind.WORKING_GROUP,
        title="Growth working group",
        starts_at=timezone.now() + datetime.timedelta(days=7),
        timezone_name="Europe/Berlin",
    )
    meetings.meeting_draft_agenda(actor=users["priya"], meeting=meeting)
    first = meeting.agenda_items.order_by("position").first()
    first.notes = f"See {LONG_URL}"
    first.save(update_fields=["notes"])
    due = timezone.localdate() + datetime.timedelta(days=5)
    action_items = {
        owner: meetings.action_item_create(
            actor=users["priya"],
            group=demo.group,
            title=f"{title} — write the experiment design and book the surface",
            owner=users[owner],
            assignee=users["aisha"] if owner == "priya" else None,
            due_on=due,
            meeting=meeting,
        )
        for owner, title in (("priya", "Pricing page"), ("lena", "Guest checkout"))
    }
    return Program(hypotheses, meeting, plan, experiment, action_items)


def login(page, base_url: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
