from django.contrib import admin

from .models import Dimension, Practice, Source, Tool


class PracticeInline(admin.TabularInline):
    model = Practice
    fields = ["name", "category", "is_published"]
    show_change_link = True
    extra = 0


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "order", "is_published", "updated_at"]
    list_editable = ["order", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title", "summary", "devops_text", "mlops_text"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["sources"]
    inlines = [PracticeInline]


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "dimension", "is_contested", "is_published"]
    list_editable = ["category", "is_published"]
    list_filter = ["category", "is_contested", "is_published", "dimension"]
    list_select_related = ["dimension"]
    search_fields = ["name", "description", "explanation"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["dimension", "sources"]


@admin.register(Tool)
class ToolAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "kind", "is_published"]
    list_filter = ["category", "is_published"]
    search_fields = ["name", "kind", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["dimensions"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "authors", "year"]
    search_fields = ["title", "authors", "key"]
    list_filter = ["year"]
