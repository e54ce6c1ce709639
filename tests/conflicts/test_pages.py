"""The conflicts pages: the list with its tabs and filters, one conflict, the statistics
lead's acknowledgement (errors in place, nothing saved), the timeline, the card on the
experiment page and the dashboard panel."""

import pytest
from django.utils.html import escape

from apps.conflicts import services
from apps.conflicts.models import Conflict, ConflictStatus, Kind

from . import factories as f


@pytest.fixture
def collision(demo):
    a, b = f.pair(demo)
    services.conflicts_scan()
    return a, b, Conflict.objects.get(kind=Kind.SURFACE_COLLISION)


def test_the_list_shows_open_conflicts_with_explanations_and_remedies(web_as, collision):
    *_, conflict = collision

    response = web_as("sofia").get("/conflicts/")

    html = response.content.decode()
    assert response.status_code == 200
    assert escape(conflict.explanation) in html
    assert escape(conflict.remedy) in html
    assert html.count('data-testid="conflict"') == 2


def test_the_list_filters_by_kind_surface_and_status(web_as, demo, collision):
    client = web_as("sofia")
    other = f.surface(demo, "Search results")

    by_kind = client.get("/conflicts/", {"kind": Kind.SURFACE_COLLISION}).content.decode()
    by_surface = client.get("/conflicts/", {"surface": other.pk}).content.decode()
    resolved = client.get("/conflicts/", {"status": "resolved"}).content.decode()

    assert by_kind.count('data-testid="conflict"') == 1
    assert by_surface.count('data-testid="conflict"') == 0
    assert 'data-testid="no-conflicts"' in resolved


def test_the_list_costs_the_same_queries_for_two_conflicts_or_twenty(
    web_as, demo, collision, django_assert_max_num_queries
):
    client = web_as("sofia")
    client.get("/conflicts/")
    with django_assert_max_num_queries(12) as few:
        client.get("/conflicts/")
    for n in range(4):
        f.in_review(demo, title=f"Test {n}", key=f"t-{n}")
    services.conflicts_scan()
    assert Conflict.objects.count() > 20
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/conflicts/")


def test_the_statistics_lead_acknowledges_on_the_page(web_as, collision):
    _, _, conflict = collision

    response = web_as("marco").post(f"/conflicts/{conflict.pk}/acknowledge/",
                                    {"reason": "Analysed jointly."})  # fmt: skip

    assert response.status_code == 302
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.ACKNOWLEDGED


def test_acknowledging_without_a_reason_shows_the_error_in_place(web_as, collision):
    _, _, conflict = collision

    response = web_as("marco").post(f"/conflicts/{conflict.pk}/acknowledge/", {"reason": ""},
                                    HTTP_HX_REQUEST="true")  # fmt: skip

    assert response.status_code == 422
    assert 'data-testid="reason-error"' in response.content.decode()
    assert "Say why the launch may go ahead" in response.content.decode()
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.OPEN


def test_a_member_cannot_acknowledge(web_as, collision):
    _, _, conflict = collision

    page = web_as("aisha").get(f"/conflicts/{conflict.pk}/").content.decode()
    response = web_as("aisha").post(f"/conflicts/{conflict.pk}/acknowledge/", {"reason": "x"})

    assert 'data-testid="acknowledge"' not in page
    assert response.status_code == 403
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.OPEN


def test_the_timeline_draws_each_surface_with_the_overlap(web_as, collision):
    response = web_as("sofia").get("/conflicts/timeline/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "Checkout page" in html
    assert html.count('data-testid="timeline-band"') == 1
    assert html.count('data-testid="timeline-overlap"') >= 1
    assert "Guest checkout" in html and "One-page checkout" in html


def test_the_timeline_by_layer_shows_the_peak(web_as, demo):
    layer = f.layer(demo)
    f.in_review(demo, title="Sixty", key="sixty", layer=layer, layer_share=60)

    html = web_as("sofia").get("/conflicts/timeline/", {"by": "layer"}).content.decode()

    assert "checkout" in html and "peak 60 %" in html


def test_the_experiment_page_loads_its_conflicts_card(web_as, collision):
    a, _, conflict = collision

    page = web_as("sofia").get(f"/experiments/{a.pk}/").content.decode()
    card = web_as("sofia").get(f"/conflicts/experiments/{a.pk}/").content.decode()

    assert f'hx-get="/conflicts/experiments/{a.pk}/"' in page
    assert card.count('data-testid="experiment-conflict"') == 2
    assert escape(conflict.explanation) in card


def test_the_dashboard_shows_conflicts_on_my_experiments(web_as, collision):
    html = web_as("aisha").get("/").content.decode()

    assert "Conflicts on my experiments" in html
    assert 'data-testid="my-conflicts"' in html
