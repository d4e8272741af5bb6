from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "onboarding"

    def ready(self):
        from opsguide.extras import add_dimension_extra

        from .reading import read_button

        add_dimension_extra(read_button)
