"""Scanning candidates for conflicts."""

from collections.abc import Iterable, Sequence

from .model import Candidate, Finding


def detect(
    candidates: Sequence[Candidate], *, holdouts: Iterable[Candidate] | None = None
) -> list[Finding]:
    """Every conflict among ``candidates`` (holdouts default to the running holdout ones)."""
    return []


def detect_naive(
    candidates: Sequence[Candidate], *, holdouts: Iterable[Candidate] | None = None
) -> list[Finding]:
    """The same findings by comparing every pair: the reference for tests and the bench."""
    return []
