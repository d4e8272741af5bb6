from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class ComparisonsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comparisons"

    def ready(self):
        from .models import Dimension, Practice, Source, Tool, bump_content_version

        for model in (Dimension, Practice, Source, Tool):
            post_save.connect(bump_content_version, sender=model, dispatch_uid=f"bump-{model}")
            post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"del-{model}")
        for through in (
            Dimension.sources.through,
            Practice.sources.through,
            Tool.dimensions.through,
        ):
            m2m_changed.connect(bump_content_version, sender=through, dispatch_uid=f"m2m-{through}")
