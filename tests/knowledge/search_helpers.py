"""Writing index rows straight from documents, for tests of search itself."""

from apps.knowledge import indexing
from apps.knowledge.indexing import Document, Visibility
from apps.knowledge.models.search import StakeholderAccess

_next = {"id": 10_000}


def doc(group, title: str, *, statement: str = "", text_c: str = "", body: str = "",
        stakeholders: str = StakeholderAccess.ALL, unit=None, **facets) -> Document:  # fmt: skip
    return Document(
        title=title, url=f"/items/{title[:10]}/",
        visibility=Visibility(group.pk, stakeholders, unit.pk if unit else None),
        statement=statement, text_c=text_c, body=body, **facets,
    )  # fmt: skip


def put(kind: str, *documents: Document) -> list[int]:
    """Index the documents under new object ids; return those ids."""
    ids = {}
    for document in documents:
        _next["id"] += 1
        ids[_next["id"]] = document
    indexing.write(kind, ids)
    return list(ids)
