from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "suragh.work"
    label = "work"
