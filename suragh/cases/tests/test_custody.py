"""Custody of an accused: remand and detention are computed from the dated events, and the law's limits are
enforced when a remand is recorded and warned of while it runs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from suragh.cases.actions import custody_limits_for, do_add_party, do_record_custody
from suragh.cases.custody import held, warnings_for
from suragh.conftest import register_case
from suragh.core.choices import Role
from suragh.core.models import LegalProvision
from suragh.core.validation import error_dict
from suragh.people.actions import PersonDetails, do_create_person

pytestmark = pytest.mark.django_db


def accused_on(case, aw, role="accused"):
    person = do_create_person(
        PersonDetails(name_latin="Custody Test", age_years=30, sex="M"),
        owning_unit=case.owning_unit,
        distribution="agency",
        as_of=case.registered_on,
        acting_user=aw.users[Role.INVESTIGATING_OFFICER],
    )
    return do_add_party(case, person, role, acting_user=aw.users[Role.INVESTIGATING_OFFICER])


def refused(**kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        do_record_custody(**kwargs)
    return error_dict(caught.value)


@pytest.fixture
def narcotics_case(world):
    aw = world.agencies["PUNJAB_POLICE"]
    case = register_case(aw, on=date(2024, 1, 1))
    return aw, case, accused_on(case, aw)


def test_remand_and_detention_are_computed_from_the_events(narcotics_case):
    aw, case, party = narcotics_case
    io = aw.users[Role.INVESTIGATING_OFFICER]
    do_record_custody(party, "arrest", on=date(2024, 1, 1), acting_user=io)
    do_record_custody(
        party,
        "physical_remand",
        on=date(2024, 1, 2),
        until=date(2024, 1, 9),
        order_reference="RO 12/2024",
        acting_user=io,
    )
    do_record_custody(party, "judicial_custody", on=date(2024, 1, 9), acting_user=io)
    do_record_custody(party, "bail", on=date(2024, 1, 20), acting_user=io)
    figures = held(list(party.custody_events.all()), date(2024, 6, 1))
    assert (figures.physical_remand_days, figures.pretrial_days, figures.in_custody) == (7, 19, False)


def test_a_remand_order_longer_than_the_law_allows_needs_a_justification(narcotics_case):
    aw, case, party = narcotics_case
    io = aw.users[Role.INVESTIGATING_OFFICER]
    do_record_custody(party, "arrest", on=date(2024, 1, 1), acting_user=io)
    long_order = dict(
        party=party,
        kind="physical_remand",
        on=date(2024, 1, 2),
        until=date(2024, 1, 18),
        order_reference="RO 1/2024",
        acting_user=io,
    )
    errors = refused(**long_order)
    assert "at most 15 days" in errors["until"][0]
    assert party.custody_events.count() == 1
    event = do_record_custody(**long_order, justification="Magistrate extended: recovery from a second location")
    assert event.justification.startswith("Magistrate extended")


def test_the_cnsa_ceiling_replaces_the_general_one_and_warns_before_it_is_reached(narcotics_case):
    aw, case, party = narcotics_case
    io = aw.users[Role.INVESTIGATING_OFFICER]
    limits = custody_limits_for(case)
    assert limits["total"].applies_to_law == "CNSA" and limits["total"].days == 90

    do_record_custody(party, "arrest", on=date(2024, 1, 1), acting_user=io)
    start = date(2024, 1, 1)
    for n in range(6):  # six orders of fifteen days: exactly 90
        do_record_custody(
            party,
            "physical_remand",
            on=start + timedelta(days=15 * n),
            until=start + timedelta(days=15 * (n + 1)),
            order_reference=f"RO {n}",
            acting_user=io,
        )
        events = list(party.custody_events.all())
        warnings = warnings_for(held(events, start + timedelta(days=15 * (n + 1) - 1)), limits)
        # On each order's last day: the ceiling is near (80 days and more) only in the sixth.
        assert [str(w).endswith("nearly reached") for w in warnings] == ([True] if n == 5 else []), n
    errors = refused(
        party=party,
        kind="physical_remand",
        on=start + timedelta(days=90),
        until=start + timedelta(days=92),
        order_reference="RO 7",
        acting_user=io,
    )
    assert "90 days" in errors["until"][0]

    do_record_custody(
        party=party,
        kind="physical_remand",
        on=start + timedelta(days=90),
        until=start + timedelta(days=92),
        order_reference="RO 7",
        justification="High court order",
        acting_user=io,
    )
    warnings = warnings_for(held(list(party.custody_events.all()), start + timedelta(days=92)), limits)
    assert [(w.used_days, w.exceeded) for w in warnings] == [(92, True)]


def test_outside_narcotics_cases_the_general_15_day_ceiling_holds(world):
    aw = world.agencies["SINDH_POLICE"]
    ppc = LegalProvision.objects.exclude(law_short="CNSA").order_by("code").first()
    case = register_case(aw, on=date(2024, 1, 1), provisions=(ppc.code,))
    party = accused_on(case, aw)
    io = aw.users[Role.INVESTIGATING_OFFICER]
    do_record_custody(party, "arrest", on=date(2024, 1, 1), acting_user=io)
    do_record_custody(
        party, "physical_remand", on=date(2024, 1, 2), until=date(2024, 1, 12), order_reference="RO 1", acting_user=io
    )
    errors = refused(
        party=party,
        kind="physical_remand",
        on=date(2024, 1, 12),
        until=date(2024, 1, 20),
        order_reference="RO 2",
        acting_user=io,
    )
    assert "15 days" in errors["until"][0]


def test_impossible_custody_is_refused_naming_the_field(narcotics_case, world):
    aw, case, party = narcotics_case
    io = aw.users[Role.INVESTIGATING_OFFICER]
    assert "kind" in refused(
        party=party,
        kind="physical_remand",
        on=date(2024, 1, 2),
        until=date(2024, 1, 5),
        order_reference="RO",
        acting_user=io,
    )
    do_record_custody(party, "arrest", on=date(2024, 1, 3), acting_user=io)
    assert "on" in refused(party=party, kind="bail", on=date(2024, 1, 2), acting_user=io)
    assert "kind" in refused(party=party, kind="arrest", on=date(2024, 1, 4), acting_user=io)
    assert "order_reference" in refused(
        party=party, kind="physical_remand", on=date(2024, 1, 4), until=date(2024, 1, 8), acting_user=io
    )
    assert "until" in refused(party=party, kind="bail", on=date(2024, 1, 4), until=date(2024, 1, 8), acting_user=io)
    witness = accused_on(case, aw, role="witness")
    assert "party" in refused(party=witness, kind="arrest", on=date(2024, 1, 4), acting_user=io)
    other_io = world.agencies["SINDH_POLICE"].users[Role.INVESTIGATING_OFFICER]
    assert "case" in refused(party=party, kind="bail", on=date(2024, 1, 4), acting_user=other_io)
    assert party.custody_events.count() == 1


def test_a_retried_custody_entry_is_not_stored_twice(narcotics_case):
    aw, case, party = narcotics_case
    io = aw.users[Role.INVESTIGATING_OFFICER]
    do_record_custody(party, "arrest", on=date(2024, 1, 1), acting_user=io)
    remand = dict(
        party=party,
        kind="physical_remand",
        on=date(2024, 1, 2),
        until=date(2024, 1, 9),
        order_reference="RO 12/2024",
        acting_user=io,
    )
    do_record_custody(**remand)
    assert "already recorded" in refused(**remand)["kind"][0]
    assert party.custody_events.count() == 2
