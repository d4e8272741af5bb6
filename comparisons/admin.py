from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils.html import format_html

from .models import Dimension, Practice, Source, Tool, bump_content_version


@admin.action(description="Publish the selected rows")
def publish(modeladmin, request, queryset):
    count = queryset.update(is_published=True)
    bump_content_version()  # update() sends no save signal
    modeladmin.message_user(request, f"Published {count}.", messages.SUCCESS)


@admin.action(description="Unpublish the selected rows (hide them from learners)")
def unpublish(modeladmin, request, queryset):
    count = queryset.update(is_published=False)
    bump_content_version()
    modeladmin.message_user(request, f"Unpublished {count}.", messages.SUCCESS)


# An editor who types "example.org" gets https://example.org, the scheme
# Django 6 assumes; without it Django 5.2 assumes http and warns.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class PracticeInline(admin.TabularInline):
    model = Practice
    fields = ["name", "category", "is_contested", "is_published"]
    show_change_link = True
    extra = 0
    ordering = ["name"]


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "order", "practice_count", "is_published", "updated_at"]
    list_editable = ["order", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title", "summary", "devops_text", "mlops_text", "shared_text"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["sources"]
    date_hierarchy = "updated_at"
    ordering = ["order"]
    actions = [publish, unpublish]
    inlines = [PracticeInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "kind", "order", "is_published"]}),
        ("The two sides (Markdown)", {"fields": ["devops_text", "mlops_text", "shared_text"]}),
        ("Sources", {"fields": ["sources"]}),
    ]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(practice_total=Count("practices"))

    @admin.display(description="practices", ordering="practice_total")
    def practice_count(self, dimension):
        return dimension.practice_total


class PracticeForm(forms.ModelForm):
    substantive_change = forms.BooleanField(
        required=False,
        label="Substantive change",
        help_text="Tick when the card now asks something different (not a typo fix): "
        "its revision goes up, as it does when the bucket or name changes.",
    )

    class Meta:
        model = Practice
        fields = "__all__"


class PracticeAdmin(admin.ModelAdmin):
    """The practice form and list; content.admin registers it with learners' statistics."""

    form = PracticeForm
    list_display = ["name", "category", "revision", "dimension", "is_contested", "is_published"]
    readonly_fields = ["revision"]
    list_editable = ["category", "dimension"]
    list_filter = ["category", "is_contested", "is_published", "dimension"]
    list_select_related = ["dimension"]
    search_fields = ["name", "description", "explanation"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["dimension", "sources"]
    date_hierarchy = "updated_at"
    ordering = ["name"]
    actions = [publish, unpublish]

    def save_model(self, request, obj, form, change):
        obj.save(substantive=form.cleaned_data.get("substantive_change", False))

    def get_changelist_form(self, request, **kwargs):
        """Read the dimension choices once for the whole changelist, not once per row."""
        base = super().get_changelist_form(request, **kwargs)
        shared = []

        class Form(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if not shared:
                    shared.extend(self.fields["dimension"].choices)
                self.fields["dimension"].widget = forms.Select(choices=shared)

        return Form

    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "dimension", "is_published"]}),
        (
            "Bucket",
            {
                "fields": [
                    "category",
                    "explanation",
                    "rule_reason",
                    "is_contested",
                    "sources",
                    ("substantive_change", "revision"),
                ]
            },
        ),
        (
            "Feedback for a wrong bucket",
            {
                "description": "Shown to a learner who chose this bucket. Leave empty "
                "to show the explanation instead.",
                "fields": ["note_if_devops", "note_if_mlops", "note_if_both"],
            },
        ),
    ]


@admin.register(Tool)
class ToolAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "category", "kind", "link", "is_published"]
    list_editable = ["category"]
    list_filter = ["category", "is_published", "dimensions"]
    search_fields = ["name", "kind", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["dimensions"]
    ordering = ["name"]
    actions = [publish, unpublish]

    @admin.display(description="URL")
    def link(self, tool):
        return format_html('<a href="{}">{}</a>', tool.url, tool.url)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["title", "authors", "year", "key"]
    search_fields = ["title", "authors", "key", "note"]
    list_filter = ["year"]
    prepopulated_fields = {"key": ["title"]}
    ordering = ["title"]
