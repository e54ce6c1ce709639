import itertools

import pytest

from apps.knowledge import indexing
from apps.knowledge.indexing import Document, Visibility
from apps.knowledge.models import Kind, StakeholderAccess
from apps.knowledge.semantic import index

_object_ids = itertools.count(900_000)


@pytest.fixture(autouse=True)
def fresh_matrix():
    """Each test starts without the process's cached matrix (its rows rolled back)."""
    index.forget()
    yield
    index.forget()


@pytest.fixture
def add_items(demo, django_capture_on_commit_callbacks):
    """add_items(["title", ...], stakeholders="none") → their search item ids, embedded.

    Written through the index, as the services' commits do: its batch calls the semantic
    hook, which queues the embedding job on commit; Celery is eager in tests.
    """

    def make(titles, *, stakeholders=StakeholderAccess.ALL, unit=None, kind=Kind.HYPOTHESIS):
        visibility = Visibility(demo.group.pk, stakeholders, unit.pk if unit else None)
        documents = {
            next(_object_ids): Document(title=title, url="/x/", visibility=visibility)
            for title in titles
        }
        with django_capture_on_commit_callbacks(execute=True):
            return indexing.write(kind, documents)

    return make
