from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "suragh.intake"
    label = "intake"
    verbose_name = "Field reports"
