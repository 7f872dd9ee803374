"""The index's pillars, places, evidence kinds and the scale its scores are given on."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from suragh.core.choices import Role


class Pillar(models.TextChoices):
    """The three parts of the index: markets and actors make up criminality; resilience stands alone."""

    CRIMINAL_MARKETS = "criminal_markets", "Criminal markets"
    CRIMINAL_ACTORS = "criminal_actors", "Criminal actors"
    RESILIENCE = "resilience", "Resilience"


class EvidenceKind(models.TextChoices):
    CASE = "case", "Case"
    SEIZURE = "seizure", "Seizure"
    DOCUMENT = "document", "Document"


# Pakistan itself; a province or territory is named by its P-code (PK1–PK7), which never collides with "PK".
COUNTRY_CODE = "PK"
COUNTRY_NAME = "Pakistan"

SCORE_MIN = Decimal("1.0")
SCORE_MAX = Decimal("10.0")
SCORE_STEP = Decimal("0.5")
# 1.0, 1.5, … 10.0: the only scores an assessor may give.
HALF_STEPS: tuple[Decimal, ...] = tuple(SCORE_MIN + SCORE_STEP * i for i in range(19))
# The index publishes its averages with two decimals.
PUBLISHED_DECIMALS = 2

YEAR_MIN, YEAR_MAX = 2000, 2100
RATIONALE_MAX_CHARS = 4000
TITLE_MAX_CHARS = 300
CITATION_MAX_CHARS = 1000

# Who may create and score assessments, and who reads them (docs/access.md, "Organised Crime Index").
ASSESSOR_ROLES = frozenset({Role.ANALYST, Role.SYSTEM_ADMIN})
READER_ROLES = frozenset({Role.POLICY_VIEWER, Role.ANALYST, Role.SUPERVISOR, Role.SYSTEM_ADMIN})
