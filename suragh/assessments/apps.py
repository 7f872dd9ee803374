from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AssessmentsConfig(AppConfig):
    name = "suragh.assessments"
    label = "assessments"
    verbose_name = "Organised Crime Index assessments"

    def ready(self) -> None:
        post_migrate.connect(load_after_migrate, sender=self)


def load_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """The index's editions are reference data every database needs, including one just flushed by a test."""
    from .editions import load_editions

    load_editions(using=using)
