"""The search index: one row per searchable item, kept current on commit by `indexing.py`.

Who may read a row is decided in one SQL condition (`SearchItemQuerySet.visible_to`): the
reader holds a membership in the row's working group, and either is not a stakeholder there,
or the row lets stakeholders in (`stakeholders="all"`), or lets in the stakeholders who speak
for one business unit (`stakeholders="unit"`, `access_unit`). A draft or confidential research
plan, and everything that rests on it (its milestones' decisions, its experiments, their
learnings), carries the plan's rule, so a stakeholder never finds, counts or is suggested it.

`search_vector` is maintained by the database (a generated column): title A, statement B,
learnings and decisions C, the rest D. On SQLite the same column holds the plain text, and
search falls back to a simpler ranking (see `search/query.py`).
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, Concat

from apps.accounts.models import BusinessUnit, Membership, Role, WorkingGroup


class Kind(models.TextChoices):
    HYPOTHESIS = "hypothesis", "Hypothesis"
    EXPERIMENT = "experiment", "Experiment"
    LEARNING = "learning", "Learning"
    PLAN = "plan", "Research plan"
    PLAN_DECISION = "plan_decision", "Milestone decision"
    MEETING_DECISION = "meeting_decision", "Meeting decision"


class Outcome(models.TextChoices):
    WON = "won", "Won"
    LOST = "lost", "Lost"
    FLAT = "flat", "Flat"
    INCONCLUSIVE = "inconclusive", "Inconclusive"


class StakeholderAccess(models.TextChoices):
    ALL = "all", "Every stakeholder of the group"
    UNIT = "unit", "Stakeholders of one business unit"
    NONE = "none", "No stakeholder"


def _weighted_document():
    """title A, statement B, learnings and decisions C, the rest D; English stemming."""
    return (
        SearchVector("title", weight="A", config="english")
        + SearchVector("statement", weight="B", config="english")
        + SearchVector("text_c", weight="C", config="english")
        + SearchVector("body", weight="D", config="english")
    )


def _plain_text():
    parts = []
    for field in ("title", "statement", "text_c", "body"):
        parts += [Coalesce(field, Value("")), Value(" ")]
    return Concat(*parts, output_field=models.TextField())


class SearchVectorOrText(models.Field):
    """tsvector on PostgreSQL, text elsewhere: the generated column's type per database."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


class _DocumentExpression(models.Expression):
    """The generated column's expression: the weighted tsvector on PostgreSQL; on SQLite,
    which has no tsvector, the plain text, so the column still migrates."""

    output_field = SearchVectorOrText()

    def resolve_expression(self, query=None, *args, **kwargs):
        clone = self.copy()
        clone._pg = _weighted_document().resolve_expression(query, *args, **kwargs)
        clone._text = _plain_text().resolve_expression(query, *args, **kwargs)
        return clone

    def as_sql(self, compiler, connection):
        return compiler.compile(self._text)

    def as_postgresql(self, compiler, connection):
        return compiler.compile(self._pg)

    def deconstruct(self):
        return "apps.knowledge.models.search._DocumentExpression", (), {}

    def __eq__(self, other):
        return type(other) is type(self)

    def __hash__(self):
        return hash(type(self))


def _head_document():
    """title A, statement B: the part of an item a broad query's candidates come from."""
    return SearchVector("title", weight="A", config="english") + SearchVector(
        "statement", weight="B", config="english"
    )


def _head_text():
    return Concat(
        Coalesce("title", Value("")), Value(" "), Coalesce("statement", Value("")),
        output_field=models.TextField(),
    )  # fmt: skip


class _HeadExpression(_DocumentExpression):
    """`head_vector`'s expression: the title and statement only, small enough to stay in
    the row, so checking it costs no decompression (see search/postgres.py `matches`)."""

    def resolve_expression(self, query=None, *args, **kwargs):
        clone = self.copy()
        clone._pg = _head_document().resolve_expression(query, *args, **kwargs)
        clone._text = _head_text().resolve_expression(query, *args, **kwargs)
        return clone

    def deconstruct(self):
        return "apps.knowledge.models.search._HeadExpression", (), {}


def readable_partitions(user) -> Q | None:
    """What `user` may read, as a condition on the three columns visibility is decided on
    (working_group_id, stakeholders, access_unit_id): None for nothing, Q() for everything.

    Inside a group they belong to, anyone but a stakeholder reads everything; a stakeholder
    reads rows open to all stakeholders, and rows open to their own business unit. The
    person's memberships are read first (a handful of rows), so the condition is plain
    column tests rather than a join: PostgreSQL then estimates how many rows a search
    matches, and a query matching half the index stops after the first few hundred instead
    of collecting them all. The facet counts (`FacetCount`) carry the same three columns.
    """
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Q()
    readable = Q()
    full, open_to_all = [], []
    for group_id, role, unit_id in Membership.objects.filter(user_id=user.pk).values_list(
        "working_group_id", "role", "business_unit_id"
    ):
        if role != Role.STAKEHOLDER:
            full.append(group_id)
            continue
        open_to_all.append(group_id)
        if unit_id is not None:
            readable |= Q(
                working_group_id=group_id,
                stakeholders=StakeholderAccess.UNIT,
                access_unit_id=unit_id,
            )
    if full:
        readable |= Q(working_group_id__in=full)
    if open_to_all:
        readable |= Q(working_group_id__in=open_to_all, stakeholders=StakeholderAccess.ALL)
    return readable or None


class SearchItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SearchItemQuerySet":
        """The rows this person may read (`readable_partitions`)."""
        readable = readable_partitions(user)
        if readable is None:
            return self.none()
        return self.filter(readable)


class SearchItem(models.Model):
    """One searchable thing: a hypothesis, experiment, learning, plan or decision."""

    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    working_group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="+")
    business_unit = models.ForeignKey(
        BusinessUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who among the group's stakeholders may read it (members and above always may).
    stakeholders = models.CharField(
        max_length=4, choices=StakeholderAccess.choices, default=StakeholderAccess.ALL
    )
    access_unit = models.ForeignKey(
        BusinessUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=300)
    statement = models.TextField(blank=True)
    # Learnings and decisions: what the program concluded.
    text_c = models.TextField(blank=True)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=20, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    surfaces = models.JSONField(default=list, blank=True)
    metrics = models.JSONField(default=list, blank=True)
    tags = models.JSONField(default=list, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    # The primary metric's relative lift and its interval, as fractions (0.021 = +2.1 %).
    lift = models.FloatField(null=True, blank=True)
    lift_low = models.FloatField(null=True, blank=True)
    lift_high = models.FloatField(null=True, blank=True)
    url = models.CharField(max_length=300)
    happened_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_vector = models.GeneratedField(
        expression=_DocumentExpression(), output_field=SearchVectorOrText(), db_persist=True
    )
    head_vector = models.GeneratedField(
        expression=_HeadExpression(), output_field=SearchVectorOrText(), db_persist=True
    )

    objects = SearchItemQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "object_id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_search_item_each"),
        ]
        indexes = [
            models.Index(fields=["working_group", "stakeholders"], name="search_item_access"),
            # Browsing (no query) reads the newest through it.
            models.Index(
                models.F("happened_at").desc(nulls_last=True),
                models.F("id").desc(),
                name="search_item_newest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"


# The GIN indexes (the tsvector and the trigram ones) are PostgreSQL-only; migration 0002
# creates them guarded by vendor so SQLite still migrates.
POSTGRES_INDEXES = [
    GinIndex(fields=["search_vector"], name="search_item_vector"),
    GinIndex(OpClass("title", name="gin_trgm_ops"), name="search_item_title_trgm"),
]
TERM_INDEXES = [GinIndex(OpClass("word", name="gin_trgm_ops"), name="search_term_trgm")]


class DuplicateLink(models.Model):
    """A hypothesis someone marked as a likely duplicate of a past item, and who said so."""

    hypothesis = models.ForeignKey("backlog.Hypothesis", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(SearchItem, on_delete=models.CASCADE, related_name="duplicates")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["hypothesis", "item"], name="one_duplicate_link_each")
        ]

    def __str__(self) -> str:
        return f"hypothesis {self.hypothesis_id} ≈ {self.item}"


class SearchTerm(models.Model):
    """A word that occurs in the index: what a misspelt query word is corrected against.

    The index's own words (unstemmed, lower case), trigram-indexed on PostgreSQL, so
    "shiping" finds "shipping" in a few milliseconds and the corrected word then goes
    through the full-text query like any other.
    """

    word = models.CharField(max_length=60, unique=True)

    def __str__(self) -> str:
        return self.word
