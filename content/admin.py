"""Admin pages that span apps: practices with learners' statistics, and shipped updates.

The practice is registered here, once: its form comes from comparisons and its
statistics and disputes from quizzes, and only this app may depend on both.
"""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from comparisons.admin import PracticeAdmin
from comparisons.models import Category, Practice, bump_content_version
from quizzes import stats
from quizzes.admin import percent
from quizzes.models import Dispute

from . import shipped
from .models import ShippedUpdate


class OpenDisputeInline(admin.TabularInline):
    model = Dispute
    verbose_name_plural = "open disputes"
    fields = ["chosen", "reason", "status", "reply"]
    readonly_fields = ["chosen", "reason"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=Dispute.Status.OPEN)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Practice)
class PracticeWithStatsAdmin(PracticeAdmin):
    """The practice admin with learners' answer statistics and open disputes."""

    list_display = [
        *PracticeAdmin.list_display,
        "answered_count",
        "facility_rate",
        "wrong_bucket",
        "open_disputes",
    ]
    inlines = [OpenDisputeInline]
    change_form_template = "admin/comparisons/practice/change_form_stats.html"

    def get_queryset(self, request):
        open_disputes = Dispute.objects.filter(status=Dispute.Status.OPEN)
        return stats.with_practice_stats(super().get_queryset(request)).annotate(
            open_dispute_total=stats.count_per_row(open_disputes, "practice")
        )

    @admin.display(description="answered", ordering="answered")
    def answered_count(self, practice):
        return practice.answered

    @admin.display(description="facility", ordering="facility")
    def facility_rate(self, practice):
        return percent(practice.facility)

    @admin.display(description="most common wrong bucket")
    def wrong_bucket(self, practice):
        return stats.most_common_wrong(practice) or "–"

    @admin.display(description="open disputes", ordering="open_dispute_total")
    def open_disputes(self, practice):
        if not practice.open_dispute_total:
            return 0
        url = reverse("admin:quizzes_dispute_changelist")
        return format_html(
            '<a href="{}?practice__id__exact={}&status__exact=open">{}</a>',
            url,
            practice.pk,
            practice.open_dispute_total,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        practice = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if practice is not None:
            extra_context["answer_matrix"] = [
                (label, value, [row[c] for c in Category.values])
                for (value, label), row in zip(
                    Category.choices, stats.matrix_for(practice).values(), strict=True
                )
            ]
            extra_context["categories"] = Category.choices
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(ShippedUpdate)
class ShippedUpdateAdmin(admin.ModelAdmin):
    """Shipped text waiting beside an editor's edit: compare the two, then take over or keep."""

    list_display = ["__str__", "kind", "release", "resolution", "created_at"]
    list_filter = ["resolution", "kind", "release"]
    search_fields = ["key"]
    readonly_fields = ["kind", "key", "release", "resolution", "resolved_at", "created_at"]
    fields = readonly_fields
    change_form_template = "admin/content/shippedupdate/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        update = self.get_object(request, object_id)
        if update is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if request.method == "POST" and self.has_change_permission(request, update):
            return self.decide(request, update)
        row = shipped.row_for(update)
        extra_context = {
            **(extra_context or {}),
            "differences": shipped.changed_fields(update, row),
            "row": row,
            "row_admin_url": row
            and reverse(
                f"admin:{row._meta.app_label}_{row._meta.model_name}_change", args=[row.pk]
            ),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def decide(self, request, update):
        """Take the shipped text over, or keep the editor's, as the pressed button says."""
        if not update.is_pending:
            self.message_user(request, "This update was already decided.", messages.WARNING)
        elif "_take_over" in request.POST:
            shipped.take_over(update)
            bump_content_version()
            self.message_user(request, f"{update}: the shipped text is now live.", messages.SUCCESS)
        elif "_keep" in request.POST:
            shipped.keep_editors_text(update)
            self.message_user(request, f"{update}: the editor's text stays.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:content_shippedupdate_changelist"))
