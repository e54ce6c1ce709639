"""The audience catalogue: which attributes an experiment may target, and how.

An audience is a list of conditions, all of which a unit must meet:
``[{"attribute": "country", "operator": "in", "values": ["DE", "AT"]}]``. The catalogue
is data: each attribute names its values (a closed list such as the platforms) or the rule
its values follow (an open list such as ISO country codes). Adding an attribute is one
entry in ``ATTRIBUTES``; the validation, the form's help and the conflict engine's
overlap rules all read it. Pure Python: the conflict engine imports it without Django.

Every operator is a set operation on one attribute's values (``eq`` is ``in`` with one
value, ``neq`` is ``not_in`` with one value), so two audiences can be compared exactly:
see ``allowed`` and ``apps.conflicts.detection.audience``.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass

MAX_CONDITIONS = 20
MAX_VALUES = 200
MAX_VALUE_LENGTH = 120


class AudienceError(ValueError):
    """A condition that breaks a rule; ``field`` is the form or API field to blame."""

    def __init__(self, message: str, *, field: str = "audience") -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Attribute:
    """A targetable property of a unit: its closed list of values, or the rule for them."""

    name: str
    label: str
    values: tuple[str, ...] = ()  # empty: an open domain checked by `pattern`
    pattern: str = ""
    rule: str = ""  # the open domain's rule, in words
    upper: bool = False  # codes are stored upper case (country), else lower case

    @property
    def closed(self) -> bool:
        return bool(self.values)

    def normalise(self, value: str) -> str:
        value = value.strip()
        return value.upper() if self.upper else value.lower()

    def accepts(self, value: str) -> bool:
        if self.closed:
            return value in self.values
        return re.fullmatch(self.pattern, value) is not None


@dataclass(frozen=True)
class Operator:
    name: str
    label: str
    negated: bool
    single: bool  # takes exactly one value


ATTRIBUTES: Mapping[str, Attribute] = {
    a.name: a
    for a in (
        Attribute(
            "country", "Country", pattern=r"[A-Z]{2}", upper=True,
            rule="two-letter ISO 3166 codes such as DE or US",
        ),
        Attribute(
            "language", "Language", pattern=r"[a-z]{2}",
            rule="two-letter ISO 639 codes such as de or en",
        ),
        Attribute("platform", "Platform", values=("web", "ios", "android")),
        Attribute("device", "Device", values=("desktop", "mobile", "tablet")),
        Attribute("visitor_type", "Visitor", values=("new", "returning")),
        Attribute("plan", "Plan", values=("free", "plus", "business", "enterprise")),
        Attribute("channel", "Acquisition channel",
                  values=("direct", "search", "social", "email", "paid", "referral")),
    )
}  # fmt: skip

OPERATORS: Mapping[str, Operator] = {
    o.name: o
    for o in (
        Operator("in", "in", negated=False, single=False),
        Operator("not_in", "not in", negated=True, single=False),
        Operator("eq", "is", negated=False, single=True),
        Operator("neq", "is not", negated=True, single=True),
    )
}


@dataclass(frozen=True)
class Condition:
    """One targeting rule: the unit's ``attribute`` is (or is not) one of ``values``."""

    attribute: str
    operator: str
    values: tuple[str, ...]

    @property
    def negated(self) -> bool:
        return self.operator in OPERATORS and OPERATORS[self.operator].negated

    @property
    def known(self) -> bool:
        """Whether the catalogue knows the attribute and the operator, so it can be reasoned on."""
        return self.attribute in ATTRIBUTES and self.operator in OPERATORS

    def as_json(self) -> dict:
        return {"attribute": self.attribute, "operator": self.operator, "values": list(self.values)}

    def describe(self) -> str:
        """``country in DE, AT`` as a person reads it."""
        label = OPERATORS[self.operator].label if self.operator in OPERATORS else self.operator
        return f"{self.attribute} {label} {', '.join(self.values)}"


@dataclass(frozen=True)
class Allowed:
    """What an audience lets through on one attribute.

    ``only`` is the set of values allowed (None: any value not in ``excluded``). A closed
    attribute always resolves to ``only``; an open one keeps its exclusions.
    """

    only: frozenset[str] | None
    excluded: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return self.only is not None and not self.only


def allowed(conditions: tuple[Condition, ...], attribute: str) -> Allowed:
    """The values of ``attribute`` that every condition on it lets through (AND of sets)."""
    only: frozenset[str] | None = None
    excluded: set[str] = set()
    for c in conditions:
        if c.attribute != attribute or c.operator not in OPERATORS:
            continue
        if c.negated:
            excluded.update(c.values)
        else:
            only = frozenset(c.values) if only is None else only & frozenset(c.values)
    spec = ATTRIBUTES.get(attribute)
    if only is None and spec is not None and spec.closed:
        only = frozenset(spec.values)
    if only is not None:
        return Allowed(only=only - excluded)
    return Allowed(only=None, excluded=frozenset(excluded))


def _names(mapping: Mapping[str, object]) -> str:
    return ", ".join(mapping)


def _parse_one(number: int, raw: object) -> Condition:
    where = f"Condition {number}"
    if not isinstance(raw, Mapping):
        raise AudienceError(f"{where}: write each condition as {{attribute, operator, values}}.")
    name = raw.get("attribute")
    if not isinstance(name, str) or not name.strip():
        raise AudienceError(f"{where}: name an attribute ({_names(ATTRIBUTES)}).")
    name = name.strip().lower()
    spec = ATTRIBUTES.get(name)
    if spec is None:
        raise AudienceError(f"Unknown attribute '{name[:60]}': use one of {_names(ATTRIBUTES)}.")
    operator = raw.get("operator", "in")
    if not isinstance(operator, str) or operator not in OPERATORS:
        shown = str(operator)[:30]
        raise AudienceError(
            f"Unknown operator '{shown}' on {name}: use one of {_names(OPERATORS)}."
        )
    values = raw.get("values")
    if isinstance(values, str) and OPERATORS[operator].single:
        values = [values]
    if (not isinstance(values, list | tuple) or not values or len(values) > MAX_VALUES
            or not all(isinstance(v, str) and v.strip() for v in values)):  # fmt: skip
        raise AudienceError(f"{name}: list between 1 and {MAX_VALUES} values as text.")
    if OPERATORS[operator].single and len(values) != 1:
        raise AudienceError(f"{name} {operator}: give exactly one value, or use in / not_in.")
    cleaned: list[str] = []
    for value in values:
        if len(value) > MAX_VALUE_LENGTH:
            raise AudienceError(f"{name}: a value is at most {MAX_VALUE_LENGTH} characters.")
        norm = spec.normalise(value)
        if not spec.accepts(norm):
            rule = f"one of {', '.join(spec.values)}" if spec.closed else spec.rule
            raise AudienceError(f"{name}: '{value.strip()[:40]}' is not a value; use {rule}.")
        if norm not in cleaned:
            cleaned.append(norm)
    return Condition(attribute=name, operator=operator, values=tuple(cleaned))


def parse_conditions(raw: object) -> tuple[Condition, ...]:
    """Check stored or submitted conditions against the catalogue; the first broken rule raises.

    Values are normalised (country codes upper case, the rest lower case, duplicates
    dropped). Conditions that together leave no one (``platform in ios`` and
    ``platform not_in ios``) are refused: such an experiment could never enrol a unit.
    """
    if raw is None:
        return ()
    if not isinstance(raw, list | tuple):
        raise AudienceError("Give the audience as a list of conditions.")
    if len(raw) > MAX_CONDITIONS:
        raise AudienceError(f"Give at most {MAX_CONDITIONS} conditions.")
    conditions = tuple(_parse_one(n, c) for n, c in enumerate(raw, start=1))
    for name in dict.fromkeys(c.attribute for c in conditions):
        if allowed(conditions, name).empty:
            raise AudienceError(f"The conditions on {name} leave no one in the audience.")
    return conditions


def read_stored(raw: object) -> tuple[Condition, ...]:
    """Conditions as stored, never refused: rows saved before the catalogue existed may name
    an attribute or operator it does not know. Those stay, with ``known`` false, so the
    conflict engine counts them as overlapping and says why."""
    if not isinstance(raw, list | tuple):
        return ()
    out = []
    for item in raw:
        if not isinstance(item, Mapping):
            continue
        name = str(item.get("attribute", "")).strip().lower()
        operator = str(item.get("operator", "in"))
        values = item.get("values")
        if isinstance(values, str):
            values = [values]
        if not name or not isinstance(values, list | tuple):
            continue
        spec = ATTRIBUTES.get(name)
        texts = [str(v) for v in values]
        norm = tuple(dict.fromkeys(spec.normalise(v) if spec else v.strip() for v in texts))
        out.append(Condition(attribute=name, operator=operator, values=norm))
    return tuple(out)


def conditions_as_json(conditions: tuple[Condition, ...]) -> list[dict]:
    return [c.as_json() for c in conditions]


def catalogue_help() -> str:
    """One line per attribute for forms and the API schema."""
    lines = []
    for spec in ATTRIBUTES.values():
        domain = ", ".join(spec.values) if spec.closed else spec.rule
        lines.append(f"{spec.name}: {domain}")
    return "; ".join(lines) + f". Operators: {_names(OPERATORS)}."
