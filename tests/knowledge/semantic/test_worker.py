"""The embedding job on a real Celery worker over Redis."""

import time

import pytest

from apps.knowledge import indexing
from apps.knowledge.indexing import Document, Visibility
from apps.knowledge.models import Embedding, Kind


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_embeds_what_the_index_commits(demo, celery_app, celery_worker):
    assert celery_app.conf.task_always_eager is False
    visibility = Visibility(demo.group.pk)
    documents = {
        1: Document(title="Free shipping threshold lowered", url="/x/1/", visibility=visibility),
        2: Document(title="Dark mode toggle", url="/x/2/", visibility=visibility),
    }

    ids = indexing.write(Kind.HYPOTHESIS, documents)  # autocommit: queued to Redis at once

    for _ in range(300):
        if Embedding.objects.filter(search_item_id__in=ids).count() == 2:
            break
        time.sleep(0.1)
    stored = {e.search_item_id: e.as_array() for e in Embedding.objects.filter(pk__in=ids)}
    assert sorted(stored) == sorted(ids)
    assert stored[ids[0]] @ stored[ids[1]] < 0.5
