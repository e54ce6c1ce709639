from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError

from . import tokens
from .models import ApiToken, BusinessUnit, Membership, MembershipChange, User, WorkingGroup


@admin.register(User)
class ExprUserAdmin(UserAdmin):
    actions = ["deactivate"]

    @admin.action(description="Deactivate the selected people and end their API tokens")
    def deactivate(self, request, queryset):
        done = 0
        for user in queryset:
            try:
                tokens.user_deactivate(actor=request.user, user=user)
            except ValidationError as exc:
                self.message_user(request, f"{user}: {' '.join(exc.messages)}", messages.ERROR)
            except PermissionDenied as exc:
                self.message_user(request, f"{user}: {exc}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, f"Deactivated {done}; their API tokens are revoked.")


@admin.register(BusinessUnit)
class BusinessUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    prepopulated_fields = {"slug": ["name"]}


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Shown, not edited: memberships change on the group page, through the services that
    enforce the admin rules and record each change of role and business unit."""

    model = Membership
    fk_name = "working_group"
    extra = 0
    fields = ["user", "role", "business_unit", "delegate"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "program_manager", "cadence_days"]
    inlines = [MembershipInline]
    prepopulated_fields = {"slug": ["name"]}

    def get_readonly_fields(self, request, obj=None):
        # Handing a group to a new program manager changes memberships and is recorded:
        # the API does it through the service, not by rewriting the column here.
        return ["program_manager"] if obj is not None else []


@admin.register(MembershipChange)
class MembershipChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["changed_at", "working_group", "user", "field", "old_value", "new_value"]
    list_filter = ["working_group", "field"]
    list_select_related = ["working_group", "user", "changed_by"]
    search_fields = ["user__username", "changed_by__username"]
    fields = [
        "working_group",
        "user",
        "field",
        "old_value",
        "new_value",
        "changed_by",
        "changed_at",
    ]
    readonly_fields = fields


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Tokens are listed and revoked, never edited: only a hash of the key is stored."""

    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["user__username", "name", "prefix"]
    fields = [
        "user",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    ]
    readonly_fields = fields
    actions = ["revoke"]

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        for token in queryset:
            tokens.api_token_revoke(actor=request.user, token=token)
        self.message_user(request, f"Revoked {len(queryset)} token(s).")
