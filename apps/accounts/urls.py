from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("groups/<slug:slug>/", views.WorkingGroupView.as_view(), name="group-detail"),
    path("groups/<slug:slug>/members/", views.MembershipAddView.as_view(), name="member-add"),
    path(
        "groups/<slug:slug>/members/<int:pk>/",
        views.MembershipEditView.as_view(),
        name="member-edit",
    ),
]
