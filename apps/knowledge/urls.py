"""Knowledge base pages."""

from django.urls import path

from .views import learnings, meta, search

app_name = "knowledge"

urlpatterns = [
    # Search: the page, the propose form's similar-items panel, duplicate marks.
    path("", search.SearchView.as_view(), name="index"),
    path("similar/", search.SimilarPanelView.as_view(), name="similar"),
    path("duplicates/", search.SuspectedDuplicatesView.as_view(), name="duplicates"),
    path(
        "hypotheses/<int:pk>/duplicate/",
        search.DuplicateMarkView.as_view(),
        name="duplicate-mark",
    ),
    path(
        "duplicates/<int:pk>/withdraw/",
        search.DuplicateUnmarkView.as_view(),
        name="duplicate-unmark",
    ),
    # Learnings and the meta-analysis.
    path("learnings/", learnings.LearningListView.as_view(), name="learnings"),
    path("learnings/new/", learnings.LearningCreateView.as_view(), name="learning-create"),
    path("learnings/<int:pk>/", learnings.LearningDetailView.as_view(), name="learning"),
    path("learnings/<int:pk>/edit/", learnings.LearningEditView.as_view(), name="learning-edit"),
    path(
        "learnings/<int:pk>/transition/",
        learnings.LearningTransitionView.as_view(),
        name="learning-transition",
    ),
    path("learnings/<int:pk>/links/", learnings.LearningLinkView.as_view(), name="learning-link"),
    path(
        "learnings/<int:pk>/links/<int:experiment_pk>/remove/",
        learnings.LearningUnlinkView.as_view(),
        name="learning-unlink",
    ),
    path("meta-analysis/", meta.MetaView.as_view(), name="meta"),
]
