"""Admin pages that span apps: practices with learners' statistics, and shipped updates.

The practice is registered here, once: its form comes from comparisons and its
statistics and disputes from quizzes, and only this app may depend on both.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms import BaseModelFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from comparisons.admin import (
    DimensionAdmin,
    PracticeAdmin,
    PracticeForm,
    mark_verified,
    save_rows,
)
from comparisons.admin import publish as publish_rows
from comparisons.models import Category, Dimension, Practice, bump_content_version
from quizzes import stats
from quizzes.admin import QuizAdmin, QuizItemFormSet, QuizItemInline, percent
from quizzes.models import Dispute, Quiz

from . import guards, lint, shipped
from .models import ShippedUpdate

SITE = "OpsGuide"
admin.site.site_header = f"{SITE} editors"
admin.site.site_title = f"{SITE} admin"
admin.site.index_title = "Content, quizzes and learners"


def warn(modeladmin, request, lines):
    for line in lines:
        modeladmin.message_user(request, line, messages.WARNING)


def leaving_practice_ids(queryset, model):
    """Return the practices that selected rows of `model` take out of play when unpublished."""
    if model is Dimension:
        return list(Practice.objects.filter(dimension__in=queryset).values_list("pk", flat=True))
    return list(queryset.values_list("pk", flat=True))


@admin.action(description="Unpublish the selected rows (hide them from learners)")
def unpublish(modeladmin, request, queryset):
    """Unpublish, unless that leaves a published quiz below its minimum; name the quizzes."""
    rows = list(queryset.filter(is_published=True))
    what = "the selected rows"
    refusals, warnings = guards.check_leaving(
        leaving_practice_ids(queryset.filter(is_published=True), modeladmin.model), what
    )
    if refusals:
        for line in refusals:
            modeladmin.message_user(request, "Nothing was unpublished. " + line, messages.ERROR)
        return
    count = save_rows(request, rows, "Unpublished", is_published=False)
    bump_content_version()
    modeladmin.message_user(request, f"Unpublished {count}.", messages.SUCCESS)
    warn(modeladmin, request, warnings)


@admin.action(description="Publish the selected rows")
def publish(modeladmin, request, queryset):
    """Publish practices, then warn about what the content lint finds in them."""
    publish_rows(modeladmin, request, queryset)
    for practice in queryset.filter(is_published=True).prefetch_related("sources"):
        problems = lint.practice_problems(practice, source_count=len(practice.sources.all()))
        warn(modeladmin, request, [f"Check before learners see it: {p}" for p in problems])


class GuardedPracticeForm(PracticeForm):
    """The practice form, refusing to shrink a published quiz below its minimum."""

    def clean(self):
        cleaned = super().clean()
        current = self.current()
        self.unpublish_warnings = []
        if current is None or not guards.still_quizzable(current):
            return cleaned
        after = Practice(
            is_published=cleaned.get("is_published", current.is_published),
            is_contested=cleaned.get("is_contested", current.is_contested),
            dimension=cleaned.get("dimension") or current.dimension,
        )
        if guards.still_quizzable(after):
            return cleaned
        refusals, self.unpublish_warnings = guards.check_leaving([current.pk], "this practice")
        if refusals:
            raise ValidationError(refusals)
        return cleaned


class GuardedChangelistFormSet(BaseModelFormSet):
    """The practice list's rows, refusing moves that shrink a published quiz below its minimum.

    A move to an unpublished dimension takes the practice out of play; the rows
    saved together are checked together.
    """

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        changed = [form for form in self.forms if form.has_changed()]
        stored = Practice.objects.select_related("dimension").in_bulk(
            [form.instance.pk for form in changed]
        )
        # The forms' instances already hold the new values; `stored` holds the old.
        leaving = [
            form
            for form in changed
            if form.instance.pk in stored
            and guards.still_quizzable(stored[form.instance.pk])
            and not guards.still_quizzable(form.instance)
        ]
        if not leaving:
            return
        what = ", ".join(
            f"“{form.instance}” (moved to the unpublished dimension “{form.instance.dimension}”)"
            for form in leaving
        )
        refusals, warnings = guards.check_leaving([form.instance.pk for form in leaving], what)
        if refusals:
            raise ValidationError(refusals)
        # One set of warnings for the rows together, shown as the first of them is saved.
        leaving[0].unpublish_warnings = warnings


class OpenDisputeInline(admin.TabularInline):
    """The practice's open disputes, read only: each is answered on its own page,
    where rejecting needs a reply and the learner is told."""

    model = Dispute
    verbose_name_plural = "open disputes"
    fields = ["chosen", "proposed", "reason", "status", "reply"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=Dispute.Status.OPEN)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Practice)
class PracticeWithStatsAdmin(PracticeAdmin):
    """The practice admin with learners' answer statistics, open disputes and the lint."""

    form = GuardedPracticeForm
    list_display = [
        *PracticeAdmin.list_display,
        "answered_count",
        "facility_rate",
        "wrong_bucket",
        "open_disputes",
    ]
    inlines = [OpenDisputeInline]
    actions = [publish, unpublish, mark_verified]
    change_form_template = "admin/comparisons/practice/change_form_stats.html"

    def get_queryset(self, request):
        open_disputes = Dispute.objects.filter(status=Dispute.Status.OPEN)
        return stats.with_practice_stats(super().get_queryset(request)).annotate(
            open_dispute_total=stats.count_per_row(open_disputes, "practice")
        )

    @admin.display(description="answered (this revision)", ordering="answered")
    def answered_count(self, practice):
        return practice.answered

    @admin.display(description="facility (this revision)", ordering="facility")
    def facility_rate(self, practice):
        return percent(practice.facility)

    @admin.display(description="most common wrong bucket (this revision)")
    def wrong_bucket(self, practice):
        return stats.most_common_wrong(practice) or "–"

    def get_inlines(self, request, obj):
        """Show open disputes on a saved practice; a new one has none."""
        return self.inlines if obj is not None else []

    def get_changelist_formset(self, request, **kwargs):
        return super().get_changelist_formset(request, formset=GuardedChangelistFormSet, **kwargs)

    def lint_warnings(self, request, practice):
        """Warn about what the content lint finds in the saved practice, naming what to fix."""
        problems = lint.practice_problems(practice)
        warn(self, request, [f"Check before learners see it: {p}" for p in problems])

    def save_model(self, request, obj, form, change):
        # The change form's and the changelist's unpublish warnings, shown as the
        # row is saved (the admin instance serves every request: it keeps no state).
        super().save_model(request, obj, form, change)
        warn(self, request, getattr(form, "unpublish_warnings", []))

    # The lint reads the sources, which are saved after save_model; a revert
    # (simple-history's form view) ends in response_change too.
    def response_add(self, request, obj, post_url_continue=None):
        self.lint_warnings(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self.lint_warnings(request, obj)
        return super().response_change(request, obj)

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
            extra_context["revisions"] = stats.revision_rows(practice)
            extra_context["min_attempts"] = stats.MIN_DISCRIMINATION_ATTEMPTS
        return super().change_view(request, object_id, form_url, extra_context)


class GuardedDimensionForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        self.unpublish_warnings = []
        pk = self.instance.pk
        current = Dimension.objects.filter(pk=pk).first() if pk else None
        if current and current.is_published and cleaned.get("is_published") is False:
            refusals, self.unpublish_warnings = guards.check_leaving(
                current.practices.values_list("pk", flat=True), "this dimension's practices"
            )
            if refusals:
                raise ValidationError(refusals)
        return cleaned


@admin.register(Dimension)
class GuardedDimensionAdmin(DimensionAdmin):
    """Dimensions, refusing to unpublish one whose practices published quizzes need."""

    form = GuardedDimensionForm
    actions = [publish_rows, unpublish]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        warn(self, request, getattr(form, "unpublish_warnings", []))


def lint_quiz(quiz, practices):
    """Return the content lint's reasons a quiz cannot be published with these practices."""
    return [problem.message for problem in lint.quiz_problems(quiz, practices)]


class LintedQuizItemFormSet(QuizItemFormSet):
    def more_problems(self, quiz, practices):
        return lint_quiz(quiz, practices)


class LintedQuizItemInline(QuizItemInline):
    formset = LintedQuizItemFormSet


class LintedQuizForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("is_published") or "items-TOTAL_FORMS" in self.data:
            return cleaned  # the cards' inline checks them as they are being changed
        # A revert (or any form without the cards): check the cards the quiz holds.
        quiz = self.instance
        practices = list(
            Practice.objects.select_related("dimension").filter(quiz_items__quiz=quiz)
            if quiz.pk
            else []
        )
        trial = Quiz(
            title=cleaned.get("title") or quiz.title,
            pass_mark=cleaned.get("pass_mark") or quiz.pass_mark,
        )
        problems = trial.publish_problems(practices) or lint_quiz(trial, practices)
        if problems:
            raise ValidationError(problems)
        return cleaned


@admin.register(Quiz)
class LintedQuizAdmin(QuizAdmin):
    """Quizzes, refusing to publish one that breaks the content lint (balance, word clues)."""

    form = LintedQuizForm
    inlines = [LintedQuizItemInline]

    def more_problems(self, quiz, practices):
        return lint_quiz(quiz, practices)


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
            leaving = guards.taken_out_by(update, shipped.row_for(update))
            refusals, warnings = guards.check_leaving(leaving, f"the {update.kind} “{update.key}”")
            if refusals:
                for line in refusals:
                    self.message_user(request, "Nothing was taken over. " + line, messages.ERROR)
                return HttpResponseRedirect(request.path)
            shipped.take_over(update)
            bump_content_version()
            self.message_user(request, f"{update}: the shipped text is now live.", messages.SUCCESS)
            warn(self, request, warnings)
        elif "_keep" in request.POST:
            shipped.keep_editors_text(update)
            self.message_user(request, f"{update}: the editor's text stays.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:content_shippedupdate_changelist"))
