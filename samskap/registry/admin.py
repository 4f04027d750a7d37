"""Admin for installation administrators. Day-to-day work happens in the pages, which go
through the services; the admin is for corrections, so it keeps the audit history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import IdeaProposal, Initiative, Participation, StageChange, Story


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Initiative)
class InitiativeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "municipality", "stage", "visibility", "updated_at"]
    list_filter = ["stage", "visibility", "municipality", "sectors"]
    search_fields = ["title", "need"]
    filter_horizontal = ["owners", "sectors"]
    readonly_fields = ["stage", "version", "created_at", "updated_at"]
    inlines = [ParticipationInline]


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["initiative", "from_stage", "to_stage", "changed_at", "changed_by"]
    list_filter = ["to_stage"]

    # The lifecycle history is a record written by the lifecycle service: never edited here.
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Story)
class StoryAdmin(SimpleHistoryAdmin):
    list_display = ["title", "initiative", "kind", "date", "visibility"]
    list_filter = ["kind", "visibility"]
    search_fields = ["title", "text"]


@admin.register(IdeaProposal)
class IdeaProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "status", "submitted_at"]
    list_filter = ["status", "municipality"]
