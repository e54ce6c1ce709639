"""Role-policy rows for the knowledge base, gathered from its parts.

Each part (search, learnings, meta-analysis, semantic similarity) keeps its rows in
`policy_rows_<part>.py` with `ROWS` and, if its paths need objects, `prepare(ctx)`.
"""

import importlib
from pathlib import Path

_PARTS = [
    importlib.import_module(f"{__package__}.{path.stem}")
    for path in sorted(Path(__file__).parent.glob("policy_rows_*.py"))
]

ROWS = [row for part in _PARTS for row in part.ROWS]


def prepare(ctx) -> None:
    for part in _PARTS:
        hook = getattr(part, "prepare", None)
        if hook is not None:
            hook(ctx)
