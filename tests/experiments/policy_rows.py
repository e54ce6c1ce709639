"""Role-policy rows for experiments: the API's (api_policy_rows.py) and the pages'.

`prepare` writes what the paths refer to (see api_policy_rows.prepare_api)."""

from tests.policy_table import Row

from .api_policy_rows import API_ROWS, prepare_api


def prepare(ctx) -> None:
    prepare_api(ctx)


# --- pages
PAGE_ROWS: list[Row] = []

ROWS = API_ROWS + PAGE_ROWS
