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
  decide now?). The page then offers it beside the plain decision form, and a refused
  payload's errors land on its fields. A form with `subject_model` and `subject_field`
  (the choice field naming what is decided) gets a "Record the decision" link on each
  agenda item about one of its open choices, preselecting it.

A source should cost a constant number of queries whatever the size of the backlog: the
builder is timed against thousands of hypotheses and action items.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from apps.accounts.models import WorkingGroup

from .models import Meeting


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


SourceFn = Callable[[AgendaContext], Iterable[AgendaCandidate]]
KindFn = Callable[..., None]


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
    form: type | None = None


_SOURCES: dict[str, AgendaSource] = {}
_KINDS: dict[str, DecisionKind] = {}


def agenda_source(name: str, *, order: int, heading: str):
    """Register `fn(ctx) -> Iterable[AgendaCandidate]`; re-registering a name replaces it."""

    def register(fn: SourceFn) -> SourceFn:
        _SOURCES[name] = AgendaSource(name=name, order=order, heading=heading, fn=fn)
        return fn

    return register


def decision_kind(name: str, *, label: str, form: type | None = None):
    """Register `fn(*, actor, decision, payload) -> None` for decisions of this kind."""

    def register(fn: KindFn) -> KindFn:
        _KINDS[name] = DecisionKind(name=name, label=label, fn=fn, form=form)
        return fn

    return register


def agenda_sources() -> list[AgendaSource]:
    return sorted(_SOURCES.values(), key=lambda s: (s.order, s.name))


def decision_kinds() -> dict[str, DecisionKind]:
    return dict(sorted(_KINDS.items()))
