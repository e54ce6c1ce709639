"""Links shown to others are http(s) addresses or paths on this site, whatever path writes them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.core.links import UNSAFE_LINK, is_safe_link
from apps.meetings import services
from apps.meetings.models import AgendaItem, Kind

UNSAFE = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/",
    "/\\evil.example/",
    "https:evil.example",
    "http://",
    "ftp://files.example/x",
    "backlog/12/",
]
SAFE = ["", "https://docs.example/plan?x=1#y", "HTTP://Docs.Example", "/backlog/12/", "#agenda"]


@pytest.mark.parametrize("link", UNSAFE)
def test_it_refuses_a_link_the_browser_would_run_or_that_leaves_the_site_as_a_path(link):
    assert is_safe_link(link) is False


@pytest.mark.parametrize("link", SAFE)
def test_it_accepts_http_addresses_and_paths_on_this_site(link):
    assert is_safe_link(link) is True


@pytest.fixture
def meeting(demo):
    return services.meeting_create(
        actor=demo.users["priya"],
        group=demo.group,
        kind=Kind.WORKING_GROUP,
        title="WG",
        starts_at=timezone.now() + timedelta(days=1),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("link", ["javascript:alert(document.cookie)", "//evil.example/"])
def test_the_api_refuses_an_agenda_item_with_an_unsafe_link(api_as, meeting, link):
    response = api_as("priya").post(
        "/api/v1/agenda-items/",
        {"meeting": meeting.pk, "title": "Checkout", "url": link},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {"url": [UNSAFE_LINK]}
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


@pytest.mark.django_db
def test_the_api_refuses_to_change_a_link_to_an_unsafe_one(api_as, meeting, demo):
    item = services.agenda_item_add(
        actor=demo.users["priya"], meeting=meeting, title="Checkout", url="https://ok.example"
    )

    response = api_as("priya").patch(
        f"/api/v1/agenda-items/{item.pk}/", {"url": "javascript:alert(1)"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {"url": [UNSAFE_LINK]}
    item.refresh_from_db()
    assert item.url == "https://ok.example"


@pytest.mark.django_db
def test_a_link_stored_before_the_rule_is_shown_as_text_not_followed(web_as, meeting, demo):
    item = services.agenda_item_add(actor=demo.users["priya"], meeting=meeting, title="Checkout")
    # Raw SQL: rows written before links were checked are not refused by the field.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AgendaItem._meta.db_table} SET url = %s WHERE id = %s",
            ["javascript:alert(1)", item.pk],
        )

    page = web_as("lena").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()

    assert "javascript:" not in page
    assert '<strong data-testid="agenda-title">Checkout</strong>' in page


@pytest.mark.django_db
def test_a_safe_link_is_shown_as_a_link(web_as, meeting, demo):
    services.agenda_item_add(
        actor=demo.users["priya"], meeting=meeting, title="Checkout", url="https://ok.example/a"
    )

    page = web_as("lena").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()

    assert '<a href="https://ok.example/a">Checkout</a>' in page


@pytest.mark.django_db
def test_bulk_update_keeps_safe_links_and_refuses_an_unsafe_one(meeting, demo):
    from django.core.exceptions import ValidationError
    from django.db import transaction

    item = services.agenda_item_add(actor=demo.users["priya"], meeting=meeting, title="Checkout")
    item.url = "/backlog/12/"
    AgendaItem.objects.bulk_update([item], ["url"])
    assert AgendaItem.objects.get(pk=item.pk).url == "/backlog/12/"

    item.url = "javascript:alert(1)"
    with pytest.raises(ValidationError), transaction.atomic():
        AgendaItem.objects.bulk_update([item], ["url"])
    assert AgendaItem.objects.get(pk=item.pk).url == "/backlog/12/"
