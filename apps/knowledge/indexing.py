"""Keeping the search index current: a registry of searchable kinds, reindexed on commit.

Each kind registers the model it indexes and a `build(obj) -> Document | None` (None: not
searchable, the row is dropped). The apps that own the items never import knowledge: their
services save as usual, and registering connects `post_save`, `post_delete` and
`m2m_changed` of every registered model (and of the models a kind `watch`es) to `touch`.
Registration happens in knowledge's `ready()` (`documents/` for the built-in kinds).
Touched items collect per transaction and are rebuilt in one batch when it commits: a
service that saves an experiment, its variants and its surfaces reindexes the experiment
once, with a constant number of queries per kind.

    register(Kind.LEARNING, Learning, build_learning, queryset=lambda qs: qs.prefetch_related(…))
    watch(LearningLink, lambda link: [(Kind.LEARNING, link.learning_id)])
"""

import datetime
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .models.search import SearchItem, SearchTerm, StakeholderAccess

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Visibility:
    """Who may read an item: the group's members, and which of its stakeholders.

    `stakeholders` is "all", "unit" (only those speaking for `unit_id`) or "none".
    """

    group_id: int
    stakeholders: str = StakeholderAccess.ALL
    unit_id: int | None = None

    def narrowed(self, other: "Visibility | None") -> "Visibility":
        """The stricter of two rules: an item resting on a confidential plan inherits it."""
        if other is None:
            return self
        order: list[str] = [StakeholderAccess.ALL, StakeholderAccess.UNIT, StakeholderAccess.NONE]
        mine, theirs = order.index(self.stakeholders), order.index(other.stakeholders)
        if theirs > mine:
            return Visibility(self.group_id, other.stakeholders, other.unit_id)
        if theirs == mine == 1 and other.unit_id != self.unit_id:
            # Two different units' confidential plans: no stakeholder reads both.
            return Visibility(self.group_id, StakeholderAccess.NONE)
        return self


@dataclass
class Document:
    """What one item puts in the index; every text is plain text, facets are short labels."""

    title: str
    url: str
    visibility: Visibility
    statement: str = ""
    text_c: str = ""  # learnings and decisions
    body: str = ""
    business_unit_id: int | None = None
    status: str = ""
    outcome: str = ""  # won / lost / flat / inconclusive, or blank
    surfaces: list[str] = field(default_factory=list)
    metrics: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    year: int | None = None
    lift: float | None = None  # relative, 0.021 = +2.1 %
    lift_low: float | None = None
    lift_high: float | None = None
    happened_at: datetime.datetime | None = None


Build = Callable[[Any], Document | None]
Key = tuple[str, int]


@dataclass(frozen=True)
class _Entry:
    kind: str
    model: type[models.Model]
    build: Build
    queryset: Callable[[models.QuerySet], models.QuerySet] | None


_REGISTRY: dict[str, _Entry] = {}
# model -> functions mapping a changed instance to the index keys it affects
_WATCHERS: dict[type[models.Model], list[Callable[[Any], Iterable[Key]]]] = defaultdict(list)
# Called with the ids of the rows written or refreshed by each batch (semantic embeddings).
_LISTENERS: list[Callable[[list[int]], None]] = []


def register(
    kind: str,
    model: type[models.Model],
    build: Build,
    *,
    queryset: Callable[[models.QuerySet], models.QuerySet] | None = None,
) -> None:
    """Make `model`'s rows searchable as `kind`; `queryset` adds the joins `build` reads."""
    _REGISTRY[kind] = _Entry(kind, model, build, queryset)
    watch(model, lambda obj: [(kind, obj.pk)])


def watch(model: type[models.Model], affected: Callable[[Any], Iterable[Key]]) -> None:
    """Reindex the keys `affected(instance)` names whenever `model` changes (on commit)."""
    _WATCHERS[model].append(affected)
    _connect(model)


def on_indexed(listener: Callable[[list[int]], None]) -> None:
    """Call `listener(search_item_ids)` after each batch is written (on commit)."""
    _LISTENERS.append(listener)


def registered_kinds() -> list[str]:
    return list(_REGISTRY)


# -- the per-transaction batch ------------------------------------------------------------


class _Batch:
    """The keys touched in one transaction, rebuilt together when it commits."""

    def __init__(self) -> None:
        self.keys: set[Key] = set()
        self.done = False

    def flush(self) -> None:
        self.done = True
        by_kind: dict[str, set[int]] = defaultdict(set)
        for kind, pk in self.keys:
            by_kind[kind].add(pk)
        for kind, ids in by_kind.items():
            try:
                index_ids(kind, ids)
            except Exception:  # the item is saved; a stale index row must not undo that
                log.exception("reindexing %s %s failed", kind, sorted(ids))


def touch(keys: Iterable[Key]) -> None:
    """Reindex these items when the current transaction commits (now, outside one).

    One batch per transaction: it is found again through the connection's on-commit list,
    so a rolled-back transaction (whose callbacks Django drops) starts a fresh one.
    """
    keys = [(kind, int(pk)) for kind, pk in keys if kind in _REGISTRY and pk is not None]
    if not keys:
        return
    conn = transaction.get_connection()
    batch: _Batch | None = getattr(conn, "_knowledge_batch", None)
    pending = batch is not None and not batch.done
    if pending and not any(entry[1] == batch.flush for entry in conn.run_on_commit):  # type: ignore[union-attr]
        pending = False
    if not pending or batch is None:
        batch = conn._knowledge_batch = _Batch()  # type: ignore[attr-defined]
        transaction.on_commit(batch.flush)
    batch.keys.update(keys)


def index_object(obj: models.Model) -> None:
    """Reindex one object of a registered model now."""
    for entry in _REGISTRY.values():
        if isinstance(obj, entry.model):
            index_ids(entry.kind, [obj.pk])
            return
    raise LookupError(f"{type(obj).__name__} is not a searchable kind")


def unindex(kind: str, object_id: int) -> None:
    SearchItem.objects.filter(kind=kind, object_id=object_id).delete()


def index_ids(kind: str, ids: Iterable[int]) -> list[int]:
    """Rebuild the rows of these objects of one kind; objects gone or unsearchable drop."""
    entry = _REGISTRY[kind]
    ids = set(ids)
    queryset = entry.model._default_manager.filter(pk__in=ids)
    if entry.queryset is not None:
        queryset = entry.queryset(queryset)
    documents = {}
    for obj in queryset:
        document = entry.build(obj)
        if document is not None:
            documents[obj.pk] = document
    SearchItem.objects.filter(kind=kind, object_id__in=ids - set(documents)).delete()
    return write(kind, documents)


def write(kind: str, documents: dict[int, Document]) -> list[int]:
    """Upsert the rows for these documents in one statement; return their ids."""
    if not documents:
        return []
    rows = [_row(kind, pk, document) for pk, document in documents.items()]
    SearchItem.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=_UPDATE_FIELDS,
        batch_size=2000,
    )
    add_terms(" ".join(f"{r.title} {r.statement} {r.text_c}" for r in rows))
    ids = list(
        SearchItem.objects.filter(kind=kind, object_id__in=list(documents)).values_list(
            "pk", flat=True
        )
    )
    for listener in _LISTENERS:
        listener(ids)
    return ids


_UPDATE_FIELDS = [
    "working_group",
    "business_unit",
    "stakeholders",
    "access_unit",
    "title",
    "statement",
    "text_c",
    "body",
    "status",
    "outcome",
    "surfaces",
    "metrics",
    "tags",
    "year",
    "lift",
    "lift_low",
    "lift_high",
    "url",
    "happened_at",
    "updated_at",
]


def _row(kind: str, pk: int, document: Document) -> SearchItem:
    from django.utils import timezone

    visibility = document.visibility
    return SearchItem(
        kind=kind,
        object_id=pk,
        working_group_id=visibility.group_id,
        stakeholders=visibility.stakeholders,
        access_unit_id=(
            visibility.unit_id if visibility.stakeholders == StakeholderAccess.UNIT else None
        ),
        business_unit_id=document.business_unit_id,
        title=document.title[:300],
        statement=document.statement,
        text_c=document.text_c,
        # The facets' labels are searchable too: "checkout page", "order conversion".
        body="\n\n".join(
            part
            for part in (
                document.body,
                " · ".join([*document.surfaces, *document.metrics, *document.tags]),
            )
            if part
        ),
        status=document.status,
        outcome=document.outcome,
        surfaces=sorted(set(document.surfaces)),
        metrics=sorted(set(document.metrics)),
        tags=sorted(set(document.tags)),
        year=document.year,
        lift=document.lift,
        lift_low=document.lift_low,
        lift_high=document.lift_high,
        url=document.url,
        happened_at=document.happened_at,
        updated_at=timezone.now(),
    )


_WORD = re.compile(r"[^\W\d_]{3,40}")


def add_terms(text: str) -> None:
    """Remember the words of newly indexed text, for correcting misspelt query words."""
    words = {word.lower() for word in _WORD.findall(text)}
    if words:
        SearchTerm.objects.bulk_create(
            [SearchTerm(word=word) for word in sorted(words)],
            ignore_conflicts=True,
            batch_size=5000,
        )


def reindex_all(*, chunk: int = 2000) -> dict[str, int]:
    """Rebuild every kind in chunks and drop rows whose object is gone; counts per kind."""
    counts = {}
    for kind, entry in _REGISTRY.items():
        all_ids = list(entry.model._default_manager.order_by("pk").values_list("pk", flat=True))
        written = 0
        for start in range(0, len(all_ids), chunk):
            written += len(index_ids(kind, all_ids[start : start + chunk]))
        SearchItem.objects.filter(kind=kind).exclude(object_id__in=all_ids).delete()
        counts[kind] = written
    SearchItem.objects.exclude(kind__in=list(_REGISTRY)).delete()
    return counts


# -- signals ------------------------------------------------------------------------------


def _keys_for(instance) -> list[Key]:
    keys: list[Key] = []
    for model, functions in _WATCHERS.items():
        if isinstance(instance, model):
            for affected in functions:
                keys.extend(affected(instance))
    return keys


def _changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # fixtures load as they are; reindex_knowledge rebuilds afterwards
    keys = _keys_for(instance)
    if keys:
        touch(keys)


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        touch(_keys_for(instance))
    elif pk_set:
        # Changed from the other side (tag.hypotheses.add(...)): the objects on this side.
        for obj in model._default_manager.filter(pk__in=pk_set):
            touch(_keys_for(obj))


def _connect(model: type[models.Model]) -> None:
    label = model._meta.label_lower
    post_save.connect(_changed, sender=model, dispatch_uid=f"knowledge-save-{label}")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"knowledge-delete-{label}")
    for m2m in model._meta.many_to_many:
        through = m2m.remote_field.through
        if through is None:
            continue
        m2m_changed.connect(
            _m2m_changed, sender=through, dispatch_uid=f"knowledge-m2m-{through._meta.label_lower}"
        )


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"
