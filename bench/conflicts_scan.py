"""Benchmark: the hourly conflicts scan over 10,000 scheduled or running experiments.

Run on PostgreSQL (the database production uses):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/expprogram .venv/bin/python bench/conflicts_scan.py

It builds its own scratch database (`expprogram_bench_conflicts`, dropped at the end) and
writes a program the size of a large company's: 200 surfaces in 50 areas, one layer per
area, 300 primary metrics, experiments running (started up to 8 weeks ago) or scheduled
(over the next 12 months) for 2 to 6 weeks, 90 % of them in their area's layer with a 2–6 %
share, audiences by region and platform, a few session- and cluster-randomized ones and a
few holdouts. Then:

1. the conflict engine alone on the 10,000 candidates: the sweep (`detect`, median of 5)
   against the all-pairs reference (`detect_naive`) in the same run, checking they agree.
   Both are timed in CPU seconds of this process, which a busy machine disturbs less than
   wall time; a finding's texts are written when first read, by both alike;
2. the scan end to end through the conflicts app's service, `conflicts_scan` (read the
   experiments, detect, write the conflicts) at 2,500 and at 10,000 experiments: the first
   scan opens every conflict, the next ones find an unchanged program; with the queries of
   each, which must not grow with the number of experiments.

Goals: the sweep at least 50× faster than all pairs; the scan under 2 s at 10,000.
"""

import datetime
import gc
import os
import random
import statistics
import sys
import time

from scratch import scratch_database

SCRATCH_DB = "expprogram_bench_conflicts"
SIZES = (2_500, 10_000)
SURFACES, AREAS, METRICS = 200, 50, 300
REGIONS = (("DE", "AT", "CH"), ("FR", "BE"), ("US", "CA"), ("GB", "IE"), ("BR",), ("JP",))


def audience(rng: random.Random) -> list[dict]:
    """Most experiments target one region, some one platform too, a quarter everyone."""
    out = []
    if rng.random() < 0.75:
        out.append({"attribute": "country", "operator": "in", "values": list(rng.choice(REGIONS))})
    if rng.random() < 0.3:
        out.append({"attribute": "platform", "operator": "in",
                    "values": [rng.choice(("web", "ios", "android"))]})  # fmt: skip
    return out


def experiment_rows(rng: random.Random, start_index: int, count: int, today: datetime.date):
    """(fields, surface indexes, metric index) per experiment, reproducible from the seed."""
    rows = []
    for i in range(start_index, start_index + count):
        area = rng.randrange(AREAS)
        area_surfaces = [area * (SURFACES // AREAS) + s for s in range(SURFACES // AREAS)]
        running = rng.random() < 0.35
        length = rng.randint(14, 42)
        start = today - datetime.timedelta(days=rng.randint(0, 56)) if running else (
            today + datetime.timedelta(days=rng.randint(1, 365)))  # fmt: skip
        holdout = rng.random() < 0.001
        unit = rng.choices(("user", "session", "cluster"), weights=(985, 10, 5))[0]
        in_layer = rng.random() < 0.9 and not holdout
        surfaces = rng.sample(area_surfaces, rng.choices((1, 2, 3), weights=(70, 25, 5))[0])
        fields = {
            "key": f"bench-{i}",
            "title": f"Bench experiment {i}",
            "type": "holdout" if holdout else "ab",
            "unit": unit,
            "status": "running" if running else "approved",
            "planned_start": start,
            "planned_end": start + datetime.timedelta(days=length),
            "started_at": datetime.datetime.combine(start, datetime.time(9), datetime.UTC)
            if running else None,
            "layer_index": area if in_layer else None,
            "layer_share": rng.choice((2, 3, 4, 5, 6)) if in_layer else 100,
            "allocation": 5 if holdout else rng.choice((10, 20, 50, 100)),
            "audience": audience(rng),
        }  # fmt: skip
        metric = area * (METRICS // AREAS) + rng.randrange(METRICS // AREAS)
        rows.append((fields, surfaces, metric))
    return rows


def seed(people, rows, catalogue) -> None:
    from apps.experiments.models import Experiment, ExperimentMetric

    group, owner, hypothesis, surfaces, layers, metrics = catalogue
    made = Experiment.objects.bulk_create(
        [
            Experiment(
                working_group=group, hypothesis=hypothesis, owner=owner,
                layer=None if f["layer_index"] is None else layers[f["layer_index"]],
                **{k: v for k, v in f.items() if k != "layer_index"},
            )
            for f, _, _ in rows
        ],
        batch_size=2000,
    )  # fmt: skip
    through = Experiment.surfaces.through
    through.objects.bulk_create(
        [through(experiment_id=e.pk, surface_id=surfaces[s].pk)
         for e, (_, indexes, _) in zip(made, rows, strict=True) for s in indexes],
        batch_size=5000,
    )  # fmt: skip
    ExperimentMetric.objects.bulk_create(
        [ExperimentMetric(experiment=e, metric=metrics[m], role="primary")
         for e, (_, _, m) in zip(made, rows, strict=True)],
        batch_size=5000,
    )  # fmt: skip


def catalogue(people):
    from apps.experiments.models import DataSource, Layer, Metric, SourceKind, Surface
    from tests.experiments import factories as f

    group = people.group
    source = DataSource.objects.create(
        working_group=group, name="Bench", kind=SourceKind.DUCKDB,
        config={"path": "/nonexistent"}, assignment_sql=f.ASSIGNMENT_SQL,
    )  # fmt: skip
    surfaces = Surface.objects.bulk_create(
        [
            Surface(working_group=group, name=f"area {s // 4} surface {s % 4}")
            for s in range(SURFACES)
        ]
    )
    layers = Layer.objects.bulk_create(
        [Layer(working_group=group, name=f"area-{a}") for a in range(AREAS)]
    )
    metrics = Metric.objects.bulk_create(
        [Metric(working_group=group, data_source=source, key=f"metric-{m}", name=f"Metric {m}",
                kind="binomial", sql="SELECT unit_id, ts, value FROM events")
         for m in range(METRICS)]
    )  # fmt: skip
    hypothesis = f.accepted_hypothesis(people)
    return group, people.users["aisha"], hypothesis, surfaces, layers, metrics


def counted(call):
    """(wall seconds, queries, result, CPU seconds of this process) of one call."""
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    gc.collect()
    with connection.execute_wrapper(count):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = call()
        seconds, cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
    return seconds, len(queries), result, cpu_s


def phases() -> dict[str, float]:
    """Time the scan's steps from here on: wall seconds per step, added up until cleared.

    The steps are the scan module's own functions, wrapped: reading the candidates,
    detecting, reading the unresolved conflicts, writing each finding's words and figures
    (`_values`), and the COPY of new rows (ids and rows); what is left of a scan is
    comparing, the lock, the transaction and its commit (the deferred foreign-key checks).
    """
    from apps.conflicts.services import scan

    spent: dict[str, float] = {}

    def timed(step, function):
        def call(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[step] = spent.get(step, 0.0) + time.perf_counter() - started

        return call

    for step, name in (("read", "current_candidates"), ("detect", "detect"),
                       ("stored", "_stored"), ("words", "_values"), ("insert", "_insert")):  # fmt: skip
        setattr(scan, name, timed(step, getattr(scan, name)))
    return spent


def split(seconds: float, spent: dict[str, float]) -> str:
    rest = seconds - sum(spent.values())
    parts = [f"{step} {spent.get(step, 0.0) * 1000:.0f}"
             for step in ("read", "detect", "stored", "words", "insert")]  # fmt: skip
    return "  ".join([*parts, f"rest {rest * 1000:.0f}"])


def cpu(call):
    """(CPU seconds of this process, result), without a collection landing inside."""
    gc.collect()
    started = time.process_time()
    result = call()
    return time.process_time() - started, result


def engine_alone(candidates) -> tuple[float, float, int]:
    from apps.conflicts.detection import detect, detect_naive

    samples = [cpu(lambda: detect(candidates)) for _ in range(5)]
    swept = samples[0][1]
    naive_s, naive = cpu(lambda: detect_naive(candidates))
    assert swept == naive, "the sweep and the all-pairs reference disagree"
    same_words = all(
        (s.explanation, s.remedy, s.figures) == (n.explanation, n.remedy, n.figures)
        for s, n in zip(swept, naive, strict=True)
    )
    assert same_words, "the sweep and the all-pairs reference word a finding differently"
    return statistics.median(s for s, _ in samples), naive_s, len(swept)


def main() -> int:
    with scratch_database(SCRATCH_DB):
        from django.utils import timezone

        from apps.accounts.demo import seed_people
        from apps.conflicts.candidates import current_candidates
        from apps.conflicts.models import Conflict
        from apps.conflicts.services import conflicts_scan

        people = seed_people()
        # One date for every scan: a run that crosses midnight would otherwise see running
        # experiments' windows move and count that as a change.
        today = timezone.localdate()
        rng = random.Random(14)
        rows = experiment_rows(rng, 0, SIZES[-1], today)
        things = catalogue(people)
        table = []
        done = 0
        spent = phases()
        splits = []
        for size in SIZES:
            started = time.perf_counter()
            seed(people, rows[done:size], things)
            done = size
            built = time.perf_counter() - started
            Conflict.objects.all().delete()  # each size starts from a program never scanned
            spent.clear()
            cold = counted(lambda: conflicts_scan(today=today, notify=False))
            splits.append(("first", split(cold[0], spent)))
            warm = []
            for _ in range(3):
                spent.clear()
                warm.append(counted(lambda: conflicts_scan(today=today, notify=False)))
                splits.append(("again", split(warm[-1][0], spent)))
            read = counted(lambda: current_candidates(today=today))
            table.append((size, built, read, cold, warm))
        splits = splits[-4:]  # the largest size's
        candidates = current_candidates(today=today)
        detect_s, naive_s, findings = engine_alone(candidates)

        print(f"{len(candidates)} candidates on {SURFACES} surfaces, {AREAS} layers, "
              f"{METRICS} primary metrics; PostgreSQL")  # fmt: skip
        print("\n1. The engine alone (same candidates, same findings)")
        print("   (CPU seconds of this process)")
        print(f"   detect (sweep, median of 5) {detect_s * 1000:>9.0f} ms   {findings} findings")
        print(f"   detect_naive (all pairs)    {naive_s * 1000:>9.0f} ms")
        print(f"   speed-up                    {naive_s / detect_s:>9.0f} ×   (goal: ≥ 50 ×)")
        print("\n2. conflicts_scan end to end: read, detect, write")
        print(f"   {'experiments':>11} {'scan':<22} {'wall s':>8} {'CPU s':>6} {'queries':>8} "
              f"{'opened':>7} {'updated':>8} {'resolved':>9}")  # fmt: skip
        for size, built, read, cold, warm in table:
            for label, (seconds, queries, result, cpu_s) in (
                ("first (opens all)", cold),
                *((f"again #{n} (unchanged)", w) for n, w in enumerate(warm, start=1)),
            ):
                print(f"   {size:>11} {label:<22} {seconds:>8.2f} {cpu_s:>6.2f} {queries:>8} "
                      f"{len(result.opened):>7} {result.updated:>8} {result.resolved:>9}")  # fmt: skip
            print(f"   {size:>11} {'read candidates only':<22} {read[0]:>8.2f} {read[3]:>6.2f} "
                  f"{read[1]:>8}")  # fmt: skip
            print(f"   {size:>11} {'(seeding, not a scan)':<22} {built:>8.2f}")
        _, _, _, cold, warm = table[-1]
        steady = statistics.median(w[0] for w in warm)
        steady_cpu = statistics.median(w[3] for w in warm)
        print(f"\n   at {SIZES[-1]}: first scan {cold[0]:.2f} s, an unchanged rescan {steady:.2f} s "
              f"wall / {steady_cpu:.2f} s CPU (medians; goal: under 2 s)")  # fmt: skip
        for size, _, _, cold, warm in table:
            print(f"   queries at {size}: first scan {cold[1]}, rescans {[w[1] for w in warm]}")
        print(f"\n   where the wall time went at {SIZES[-1]} (ms; words: each finding's "
              "explanation, remedy and figures; rest: comparing, lock, commit)")  # fmt: skip
        for label, text in splits:
            print(f"   {label:<6} {text}")
        print(f"   load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
