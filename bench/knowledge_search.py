"""Benchmark: knowledge-base search over 100,000 items on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/expprogram .venv/bin/python bench/knowledge_search.py

It builds its own scratch database (`expprogram_bench_knowledge`, dropped at the end) and
writes 100,000 index rows through `indexing.write` (the path every save takes, in batches),
their words drawn from the demo catalogue's vocabulary with a long tail of rarer words, a
tenth of them confidential. Then, as a stakeholder (so the visibility rule is in every
query), it times:

- search over 200 varied queries (exact words, phrases, OR, exclusions, typos, partial
  words, questions): the whole answer a page needs (pass choice, ranking, facets, snippets);
- the same queries' words as `ILIKE '%word%'` conditions over the same rows and visibility,
  the scan a search without an index does (on the first 50 queries: each takes a while);
- the similar-items lookup of the propose form over 100 drafts.

Goals: search p95 under 50 ms and at least 20 times faster than the ILIKE scan; similar
items p95 under 100 ms. The semantic path is timed by its own bench, not here.
"""

import random
import re
import statistics
import sys
import time

from scratch import scratch_database

ITEMS = 100_000
BATCH = 2_000
QUERIES = 200
ILIKE_QUERIES = 50
DRAFTS = 100
SCRATCH_DB = "expprogram_bench_knowledge"
KINDS = ("experiment", "learning", "hypothesis", "plan", "plan_decision", "meeting_decision")


def vocabulary() -> tuple[list[str], list[str]]:
    """The catalogue's words (common) and a long tail of made-up rarer ones."""
    from apps.knowledge.demo_catalogue import CATALOGUE

    text = " ".join(
        f"{e.title} {e.hypothesis} {e.statement} {e.design} {e.rationale} {e.learning.happened} "
        f"{e.learning.why} {e.learning.next}"
        for e in CATALOGUE
    )
    common = sorted(set(re.findall(r"[a-z]{3,}", text.lower())))
    rng = random.Random(7)
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ex", "qu", "ber", "don", "fel"]
    tail = sorted({"".join(rng.choice(syllables) for _ in range(3)) for _ in range(6000)})
    return common, tail


def documents(common: list[str], tail: list[str], group_id: int, unit_id: int):
    from apps.knowledge.demo_catalogue import CATALOGUE
    from apps.knowledge.indexing import Document, Visibility

    rng = random.Random(42)
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(common))]  # Zipf-like

    def words(n: int) -> str:
        picked = rng.choices(common, weights=weights, k=n)
        picked += rng.sample(tail, k=max(1, n // 8))
        rng.shuffle(picked)
        return " ".join(picked)

    surfaces = sorted({s for e in CATALOGUE for s in e.surfaces})
    for i in range(ITEMS):
        base = CATALOGUE[i % len(CATALOGUE)]
        secret = i % 10 == 0
        yield Document(
            title=f"{base.title} {words(3)}",
            url=f"/bench/{i}/",
            visibility=Visibility(
                group_id, "unit" if secret else "all", unit_id if secret else None
            ),
            statement=f"{base.statement} {words(12)}",
            text_c=f"{base.rationale[:200]} {words(25)}",
            body=words(60),
            status="concluded",
            outcome=rng.choice(["won", "lost", "flat", "inconclusive"]),
            surfaces=rng.sample(surfaces, k=2),
            metrics=[base.metric],
            tags=list(base.tags[:3]),
            year=2022 + i % 4,
            lift=round(rng.gauss(0.0, 0.03), 4),
        )


def queries(common: list[str]) -> list[str]:
    from tests.knowledge.relevance.queries import QUERIES as RELEVANCE

    rng = random.Random(3)
    found = [q.text for q in RELEVANCE]
    meaningful = [w for w in common if len(w) >= 5]
    while len(found) < QUERIES:
        style = len(found) % 6
        a, b, c = rng.sample(meaningful, 3)
        if style == 0:
            found.append(f"{a} {b}")
        elif style == 1:
            found.append(f'"{a} {b}"')
        elif style == 2:
            found.append(f"{a} OR {b} -{c}")
        elif style == 3:  # a typo: two letters swapped
            k = rng.randrange(1, len(a) - 1)
            found.append(a[:k] + a[k + 1] + a[k] + a[k + 2 :] + f" {b}")
        elif style == 4:
            found.append(f"{a[:4]} {b[:5]}")
        else:
            found.append(f"did we ever test {a} for {b}?")
    return found[:QUERIES]


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def timed(fn, inputs) -> list[float]:
    samples = []
    for value in inputs:
        start = time.perf_counter()
        fn(value)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def ilike(user, text: str) -> None:
    """The same words as ILIKE conditions over the same rows the person may read."""
    from django.db.models import Q, TextField, Value
    from django.db.models.functions import Concat

    from apps.knowledge.models.search import SearchItem
    from apps.knowledge.search.parse import parse

    words = parse(text).content_words or [text]
    rows = SearchItem.objects.visible_to(user).annotate(
        all_text=Concat(
            "title",
            Value(" "),
            "statement",
            Value(" "),
            "text_c",
            Value(" "),
            "body",
            output_field=TextField(),
        )
    )
    condition = Q()
    for word in words:
        condition &= Q(all_text__icontains=word)
    list(rows.filter(condition).values_list("id", flat=True)[:20])
    rows.filter(condition).count()


def main() -> int:
    # Lexical here: no embedding jobs queued while indexing.
    with scratch_database(SCRATCH_DB, KNOWLEDGE_SEMANTIC=False):
        from django.db import connection

        from apps.accounts.demo import seed_people
        from apps.knowledge import indexing
        from apps.knowledge.search import search, similar

        people = seed_people()
        common, tail = vocabulary()
        kinds = iter(KINDS * (ITEMS // len(KINDS) + 1))
        started = time.perf_counter()
        batch: dict = {}
        for number, document in enumerate(
            documents(common, tail, people.group.pk, people.units["commerce"].pk), start=1
        ):
            batch.setdefault(next(kinds), {})[number] = document
            if number % BATCH == 0:
                for kind, docs in batch.items():
                    indexing.write(kind, docs)
                batch = {}
        for kind, docs in batch.items():
            indexing.write(kind, docs)
        seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE knowledge_searchitem")
            cursor.execute("VACUUM ANALYZE knowledge_searchterm")
            cursor.execute("SELECT count(*) FROM knowledge_searchterm")
            terms = cursor.fetchone()[0]
        print(f"indexed {ITEMS:,} items in {seconds:.1f} s ({ITEMS / seconds:,.0f} items/s, "
              f"{terms:,} distinct words), in batches of {BATCH:,} through indexing.write",
              flush=True)  # fmt: skip

        reader = people.users["james"]  # a stakeholder: the visibility rule is in every query
        texts = queries(common)
        for text in texts[:10]:  # warm the caches
            search(reader, text, semantic=False)
        lexical = timed(lambda q: search(reader, q, semantic=False), texts)
        print(f"search (lexical), 200 queries: median {statistics.median(lexical):.1f} ms, "
              f"p95 {p95(lexical):.1f} ms", flush=True)  # fmt: skip
        scans = timed(lambda q: ilike(reader, q), texts[:ILIKE_QUERIES])
        same = lexical[:ILIKE_QUERIES]
        drafts = [f"{e} {f}" for e, f in zip(texts, reversed(texts), strict=True)][:DRAFTS]
        drafts = [d for d in drafts if d.strip()]
        similars = timed(lambda t: similar(reader, t, semantic=False), drafts)

        print(f"{'':<34} {'median ms':>9} {'p95 ms':>8}")
        print(f"{'search (lexical), 200 queries':<34} {statistics.median(lexical):>9.1f} "
              f"{p95(lexical):>8.1f}")  # fmt: skip
        print(f"{'search, first 50 queries':<34} {statistics.median(same):>9.1f} {p95(same):>8.1f}")
        print(f"{'ILIKE scan, same 50 queries':<34} {statistics.median(scans):>9.1f} "
              f"{p95(scans):>8.1f}")  # fmt: skip
        print(f"{'similar items, 100 drafts':<34} {statistics.median(similars):>9.1f} "
              f"{p95(similars):>8.1f}")  # fmt: skip
        ratio = statistics.median(scans) / statistics.median(same)
        ratio95 = p95(scans) / p95(same)
        print(
            f"search is {ratio:.0f}× faster than the ILIKE scan at the median, {ratio95:.0f}× at p95"
        )
        ok = p95(lexical) < 50 and ratio >= 20 and p95(similars) < 100
        print("goals (p95 < 50 ms, ≥ 20× ILIKE, similar p95 < 100 ms):", "met" if ok else "NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
