"""What one experiment would face if it launched now."""

from collections.abc import Sequence

from .model import Candidate, Finding


def check_one(candidate: Candidate, others: Sequence[Candidate]) -> list[Finding]:
    """The conflicts ``candidate`` has with ``others``: what its launch would face."""
    return []
