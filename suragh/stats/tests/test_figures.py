"""Figures from the records: national totals equal the sums of their parts on every dimension, a joint seizure is
counted once under its lead agency, a return replaces its unit-period's records, and small cells are hidden from
viewers of aggregates only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from suragh.cases.actions import do_add_party, do_record_custody
from suragh.cases.models import Verdict
from suragh.conftest import register_case
from suragh.core.choices import Role
from suragh.people.actions import PersonDetails, do_create_person
from suragh.seizures.actions import do_record_seizure
from suragh.stats.facts import refresh_facts
from suragh.stats.measures import HEADLINE, INDICATORS, MEASURES, Kind
from suragh.stats.models import AggregateReturn, DataElement
from suragh.stats.query import COMPLEMENT, SMALL, Scope, breakdown, figures, tally

pytestmark = pytest.mark.django_db

YEAR = 2023
ADDITIVE = [code for code in HEADLINE if INDICATORS[code].form == "total"]


def accused_on(case, aw, *, arrested: date | None, age: int = 25, repeat: bool = False):
    io = aw.users[Role.INVESTIGATING_OFFICER]
    person = do_create_person(
        PersonDetails(name_latin=f"Accused {case.fir_number}", age_years=age, sex="M"),
        owning_unit=case.owning_unit,
        as_of=case.registered_on,
        acting_user=io,
    )
    if repeat:
        type(person).objects.filter(pk=person.pk).update(is_repeat_offender=True)
    party = do_add_party(case, person, "accused", acting_user=io)
    if arrested:
        do_record_custody(party, "arrest", on=arrested, acting_user=io)
    return party


def seize(aw, on: date, substance: str, kg: str, *, partners: list[str] | None = None, case=None):
    return do_record_seizure(
        owning_unit=aw.child_unit,
        seized_on=on,
        substance_code=substance,
        quantity=Decimal(kg),
        unit="kg",
        district_pcode=aw.child_unit.district.pcode if aw.child_unit.district else aw.unit.district.pcode,
        case=case,
        participating_agency_codes=partners,
        acting_user=aw.users[Role.INVESTIGATING_OFFICER],
    )


@pytest.fixture
def recorded(world):
    """Cases, arrests, verdicts and seizures in three agencies, one seizure joint."""
    anf, punjab, sindh = (world.agencies[c] for c in ("ANF", "PUNJAB_POLICE", "SINDH_POLICE"))
    for aw, count in ((anf, 3), (punjab, 7), (sindh, 6)):
        for index in range(count):
            case = register_case(aw, on=date(YEAR, 1 + index, 10))
            party = accused_on(case, aw, arrested=date(YEAR, 1 + index, 10), repeat=index == 0, age=20 + 3 * index)
            if index < 2:
                outcome = "convicted" if index == 0 else "acquitted"
                reasons = ["broken_chain", "benefit_of_doubt"] if outcome == "acquitted" else []
                Verdict.objects.create(
                    party=party, outcome=outcome, decided_on=date(YEAR, 11, 1), acquittal_reasons=reasons
                )
    seize(anf, date(YEAR, 2, 1), "heroin", "12.5", partners=["SINDH_POLICE"])
    seize(anf, date(YEAR, 3, 1), "charas", "40")
    seize(punjab, date(YEAR, 4, 1), "hashish", "3.25")
    seize(sindh, date(YEAR, 5, 1), "methamphetamine", "1.5")
    refresh_facts()
    return world


@pytest.mark.parametrize("dimension", ["agency", "province", "district", "unit", "quarter", "month"])
def test_totals_are_the_sums_of_their_parts(recorded, dimension):
    table = breakdown(ADDITIVE, dimension, Scope(YEAR, YEAR), viewer=None)
    assert table.rows, "the breakdown has rows"
    for code in ADDITIVE:
        parts = sum((row[code].numerator.value for row in table.rows.values()), Decimal(0))
        assert parts == table.total[code].numerator.value, f"{code} by {dimension}"
    assert table.total["cases"].value == 16
    assert table.total["arrests"].value == 16
    assert table.total["convicted"].value == 3
    assert table.total["acquitted"].value == 3


def test_recoveries_by_substance_add_up_and_a_joint_seizure_counts_once(recorded):
    by_agency = tally(["seized"], ("agency",), Scope(YEAR, YEAR))
    heroin = {key[2]: cell for key, cell in by_agency.items() if key[1] == "heroin"}
    assert set(heroin) == {"ANF"}, "the joint seizure is counted under its lead agency only"
    assert heroin["ANF"].value == Decimal("12.5") and heroin["ANF"].n == 1
    joined = tally(["seizures_joined"], ("agency",), Scope(YEAR, YEAR))
    assert {key[2]: cell.value for key, cell in joined.items()} == {"SINDH_POLICE": Decimal("12.5")}

    national = tally(["seized"], (), Scope(YEAR, YEAR))
    assert {key[1]: cell.value for key, cell in national.items()} == {
        "heroin": Decimal("12.5"),
        "charas": Decimal("43.25"),  # hashish is counted as charas
        "ice": Decimal("1.5"),  # methamphetamine as ICE
    }
    for dimension in ("agency", "province", "district"):
        parts = tally(["seized"], (dimension,), Scope(YEAR, YEAR))
        for substance, total in national.items():
            summed = sum(cell.value for key, cell in parts.items() if key[1] == substance[1])
            assert summed == total.value, f"{substance[1]} by {dimension}"


def test_rates_and_shares_follow_their_definitions(recorded):
    row = figures(
        ["conviction_rate", "convictions_per_arrest", "convictions_per_case", "repeat_share", "aged_18_30_share"],
        (),
        Scope(YEAR, YEAR),
    )[()]
    assert row["conviction_rate"].value == Decimal("50.00")  # 3 convicted of 6 decided
    assert row["convictions_per_arrest"].value == Decimal("18.75")  # 3 of 16 arrests
    assert row["convictions_per_case"].value == Decimal("18.75")  # 3 of 16 cases
    assert row["repeat_share"].value == Decimal("18.75")  # 3 of 16 arrested are repeat offenders
    # Ages 20, 23, 26 and 29 are 18–30: ANF's three accused, four each in Punjab and Sindh; 11 of 16.
    assert row["aged_18_30_share"].value == Decimal("68.75")
    reasons = tally(["acquittal_reason"], (), Scope(YEAR, YEAR))
    assert {key[1]: cell.value for key, cell in reasons.items()} == {
        "broken_chain": Decimal(3),
        "benefit_of_doubt": Decimal(3),
    }


def test_a_return_replaces_the_records_of_its_unit_and_period(recorded):
    punjab = recorded.agencies["PUNJAB_POLICE"]
    cases = DataElement.objects.get(code="cases_registered")
    AggregateReturn.objects.create(
        element=cases, org_unit=punjab.child_unit, period_type="quarter", period_start=date(YEAR, 1, 1), value=40
    )
    refresh_facts()
    by_agency = figures(["cases"], ("agency",), Scope(YEAR, YEAR))
    punjab_cases = by_agency[("PUNJAB_POLICE",)]["cases"]
    # Punjab's three cases of January to March are replaced by the quarter's return of 40; April to July's 4 stay.
    assert punjab_cases.value == 44
    assert punjab_cases.source == "records and returns"
    assert by_agency[("ANF",)]["cases"].source == "records"
    by_quarter = figures(["cases"], ("quarter",), Scope(YEAR, YEAR, agencies=("PUNJAB_POLICE",)))
    assert by_quarter[(f"{YEAR}-Q1",)]["cases"].value == 40
    assert by_quarter[(f"{YEAR}-Q1",)]["cases"].source == "returns"
    # Shares whose numerator only records hold keep counting the replaced records.
    repeat = figures(["repeat_share"], (), Scope(YEAR, YEAR, agencies=("PUNJAB_POLICE",)))[()]["repeat_share"]
    assert repeat.value == Decimal("14.29")  # 1 of Punjab's 7 arrests in records


def test_returns_only_figures_are_unknown_until_a_unit_reports_them(recorded):
    anf = recorded.agencies["ANF"]
    row = figures(["assets_frozen", "treatment_share"], (), Scope(YEAR, YEAR))[()]
    assert row["assets_frozen"].value is None and row["treatment_share"].value is None
    AggregateReturn.objects.create(
        element=DataElement.objects.get(code="assets_frozen_pkr"),
        org_unit=anf.unit,
        period_type="year",
        period_start=date(YEAR, 1, 1),
        value=Decimal("16316580000"),
    )
    AggregateReturn.objects.create(
        element=DataElement.objects.get(code="treatment_referrals"),
        org_unit=anf.unit,
        period_type="year",
        period_start=date(YEAR, 1, 1),
        value=2,
    )
    refresh_facts()
    row = figures(["assets_frozen", "treatment_share"], (), Scope(YEAR, YEAR))[()]
    assert row["assets_frozen"].value == Decimal("16316580000")
    assert row["treatment_share"].value == Decimal("12.50")  # 2 referrals of 16 arrests
    # A year's return stays whole in a table by quarter: its own row, never spread over the quarters.
    by_quarter = figures(["assets_frozen"], ("quarter",), Scope(YEAR, YEAR))
    assert by_quarter[(str(YEAR),)]["assets_frozen"].value == Decimal("16316580000")


def test_small_cells_are_hidden_from_viewers_of_aggregates_only(recorded):
    policy = recorded.agencies["ANF"].users[Role.POLICY_VIEWER]
    analyst = recorded.agencies["ANF"].users[Role.ANALYST]
    hidden = breakdown(["cases", "convicted"], "agency", Scope(YEAR, YEAR), policy)
    exact = breakdown(["cases", "convicted"], "agency", Scope(YEAR, YEAR), analyst)
    cases = {key[0]: row["cases"] for key, row in hidden.rows.items()}
    # ANF's 3 cases are small; Sindh's 6 are hidden too, or 16 − 7 − 6 would give ANF's away.
    assert cases["ANF"].suppressed == SMALL
    assert cases["SINDH_POLICE"].suppressed == COMPLEMENT
    assert cases["PUNJAB_POLICE"].suppressed == ""
    assert hidden.total["cases"].suppressed == ""  # the total itself is 16
    assert all(row["convicted"].suppressed == SMALL for row in hidden.rows.values())  # one each
    assert not any(f.suppressed for row in exact.rows.values() for f in row.values())


def test_every_measure_and_indicator_states_its_definition():
    for measure in MEASURES.values():
        assert measure.definition.endswith("."), measure.code
        assert measure.counted_by, measure.code
        assert measure.kind in Kind
    for indicator in INDICATORS.values():
        assert indicator.definition, indicator.code
        assert indicator.measures <= set(MEASURES), indicator.code
    assert set(HEADLINE) <= set(INDICATORS)


def test_the_documentation_defines_every_measure_and_indicator():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[3] / "docs" / "statistics.md").read_text(encoding="utf-8")
    for measure in MEASURES.values():
        assert f"| `{measure.code}` | {measure.name} | {measure.counted_by} |" in text, measure.code
    for indicator in INDICATORS.values():
        assert f"| {indicator.name} | {indicator.definition}" in text, indicator.code
