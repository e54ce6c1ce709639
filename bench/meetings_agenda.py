"""Agenda drafting at scale: a group with 5,000 hypotheses and 2,000 action items.

Runs on PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres): it
creates a scratch database `expprogram_bench_meetings`, migrates it, measures the median
time and the query count of drafting (and redrafting) the next meeting's agenda, and drops
the database again. The target: median under 200 ms, a query count that does not grow
with the number of hypotheses or action items.
"""

import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH = "expprogram_bench_meetings"
RUNS = 15


def _scratch_url() -> tuple[str, str]:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parsed = urlparse(base)
    if not parsed.scheme.startswith("postgres"):
        sys.exit("bench/meetings_agenda.py needs DATABASE_URL to point at PostgreSQL")
    admin = urlunparse(parsed._replace(path="/postgres"))
    return admin, urlunparse(parsed._replace(path=f"/{SCRATCH}"))


def _recreate(admin_url: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{SCRATCH}"')


def _drop(admin_url: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')


def _build():
    from django.utils import timezone

    from apps.accounts.demo import seed_people
    from apps.backlog import services as backlog_services
    from apps.backlog.models import Hypothesis, ScoreSummary, Status
    from apps.meetings import services
    from apps.meetings.models import ActionItem, Kind

    rng = random.Random(7)
    people = seed_people()
    group, users = people.group, people.users
    framework = backlog_services.backlog_setup(group=group).framework
    members = [users[name] for name in ("priya", "marco", "lena", "tomas", "aisha")]
    now = timezone.now()
    statuses = [Status.PROPOSED] * 4 + [Status.ACCEPTED] * 2 + [
        Status.DESIGNING, Status.RUNNING, Status.CONCLUDED, Status.PARKED, Status.REJECTED
    ]  # fmt: skip
    hypotheses = Hypothesis.objects.bulk_create(
        Hypothesis(
            working_group=group,
            title=f"Hypothesis {n}",
            change="change something",
            metric="conversion",
            rationale="a reason",
            proposer=(owner := rng.choice(members)),
            owner=owner,
            status=rng.choice(statuses),
            status_changed_at=now,
        )
        for n in range(5000)
    )
    # Backdate creation so some were proposed since the previous meeting, most before.
    for h in hypotheses:
        h.created_at = now - timedelta(days=rng.randint(0, 400))
    Hypothesis.objects.bulk_update(hypotheses, ["created_at"], batch_size=1000)
    ScoreSummary.objects.bulk_create(
        ScoreSummary(
            hypothesis=h,
            framework=framework,
            scorer_count=4,
            mean=(mean := rng.uniform(1, 1000)),
            median=mean,
            spread=(spread := rng.random()),
            discuss=spread > 0.6,
        )
        for h in hypotheses
    )
    today = timezone.localdate()
    ActionItem.objects.bulk_create(
        ActionItem(
            working_group=group,
            title=f"Action {n}",
            owner=rng.choice(members),
            due_on=today + timedelta(days=rng.randint(-40, 60)),
            status=rng.choice(["open", "open", "in_progress", "done", "blocked"]),
        )
        for n in range(2000)
    )
    pm = users["priya"]
    services.meeting_create(
        actor=pm, group=group, kind=Kind.WORKING_GROUP, title="Previous",
        starts_at=now - timedelta(days=14),
    )  # fmt: skip
    meeting = services.meeting_create(
        actor=pm, group=group, kind=Kind.WORKING_GROUP, title="Next",
        starts_at=now + timedelta(days=2),
    )  # fmt: skip
    return pm, meeting


def _measure(pm, meeting) -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from apps.meetings import services

    # A running server has its URLconf loaded; loading it here would time imports instead.
    reverse("meetings:index")
    with CaptureQueriesContext(connection) as first_queries:
        started = time.perf_counter()
        first = services.meeting_draft_agenda(actor=pm, meeting=meeting)
        first_ms = (time.perf_counter() - started) * 1000
    timings, counts = [], []
    for _ in range(RUNS):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            services.meeting_draft_agenda(actor=pm, meeting=meeting)
            timings.append((time.perf_counter() - started) * 1000)
        counts.append(len(queries))
    items = meeting.agenda_items.filter(removed=False).count()
    print(f"first draft: {first_ms:.1f} ms, {len(first_queries)} queries, {first.created} items")
    if os.environ.get("BENCH_VERBOSE"):
        for q in sorted(first_queries.captured_queries, key=lambda q: -float(q["time"]))[:3]:
            print(f"  {q['time']} s  {q['sql'][:300]}")
    print(
        f"redraft x{RUNS}: median {statistics.median(timings):.1f} ms "
        f"(min {min(timings):.1f}, max {max(timings):.1f}), queries {sorted(set(counts))}, "
        f"{items} agenda items"
    )
    verdict = "OK" if statistics.median(timings) < 200 else "SLOWER THAN 200 ms"
    print(f"target median < 200 ms: {verdict}")


def main() -> None:
    admin_url, scratch_url = _scratch_url()
    _recreate(admin_url)
    try:
        os.environ["DATABASE_URL"] = scratch_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "expprogram.settings.test")
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        pm, meeting = _build()
        print(
            f"built 5,000 hypotheses and 2,000 action items in "
            f"{time.perf_counter() - started:.1f} s (PostgreSQL, {SCRATCH})"
        )
        _measure(pm, meeting)
    finally:
        from django.db import connections

        connections.close_all()
        _drop(admin_url)


if __name__ == "__main__":
    main()
