"""The role-policy table: rows of (who, request, expected status) that every app extends.

Each app lists its rows in `tests/<app>/policy_rows.py` as `ROWS`, and may define
`prepare(ctx)` to create the objects its paths refer to (attach them to ctx, then write
`{c.hypothesis.pk}` in a path). `who` is a demo username (apps/accounts/demo.py), None for
anonymous, or "outsider" for a signed-in person in no group.
"""

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apps.accounts.models import Membership, User


@dataclass(frozen=True)
class Row:
    who: str | None
    method: str
    path: str  # formatted with c=Ctx; {c.m(username).pk} names a membership
    expected: int
    data: Callable[[Any], dict] | None = None
    page: bool = False  # an HTML page (form posts, redirects to login) rather than the API

    def __str__(self) -> str:
        return f"{self.who or 'anonymous'}-{self.method}-{self.path}-{self.expected}"


class Ctx:
    """What rows refer to: the demo group, its memberships, a newcomer and an outsider."""

    def __init__(self, demo):
        self.demo = demo
        self.group = demo.group
        self.users = demo.users
        self.newcomer = User.objects.create_user("newcomer", password="pw-newcomer-1")
        self.outsider = User.objects.create_user("outsider", password="pw-outsider-1")

    def m(self, username: str) -> Membership:
        return Membership.objects.get(user=self.users[username], working_group=self.group)

    def format(self, template: str) -> str:
        # str.format cannot call methods: resolve {c.m(name).pk} and units first.
        raw = re.sub(r"\{c\.m\((\w+)\)\.pk\}", lambda m: str(self.m(m.group(1)).pk), template)
        raw = re.sub(
            r"\{c\.demo\.units\[([\w-]+)\]\.pk\}",
            lambda m: str(self.demo.units[m.group(1)].pk),
            raw,
        )
        return raw.format(c=self)


def row_modules() -> list:
    """Every `tests/<app>/policy_rows.py`, in a stable order."""
    root = Path(__file__).parent
    names = sorted(p.parent.name for p in root.glob("*/policy_rows.py"))
    return [importlib.import_module(f"tests.{name}.policy_rows") for name in names]


def all_rows() -> list[tuple[str, Row]]:
    return [(module.__name__, row) for module in row_modules() for row in module.ROWS]
