"""Read-mostly admin: data changes go through the services, which keep summaries and history."""

from django.contrib import admin

from .models import (
    BacklogSettings,
    Criterion,
    Hypothesis,
    Score,
    ScoreRevision,
    ScoreSummary,
    ScoringFramework,
    StatusChange,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(ScoringFramework)
class ScoringFrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "working_group", "rule", "is_standard"]
    list_filter = ["working_group", "rule", "is_standard"]
    inlines = [CriterionInline]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "reason", "at"]


@admin.register(Hypothesis)
class HypothesisAdmin(admin.ModelAdmin):
    list_display = ["title", "working_group", "status", "category", "owner", "created_at"]
    list_filter = ["working_group", "status", "category", "business_unit"]
    search_fields = ["title", "change", "metric", "rationale"]
    # Status moves only through the workflow service, which records each step.
    readonly_fields = ["status", "status_changed_at", "created_at", "updated_at"]
    inlines = [StatusChangeInline]


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    list_display = ["hypothesis", "framework", "scorer", "total", "updated_at"]
    list_filter = ["framework"]
    readonly_fields = ["values", "total", "normalised", "impact", "effort"]


admin.site.register(ScoreRevision)
admin.site.register(ScoreSummary)
admin.site.register(BacklogSettings)
