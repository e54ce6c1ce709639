"""Role-policy rows for the backlog."""

from tests.policy_table import Row

ROWS: list[Row] = [
    Row(None, "get", "/backlog/", 302, page=True),
    Row("sofia", "get", "/backlog/", 200, page=True),
]
