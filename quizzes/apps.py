from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "quizzes"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from comparisons.models import bump_content_version

        from . import signals  # noqa: F401
        from .models import Quiz, QuizItem

        # Quizzes are content too: a change to one makes cached pages stale.
        for model in (Quiz, QuizItem):
            post_save.connect(bump_content_version, sender=model, dispatch_uid=f"bump-{model}")
            post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"del-{model}")
