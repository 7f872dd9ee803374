from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "suragh.core"
    label = "core"
    verbose_name = "Organisations, reference data, access and audit"

    def ready(self) -> None:
        from . import signals  # noqa: F401
