"""Role-policy rows for roadmap: plans, milestones, decisions, the roadmap, updates, pages.

`prepare` writes, through the services: an active plan owned by Aisha (a member) sponsored
by Sofia (a Commerce stakeholder) with two milestones; a draft plan of Aisha's; a
confidential Commerce plan of Lena's; and a plan whose first milestone is decided.
James (Platform Engineering stakeholder) may not see the confidential plan: 404.
"""

import datetime

from django.utils import timezone

from tests.policy_table import Row

P = "/api/v1/plans/"
PLAN = P + "{c.plan.pk}/"
M = "/api/v1/milestones/"
M1 = M + "{c.m1.pk}/"


def prepare(ctx) -> None:
    from apps.roadmap import services

    today = timezone.localdate()
    d = datetime.timedelta
    pm, aisha, lena, sofia = (ctx.users[n] for n in ("priya", "aisha", "lena", "sofia"))

    def plan(title, owner, **extra):
        return services.plan_create(
            actor=pm,
            group=ctx.group,
            title=title,
            goal="Learn whether it works.",
            kill_criteria="Stop if it does not.",
            owner=owner,
            sponsor=sofia,
            start_date=today - d(days=30),
            end_date=today + d(days=200),
            **extra,
        )

    def milestone(p, title, days):
        return services.milestone_add(
            actor=pm,
            plan=p,
            title=title,
            question="Does it?",
            target_date=today + d(days=days),
            decision_criteria="Continue if it lifts conversion by 1 %.",
        )

    ctx.plan = plan("Checkout path", aisha)
    ctx.m1 = milestone(ctx.plan, "First look", 10)
    ctx.m2 = milestone(ctx.plan, "Second look", 60)
    services.plan_transition(actor=pm, plan=ctx.plan, status="active")

    ctx.draft = plan("Draft idea", aisha)
    ctx.draft_m = milestone(ctx.draft, "Draft point", 20)

    ctx.secret = plan("Pricing secret", lena, confidential=True)
    ctx.secret_m = milestone(ctx.secret, "Secret point", 20)
    services.plan_transition(actor=pm, plan=ctx.secret, status="active")

    ctx.decided = plan("Decided plan", aisha)
    first = milestone(ctx.decided, "Decided point", 5)
    milestone(ctx.decided, "Open point", 50)
    services.plan_transition(actor=pm, plan=ctx.decided, status="active")
    ctx.decision = services.milestone_decide(
        actor=pm, milestone=first, outcome="continue", rationale="It lifted 2 %."
    )

    ctx.new_date = str(today + d(days=90))
    ctx.since, ctx.until = str(today - d(days=30)), str(today)
    ctx.dispatch = services.stakeholder_update_send(
        actor=pm, group=ctx.group, since=today - d(days=30), until=today
    )


def _plan_data(c) -> dict:
    return {
        "working_group": c.group.pk,
        "title": "New plan",
        "goal": "A goal",
        "kill_criteria": "When we stop",
        "sponsor": c.users["sofia"].pk,
        "start_date": c.since,
        "end_date": c.new_date,
    }


def _milestone_data(c) -> dict:
    return {
        "plan": c.plan.pk,
        "title": "Third look",
        "question": "Still?",
        "target_date": c.new_date,
        "decision_criteria": "Continue if it holds.",
    }


def _decide(c) -> dict:
    return {"outcome": "continue", "rationale": "The lift held."}


def _update(c) -> dict:
    return {"working_group": c.group.pk, "since": c.since, "until": c.until}


def _in_group(c) -> dict:
    return {"working_group": c.group.pk}


def _slug(c) -> dict:
    return {"group": c.group.slug}


def _page_range(c) -> dict:
    return {"group": c.group.slug, "since": c.since, "until": c.until}


def _version(plan) -> int:
    # The page's edit form names the version it was opened at: the plan's current one.
    from apps.roadmap.models import ResearchPlan

    return ResearchPlan.objects.get(pk=plan.pk).version


def _page_plan(c) -> dict:
    return {
        "title": "Page plan",
        "goal": "A goal",
        "category": "product",
        "owner": c.users["lena"].pk,
        "sponsor": c.users["sofia"].pk,
        "start_date": c.since,
        "end_date": c.new_date,
        "kill_criteria": "When we stop",
    }


def _page_milestone(c) -> dict:
    return {
        "title": "Page point",
        "question": "Does it?",
        "target_date": c.new_date,
        "decision_criteria": "Continue if it lifts.",
    }


ROWS: list[Row] = [
    # --- plans
    Row(None, "get", P, 401),
    Row("sofia", "get", P, 200),
    Row("outsider", "get", P, 200),
    Row(None, "post", P, 401, _plan_data),
    Row("sofia", "post", P, 403, _plan_data),
    Row("lena", "post", P, 201, _plan_data),
    Row("priya", "post", P, 201, _plan_data),
    Row("sofia", "get", PLAN, 200),
    Row("outsider", "get", PLAN, 404),
    Row("sofia", "get", P + "{c.secret.pk}/", 200),  # Commerce: the sponsor's unit
    Row("james", "get", P + "{c.secret.pk}/", 404),  # Platform Engineering: hidden
    Row("tomas", "get", P + "{c.secret.pk}/", 200),  # members see confidential plans
    Row("sofia", "get", P + "{c.draft.pk}/", 404),  # stakeholders read no drafts
    Row("lena", "get", P + "{c.draft.pk}/", 200),
    Row(None, "patch", PLAN, 401, lambda c: {"title": "Renamed"}),
    Row("sofia", "patch", PLAN, 403, lambda c: {"title": "Renamed"}),
    Row("lena", "patch", PLAN, 403, lambda c: {"title": "Renamed"}),
    Row("aisha", "patch", PLAN, 200, lambda c: {"title": "Renamed"}),
    Row("priya", "patch", PLAN, 200, lambda c: {"title": "Renamed"}),
    Row("james", "patch", P + "{c.secret.pk}/", 404, lambda c: {"title": "Renamed"}),
    Row("sofia", "post", PLAN + "transition/", 403, lambda c: {"status": "paused"}),
    Row("lena", "post", PLAN + "transition/", 403, lambda c: {"status": "paused"}),
    Row("aisha", "post", PLAN + "transition/", 200, lambda c: {"status": "paused"}),
    Row("priya", "post", PLAN + "transition/", 400, lambda c: {"status": "active"}),
    # --- milestones
    Row(None, "get", M, 401),
    Row("sofia", "get", M, 200),
    Row("sofia", "get", M1, 200),
    Row("outsider", "get", M1, 404),
    Row("james", "get", M + "{c.secret_m.pk}/", 404),
    Row(None, "post", M, 401, _milestone_data),
    Row("sofia", "post", M, 403, _milestone_data),
    Row("lena", "post", M, 403, _milestone_data),
    Row("aisha", "post", M, 201, _milestone_data),
    Row("priya", "post", M, 201, _milestone_data),
    Row("sofia", "patch", M1, 403, lambda c: {"title": "Renamed"}),
    Row("lena", "patch", M1, 403, lambda c: {"title": "Renamed"}),
    Row("aisha", "patch", M1, 200, lambda c: {"title": "Renamed"}),
    Row("priya", "patch", M1, 200, lambda c: {"title": "Renamed"}),
    Row("sofia", "delete", M + "{c.draft_m.pk}/", 404),
    Row("lena", "delete", M + "{c.draft_m.pk}/", 403),
    Row("aisha", "delete", M + "{c.draft_m.pk}/", 204),
    Row("aisha", "delete", M1, 400),  # an active plan replaces milestones only after a pivot
    Row(None, "post", M1 + "decide/", 401, _decide),
    Row("sofia", "post", M1 + "decide/", 403, _decide),
    Row("lena", "post", M1 + "decide/", 403, _decide),
    Row("aisha", "post", M1 + "decide/", 201, _decide),
    Row("priya", "post", M1 + "decide/", 201, _decide),
    Row("priya", "post", M + "{c.m2.pk}/decide/", 400, _decide),  # not the current one
    # --- decisions
    Row(None, "get", "/api/v1/roadmap/decisions/", 401),
    Row("sofia", "get", "/api/v1/roadmap/decisions/", 200),
    Row("sofia", "get", "/api/v1/roadmap/decisions/{c.decision.pk}/", 200),
    Row("outsider", "get", "/api/v1/roadmap/decisions/{c.decision.pk}/", 404),
    # --- roadmap and updates
    Row(None, "get", "/api/v1/roadmap/", 401),
    Row("sofia", "get", "/api/v1/roadmap/", 200),
    Row("outsider", "get", "/api/v1/roadmap/", 200),
    Row("sofia", "get", "/api/v1/roadmap/", 200, _in_group),
    Row("outsider", "get", "/api/v1/roadmap/", 404, _in_group),
    Row(None, "get", "/api/v1/stakeholder-updates/", 401, _update),
    Row("sofia", "get", "/api/v1/stakeholder-updates/", 200, _update),
    Row("outsider", "get", "/api/v1/stakeholder-updates/", 404, _update),
    Row(None, "post", "/api/v1/stakeholder-updates/send/", 401, _update),
    Row("sofia", "post", "/api/v1/stakeholder-updates/send/", 403, _update),
    Row("lena", "post", "/api/v1/stakeholder-updates/send/", 403, _update),
    Row("priya", "post", "/api/v1/stakeholder-updates/send/", 202, _update),
    Row(None, "get", "/api/v1/stakeholder-updates/dispatches/{c.dispatch.pk}/", 401),
    Row("sofia", "get", "/api/v1/stakeholder-updates/dispatches/{c.dispatch.pk}/", 403),
    Row("lena", "get", "/api/v1/stakeholder-updates/dispatches/{c.dispatch.pk}/", 403),
    Row("outsider", "get", "/api/v1/stakeholder-updates/dispatches/{c.dispatch.pk}/", 404),
    Row("priya", "get", "/api/v1/stakeholder-updates/dispatches/{c.dispatch.pk}/", 200),
    Row("dana", "get", "/api/v1/stakeholder-updates/dispatches/{c.dispatch.pk}/", 200),
    # --- pages (query strings go in `data`: the coverage check resolves bare paths)
    Row(None, "get", "/roadmap/", 302, page=True),
    Row("sofia", "get", "/roadmap/", 200, page=True),
    Row("outsider", "get", "/roadmap/", 200, page=True),
    Row(None, "get", "/roadmap/plans/new/", 302, _slug, page=True),
    Row("sofia", "get", "/roadmap/plans/new/", 403, _slug, page=True),
    Row("outsider", "get", "/roadmap/plans/new/", 404, _slug, page=True),
    Row("lena", "get", "/roadmap/plans/new/", 200, _slug, page=True),
    Row(
        "lena",
        "post",
        "/roadmap/plans/new/",
        302,
        lambda c: {**_page_plan(c), "group": c.group.slug},
        page=True,
    ),
    Row(None, "get", "/roadmap/plans/{c.plan.pk}/", 302, page=True),
    Row("sofia", "get", "/roadmap/plans/{c.plan.pk}/", 200, page=True),
    Row("outsider", "get", "/roadmap/plans/{c.plan.pk}/", 404, page=True),
    Row("sofia", "get", "/roadmap/plans/{c.secret.pk}/", 200, page=True),
    Row("james", "get", "/roadmap/plans/{c.secret.pk}/", 404, page=True),
    Row("sofia", "get", "/roadmap/plans/{c.draft.pk}/", 404, page=True),
    Row("sofia", "get", "/roadmap/plans/{c.plan.pk}/edit/", 403, page=True),
    Row("lena", "get", "/roadmap/plans/{c.plan.pk}/edit/", 403, page=True),
    Row("aisha", "get", "/roadmap/plans/{c.plan.pk}/edit/", 200, page=True),
    Row(
        "priya",
        "post",
        "/roadmap/plans/{c.plan.pk}/edit/",
        302,
        lambda c: {**_page_plan(c), "owner": c.users["aisha"].pk, "version": _version(c.plan)},
        page=True,
    ),
    Row(
        "sofia",
        "post",
        "/roadmap/plans/{c.plan.pk}/status/",
        403,
        lambda c: {"status": "paused"},
        page=True,
    ),
    Row(
        "aisha",
        "post",
        "/roadmap/plans/{c.plan.pk}/status/",
        302,
        lambda c: {"status": "paused"},
        page=True,
    ),
    Row(
        "sofia",
        "post",
        "/roadmap/plans/{c.plan.pk}/milestones/",
        403,
        _page_milestone,
        page=True,
    ),
    Row("lena", "post", "/roadmap/plans/{c.plan.pk}/milestones/", 403, _page_milestone, page=True),
    Row("aisha", "post", "/roadmap/plans/{c.plan.pk}/milestones/", 302, _page_milestone, page=True),
    Row("sofia", "get", "/roadmap/milestones/{c.m1.pk}/edit/", 403, page=True),
    Row("lena", "get", "/roadmap/milestones/{c.m1.pk}/edit/", 403, page=True),
    Row("aisha", "get", "/roadmap/milestones/{c.m1.pk}/edit/", 200, page=True),
    Row(
        "aisha",
        "post",
        "/roadmap/milestones/{c.m1.pk}/edit/",
        302,
        lambda c: {**_page_milestone(c), "target_date": str(c.m1.target_date), "reason": "Sharper"},
        page=True,
    ),
    Row("sofia", "post", "/roadmap/milestones/{c.draft_m.pk}/remove/", 404, page=True),
    Row("lena", "post", "/roadmap/milestones/{c.draft_m.pk}/remove/", 403, page=True),
    Row("aisha", "post", "/roadmap/milestones/{c.draft_m.pk}/remove/", 302, page=True),
    Row("sofia", "get", "/roadmap/milestones/{c.m1.pk}/decide/", 403, page=True),
    Row("aisha", "get", "/roadmap/milestones/{c.m1.pk}/decide/", 200, page=True),
    Row("lena", "post", "/roadmap/milestones/{c.m1.pk}/decide/", 403, _decide, page=True),
    Row("aisha", "post", "/roadmap/milestones/{c.m1.pk}/decide/", 302, _decide, page=True),
    Row(None, "get", "/roadmap/updates/", 302, _slug, page=True),
    Row("sofia", "get", "/roadmap/updates/", 200, _slug, page=True),
    Row("outsider", "get", "/roadmap/updates/", 404, _slug, page=True),
    Row("sofia", "get", "/roadmap/updates/markdown/", 200, _page_range, page=True),
    Row(None, "get", "/roadmap/updates/dispatches/{c.dispatch.pk}/", 302, page=True),
    Row("sofia", "get", "/roadmap/updates/dispatches/{c.dispatch.pk}/", 403, page=True),
    Row("outsider", "get", "/roadmap/updates/dispatches/{c.dispatch.pk}/", 404, page=True),
    Row("priya", "get", "/roadmap/updates/dispatches/{c.dispatch.pk}/", 200, page=True),
    Row(
        "sofia",
        "post",
        "/roadmap/updates/send/",
        403,
        _page_range,
        page=True,
    ),
    Row(
        "priya",
        "post",
        "/roadmap/updates/send/",
        302,
        _page_range,
        page=True,
    ),
]
