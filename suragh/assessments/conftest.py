"""Fixtures for the assessments' tests: Pakistan's published 2021 scores, imported as an analyst would."""

from __future__ import annotations

import pytest

from suragh.core.choices import Role

from .actions import do_create_assessment, do_import_scores
from .editions import PUBLISHED_SCORES
from .models import Assessment


def import_published(user) -> Assessment:
    do_import_scores(PUBLISHED_SCORES.read_bytes(), dry_run=False, acting_user=user)
    return Assessment.objects.get(edition__year=2021, year=2021, province__isnull=True)


@pytest.fixture
def analyst(world):
    return world.agencies["ANF"].users[Role.ANALYST]


@pytest.fixture
def pakistan(analyst) -> Assessment:
    return import_published(analyst)


@pytest.fixture
def punjab(analyst) -> Assessment:
    return do_create_assessment(edition_year=2021, year=2021, place_code="PK6", acting_user=analyst)
