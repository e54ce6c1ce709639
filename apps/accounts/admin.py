from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import BusinessUnit, Membership, MembershipChange, User, WorkingGroup


@admin.register(User)
class ExprUserAdmin(UserAdmin):
    pass


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
