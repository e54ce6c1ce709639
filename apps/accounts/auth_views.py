"""Sign-in pages beyond the login form: password reset that lifts a lockout, API tokens."""

from axes.utils import reset as axes_reset
from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from apps.core.forms import add_service_errors

from . import tokens
from .models import ApiToken


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset form; a person who proved they own the address is no longer locked out."""

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response


class ApiTokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What the token is for, e.g. “BI export”.")
    expires_in_days = forms.TypedChoiceField(
        label="Expires after",
        coerce=int,
        choices=[(days, f"{days} days") for days in tokens.LIFETIME_CHOICES_DAYS],
        initial=tokens.DEFAULT_LIFETIME_DAYS,
    )


class ApiTokensView(LoginRequiredMixin, View):
    """A person's API tokens: list, create (the key is shown on this one answer) and revoke."""

    template_name = "accounts/tokens.html"

    def _render(self, request, form, *, new_key: str | None = None, status: int = 200):
        now = timezone.now()
        rows = list(tokens.tokens_visible_to(request.user))
        for token in rows:
            token.state = tokens.token_state(token, now=now)
        return render(
            request,
            self.template_name,
            {"form": form, "tokens": rows, "new_key": new_key},
            status=status,
        )

    def get(self, request):
        return self._render(request, ApiTokenForm())

    def post(self, request):
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            try:
                _, key = tokens.api_token_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                # Rendered, not redirected: the key must not outlive this one answer.
                response = self._render(request, ApiTokenForm(), new_key=key)
                response["Cache-Control"] = "no-store"
                return response
        return self._render(request, form, status=400)


class ApiTokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        # Only your own tokens from this page; admins revoke others' through the API.
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        tokens.api_token_revoke(actor=request.user, token=token)
        messages.success(request, f"Token “{token.name}” revoked.")
        return redirect("tokens")
