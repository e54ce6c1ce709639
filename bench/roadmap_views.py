"""Benchmark: the roadmap for 300 research plans of 8 milestones each.

Run on PostgreSQL (the database production uses):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/expprogram .venv/bin/python bench/roadmap_views.py

It builds its own scratch database (`expprogram_bench_roadmap`, through Django's test
database setup, dropped at the end), writes the plans in bulk (a quarter of them
confidential, two decisions per plan), then times in-process through Django's test client
(server time: middleware, queries, template or JSON rendering; no network) the roadmap page,
the roadmap JSON, the plan list API and a plan page, for a stakeholder and for the program
manager, and counts their queries. The goal: a median under 150 ms, queries independent of
the number of plans. It also times, side by side, the roadmap's read of the plans as plain
rows against reading them as models, the ratio being steadier than either figure.
"""

import datetime
import statistics
import sys
import time

from scratch import scratch_database

PLANS = 300
MILESTONES = 8
RUNS = 25
SCRATCH_DB = "expprogram_bench_roadmap"


def build(people) -> None:
    """Plans, milestones and decisions in bulk, spread over units, categories and quarters."""
    from django.utils import timezone

    from apps.roadmap.models import Decision, Milestone, PlanStatus, ResearchPlan

    today = timezone.localdate()
    units = list(people.units.values())
    users = people.users
    plans = ResearchPlan.objects.bulk_create(
        ResearchPlan(
            working_group=people.group,
            title=f"Research plan {i:03d}",
            goal="Learn whether the change creates value.",
            kill_criteria="Stop if the primary metric does not move.",
            category="foundational" if i % 3 == 0 else "product",
            owner=users[("lena", "tomas", "aisha", "marco")[i % 4]],
            sponsor=users["sofia" if i % 2 else "james"],
            business_unit=units[i % len(units)],
            status=(PlanStatus.ACTIVE, PlanStatus.ACTIVE, PlanStatus.PAUSED, PlanStatus.CONCLUDED)[
                i % 4
            ],
            start_date=today + datetime.timedelta(days=-120 + (i % 90)),
            end_date=today + datetime.timedelta(days=150 + (i % 120)),
            confidential=i % 4 == 1,
        )
        for i in range(PLANS)
    )
    now = timezone.now()
    milestones = Milestone.objects.bulk_create(
        Milestone(
            plan=plan,
            position=n,
            title=f"Decision point {n}",
            question="Does the change move the metric?",
            decision_criteria="Continue if the metric rises 1 % with the interval above 0.",
            target_date=plan.start_date + datetime.timedelta(days=30 * n),
            registered_at=now,
        )
        for plan in plans
        for n in range(1, MILESTONES + 1)
    )
    Decision.objects.bulk_create(
        Decision(
            milestone=m,
            outcome="continue" if m.position == 1 else "pivot",
            rationale="The metric rose as the criteria required.",
            decided_by=users["priya"],
            recorded_by=users["priya"],
            decided_at=now - datetime.timedelta(days=20 * (3 - m.position)),
        )
        for m in milestones
        if m.position <= 2
    )


def timed(client, url: str, params: dict | None = None) -> tuple[float, int, int]:
    """Median milliseconds over RUNS after one warm-up, queries of one request, bytes."""
    from django.db import connection

    response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # An execute wrapper sees every query whatever DEBUG and the request signals do.
    with connection.execute_wrapper(count):
        response = client.get(url, params or {})
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        client.get(url, params or {})
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), len(queries), len(response.content)


def _median_ms(fn) -> float:
    fn()
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> int:
    with scratch_database(SCRATCH_DB):
        from django.test import Client
        from rest_framework.test import APIClient

        from apps.accounts.demo import seed_people
        from apps.roadmap.models import Milestone, ResearchPlan

        people = seed_people()
        started = time.perf_counter()
        build(people)
        print(
            f"built {ResearchPlan.objects.count()} plans, {Milestone.objects.count()} milestones "
            f"in {time.perf_counter() - started:.1f} s on PostgreSQL; median of {RUNS} runs"
        )
        one_plan = ResearchPlan.objects.filter(confidential=False).order_by("pk").first()
        rows = []
        for who in ("sofia", "priya"):
            page, api = Client(), APIClient()
            page.force_login(people.users[who])
            api.force_authenticate(people.users[who])
            rows += [
                (who, "HTML /roadmap/", *timed(page, "/roadmap/")),
                (who, "API  /api/v1/roadmap/", *timed(api, "/api/v1/roadmap/")),
                (who, "API  /api/v1/plans/ (page of 50)", *timed(api, "/api/v1/plans/")),
                (who, "HTML /roadmap/plans/<id>/", *timed(page, f"/roadmap/plans/{one_plan.pk}/")),
            ]
        # Side by side in this run: the roadmap's lean read against reading the same plans
        # as models with milestones, decisions and people (what the plan pages use).
        from apps.roadmap import selectors

        priya = people.users["priya"]
        lean = _median_ms(lambda: selectors.timeline_plans(priya))
        models = _median_ms(lambda: selectors.plans_for(priya))
        print(
            f"read 300 plans as rows {lean:.1f} ms vs as models {models:.1f} ms "
            f"(×{models / lean:.1f})"
        )
        print(f"{'viewer':<7} {'view':<34} {'median ms':>9} {'queries':>8} {'KiB':>7}")
        for who, name, median, queries, size in rows:
            print(f"{who:<7} {name:<34} {median:>9.1f} {queries:>8} {size / 1024:>7.0f}")
        worst = max(r[2] for r in rows)
        print(f"slowest median {worst:.1f} ms (goal: under 150 ms)")
        # Not under the goal, for the record: the stakeholder update of the last 28 days
        # lists every decision in them (here 300, one per plan) and every running plan.
        for who in ("sofia", "priya"):
            page = Client()
            page.force_login(people.users[who])
            median, queries, size = timed(page, "/roadmap/updates/", {"group": people.group.slug})
            print(
                f"{who:<7} {'HTML /roadmap/updates/ (28 days)':<34} {median:>9.1f} "
                f"{queries:>8} {size / 1024:>7.0f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
