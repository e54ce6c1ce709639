"""Recall@5 and MRR of the relevance set, per style and overall.

recall@5: the share of a query's expected items found in its first five results,
averaged over queries; MRR: the mean of 1 / rank of the first expected item (0 if none
in the first ten).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from .queries import QUERIES, STYLES, Query


@dataclass(frozen=True)
class Figures:
    recall: float
    mrr: float
    queries: int


def measure(ranked: Callable[[Query], list[str]]) -> tuple[dict[str, Figures], list[tuple]]:
    """Figures per style and "overall", and the misses (query, expected, top five)."""
    recalls, ranks = defaultdict(list), defaultdict(list)
    misses = []
    for query in QUERIES:
        top = ranked(query)[:10]
        found = sum(1 for key in query.expected if key in top[:5])
        recall = found / len(query.expected)
        first = next((i for i, key in enumerate(top, 1) if key in query.expected), None)
        for bucket in (query.style, "overall"):
            recalls[bucket].append(recall)
            ranks[bucket].append(1 / first if first else 0.0)
        if recall < 1:
            misses.append((query.style, query.text, query.expected, top[:5]))
    figures = {
        style: Figures(sum(recalls[style]) / len(recalls[style]),
                       sum(ranks[style]) / len(ranks[style]), len(recalls[style]))
        for style in (*STYLES, "overall")
    }  # fmt: skip
    return figures, misses


def table(figures: dict[str, Figures], title: str) -> str:
    lines = [title, f"{'style':<11} {'queries':>7} {'recall@5':>9} {'MRR':>6}"]
    for style, f in figures.items():
        lines.append(f"{style:<11} {f.queries:>7} {f.recall:>9.3f} {f.mrr:>6.3f}")
    return "\n".join(lines)
