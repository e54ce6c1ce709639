from django.contrib.auth import views as django_auth_views
from django.urls import path

from . import auth_views, views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path(
        "accounts/login/",
        django_auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", django_auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        django_auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        django_auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        django_auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        django_auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        django_auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/tokens/", auth_views.ApiTokensView.as_view(), name="tokens"),
    path(
        "accounts/tokens/<int:pk>/revoke/",
        auth_views.ApiTokenRevokeView.as_view(),
        name="token-revoke",
    ),
    path("groups/<slug:slug>/", views.WorkingGroupView.as_view(), name="group-detail"),
    path("groups/<slug:slug>/members/", views.MembershipAddView.as_view(), name="member-add"),
    path(
        "groups/<slug:slug>/members/<int:pk>/",
        views.MembershipEditView.as_view(),
        name="member-edit",
    ),
]
