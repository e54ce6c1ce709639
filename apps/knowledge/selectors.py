"""Reads of the knowledge base's search: one function per question a page or the API asks.

Every read starts from `SearchItem.objects.visible_to(user)`: what a person may not read is
never found, counted or suggested.
"""

from django.db.models import QuerySet

from apps.accounts.models import WorkingGroup
from apps.backlog.models import Hypothesis

from .models.search import DuplicateLink, Kind, SearchItem
from .search import Filters, Hit, Results, search, similar
from .search.params import PAGE_SIZE


def search_for(user, q: str | None, filters: Filters | None = None, *, page: int = 1) -> Results:
    """One page of results with facet counts."""
    return search(user, q, filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)


def similar_for(user, text: str, *, k: int = 5, hypothesis: Hypothesis | None = None) -> list[Hit]:
    """The past hypotheses, experiments and learnings most like a draft (not itself)."""
    exclude = (Kind.HYPOTHESIS, hypothesis.pk) if hypothesis is not None else None
    return similar(user, text, k=k, exclude=exclude)


def marked_items(user, raw_ids, *, limit: int = 5) -> list[SearchItem]:
    """The items a draft's "looks like a duplicate of" boxes name, that `user` may read, so
    the panel keeps them ticked when new words bring other items to the top."""
    ids = [int(raw) for raw in raw_ids if str(raw).isdigit()][:limit]
    return list(SearchItem.objects.visible_to(user).filter(pk__in=ids).only("id", "title", "url"))


def draft_text(*parts: str | None) -> str:
    """A draft hypothesis as similar-items reads it: the title, then the statement."""
    return " ".join(part.strip() for part in parts if part and part.strip())


def hypothesis_text(hypothesis: Hypothesis) -> str:
    return draft_text(hypothesis.title, hypothesis.change, hypothesis.rationale)


def duplicate_links_for(user, hypothesis: Hypothesis) -> QuerySet[DuplicateLink]:
    return DuplicateLink.objects.filter(
        hypothesis=hypothesis, item__in=SearchItem.objects.visible_to(user)
    ).select_related("item", "created_by")


def suspected_duplicates(user, group: WorkingGroup) -> list[dict]:
    """The group's hypotheses someone marked as a likely duplicate, newest first, with the
    items they duplicate (only those the person may read)."""
    links = (
        DuplicateLink.objects.filter(
            hypothesis__working_group=group, item__in=SearchItem.objects.visible_to(user)
        )
        .select_related("hypothesis", "item", "created_by")
        .order_by("-created_at", "-pk")
    )
    rows: dict[int, dict] = {}
    for link in links:
        row = rows.setdefault(link.hypothesis_id, {"hypothesis": link.hypothesis, "links": []})
        row["links"].append(link)
    return list(rows.values())
