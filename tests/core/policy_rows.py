"""Role-policy rows for the site's own routes: the favicon is public, like the login page."""

from tests.policy_table import Row

ROWS: list[Row] = [
    Row(None, "get", "/favicon.ico", 301, page=True),
    Row("sofia", "get", "/favicon.ico", 301, page=True),
]
