"""The words of a tip's life: what it reports, where it stands, and the 4x4 evaluation an analyst gives it."""

from __future__ import annotations

from django.db import models


class TipKind(models.TextChoices):
    DRUG_DEALING = "drug_dealing", "Drug dealing"
    TRAFFICKING = "trafficking", "Drug trafficking"
    SMUGGLING = "smuggling", "Smuggling"
    OTHER = "other", "Other"


class TipStatus(models.TextChoices):
    """The four states a tipster may learn, and nothing finer."""

    RECEIVED = "received", "Received"
    UNDER_REVIEW = "under_review", "Under review"
    ACTED_ON = "acted_on", "Acted on"
    CLOSED = "closed", "Closed"


class SourceReliability(models.TextChoices):
    """The 4x4 system's source evaluation (the UK National Intelligence Model's 4x4, as the task forces use it):
    an anonymous tipster is usually D until what they say is borne out."""

    A = "A", "A — always reliable"
    B = "B", "B — mostly reliable"
    C = "C", "C — not reliable"
    D = "D", "D — untested source"


class InformationValidity(models.TextChoices):
    """The 4x4 system's information evaluation."""

    ONE = "1", "1 — known to be true without reservation"
    TWO = "2", "2 — known personally to the source but not to the officer"
    THREE = "3", "3 — not known personally to the source but corroborated"
    FOUR = "4", "4 — cannot be judged"


class TipHistoryKind(models.TextChoices):
    RECEIVED = "received", "Received"
    GRADED = "graded", "Graded"
    ASSIGNED = "assigned", "Assigned"
    STATUS = "status", "Status changed"
    LINKED = "linked", "Linked to a case"
    FORWARDED = "forwarded", "Forwarded to another agency"


# The agencies that run a tip line: ANF, the police forces, FIA and Customs.
TIP_LINE_AGENCIES = (
    "ANF",
    "PUNJAB_POLICE",
    "SINDH_POLICE",
    "KP_POLICE",
    "BALOCHISTAN_POLICE",
    "ICT_POLICE",
    "GB_POLICE",
    "AJK_POLICE",
    "RAILWAYS_POLICE",
    "NHMP",
    "FIA",
    "CUSTOMS",
)
DEFAULT_TIP_AGENCY = "ANF"
DESCRIPTION_MAX_CHARS = 5000
PLACE_MAX_CHARS = 200
NOTE_MAX_CHARS = 2000
