"""Index pages for sections whose apps have not landed yet; each app replaces its entry."""

from django.urls import path

from .views import SectionComingView


def coming_soon(namespace: str, title: str, summary: str, *features: str):
    view = SectionComingView.as_view(title=title, summary=summary, features=features)
    return ([path("", view, name="index")], namespace)


knowledge = coming_soon(
    "knowledge",
    "Knowledge base",
    "Every past experiment and its learnings, searchable before anyone proposes a new one.",
    "Full-text search over hypotheses, results and learnings",
    "Similar past experiments suggested while a hypothesis is typed",
    "Meta-analysis: win rate and cumulative impact",
)
