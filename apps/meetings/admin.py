from django.contrib import admin

from .models import ActionItem, AgendaItem, Decision, Meeting, MeetingSeries


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "working_group", "kind", "weekday", "start_time", "timezone", "active"]
    list_filter = ["kind", "active"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fields = ["position", "title", "minutes", "presenter", "edited", "removed"]
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "working_group", "kind", "starts_at", "status", "moved"]
    list_filter = ["kind", "status"]
    inlines = [AgendaItemInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["text", "meeting", "kind", "applied_at"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "working_group", "owner", "assignee", "due_on", "status"]
    list_filter = ["status"]
