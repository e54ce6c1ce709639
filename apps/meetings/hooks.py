"""How other apps plug into meetings: agenda sources and decision kinds.

An app's `meeting_hooks.py` (found by MeetingsConfig.ready) registers

- agenda sources: `fn(ctx: AgendaContext) -> Iterable[AgendaCandidate]`, one per kind of
  thing the group should discuss. The agenda builder calls them in `order` and never needs
  editing when a new source arrives.
- decision kinds: `fn(*, actor, decision, payload: dict) -> None`, called inside the same
  transaction that records the decision, so a refused change records no decision either. A
  bad payload raises django's ValidationError, naming fields as `payload.<name>`.
  A kind may bring a `form` for the meeting page: a Django form built as
  `form(data=None, *, meeting, user)`, with `payload()` (the payload dict once valid),
  `decision_text()` (what the meeting's record says) and `is_available()` (anything to
  decide now?). A kind whose every decision needs one role (`requires`, a policy Action:
  only the program manager accepts or rejects a hypothesis) is offered only to people the
  policy allows it. The page then offers it beside the plain decision form, and a refused
  payload's errors land on its fields. A form with `subject_model` and `subject_field`
  (the choice field naming what is decided) gets a "Record the decision" link on each
  agenda item about one of its open choices, preselecting it.

A source should cost a constant number of queries whatever the size of the backlog: the
builder is timed against thousands of hypotheses and action items.

Who reads a decision. A meeting's record is read by every member of its group, stakeholders
included, through the API, the meeting page, the Markdown and the shared notes; what a
decision is about may be readable by fewer people (a confidential plan). So every kind
declares, when it registers,

- `readable(decisions, user) -> set[int]`: the ids, among `decisions` (all of this kind, all
  in groups the user reads), whose text and payload the user may read. A constant number
  of queries whatever the number of decisions; it is asked once per viewer (the shared
  notes go to each recipient with their own copy).
- `neutral_text(decisions) -> dict[int, str]` (optional): what the others see instead, in
  the same neutral wording the kind's agenda items use. Missing ids get a generic sentence.

A kind cannot register without `readable`: forgetting it would show every reader of the
meeting what only some may read. A decision the user may not read shows the neutral text
and an empty payload; anything else of its (who recorded it, when) stays. An app may also
register a `decision_subject(model, readable=…, neutral_text=…)` rule for decisions whose
`subject` is one of its models, so a plain decision "about" a confidential plan is withheld
the same way; a decision is shown only when its kind's rule and its subject's rule both
allow it. `selectors.present_decisions` is the one place that applies these rules: every
read path (API, pages, Markdown, email) goes through it.

A kind may also declare `describe(decisions) -> dict[int, DecisionOutcome]`: what each
decision changed, in words with a link ("Guest checkout by default → Accepted"), so pages
never show the kind's internal name. A constant number of queries; it is asked only about
decisions the viewer may read, and a missing id reads just "applied".

A subject rule is asked about agenda items too (its `readable` gets anything with `pk` and
`subject_id`): an item about something the viewer may not read shows the rule's
`neutral_title` and neither detail nor notes (`selectors.present_agenda`), so an agenda
drafted before a plan turned confidential stops naming it.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError

from apps.accounts.models import WorkingGroup
from apps.accounts.policy import Action

from .models import Decision, Meeting


@dataclass(frozen=True)
class AgendaCandidate:
    key: str  # stable identity, e.g. "hypothesis:12:proposed": drafting twice never duplicates it
    title: str
    minutes: int  # suggested timebox
    presenter_id: int | None = None  # user id (the owner)
    url: str = ""  # link to what it is about
    detail: str = ""
    subject: object | None = None  # model instance it is about (stored generically), optional


@dataclass(frozen=True)
class AgendaContext:
    group: WorkingGroup
    meeting: Meeting
    since: datetime | None  # previous meeting's start (None for the first)
    until: datetime  # the following meeting's start (or meeting start + cadence)


@dataclass(frozen=True)
class DecisionOutcome:
    """What an applied decision changed, as a reader sees it, and where to look."""

    text: str
    url: str = ""


SourceFn = Callable[[AgendaContext], Iterable[AgendaCandidate]]
KindFn = Callable[..., None]
ReadableFn = Callable[[Sequence[Decision], object], set[int]]
NeutralFn = Callable[[Sequence[Decision]], dict[int, str]]
DescribeFn = Callable[[Sequence], dict[int, DecisionOutcome]]


@dataclass(frozen=True)
class AgendaSource:
    name: str
    order: int
    heading: str
    fn: SourceFn


@dataclass(frozen=True)
class DecisionKind:
    name: str
    label: str
    fn: KindFn
    readable: ReadableFn
    form: type | None = None
    neutral_text: NeutralFn | None = None
    describe: DescribeFn | None = None
    requires: Action | None = None


@dataclass(frozen=True)
class SubjectRule:
    """Who reads decisions and agenda items about one model (their `subject`)."""

    model: type
    readable: ReadableFn
    neutral_text: NeutralFn | None = None
    neutral_title: NeutralFn | None = None  # for agenda items


_SOURCES: dict[str, AgendaSource] = {}
_KINDS: dict[str, DecisionKind] = {}
_SUBJECTS: dict[type, SubjectRule] = {}


def agenda_source(name: str, *, order: int, heading: str):
    """Register `fn(ctx) -> Iterable[AgendaCandidate]`; re-registering a name replaces it."""

    def register(fn: SourceFn) -> SourceFn:
        _SOURCES[name] = AgendaSource(name=name, order=order, heading=heading, fn=fn)
        return fn

    return register


def decision_kind(
    name: str,
    *,
    label: str,
    readable: ReadableFn,
    neutral_text: NeutralFn | None = None,
    form: type | None = None,
    describe: DescribeFn | None = None,
    requires: Action | None = None,
):
    """Register `fn(*, actor, decision, payload) -> None` for decisions of this kind, with
    who may read them (see the module docstring)."""

    def register(fn: KindFn) -> KindFn:
        _KINDS[name] = DecisionKind(
            name=name, label=label, fn=fn, readable=readable, form=form,
            neutral_text=neutral_text, describe=describe, requires=requires,
        )  # fmt: skip
        return fn

    return register


def decision_subject(
    model: type,
    *,
    readable: ReadableFn,
    neutral_text: NeutralFn | None = None,
    neutral_title: NeutralFn | None = None,
):
    """Register who may read decisions and agenda items whose subject is a `model`;
    re-registering replaces."""
    _SUBJECTS[model] = SubjectRule(
        model=model, readable=readable, neutral_text=neutral_text, neutral_title=neutral_title
    )


def payload_id(decision: Decision, name: str) -> int | None:
    """The id a decision's payload names under `name`, or None when it names none validly
    (a kind's `readable` must not fail on a payload its own check would refuse)."""
    payload = decision.payload if isinstance(decision.payload, dict) else {}
    raw = payload.get(name)
    if isinstance(raw, bool) or not isinstance(raw, int | str) or not str(raw).isdigit():
        return None
    return int(raw) if int(raw) <= 2**63 - 1 else None


def payload_errors(exc: ValidationError) -> ValidationError:
    """A service's refusal with its fields named under `payload.`, as a kind's form shows
    them on the meeting page."""
    return ValidationError(
        {f"payload.{field}" if field != "__all__" else "payload": messages
         for field, messages in exc.message_dict.items()}
    )  # fmt: skip


def readable_by_every_reader(decisions: Sequence[Decision], user) -> set[int]:
    """For kinds about what everyone in the meeting's group already reads (the backlog)."""
    return {d.pk for d in decisions}


def describe_decisions(decisions: Sequence) -> list[tuple[object, DecisionOutcome | None]]:
    """Each presented decision with what it changed (None for a plain decision): one
    `describe` call per kind, asked only about decisions the viewer may read."""
    by_kind: dict[str, list] = {}
    for d in decisions:
        if d.kind and not d.withheld:
            by_kind.setdefault(d.kind, []).append(d)
    outcomes: dict[int, DecisionOutcome] = {}
    for name, group in by_kind.items():
        kind = _KINDS.get(name)
        described = kind.describe(group) if kind is not None and kind.describe else {}
        for d in group:
            outcomes[d.pk] = described.get(d.pk) or DecisionOutcome("applied")
    return [(d, outcomes.get(d.pk)) for d in decisions]


def agenda_sources() -> list[AgendaSource]:
    return sorted(_SOURCES.values(), key=lambda s: (s.order, s.name))


def decision_kinds() -> dict[str, DecisionKind]:
    return dict(sorted(_KINDS.items()))


def decision_subjects() -> dict[type, SubjectRule]:
    return dict(_SUBJECTS)
