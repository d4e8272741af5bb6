from django import forms
from django.contrib import admin, messages
from django.utils import timezone

from comparisons.admin import unpublish
from comparisons.models import Practice, bump_content_version

from . import stats
from .models import Answer, Attempt, Dispute, Quiz, QuizItem


def percent(value):
    return "–" if value is None else f"{round(value)}%"


class QuizItemFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors) or not self.instance.is_published:
            return
        practice_ids = [
            form.cleaned_data["practice"].pk
            for form in self.forms
            if form.cleaned_data
            and form.cleaned_data.get("practice")
            and not form.cleaned_data.get("DELETE")
        ]
        practices = list(Practice.objects.select_related("dimension").filter(pk__in=practice_ids))
        problems = self.instance.publish_problems(practices)
        if problems:
            raise forms.ValidationError(problems)


class QuizItemInline(admin.TabularInline):
    model = QuizItem
    formset = QuizItemFormSet
    autocomplete_fields = ["practice"]
    fields = ["position", "practice"]
    ordering = ["position"]
    extra = 1


@admin.action(description="Publish the selected quizzes (if they are ready)")
def publish_quizzes(modeladmin, request, queryset):
    published = 0
    for quiz in queryset.prefetch_related("practices__dimension"):
        problems = quiz.publish_problems(list(quiz.practices.all()))
        if problems:
            modeladmin.message_user(request, f"{quiz}: {' '.join(problems)}", messages.ERROR)
            continue
        Quiz.objects.filter(pk=quiz.pk).update(is_published=True)
        published += 1
    if published:
        bump_content_version()  # update() sends no save signal
        modeladmin.message_user(request, f"Published {published}.", messages.SUCCESS)


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "item_count",
        "attempts",
        "completion",
        "mean",
        "pass_rate",
        "pass_mark",
        "is_published",
    ]
    list_filter = ["is_published", "shuffle"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "updated_at"
    ordering = ["order", "title"]
    actions = [publish_quizzes, unpublish]
    inlines = [QuizItemInline]

    def get_queryset(self, request):
        return stats.with_quiz_stats(super().get_queryset(request)).annotate(
            items_total=stats.count_per_row(QuizItem.objects.all(), "quiz")
        )

    @admin.display(description="items", ordering="items_total")
    def item_count(self, quiz):
        return quiz.items_total

    @admin.display(description="attempts", ordering="attempt_total")
    def attempts(self, quiz):
        return quiz.attempt_total

    @admin.display(description="completed", ordering="finished_total")
    def completion(self, quiz):
        return percent(stats.rate(quiz.finished_total, quiz.attempt_total))

    @admin.display(description="mean score", ordering="mean_score")
    def mean(self, quiz):
        return percent(quiz.mean_score)

    @admin.display(description="pass rate", ordering="passed_total")
    def pass_rate(self, quiz):
        return percent(stats.rate(quiz.passed_total, quiz.finished_total))


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ["practice", "choice", "expected", "is_correct", "answered_at"]
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["public_id", "quiz", "learner", "score", "total", "started_at", "finished_at"]
    list_filter = ["quiz", ("finished_at", admin.EmptyFieldListFilter)]
    list_select_related = ["quiz", "user"]
    search_fields = ["public_id", "user__username", "quiz__title"]
    date_hierarchy = "started_at"
    readonly_fields = [
        "public_id",
        "quiz",
        "user",
        "session_key",
        "practice_ids",
        "retry_of",
        "started_at",
        "finished_at",
        "score",
        "total",
    ]
    inlines = [AnswerInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="learner", ordering="user__username")
    def learner(self, attempt):
        return attempt.user or "anonymous"


@admin.action(description="Accept the selected disputes")
def accept(modeladmin, request, queryset):
    resolve(modeladmin, request, queryset, Dispute.Status.ACCEPTED)


@admin.action(description="Reject the selected disputes")
def reject(modeladmin, request, queryset):
    resolve(modeladmin, request, queryset, Dispute.Status.REJECTED)


def resolve(modeladmin, request, queryset, status):
    count = queryset.update(status=status, resolved_at=timezone.now(), resolved_by=request.user)
    modeladmin.message_user(request, f"Marked {count} as {status}.", messages.SUCCESS)


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin):
    list_display = ["practice", "right_bucket", "chosen", "short_reason", "status", "created_at"]
    list_filter = ["status", "chosen", "practice__category", "practice__dimension"]
    list_select_related = ["practice"]
    search_fields = ["reason", "reply", "practice__name"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["practice"]
    readonly_fields = ["attempt", "created_at", "resolved_at", "resolved_by"]
    fields = [
        "practice",
        "chosen",
        "reason",
        "status",
        "reply",
        "attempt",
        "created_at",
        "resolved_at",
        "resolved_by",
    ]
    actions = [accept, reject]

    @admin.display(description="right bucket", ordering="practice__category")
    def right_bucket(self, dispute):
        return dispute.practice.get_category_display()

    @admin.display(description="reason")
    def short_reason(self, dispute):
        return dispute.reason if len(dispute.reason) <= 80 else dispute.reason[:79] + "…"

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            resolved = obj.status != Dispute.Status.OPEN
            obj.resolved_at = timezone.now() if resolved else None
            obj.resolved_by = request.user if resolved else None
        super().save_model(request, obj, form, change)


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["practice", "choice", "expected", "is_correct", "attempt", "answered_at"]
    list_filter = ["is_correct", "choice", "expected", "attempt__quiz"]
    list_select_related = ["practice", "attempt"]
    search_fields = ["practice__name"]
    date_hierarchy = "answered_at"
    readonly_fields = ["attempt", "practice", "choice", "expected", "is_correct", "answered_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
