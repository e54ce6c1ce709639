"""Benchmark: the ranked backlog for a group with 5,000 hypotheses scored by 20 members.

Run on PostgreSQL (the database production uses):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/expprogram .venv/bin/python bench/backlog_ranking.py

It creates its own scratch database (`expprogram_bench`, dropped at the end), loads the
data in bulk, then times the ranked list API (a page of 50) and the HTML backlog page
in-process through Django's test client (server time: middleware, queries, rendering; no
network), and counts their queries. The goal: a median under 100 ms for both.
"""

import random
import statistics
import sys
import time

from scratch import scratch_database

HYPOTHESES = 5_000
SCORERS = 20
RUNS = 30
WORDS = [
    "checkout",
    "search",
    "ranking",
    "onboarding",
    "pricing",
    "recommendations",
    "cart",
    "mobile",
    "delivery",
    "payment",
    "trust",
    "retention",
    "email",
    "banner",
    "filter",
    "autocomplete",
    "video",
    "reviews",
    "bundle",
    "discount",
    "tier",
    "annual",
    "guest",
    "signup",
    "latency",
    "cache",
    "model",
    "feature",
    "store",
    "metric",
]


def build(group, people) -> None:
    """Members, hypotheses, scores and summaries written in bulk; the score maths is the app's."""
    from django.db import connection
    from django.utils import timezone

    from apps.accounts.models import Membership, Role, User
    from apps.backlog import scoring
    from apps.backlog.models import (
        Hypothesis,
        Score,
        ScoreSummary,
        ScoringFramework,
        Status,
        Tag,
        search_document,
    )

    rng = random.Random(2026)
    scorers = User.objects.bulk_create(
        User(username=f"scorer{i:02d}", first_name="Scorer", last_name=f"{i:02d}")
        for i in range(SCORERS)
    )
    Membership.objects.bulk_create(
        Membership(user=u, working_group=group, role=Role.MEMBER) for u in scorers
    )
    ice = ScoringFramework.objects.get(working_group=group, name="ICE")
    criteria = list(ice.criteria.all())
    tags = Tag.objects.bulk_create(Tag(working_group=group, name=w, slug=w) for w in WORDS[:12])
    units = list(people.units.values())
    owners = [people.users[n] for n in ("lena", "tomas", "aisha", "marco")]
    statuses = [Status.PROPOSED] * 6 + [Status.ACCEPTED, Status.DESIGNING, Status.RUNNING,
                                        Status.PARKED, Status.REJECTED, Status.CONCLUDED]  # fmt: skip
    now = timezone.now()
    hypotheses = Hypothesis.objects.bulk_create(
        Hypothesis(
            working_group=group,
            title=" ".join(rng.sample(WORDS, 4)).capitalize(),
            change=" ".join(rng.sample(WORDS, 8)),
            metric=f"{rng.choice(WORDS)} conversion",
            rationale=" ".join(rng.sample(WORDS, 10)),
            category=rng.choice(["product", "product", "foundational"]),
            business_unit=rng.choice(units),
            proposer=(owner := rng.choice(owners)),
            owner=owner,
            effort_weeks=rng.choice([None, 1, 2, 4, 8]),
            status=rng.choice(statuses),
            status_changed_at=now,
        )
        for _ in range(HYPOTHESES)
    )
    Through = Hypothesis.tags.through
    Through.objects.bulk_create(
        Through(hypothesis_id=h.pk, tag_id=t.pk) for h in hypotheses for t in rng.sample(tags, 2)
    )
    scores, summaries = [], []
    for h in hypotheses:
        base = rng.randint(2, 9)
        rows = []
        for u in scorers:
            values = {c.key: float(min(10, max(1, base + rng.randint(-2, 2)))) for c in criteria}
            computed = scoring.compute(ice.rule, criteria, values)
            scores.append(
                Score(
                    hypothesis=h,
                    framework=ice,
                    scorer=u,
                    values=values,
                    total=computed.total,
                    normalised=computed.normalised,
                    impact=computed.impact,
                    effort=computed.effort,
                )
            )
            rows.append((computed.total, computed.normalised, computed.impact, computed.effort))
        agg = scoring.aggregate(rows)
        summaries.append(
            ScoreSummary(
                hypothesis=h,
                framework=ice,
                scorer_count=agg.scorer_count,
                mean=agg.mean,
                median=agg.median,
                spread=agg.spread,
                discuss=agg.discuss,
                impact=agg.impact,
                effort=agg.effort,
            )
        )
    Score.objects.bulk_create(scores, batch_size=5_000)
    ScoreSummary.objects.bulk_create(summaries, batch_size=5_000)
    # The services keep each hypothesis's search document; bulk rows get theirs at once.
    Hypothesis.objects.filter(working_group=group).update(search_document=search_document())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(client, url: str) -> tuple[list[float], int, int]:
    """Server times in ms over RUNS requests (after warm-up), the query count, and rows."""
    from django.db import connection

    for _ in range(3):
        assert client.get(url).status_code == 200
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    size = len(response.content)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return times, len(queries), size


def main() -> int:
    with scratch_database("expprogram_bench", DEBUG=False):
        from django.test import Client

        from apps.accounts.demo import seed_people
        from apps.backlog import services
        from apps.backlog.models import Hypothesis, Score

        started = time.perf_counter()
        people = seed_people()
        group = people.group
        build(group, people)
        print(
            f"data: {Hypothesis.objects.count():,} hypotheses, {Score.objects.count():,} scores "
            f"({SCORERS} scorers each), loaded in {time.perf_counter() - started:.1f} s"
        )

        client = Client()
        client.force_login(people.users["lena"])
        cases = [
            ("API  ranked page of 50", f"/api/v1/hypotheses/?working_group={group.pk}&ordering=-score&page_size=50"),
            ("API  filtered + text search", f"/api/v1/hypotheses/?working_group={group.pk}&open=true&category=product&q=checkout&ordering=-score"),
            ("HTML backlog page (50 rows, scatter, portfolio)", f"/backlog/?group={group.slug}"),
            ("HTML backlog page, text search", f"/backlog/?group={group.slug}&q=checkout+pricing"),
        ]  # fmt: skip
        print(f"{'case':<50} {'median':>8} {'p95':>8} {'queries':>8} {'bytes':>9}")
        for label, url in cases:
            times, queries, size = timed(client, url)
            p95 = statistics.quantiles(times, n=20)[-1]
            print(
                f"{label:<50} {statistics.median(times):>6.1f}ms {p95:>6.1f}ms "
                f"{queries:>8} {size:>9,}"
            )

        # One write for scale: a member's score, which refreshes the summary in the same
        # transaction under a row lock.
        target = Hypothesis.objects.filter(status="proposed").first()
        writes = []
        for value in (3, 5, 7, 9, 4, 6, 8, 2, 5, 7):
            start = time.perf_counter()
            services.score_submit(
                actor=people.users["lena"],
                hypothesis=target,
                values={"impact": value, "confidence": value, "ease": value},
            )
            writes.append((time.perf_counter() - start) * 1000)
        print(
            f"{'score_submit (21 scorers on the hypothesis)':<50} {statistics.median(writes):>6.1f}ms"
        )
        print(f"total {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
