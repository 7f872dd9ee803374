from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "suragh.evidence"
    label = "evidence"
