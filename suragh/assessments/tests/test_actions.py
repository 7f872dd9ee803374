"""Scoring: half steps only, a rationale always, a retry changes nothing, a change keeps its history and is
audited; one assessment per place, year and edition; evidence only from records the assessor may see."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from suragh.assessments.actions import do_add_evidence, do_create_assessment, do_score_indicator, parse_score
from suragh.assessments.models import Score, ScoreChange, ScoreEvidence
from suragh.conftest import register_case
from suragh.core.choices import Distribution, Role
from suragh.core.models import AuditEvent
from suragh.core.validation import error_dict
from suragh.seizures.actions import do_record_seizure

pytestmark = pytest.mark.django_db


def errors_of(call, *args, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return error_dict(caught.value)


@pytest.mark.parametrize("value", ["1", "1.0", "1.5", "5", "9.5", "10", "10.0", Decimal("7.5"), 4])
def test_half_steps_from_1_to_10_are_scores(value):
    assert parse_score(value) is not None


@pytest.mark.parametrize("value", ["0.5", "0", "10.5", "11", "7.25", "7.3", "-1", "", "seven", "NaN", "Infinity", None])
def test_anything_else_is_not_a_score(value):
    assert parse_score(value) is None


def test_a_score_off_the_half_steps_is_refused_by_field(punjab, analyst):
    errors = errors_of(
        do_score_indicator, punjab, indicator_code="heroin_trade", value="7.3", rationale="", acting_user=analyst
    )
    assert set(errors) == {"value", "rationale"}
    assert "'7.3' is not a score" in errors["value"][0] and "half steps" in errors["value"][0]
    errors = errors_of(
        do_score_indicator, punjab, indicator_code="opium_trade", value="7", rationale="x", acting_user=analyst
    )
    assert errors == {"indicator": ["The 2021 edition has no indicator 'opium_trade'."]}
    assert not Score.objects.exists()


def test_the_database_refuses_a_score_off_the_half_steps(punjab, analyst):
    score, _ = do_score_indicator(
        punjab, indicator_code="heroin_trade", value="7", rationale="Seizures", acting_user=analyst
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.filter(pk=score.pk).update(value=Decimal("7.3"))


def test_a_retried_score_changes_nothing_and_a_change_keeps_its_history(punjab, analyst, world):
    before = AuditEvent.objects.count()
    first, changed = do_score_indicator(
        punjab, indicator_code="heroin_trade", value="8.5", rationale="Seizure records", acting_user=analyst
    )
    assert changed
    again, changed = do_score_indicator(
        punjab, indicator_code="heroin_trade", value="8.5", rationale="Seizure records", acting_user=analyst
    )
    assert not changed and again.pk == first.pk
    assert Score.objects.filter(assessment=punjab).count() == 1
    assert ScoreChange.objects.count() == 1 and AuditEvent.objects.count() == before + 1

    other = world.agencies["SINDH_POLICE"].users[Role.ANALYST]
    changed_score, changed = do_score_indicator(
        punjab, indicator_code="heroin_trade", value="9", rationale="Lab purity rose", acting_user=other
    )
    assert changed and changed_score.pk == first.pk and changed_score.value == Decimal("9.0")
    history = list(ScoreChange.objects.filter(score=first).values_list("previous_value", "value", "changed_by"))
    assert history == [(None, Decimal("8.5"), analyst.pk), (Decimal("8.5"), Decimal("9.0"), other.pk)]
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.actor_id == other.pk and event.object_id == str(punjab.pk)
    assert event.fields == {
        "indicator": "heroin_trade",
        "previous_score": "8.5",
        "score": "9.0",
        "rationale": "Lab purity rose",
    }


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.ANALYST, Role.SYSTEM_ADMIN)])
def test_only_analysts_and_system_admins_assess(world, punjab, role):
    user = world.agencies["PUNJAB_POLICE"].users[role]
    errors = errors_of(
        do_score_indicator, punjab, indicator_code="heroin_trade", value="5", rationale="x", acting_user=user
    )
    assert errors == {"__all__": ["Only analysts and system admins score assessments."]}
    errors = errors_of(do_create_assessment, edition_year=2021, year=2021, place_code="PK2", acting_user=user)
    assert "__all__" in errors


def test_a_system_admin_assesses(world):
    admin = world.agencies["ANF"].users[Role.SYSTEM_ADMIN]
    assessment = do_create_assessment(edition_year=2021, year=2024, place_code="pk", acting_user=admin)
    assert assessment.place_name == "Pakistan" and assessment.province is None


def test_one_assessment_per_place_year_and_edition(punjab, analyst):
    errors = errors_of(do_create_assessment, edition_year=2021, year=2021, place_code="PK6", acting_user=analyst)
    assert errors == {"place": ["Punjab 2021 (2021 edition) already exists; score it instead."]}
    do_create_assessment(edition_year=2021, year=2022, place_code="PK6", acting_user=analyst)
    do_create_assessment(edition_year=2021, year=2021, place_code="PK", acting_user=analyst)
    errors = errors_of(do_create_assessment, edition_year=2021, year=2021, place_code="PK", acting_user=analyst)
    assert "already exists" in errors["place"][0]


def test_a_bad_assessment_names_each_field(analyst):
    errors = errors_of(do_create_assessment, edition_year=1999, year=1850, place_code="PK9", acting_user=analyst)
    assert set(errors) == {"edition", "year", "place"}
    assert "PK for Pakistan" in errors["place"][0] and "PK6" in errors["place"][0]


def test_evidence_is_a_case_or_seizure_the_assessor_may_see_or_a_document(world, punjab, analyst):
    anf, sindh = world.agencies["ANF"], world.agencies["SINDH_POLICE"]
    do_score_indicator(punjab, indicator_code="heroin_trade", value="8", rationale="Cases", acting_user=analyst)
    own_case = register_case(anf, Distribution.AGENCY, fir="OCI-1/2024")
    hidden_case = register_case(sindh, Distribution.AGENCY, fir="OCI-2/2024")
    seizure = do_record_seizure(
        owning_unit=anf.child_unit,
        seized_on=date(2024, 3, 1),
        substance_code="heroin",
        quantity="12",
        unit="kg",
        district_pcode=own_case.district.pcode,
        case=own_case,
        distribution=Distribution.AGENCY,
        acting_user=anf.users[Role.INVESTIGATING_OFFICER],
    )
    add = dict(indicator_code="heroin_trade", acting_user=analyst)
    do_add_evidence(punjab, kind="case", case_fir="OCI-1/2024", **add)
    do_add_evidence(punjab, kind="seizure", seizure_id=seizure.pk, **add)
    do_add_evidence(punjab, kind="document", title="UNODC Afghan opiate report", url="https://example.org/r", **add)
    assert ScoreEvidence.objects.count() == 3

    # A case the assessor may not see answers exactly like one that does not exist.
    hidden = errors_of(do_add_evidence, punjab, kind="case", case_id=hidden_case.pk, **add)
    missing = errors_of(do_add_evidence, punjab, kind="case", case_id=987654, **add)
    assert hidden == {"case": [f"No case you may see has the id {hidden_case.pk}."]}
    assert missing == {"case": ["No case you may see has the id 987654."]}
    assert errors_of(do_add_evidence, punjab, kind="case", case_fir="OCI-2/2024", **add) == {
        "case": ["No case you may see has the FIR number 'OCI-2/2024'."]
    }
    assert "already evidence" in errors_of(do_add_evidence, punjab, kind="case", case_id=own_case.pk, **add)["case"][0]
    assert set(errors_of(do_add_evidence, punjab, kind="document", url="ftp://x", **add)) == {"title", "url"}
    assert errors_of(do_add_evidence, punjab, kind="document", title="Report", **add) == {
        "url": ["Give the document's URL or a citation."]
    }
    unscored = errors_of(
        do_add_evidence,
        punjab,
        indicator_code="cocaine_trade",
        kind="document",
        title="T",
        citation="C",
        acting_user=analyst,
    )
    assert unscored == {"indicator": ["Score Cocaine trade before adding evidence to it."]}
    assert errors_of(do_add_evidence, punjab, kind="person", **add) == {
        "kind": ["'person' is not a kind of evidence: give case, seizure or document."]
    }
    assert ScoreEvidence.objects.count() == 3
