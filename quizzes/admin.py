from django.contrib import admin

from .models import Answer, Attempt, Quiz, QuizItem


class QuizItemInline(admin.TabularInline):
    model = QuizItem
    autocomplete_fields = ["practice"]
    extra = 0


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "pass_mark", "shuffle", "order", "is_published"]
    list_editable = ["order", "is_published"]
    list_filter = ["is_published", "shuffle"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [QuizItemInline]


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
    list_display = ["public_id", "quiz", "user", "score", "total", "started_at", "finished_at"]
    list_filter = ["quiz", "finished_at"]
    list_select_related = ["quiz", "user"]
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
