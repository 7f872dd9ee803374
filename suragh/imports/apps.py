from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "suragh.imports"
    label = "imports"
    verbose_name = "Bulk imports"
