from django.apps import AppConfig


class SeizuresConfig(AppConfig):
    name = "suragh.seizures"
    label = "seizures"
