from django.db import models


class HandOverPurpose(models.TextChoices):
    SEALED = "sealed", "Sealed at recovery"
    SAMPLE_DRAWN = "sample_drawn", "Sample drawn and sealed"
    DEPOSIT = "deposit", "Deposited in the store (malkhana)"
    TO_LABORATORY = "to_laboratory", "Taken to the laboratory"
    RECEIVED_AT_LABORATORY = "received_at_laboratory", "Received at the laboratory"
    RETURNED_FROM_LABORATORY = "returned_from_laboratory", "Returned from the laboratory"
    TO_COURT = "to_court", "Produced in court"
    RETURNED_FROM_COURT = "returned_from_court", "Returned from court"
    TRANSFER = "transfer", "Transferred"
    DISPOSAL = "disposal", "Handed over for destruction"


# Purposes that open a chain: the first holder has it from nobody.
FIRST_PURPOSES = frozenset({HandOverPurpose.SEALED, HandOverPurpose.SAMPLE_DRAWN})
# While an item is with a carrier for one of these, the transit allowance runs.
IN_TRANSIT = frozenset({HandOverPurpose.TO_LABORATORY, HandOverPurpose.TO_COURT, HandOverPurpose.TRANSFER})


class FlagKind(models.TextChoices):
    GAP = "gap", "Gap in the chain"
    SEAL_BROKEN = "seal_broken", "Seal found broken"
    OUT_OF_ORDER = "out_of_order", "Hand-over out of order"
    TAMPERED = "tampered", "Chain record altered"
    SAMPLE_LATE = "sample_late", "Sample sent late or not at all"
    REPORT_OVERDUE = "report_overdue", "Lab report overdue"
