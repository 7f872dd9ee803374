from django.apps import AppConfig


class TipsConfig(AppConfig):
    name = "suragh.tips"
    label = "tips"
    verbose_name = "Anonymous tips"
