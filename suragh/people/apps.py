from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "suragh.people"
    label = "people"
