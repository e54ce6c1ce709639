"""The conflict engine: pure Python, no Django.

``detect`` scans every candidate; ``check_one`` answers what a single experiment would face
now. The conflicts app turns experiments into ``Candidate`` rows and stores the findings.
"""

from .checks import check_one
from .model import Candidate, Finding, Kind, Severity
from .sweep import detect, detect_naive

__all__ = ["Candidate", "Finding", "Kind", "Severity", "check_one", "detect", "detect_naive"]
