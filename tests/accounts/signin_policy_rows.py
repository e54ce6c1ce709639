"""Role-policy rows for sign-in: API tokens, the token endpoint, password pages.

Appended to ROWS in policy_rows.py, which the role-policy table reads.
"""

from apps.accounts.demo import DEMO_PASSWORD
from apps.accounts.tokens import api_token_create
from tests.policy_table import Row

TOKENS = "/api/v1/auth/tokens/"
LENAS = TOKENS + "{c.lena_token.pk}/"
LENAS_PAGE = "/accounts/tokens/{c.lena_token.pk}/revoke/"


def prepare(ctx) -> None:
    ctx.lena_token, _ = api_token_create(actor=ctx.users["lena"], name="lena's")


ROWS: list[Row] = [
    # --- the token endpoint: anyone may try, with a password
    Row(None, "post", "/api/v1/auth/token/", 401, lambda c: {"username": "sofia", "password": "x"}),
    Row(
        None,
        "post",
        "/api/v1/auth/token/",
        200,
        lambda c: {"username": "sofia", "password": DEMO_PASSWORD},
    ),
    # --- tokens: your own; an admin sees and revokes anyone's; others' are not found
    Row(None, "get", TOKENS, 401),
    Row("sofia", "get", TOKENS, 200),
    Row("outsider", "get", TOKENS, 200),
    Row("priya", "get", TOKENS, 403, lambda c: {"user": c.users["lena"].pk}),
    Row("dana", "get", TOKENS, 200, lambda c: {"user": c.users["lena"].pk}),
    Row(None, "delete", LENAS, 401),
    Row("sofia", "delete", LENAS, 404),
    Row("priya", "delete", LENAS, 404),
    Row("lena", "delete", LENAS, 204),
    Row("dana", "delete", LENAS, 204),
    # --- pages: the tokens page is your own; admins revoke others' through the API
    Row(None, "get", "/accounts/tokens/", 302, page=True),
    Row("sofia", "get", "/accounts/tokens/", 200, page=True),
    Row("outsider", "get", "/accounts/tokens/", 200, page=True),
    Row(
        None,
        "post",
        "/accounts/tokens/",
        302,
        lambda c: {"name": "x", "expires_in_days": 30},
        page=True,
    ),
    Row(
        "sofia",
        "post",
        "/accounts/tokens/",
        200,
        lambda c: {"name": "x", "expires_in_days": 30},
        page=True,
    ),
    Row(None, "post", LENAS_PAGE, 302, page=True),
    Row("sofia", "post", LENAS_PAGE, 404, page=True),
    Row("dana", "post", LENAS_PAGE, 404, page=True),
    Row("lena", "post", LENAS_PAGE, 302, page=True),
    # --- password change (signed in) and reset (anyone)
    Row(None, "get", "/accounts/password/change/", 302, page=True),
    Row("sofia", "get", "/accounts/password/change/", 200, page=True),
    Row(None, "get", "/accounts/password/change/done/", 302, page=True),
    Row("sofia", "get", "/accounts/password/change/done/", 200, page=True),
    Row(None, "get", "/accounts/password/reset/", 200, page=True),
    Row(None, "get", "/accounts/password/reset/sent/", 200, page=True),
    Row(None, "get", "/accounts/password/reset/MQ/not-a-token/", 200, page=True),
    Row(None, "get", "/accounts/password/reset/complete/", 200, page=True),
]
