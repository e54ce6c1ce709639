"""The facet counts the database keeps (FacetCount, migration 0007's triggers) equal the
counts taken from the index's rows, for every reader, through inserts, updates that move an
item between facet values and visibility partitions, and deletes."""

import random

import pytest

from apps.knowledge import indexing
from apps.knowledge.indexing import Document, Visibility
from apps.knowledge.models.search import Kind, SearchItem, StakeholderAccess
from apps.knowledge.search import postgres, search

pytestmark = [pytest.mark.postgres]

READERS = ("priya", "lena", "sofia", "james", "outsider")


def _from_rows(user) -> dict[str, dict[str, int]]:
    where = postgres.where_of(SearchItem.objects.visible_to(user))
    return postgres.facet_counts(postgres.matched_sql(where))


def _document(rng: random.Random, demo, units) -> Document:
    access = rng.choice([StakeholderAccess.ALL, StakeholderAccess.UNIT, StakeholderAccess.NONE])
    unit = rng.choice(units) if access == StakeholderAccess.UNIT else None
    return Document(
        title=f"Item {rng.randrange(10**6)}",
        url="/x/",
        visibility=Visibility(demo.group.pk, access, unit.pk if unit else None),
        status=rng.choice(["", "concluded", "running"]),
        outcome=rng.choice(["", "won", "lost", "flat"]),
        business_unit_id=rng.choice([None, *(u.pk for u in units)]),
        surfaces=rng.sample(["Checkout page", "Product pages", "Search", ""], k=rng.randint(0, 2)),
        metrics=rng.sample(["conversion", "revenue"], k=rng.randint(0, 2)),
        tags=rng.sample(["pricing", "mobile", "trust"], k=rng.randint(0, 3)),
        year=rng.choice([None, 2024, 2025]),
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_counts_equal_the_rows_for_every_reader(demo, seed):
    from tests.accounts.factories import UserFactory

    rng = random.Random(seed)
    users = {name: demo.users[name] for name in READERS if name in demo.users}
    users["outsider"] = UserFactory()
    units = list(demo.units.values())
    kinds = [Kind.EXPERIMENT, Kind.LEARNING, Kind.HYPOTHESIS]
    for _ in range(6):
        kind = rng.choice(kinds)
        # New items, and rewrites of existing ones (other facets, another partition).
        existing = list(SearchItem.objects.filter(kind=kind).values_list("object_id", flat=True))
        ids = rng.sample(existing, k=min(len(existing), rng.randint(0, 4)))
        ids += [rng.randrange(10**6, 2 * 10**6) for _ in range(rng.randint(1, 5))]
        indexing.write(kind, {pk: _document(rng, demo, units) for pk in ids})
        if rng.random() < 0.5:
            doomed = list(SearchItem.objects.order_by("?").values_list("pk", flat=True)[:2])
            SearchItem.objects.filter(pk__in=doomed).delete()
        for name, user in users.items():
            assert postgres.browse_counts(user) == _from_rows(user), name


def test_browsing_shows_the_kept_counts_and_a_filter_counts_the_rows(demo):
    lena = demo.users["lena"]
    rng = random.Random(9)
    indexing.write(Kind.EXPERIMENT, {pk: _document(rng, demo, list(demo.units.values()))
                                     for pk in range(1, 40)})  # fmt: skip
    browsed = search(lena, "", semantic=False)
    assert browsed.total == SearchItem.objects.visible_to(lena).count()
    kinds = {value.value: value.count for value in browsed.facets["kind"]}
    assert kinds == _from_rows(lena)["kind"]
    filtered = search(lena, "", search_filters(outcome="won"), semantic=False)
    assert filtered.total == SearchItem.objects.visible_to(lena).filter(outcome="won").count()


@pytest.mark.django_db(transaction=True)
def test_emptying_the_index_empties_the_counts(demo):
    from django.db import connection

    rng = random.Random(4)
    indexing.write(Kind.LEARNING, {pk: _document(rng, demo, list(demo.units.values()))
                                   for pk in range(1, 10)})  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE knowledge_searchitem CASCADE")
    assert postgres.browse_counts(demo.users["priya"]) == {}


def search_filters(**chosen):
    from apps.knowledge.search.results import Filters

    return Filters(**chosen)
