from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.mail import send_mail
from django.utils import timezone

from comparisons.admin import WIDE_TEXT, HistoryAdmin, name_row_fields, save_rows, unpublish
from comparisons.models import Practice, bump_content_version

from . import stats
from .models import Answer, Attempt, Dispute, QuizItem


def percent(value):
    return "–" if value is None else f"{round(value)}%"


class QuizItemFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        name_row_fields(form, form.instance.practice if form.instance.pk else "the new item")

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
        problems = self.instance.publish_problems(practices) or self.more_problems(
            self.instance, practices
        )
        if problems:
            raise forms.ValidationError(problems)

    def more_problems(self, quiz, practices):
        """Return more reasons the quiz cannot be published with these practices."""
        return []


class QuizItemInline(admin.TabularInline):
    model = QuizItem
    formset = QuizItemFormSet
    autocomplete_fields = ["practice"]
    fields = ["position", "practice"]
    ordering = ["position"]
    extra = 1

    def get_queryset(self, request):
        # Each row's inputs are named after its practice (QuizItemFormSet).
        return super().get_queryset(request).select_related("practice")


def quiz_problems(modeladmin, quiz, practices):
    """Return why `quiz` cannot be published with `practices`, the admin's checks included."""
    return quiz.publish_problems(practices) or modeladmin.more_problems(quiz, practices)


@admin.action(description="Publish the selected quizzes (if they are ready)")
def publish_quizzes(modeladmin, request, queryset):
    ready = []
    for quiz in queryset.filter(is_published=False).prefetch_related("practices__dimension"):
        problems = quiz_problems(modeladmin, quiz, list(quiz.practices.all()))
        if problems:
            modeladmin.message_user(request, f"{quiz}: {' '.join(problems)}", messages.ERROR)
            continue
        ready.append(quiz)
    if ready:
        published = save_rows(request, ready, "Published", is_published=True)
        bump_content_version()
        modeladmin.message_user(request, f"Published {published}.", messages.SUCCESS)


class QuizAdmin(HistoryAdmin):
    """The quiz form and list; content.admin registers it with the content lint."""

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
    ordering = ["order", "title"]
    actions = [publish_quizzes, unpublish]
    inlines = [QuizItemInline]
    formfield_overrides = WIDE_TEXT

    def more_problems(self, quiz, practices):
        """Return more reasons the quiz cannot be published; content.admin adds the lint."""
        return []

    def compare_extra_rows(self, obj, old, new):
        """Compare the quiz's cards too: they are recorded in their own history."""

        def cards(record):
            items = QuizItem.history.as_of(record.history_date).filter(quiz_id=obj.pk)
            names = dict(
                Practice.objects.filter(pk__in=[i.practice_id for i in items]).values_list(
                    "pk", "name"
                )
            )
            return (
                ", ".join(
                    names.get(i.practice_id, "?") for i in sorted(items, key=lambda i: i.position)
                )
                or "–"
            )

        before, after = cards(old), cards(new)
        return [] if before == after else [("cards", before, after)]

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
    fields = ["practice", "revision", "choice", "expected", "is_correct", "answered_at"]
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
    disputes = list(queryset.select_related("attempt__user", "practice"))
    if status == Dispute.Status.REJECTED:
        silent = [d for d in disputes if not d.reply.strip()]
        if silent:
            modeladmin.message_user(
                request,
                f"Not rejected: {len(silent)} dispute(s) without a reply. Open each one and "
                "write the learner a reply saying why the card stays as it is.",
                messages.ERROR,
            )
        disputes = [d for d in disputes if d.reply.strip()]
    now = timezone.now()
    for dispute in disputes:
        was_open = not dispute.is_resolved
        dispute.status, dispute.resolved_at, dispute.resolved_by = status, now, request.user
        dispute.save(update_fields=["status", "resolved_at", "resolved_by"])
        if was_open:
            tell_learner(dispute)
    if disputes:
        modeladmin.message_user(request, f"Marked {len(disputes)} as {status}.", messages.SUCCESS)


def tell_learner(dispute):
    """E-mail a signed-in learner who has an address the editors' answer to their dispute."""
    user = dispute.attempt.user if dispute.attempt else None
    if user is None or not user.email:
        return
    verdict = {
        Dispute.Status.ACCEPTED: "An editor agreed with you and will change the card.",
        Dispute.Status.REJECTED: "An editor looked at it and the card stays as it is.",
    }[dispute.status]
    lines = [
        f"You questioned the card “{dispute.practice.name}”.",
        verdict,
    ]
    if dispute.reply.strip():
        lines += ["", "The editor's reply:", dispute.reply.strip()]
    lines += ["", "Your replies are also on your progress page: /me/"]
    send_mail(
        f"OpsGuide: your note about “{dispute.practice.name}”",
        "\n".join(lines),
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
        fail_silently=True,
    )


class DisputeForm(forms.ModelForm):
    class Meta:
        model = Dispute
        fields = ["status", "reply"]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == Dispute.Status.REJECTED
            and not cleaned.get("reply", "").strip()
        ):
            self.add_error(
                "reply",
                "Rejecting needs a reply: tell the learner why the card stays as it is.",
            )
        return cleaned


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin):
    """Disputes: the learner's words and buckets are theirs; editors answer with a reply."""

    form = DisputeForm
    list_display = [
        "practice",
        "right_bucket",
        "chosen",
        "proposed",
        "short_reason",
        "status",
        "created_at",
    ]
    list_filter = ["status", "chosen", "proposed", "practice__category", "practice__dimension"]
    list_select_related = ["practice"]
    search_fields = ["reason", "reply", "practice__name"]
    date_hierarchy = "created_at"
    # The learner's own words and choices: editors read them, never change them.
    readonly_fields = [
        "practice",
        "chosen",
        "proposed",
        "reason",
        "attempt",
        "created_at",
        "resolved_at",
        "resolved_by",
    ]
    fields = [
        "practice",
        "chosen",
        "proposed",
        "reason",
        "status",
        "reply",
        "attempt",
        "created_at",
        "resolved_at",
        "resolved_by",
    ]
    actions = [accept, reject]

    def has_add_permission(self, request):
        return False  # disputes come from learners

    @admin.display(description="right bucket", ordering="practice__category")
    def right_bucket(self, dispute):
        return dispute.practice.get_category_display()

    @admin.display(description="reason")
    def short_reason(self, dispute):
        return dispute.reason if len(dispute.reason) <= 80 else dispute.reason[:79] + "…"

    def save_model(self, request, obj, form, change):
        newly_resolved = False
        if "status" in form.changed_data:
            resolved = obj.status != Dispute.Status.OPEN
            obj.resolved_at = timezone.now() if resolved else None
            obj.resolved_by = request.user if resolved else None
            newly_resolved = resolved
        super().save_model(request, obj, form, change)
        if newly_resolved:
            tell_learner(obj)


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = [
        "practice",
        "revision",
        "choice",
        "expected",
        "is_correct",
        "attempt",
        "answered_at",
    ]
    list_filter = ["is_correct", "choice", "expected", "attempt__quiz"]
    list_select_related = ["practice", "attempt"]
    search_fields = ["practice__name"]
    date_hierarchy = "answered_at"
    readonly_fields = [
        "attempt",
        "practice",
        "revision",
        "choice",
        "expected",
        "is_correct",
        "answered_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
