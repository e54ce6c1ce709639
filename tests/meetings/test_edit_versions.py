"""An agenda item edit carries the version it was opened at: a form opened before someone
else's save gets both versions side by side instead of writing the old values back."""

import re
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from apps.meetings import services
from apps.meetings.models import AgendaItem, Kind

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def item(meeting, demo):
    return services.agenda_item_add(
        actor=demo.users["priya"], meeting=meeting, title="Pricing", minutes=10
    )


def _opened_version(client, item) -> int:
    html = client.get(f"/meetings/agenda/{item.pk}/edit/", **HTMX).content.decode()
    return int(re.search(r'name="version" value="(\d+)"', html).group(1))


def _form(version: int, **changes) -> dict:
    return {"title": "Pricing", "minutes": "10", "detail": "", "version": str(version), **changes}


# --- the service -------------------------------------------------------------------------


def test_each_save_raises_the_version(item, demo):
    saved = services.agenda_item_update(
        actor=demo.users["priya"], item=item, title="Pricing tiers", version=0
    )

    assert saved.version == 1 and saved.title == "Pricing tiers" and saved.edited


def test_a_stale_version_raises_a_conflict_and_saves_nothing(item, demo):
    pm = demo.users["priya"]
    services.agenda_item_update(actor=pm, item=item, title="Theirs", version=0)

    with pytest.raises(services.AgendaItemConflict) as exc:
        services.agenda_item_update(actor=pm, item=item, title="Mine", minutes=20, version=0)

    assert exc.value.item.title == "Theirs" and exc.value.item.version == 1
    assert exc.value.yours == {"title": "Mine", "minutes": 20}
    assert AgendaItem.objects.get(pk=item.pk).minutes == 10


# --- the page ----------------------------------------------------------------------------


def test_the_edit_form_carries_the_items_version(web_as, item, demo):
    services.agenda_item_update(actor=demo.users["priya"], item=item, detail="d", version=0)

    assert _opened_version(web_as("priya"), item) == 1


def test_a_form_opened_before_another_save_shows_both_versions(web_as, item, demo):
    client = web_as("priya")
    opened = _opened_version(client, item)
    # Meanwhile someone else retitles the item.
    services.agenda_item_update(
        actor=demo.users["priya"], item=item, title="Pricing, renamed", version=opened
    )

    response = client.post(f"/meetings/agenda/{item.pk}/edit/", _form(opened, minutes="25"), **HTMX)

    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps only 2xx answers
    assert response["HX-Retarget"] == f"#item-{item.pk}"
    assert 'data-testid="agenda-item-conflict"' in html
    assert "Pricing, renamed" in html  # theirs, beside yours
    assert 'name="version" value="1"' in html  # saving again applies yours knowingly
    assert 'name="minutes" value="25"' in html
    fresh = AgendaItem.objects.get(pk=item.pk)
    assert (fresh.title, fresh.minutes, fresh.version) == ("Pricing, renamed", 10, 1)


def test_without_htmx_the_conflict_is_a_409_page(web_as, item, demo):
    client = web_as("priya")
    services.agenda_item_update(actor=demo.users["priya"], item=item, title="Theirs", version=0)

    response = client.post(f"/meetings/agenda/{item.pk}/edit/", _form(0, title="Mine"))

    assert response.status_code == 409
    assert "This item changed since you opened it" in response.content.decode()
    assert AgendaItem.objects.get(pk=item.pk).title == "Theirs"


def test_re_applying_from_the_conflict_saves_yours(web_as, item, demo):
    client = web_as("priya")
    services.agenda_item_update(actor=demo.users["priya"], item=item, title="Theirs", version=0)
    client.post(f"/meetings/agenda/{item.pk}/edit/", _form(0, title="Mine"), **HTMX)

    response = client.post(f"/meetings/agenda/{item.pk}/edit/", _form(1, title="Mine"), **HTMX)

    assert response.status_code == 200
    fresh = AgendaItem.objects.get(pk=item.pk)
    assert (fresh.title, fresh.version) == ("Mine", 2)


def test_an_htmx_edit_with_an_error_is_a_422_swapped_in_place_of_the_item(web_as, item):
    response = web_as("priya").post(
        f"/meetings/agenda/{item.pk}/edit/", _form(0, title="", minutes="5"), **HTMX
    )

    assert response.status_code == 422  # swapped by htmx (base.html's responseHandling)
    assert response["HX-Retarget"] == f"#item-{item.pk}"
    assert response["HX-Reswap"] == "outerHTML"
    assert AgendaItem.objects.get(pk=item.pk).title == "Pricing"


def test_the_page_refuses_an_edit_without_a_version(web_as, item):
    form = _form(0, title="Mine")
    del form["version"]

    response = web_as("priya").post(f"/meetings/agenda/{item.pk}/edit/", form)

    assert response.status_code == 400
    assert AgendaItem.objects.get(pk=item.pk).title == "Pricing"


# --- the API -----------------------------------------------------------------------------


def test_the_api_answers_a_stale_version_with_409_and_both_versions(api_as, item, demo):
    client = api_as("priya")
    services.agenda_item_update(actor=demo.users["priya"], item=item, title="Theirs", version=0)

    response = client.patch(
        f"/api/v1/agenda-items/{item.pk}/", {"title": "Mine", "version": 0}, format="json"
    )

    assert response.status_code == 409
    body = response.json()
    assert body["current"]["title"] == "Theirs" and body["current"]["version"] == 1
    assert body["yours"] == {"title": "Mine"}
    assert AgendaItem.objects.get(pk=item.pk).title == "Theirs"


def test_the_api_saves_with_the_current_version_or_none(api_as, item):
    client = api_as("priya")

    with_version = client.patch(
        f"/api/v1/agenda-items/{item.pk}/", {"title": "A", "version": 0}, format="json"
    )
    without = client.patch(f"/api/v1/agenda-items/{item.pk}/", {"title": "B"}, format="json")

    assert with_version.status_code == 200 and with_version.json()["version"] == 1
    assert without.status_code == 200 and without.json()["version"] == 2


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_edits_from_the_same_version_save_exactly_one(demo):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the PostgreSQL run covers real concurrency")
    pm = demo.users["priya"]
    meeting = services.meeting_create(
        actor=pm,
        group=demo.group,
        kind=Kind.WORKING_GROUP,
        title="WG",
        starts_at=timezone.now() + timedelta(days=1),
    )
    item = services.agenda_item_add(actor=pm, meeting=meeting, title="Checkout")
    barrier = threading.Barrier(2)
    outcomes = []

    def edit(title):
        from django.db import connections

        try:
            barrier.wait()
            services.agenda_item_update(actor=pm, item=item, title=title, version=0)
            outcomes.append("saved")
        except services.AgendaItemConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit, args=(t,)) for t in ("Mine", "Theirs")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["conflict", "saved"]
    assert AgendaItem.objects.get(pk=item.pk).version == 1
