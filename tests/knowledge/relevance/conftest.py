import pytest


@pytest.fixture
def relevance_index(demo):
    """The relevance set written to the index in the demo group: key ↔ (kind, object id)."""
    from dataclasses import replace

    from apps.knowledge import indexing

    from .items import items

    keys: dict[tuple[str, int], str] = {}
    by_kind: dict[str, dict[int, object]] = {}
    for number, (key, (kind, document)) in enumerate(sorted(items().items()), start=1):
        document = replace(document, visibility=indexing.Visibility(demo.group.pk))
        by_kind.setdefault(kind, {})[number] = document
        keys[(kind, number)] = key
    for kind, documents in by_kind.items():
        indexing.write(kind, documents)
    return keys


@pytest.fixture
def ranked(relevance_index, demo):
    """ranked(text, semantic=…) → the keys of the first ten results, as lena sees them."""
    from apps.knowledge.search import search

    def run(text: str, *, semantic: bool) -> list[str]:
        results = search(demo.users["lena"], text, limit=10, semantic=semantic)
        return [relevance_index[(hit.kind, hit.object_id)] for hit in results.hits]

    return run


@pytest.fixture
def embedded(relevance_index):
    """The relevance set with its sentence embeddings (the semantic extra), or a skip."""
    from apps.knowledge import semantic
    from apps.knowledge.semantic import index

    if not semantic.available():
        pytest.skip("the semantic extra is not installed")
    index.forget()
    semantic.embed_all()
    yield relevance_index
    index.forget()
