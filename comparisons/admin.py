from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_m2m_reverse_field_name

from .models import BUCKET_LABELS, Practice, Source, Tool, bump_content_version

VERIFIED_REASON = "Verified against its sources"


def save_rows(request, rows, reason, **values):
    """Set `values` on each row and save it, so the history records every change."""
    count = 0
    with transaction.atomic():
        for row in rows:
            for name, value in values.items():
                setattr(row, name, value)
            row._change_reason = reason
            row._history_user = request.user
            row.save()
            count += 1
    return count


@admin.action(description="Publish the selected rows")
def publish(modeladmin, request, queryset):
    count = save_rows(request, queryset.filter(is_published=False), "Published", is_published=True)
    bump_content_version()
    modeladmin.message_user(request, f"Published {count}.", messages.SUCCESS)


@admin.action(description="Unpublish the selected rows (hide them from learners)")
def unpublish(modeladmin, request, queryset):
    count = save_rows(
        request, queryset.filter(is_published=True), "Unpublished", is_published=False
    )
    bump_content_version()
    modeladmin.message_user(request, f"Unpublished {count}.", messages.SUCCESS)


@admin.action(description="Mark the selected rows verified today (checked against their sources)")
def mark_verified(modeladmin, request, queryset):
    count = save_rows(
        request, queryset, VERIFIED_REASON, verified_at=timezone.now(), verified_by=request.user
    )
    modeladmin.message_user(request, f"Marked {count} verified.", messages.SUCCESS)


# An editor who types "example.org" gets https://example.org, the scheme
# Django 6 assumes; without it Django 5.2 assumes http and warns.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}

# Name and one-line inputs as wide as the text they hold (the admin's default is 20em).
WIDE = {"class": "vLargeTextField", "size": 80}
WIDE_TEXT = {models.CharField: {"widget": forms.TextInput(attrs=WIDE)}}


def name_row_fields(form, row):
    """Name each visible input of a table row's form after its field and the row.

    A changelist's or tabular inline's inputs sit under a column header, with
    no <label> of their own (axe: label, select-name).
    """
    for name, field in form.fields.items():
        if not field.widget.is_hidden:
            field.widget.attrs["aria-label"] = f"{field.label or name.capitalize()} of {row}"


class HistoryAdmin(SimpleHistoryAdmin):
    """Every change with who made it, before and after; compare two versions, revert one.

    A revert is the ordinary change form filled with the old version: it posts
    through the same form and `save_model`, so it passes the same checks as
    an edit.
    """

    object_history_template = "admin/history/object_history.html"
    object_history_list_template = "admin/history/object_history_list.html"
    object_history_form_template = "admin/history/object_history_form.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{info[0]}_{info[1]}_history_compare",
            ),
            *super().get_urls(),
        ]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Show an old version in the change form; only editors who may change it can revert."""
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def compare_view(self, request, object_id):
        """Show what changed between two versions, with a link to revert to either."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        history_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[obj.pk]
        )
        records = obj.history.all()
        chosen = []
        for name in ("old", "new"):
            value = request.GET.get(name, "")
            valid = value.isdigit() and len(value) < 10
            record = records.filter(pk=int(value)).first() if valid else None
            chosen.append(record)
        if None in chosen or chosen[0].pk == chosen[1].pk:
            self.message_user(
                request, "Choose two different versions to compare.", messages.WARNING
            )
            return HttpResponseRedirect(history_url)
        old, new = sorted(chosen, key=lambda record: (record.history_date, record.pk))
        delta = new.diff_against(old, foreign_keys_are_objs=True)
        rows = []
        for change in delta.changes:
            field = self.opts.get_field(change.field)
            rows.append(
                (field.verbose_name, self._shown(field, change.old), self._shown(field, change.new))
            )
        rows += self.compare_extra_rows(obj, old, new)
        info = self.opts.app_label, self.opts.model_name
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare two versions of {obj}",
            "opts": self.opts,
            "object": obj,
            "old": old,
            "new": new,
            "rows": rows,
            "history_url": history_url,
            "revert_old_url": reverse(
                f"admin:{info[0]}_{info[1]}_simple_history", args=[obj.pk, old.pk]
            ),
            "revert_new_url": reverse(
                f"admin:{info[0]}_{info[1]}_simple_history", args=[obj.pk, new.pk]
            ),
            "can_revert": self.has_change_permission(request, obj),
        }
        return render(request, "admin/history/compare.html", context)

    def compare_extra_rows(self, obj, old, new):
        """Return more (label, old, new) rows for the comparison; none by default."""
        return []

    @staticmethod
    def _shown(field, value):
        """Return a version's value of `field` as an editor reads it."""
        if field.many_to_many:
            # The rows of the relation at that version: show the related objects.
            name = get_m2m_reverse_field_name(field)
            return "; ".join(sorted(str(row[name]) for row in value)) or "–"
        if value in (None, ""):
            return "–"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return value


class PracticeInline(admin.TabularInline):
    """The dimension's practices, read only: buckets and publishing change in the practice form,
    where stale notes and the quizzes that use a practice are checked."""

    model = Practice
    fields = ["name", "category", "is_contested", "is_published"]
    readonly_fields = fields
    show_change_link = True
    extra = 0
    ordering = ["name"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DimensionAdmin(HistoryAdmin):
    """The dimension form and list; content.admin registers it with the unpublish guard."""

    list_display = ["title", "kind", "order", "practice_count", "is_published", "updated_at"]
    # Publishing goes through the form or the actions, which check the quizzes it affects.
    list_editable = ["order"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title", "summary", "devops_text", "mlops_text", "shared_text"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["sources"]
    ordering = ["order"]
    actions = [publish, unpublish]
    inlines = [PracticeInline]
    formfield_overrides = WIDE_TEXT
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
    notes_reviewed = forms.BooleanField(
        required=False,
        label="The notes are right for the new bucket",
        help_text="After a change of bucket, the wrong-bucket notes were written for the old "
        "one. Edit or clear each note marked below, or tick this to keep them as they are.",
    )

    class Meta:
        model = Practice
        fields = "__all__"
        widgets = {
            "name": forms.TextInput(attrs=WIDE),
            "slug": forms.TextInput(attrs=WIDE),
            "description": forms.TextInput(attrs={**WIDE, "maxlength": 300}),
        }
        error_messages = {
            "sources": {"required": "Sources is required: cite at least one source."},
        }

    def current(self):
        """Return the practice as the database holds it (None when adding).

        The form's instance is not it when the form reverts to an old version.
        """
        if not hasattr(self, "_current"):
            pk = self.instance.pk
            self._current = Practice.objects.filter(pk=pk).first() if pk else None
        return self._current

    def clean(self):
        cleaned = super().clean()
        category = cleaned.get("category")
        if not category:
            return cleaned
        # Until _post_clean the instance holds the notes as they were: the stored
        # practice's, or on a revert the old version's, with the bucket they were
        # written for.
        before = self.instance
        notes = {value: cleaned.get(f"note_if_{value}", "") or "" for value in BUCKET_LABELS}
        if before.pk is None:
            before.notes_bucket = category
            return cleaned
        written = Practice(category=category, notes_bucket=before.notes_bucket or before.category)
        for field, message in written.notes_to_review(category, notes):
            value = field.removeprefix("note_if_")
            if value == category:
                self.add_error(field, message)
            elif not cleaned.get("notes_reviewed") and notes[value] == getattr(before, field):
                self.add_error(field, message + " Edit or clear it, or tick “the notes are right”.")
        if not self.errors:
            before.notes_bucket = category
        return cleaned


class PracticeAdmin(HistoryAdmin):
    """The practice form and list; content.admin registers it with learners' statistics."""

    form = PracticeForm
    list_display = [
        "name",
        "category",
        "revision",
        "dimension",
        "is_contested",
        "is_published",
        "verified_at",
    ]
    readonly_fields = ["revision", "verification"]
    list_editable = ["category", "dimension"]
    list_filter = ["category", "is_contested", "is_published", "dimension"]
    list_select_related = ["dimension"]
    search_fields = ["name", "description", "explanation"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["dimension", "sources"]
    ordering = ["name"]
    actions = [publish, unpublish, mark_verified]

    @admin.display(description="last verified")
    def verification(self, obj):
        if not obj.verified_at:
            return "never"
        who = f" by {obj.verified_by}" if obj.verified_by else ""
        return f"{obj.verified_at:%Y-%m-%d}{who}"

    def save_model(self, request, obj, form, change):
        if "_verify" in request.POST:
            obj.verified_at, obj.verified_by = timezone.now(), request.user
            obj._change_reason = VERIFIED_REASON
        obj._history_user = request.user
        substantive = bool(getattr(form, "cleaned_data", {}).get("substantive_change", False))
        obj.save(substantive=substantive)
        stale = obj.notes_to_review()
        if stale:
            fields = ", ".join(
                str(Practice._meta.get_field(field).verbose_name) for field, _ in stale
            )
            self.message_user(
                request,
                f"{obj}: its notes were written for "
                f"{BUCKET_LABELS[obj.notes_bucket]}, not {obj.get_category_display()}; "
                f"learners see the explanation instead until you review them ({fields}).",
                messages.WARNING,
            )

    def get_changelist_form(self, request, **kwargs):
        """Read the dimension choices once for the whole changelist, not once per row;
        name each row's inputs after its practice."""
        base = super().get_changelist_form(request, **kwargs)
        shared = []

        class Form(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if not shared:
                    shared.extend(self.fields["dimension"].choices)
                self.fields["dimension"].widget = forms.Select(choices=shared)
                name_row_fields(self, self.instance.name)

        return Form

    def change_view(self, request, object_id, form_url="", extra_context=None):
        practice = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if practice is not None:
            extra_context["notes_to_review"] = [
                (Practice._meta.get_field(field).verbose_name, message)
                for field, message in practice.notes_to_review()
            ]
        return super().change_view(request, object_id, form_url, extra_context)

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
                "fields": ["note_if_devops", "note_if_mlops", "note_if_both", "notes_reviewed"],
            },
        ),
        ("Keeping it current", {"fields": ["verification"]}),
    ]


@admin.register(Tool)
class ToolAdmin(HistoryAdmin):
    formfield_overrides = {**HTTPS_URLS, **WIDE_TEXT}
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
class SourceAdmin(HistoryAdmin):
    formfield_overrides = {**HTTPS_URLS, **WIDE_TEXT}
    list_display = ["title", "authors", "year", "key", "verified_at"]
    search_fields = ["title", "authors", "key", "note"]
    list_filter = ["year"]
    prepopulated_fields = {"key": ["title"]}
    ordering = ["title"]
    readonly_fields = ["verification"]
    actions = [mark_verified]
    change_form_template = "admin/comparisons/source/change_form.html"

    verification = PracticeAdmin.verification

    def save_model(self, request, obj, form, change):
        if "_verify" in request.POST:
            obj.verified_at, obj.verified_by = timezone.now(), request.user
            obj._change_reason = VERIFIED_REASON
        super().save_model(request, obj, form, change)
