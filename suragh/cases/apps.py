from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "suragh.cases"
    label = "cases"
