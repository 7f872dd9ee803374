from django.db import models


class ImportKind(models.TextChoices):
    CASES = "cases", "Cases (FIRs)"
    PERSONS = "persons", "Persons"
    SEIZURES = "seizures", "Seizures"
    RETURNS = "returns", "Aggregate returns"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    VALIDATING = "validating", "Checking every cell"
    INVALID = "invalid", "Refused: bad cells"
    CHECKED = "checked", "Dry run: no problems"
    IMPORTING = "importing", "Importing"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    ROLLED_BACK = "rolled_back", "Rolled back"


# A worker is busy with these; one that stops saying so is stalled.
RUNNING = frozenset({JobStatus.VALIDATING, JobStatus.IMPORTING})
# Finished for good: nothing to resume.
FINAL = frozenset({JobStatus.INVALID, JobStatus.CHECKED, JobStatus.DONE, JobStatus.ROLLED_BACK})
