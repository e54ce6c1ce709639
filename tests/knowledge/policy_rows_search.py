"""Role-policy rows for search: the page, the panel, duplicate marks and the API.

Searching is open to everyone signed in (what each finds is scoped by the index's
visibility rule, tested in test_search.py); marking a duplicate needs CREATE in the
hypothesis's group; the suspected-duplicates list needs READ in the group.
"""

from tests.policy_table import Row


def prepare(ctx) -> None:
    from apps.knowledge.models.search import DuplicateLink, Kind, SearchItem
    from tests.backlog.factories import HypothesisFactory
    from tests.knowledge.search_helpers import doc, put

    (object_id,) = put(Kind.EXPERIMENT, doc(ctx.group, "Delivery cost on the product page"))
    ctx.search_item = SearchItem.objects.get(kind=Kind.EXPERIMENT, object_id=object_id)
    ctx.dup_hypothesis = HypothesisFactory(working_group=ctx.group, proposer=ctx.users["aisha"])
    ctx.dup_link = DuplicateLink.objects.create(
        hypothesis=ctx.dup_hypothesis, item=ctx.search_item, created_by=ctx.users["aisha"]
    )


def _item(c) -> dict:
    return {"item": c.search_item.pk}


def _group(c) -> dict:
    return {"group": c.group.slug}


def _q(c) -> dict:
    return {"q": "delivery"}


def _title(c) -> dict:
    return {"title": "delivery"}


def _text(c) -> dict:
    return {"text": "delivery"}


MARK = "/knowledge/hypotheses/{c.dup_hypothesis.pk}/duplicate/"
WITHDRAW = "/knowledge/duplicates/{c.dup_link.pk}/withdraw/"
DUPLICATES = "/knowledge/duplicates/"

ROWS = [
    # The search page and the similar-items panel: anyone signed in.
    *[Row(who, "get", "/knowledge/", status, data=_q, page=True)
      for who, status in ((None, 302), ("sofia", 200), ("outsider", 200), ("lena", 200))],
    *[Row(who, "get", "/knowledge/similar/", status, data=_title, page=True)
      for who, status in ((None, 302), ("james", 200), ("aisha", 200))],
    # Suspected duplicates: readers of the group; a group you are not in does not exist.
    *[Row(who, "get", DUPLICATES, status, data=_group, page=True)
      for who, status in ((None, 302), ("outsider", 404), ("sofia", 200), ("priya", 200))],
    # Marking: whoever may propose in the group.
    *[Row(who, "post", MARK, status, data=_item, page=True)
      for who, status in ((None, 302), ("outsider", 404), ("sofia", 403), ("lena", 200),
                          ("priya", 200))],
    # Withdrawing: its author, or whoever may edit the hypothesis (owner, PM).
    *[Row(who, "post", WITHDRAW, status, page=True)
      for who, status in ((None, 302), ("outsider", 404), ("lena", 403), ("aisha", 200))],
    Row("priya", "post", WITHDRAW, 200, page=True),
    # The API.
    *[Row(who, "get", "/api/v1/search/", status, data=_q)
      for who, status in ((None, 401), ("outsider", 200), ("james", 200), ("priya", 200))],
    *[Row(who, "get", "/api/v1/search/similar/", status, data=_text)
      for who, status in ((None, 401), ("sofia", 200), ("lena", 200))],
]  # fmt: skip
