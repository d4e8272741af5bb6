from django.contrib import admin

from .models import Invite, Membership, ReadMark, Step, Team, Track


class MembershipInline(admin.TabularInline):
    model = Membership
    autocomplete_fields = ["user"]
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "created_at"
    inlines = [MembershipInline]


class StepInline(admin.TabularInline):
    model = Step
    fields = ["position", "dimension", "quiz", "due_on"]
    autocomplete_fields = ["dimension", "quiz"]
    extra = 1


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["team", "title"]
    search_fields = ["team__name", "title"]
    inlines = [StepInline]


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    list_display = ["team", "status", "uses", "max_uses", "expires_at", "created_by"]
    list_filter = ["team"]
    readonly_fields = ["token", "uses", "created_at", "created_by"]
    date_hierarchy = "created_at"


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "role", "learns_too", "joined_at"]
    list_filter = ["team", "role", "learns_too"]
    search_fields = ["user__username", "team__name"]
    autocomplete_fields = ["user", "team"]


@admin.register(ReadMark)
class ReadMarkAdmin(admin.ModelAdmin):
    list_display = ["user", "dimension", "marked_at"]
    list_filter = ["dimension"]
    search_fields = ["user__username"]
