from django.db import models


class FieldReportKind(models.TextChoices):
    SEIZURE = "seizure", "Seizure"
    ARREST = "arrest", "Arrest"
    INTERDICTION = "interdiction", "Interdiction"


class FieldReportStatus(models.TextChoices):
    SUBMITTED = "submitted", "Sent, awaiting review"
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned"
