from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StatsConfig(AppConfig):
    name = "suragh.stats"
    label = "stats"
    verbose_name = "Statistics and aggregate returns"

    def ready(self) -> None:
        post_migrate.connect(load_after_migrate, sender=self)


def load_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """Data elements are reference data every database needs, including one just flushed by a test."""
    from .reference import load_data_elements

    load_data_elements(using=using)
