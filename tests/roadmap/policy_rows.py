"""Role-policy rows for roadmap."""

from tests.policy_table import Row

ROWS: list[Row] = [
    Row(None, "get", "/roadmap/", 302, page=True),
    Row("sofia", "get", "/roadmap/", 200, page=True),
]
