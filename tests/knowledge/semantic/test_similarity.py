"""Similar items: nearest by cosine, only among what the reader may read, kept current."""

import numpy as np
import pytest

from apps.knowledge import semantic
from apps.knowledge.models import Embedding, SearchItem, StakeholderAccess
from apps.knowledge.semantic import index

pytestmark = pytest.mark.django_db

PAST = [
    "Free shipping threshold lowered from 50 to 35 euros",
    "Dark mode toggle in the app settings",
    "Reduce sign-up form fields from seven to three",
    "Show the delivery cost on the product page",
    "Loyalty points shown in the basket",
]


def test_every_indexed_item_gets_an_embedding_on_commit(add_items):
    ids = add_items(PAST)
    stored = Embedding.objects.filter(search_item_id__in=ids)
    assert stored.count() == len(PAST)
    vector = stored.first().as_array()
    assert vector.shape == (384,) and abs(np.linalg.norm(vector) - 1) < 1e-5
    assert {e.model for e in stored} == {"all-MiniLM-L6-v2@0.1.0"}


def test_the_synonym_is_found_first(add_items, demo):
    ids = dict(zip(PAST, add_items(PAST), strict=True))
    found = semantic.similar_to_text(
        "lower the minimum order for free delivery", user=demo.users["lena"], k=3
    )
    assert found[0].item.pk == ids[PAST[0]]
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    assert ids[PAST[1]] not in [s.item.pk for s in found[:2]]


def test_nearest_ranks_by_cosine_within_the_ids_given(add_items):
    ids = add_items(PAST)
    query = semantic.embed(["free delivery over a minimum order"])[0]
    everything = semantic.nearest(query, k=5)
    assert everything[0][0] == ids[0]
    assert semantic.nearest(query, item_ids=[ids[1], ids[2]], k=5)[0][0] in (ids[1], ids[2])
    assert len(semantic.nearest(query, item_ids=[ids[1], 10**9], k=5)) == 1


def test_a_stakeholder_is_never_shown_a_confidential_item(add_items, demo):
    (secret,) = add_items(
        ["Free shipping threshold for the confidential pricing plan"],
        stakeholders=StakeholderAccess.NONE,
    )
    (open_item,) = add_items(["Dark mode toggle"])
    query = "free shipping threshold"

    for_member = semantic.similar_to_text(query, user=demo.users["lena"], k=5)
    for_stakeholder = semantic.similar_to_text(query, user=demo.users["sofia"], k=5)

    assert for_member[0].item.pk == secret
    assert [s.item.pk for s in for_stakeholder] == [open_item]


def test_a_stakeholder_finds_what_is_open_even_behind_many_closer_secrets(add_items, demo):
    # More confidential near-matches than the first fetch reads: the lookup widens.
    add_items([f"Free shipping threshold test {n}" for n in range(45)], stakeholders="none")
    (open_item,) = add_items(["Free delivery above a minimum basket"])
    found = semantic.similar_to_text("free shipping threshold", user=demo.users["sofia"], k=5)
    assert [s.item.pk for s in found] == [open_item]


def test_an_outsider_or_anonymous_reader_finds_nothing(add_items, demo, django_user_model):
    add_items(PAST)
    from django.contrib.auth.models import AnonymousUser

    outsider = django_user_model.objects.create_user("outsider", password="x")
    assert semantic.similar_to_text("free shipping", user=outsider) == []
    assert semantic.similar_to_text("free shipping", user=AnonymousUser()) == []


def test_the_queryset_narrows_the_candidates(add_items, demo):
    ids = add_items(PAST)
    only = SearchItem.objects.filter(pk__in=ids[1:3])
    found = semantic.similar_to_text("free shipping", user=demo.users["lena"], k=5, queryset=only)
    assert sorted(s.item.pk for s in found) == sorted(ids[1:3])


@pytest.mark.parametrize("text", ["", "   ", "!!!" * 700, '"unbalanced', "🚀🔥", "価格"])
def test_odd_input_gives_an_ordinary_answer(add_items, demo, text):
    add_items(PAST)
    found = semantic.similar_to_text(text, user=demo.users["lena"], k=5)
    assert len(found) == (0 if not text.strip() else 5)


def test_the_matrix_follows_changes_without_reloading_everything(add_items, demo):
    ids = add_items(PAST[:2])
    model = semantic.encoder.model_version()
    first = index.current(model)
    assert sorted(first.ids.tolist()) == sorted(ids)

    (added,) = add_items(["Free delivery for members"])
    SearchItem.objects.filter(pk=ids[1]).delete()  # its embedding goes with it
    after = index.current(model)

    assert after is first  # updated in place, not reloaded
    assert sorted(after.ids.tolist()) == sorted([*ids, added])
    # The deleted row lingers until the reconciliation, yet is never found.
    found = semantic.similar_to_text(PAST[1], user=demo.users["lena"], k=5)
    assert ids[1] not in [s.item.pk for s in found] and len(found) == 2
    index.reconcile()
    assert sorted(index.current(model).ids.tolist()) == sorted([ids[0], added])
    stored = Embedding.objects.get(pk=added).as_array()
    np.testing.assert_array_equal(after.vectors[after.ids.tolist().index(added)], stored)


def test_a_re_embedded_item_replaces_its_row_in_the_matrix(add_items):
    from apps.knowledge.semantic.services import embedding_refresh

    (pk,) = add_items(["Dark mode toggle"])
    model = semantic.encoder.model_version()
    query = semantic.embed(["free shipping threshold"])[0]
    assert semantic.nearest(query, k=1)[0][1] < 0.5

    SearchItem.objects.filter(pk=pk).update(title="Free shipping threshold")
    embedding_refresh(search_item_ids=[pk])

    assert semantic.nearest(query, k=1) == [(pk, pytest.approx(1.0, abs=1e-4))]
    assert len(index.current(model).ids) == 1


def test_a_changed_title_is_re_embedded_and_an_unchanged_one_is_not(add_items, demo):
    from apps.knowledge.semantic.services import embedding_refresh

    (pk,) = add_items(["Dark mode toggle"])
    before = Embedding.objects.get(pk=pk)
    assert embedding_refresh(search_item_ids=[pk]) == 0

    SearchItem.objects.filter(pk=pk).update(title="Free shipping threshold")
    assert embedding_refresh(search_item_ids=[pk, 10**9]) == 1
    after = Embedding.objects.get(pk=pk)
    assert after.text_hash != before.text_hash
    query = semantic.embed(["free shipping threshold"])[0]
    assert after.as_array() @ query > 0.99


def test_without_the_extra_search_says_so_and_queues_nothing(add_items, demo, settings):
    settings.KNOWLEDGE_SEMANTIC = False
    assert semantic.available() is False
    ids = add_items(["Free shipping threshold"])
    assert not Embedding.objects.filter(search_item_id__in=ids).exists()
    assert semantic.similar_to_text("free shipping", user=demo.users["lena"]) == []


def test_embed_all_fills_in_what_is_missing(add_items, settings):
    settings.KNOWLEDGE_SEMANTIC = False
    ids = add_items(PAST)
    settings.KNOWLEDGE_SEMANTIC = True
    assert semantic.embed_all() >= len(PAST)
    assert Embedding.objects.filter(search_item_id__in=ids).count() == len(PAST)
    assert semantic.embed_all() == 0


def test_the_embed_command_fills_in_and_then_has_nothing_to_do(add_items, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.KNOWLEDGE_SEMANTIC = False
    ids = add_items(PAST[:2])
    settings.KNOWLEDGE_SEMANTIC = True
    out = StringIO()
    call_command("embed_knowledge", stdout=out)
    assert out.getvalue().startswith("Embedded 2 search items")
    assert Embedding.objects.filter(search_item_id__in=ids).count() == 2
    call_command("embed_knowledge", stdout=out)
    assert "Embedded 0 search items" in out.getvalue()


def test_the_embed_command_says_when_the_extra_is_missing(settings):
    from django.core.management import CommandError, call_command

    settings.KNOWLEDGE_SEMANTIC = False
    with pytest.raises(CommandError, match="not installed"):
        call_command("embed_knowledge")


def test_the_bulk_job_splits_the_work_into_chunks(add_items, settings, monkeypatch):
    from apps.knowledge import tasks
    from apps.knowledge.semantic import services

    settings.KNOWLEDGE_SEMANTIC = False
    ids = add_items(PAST)
    settings.KNOWLEDGE_SEMANTIC = True
    monkeypatch.setattr(services, "CHUNK", 2)
    chunks = services.embedding_chunks()
    assert all(len(c) <= 2 for c in chunks)
    assert sorted(pk for c in chunks for pk in c) == sorted(
        SearchItem.objects.values_list("pk", flat=True)
    )

    assert tasks.embed_all.delay().get() == len(chunks)  # eager: each chunk's job ran too
    assert Embedding.objects.filter(search_item_id__in=ids).count() == len(PAST)


def test_min_score_keeps_only_the_same_topic(add_items, demo):
    ids = dict(zip(PAST, add_items(PAST), strict=True))
    found = semantic.similar_to_text(
        "lower the minimum order for free delivery", user=demo.users["lena"], k=5, min_score=0.5
    )
    assert [s.item.pk for s in found] == [ids[PAST[0]]]
    assert found[0].score >= 0.5


def test_nothing_is_embedded_before_the_index_commits(demo, django_capture_on_commit_callbacks):
    from apps.knowledge import indexing
    from apps.knowledge.indexing import Document, Visibility
    from apps.knowledge.models import Kind

    document = Document(
        title="Free shipping threshold", url="/x/", visibility=Visibility(demo.group.pk)
    )
    with django_capture_on_commit_callbacks() as callbacks:
        (pk,) = indexing.write(Kind.HYPOTHESIS, {990_001: document})
    assert not Embedding.objects.filter(pk=pk).exists()  # queued for the commit, not run

    for callback in callbacks:
        callback()  # the commit: the job runs (eagerly here)
    assert Embedding.objects.filter(pk=pk).exists()


def test_a_confidential_plan_and_its_experiment_are_suggested_only_to_their_readers(
    demo, django_capture_on_commit_callbacks
):
    """Through the real services: a confidential Commerce plan and an experiment on its
    milestone, embedded on commit. James (a Platform stakeholder) is never shown them."""
    from tests.experiments import factories as f
    from tests.roadmap.factories import milestones_of, plan_with

    with django_capture_on_commit_callbacks(execute=True):
        plan = plan_with(demo, confidential=True, title="Membership pricing")
        experiment = f.design(demo, owner="lena", milestone=milestones_of(plan)[0])
    hidden = set(
        SearchItem.objects.filter(
            kind__in=["plan", "experiment"], object_id__in=[plan.pk, experiment.pk]
        ).values_list("pk", flat=True)
    )
    assert len(hidden) == 2 and Embedding.objects.filter(pk__in=hidden).count() == 2

    def suggested(username):
        found = semantic.similar_to_text(
            f"{plan.title} {experiment.title}", user=demo.users[username], k=20
        )
        return {s.item.pk for s in found}

    assert hidden <= suggested("priya") and hidden <= suggested("sofia")
    assert not hidden & suggested("james")
