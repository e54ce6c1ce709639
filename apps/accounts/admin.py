from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import BusinessUnit, Membership, User, WorkingGroup


@admin.register(User)
class ExprUserAdmin(UserAdmin):
    pass


@admin.register(BusinessUnit)
class BusinessUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    prepopulated_fields = {"slug": ["name"]}


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "working_group"
    extra = 0
    autocomplete_fields = ["user", "delegate"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "program_manager", "cadence_days"]
    inlines = [MembershipInline]
    prepopulated_fields = {"slug": ["name"]}
