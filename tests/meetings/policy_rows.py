"""Role-policy rows for meetings."""

from tests.policy_table import Row

ROWS: list[Row] = [
    Row(None, "get", "/meetings/", 302, page=True),
    Row("sofia", "get", "/meetings/", 200, page=True),
]
