from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from .health import broker_status, database_status, last_worker_heartbeat


@never_cache
@require_GET
def healthz(request):
    """Database and broker readiness: 200 when both answer, 503 when either does not."""
    database = database_status()
    broker = broker_status()
    healthy = database.ok and broker.ok
    body = {
        "status": "ok" if healthy else "unavailable",
        "database": database.as_dict(),
        "broker": broker.as_dict(),
        "worker_last_heartbeat": last_worker_heartbeat(),
    }
    return JsonResponse(body, status=200 if healthy else 503)


@require_GET
def favicon(request):
    """/favicon.ico, which browsers ask for on pages without a <link rel="icon"> (the API's
    JSON, the schema's docs): the site's SVG icon, under its hashed name in production."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


class SectionComingView(LoginRequiredMixin, TemplateView):
    """A section whose app has not landed yet: says what will be there, shows no fake data."""

    template_name = "core/section_coming.html"
    title = ""
    summary = ""
    features: tuple[str, ...] = ()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title, summary=self.summary, features=self.features, **kwargs
        )
