from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse

from comparisons.caching import bump_content_version

from . import shipped
from .models import ShippedUpdate


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
