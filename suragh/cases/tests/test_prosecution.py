"""From investigation to trial: the challans the IO sends to court, the hearings the prosecutor keeps track of,
and the witnesses examined at trial."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from suragh.cases.actions import (
    do_assign_case,
    do_change_case_status,
    do_fix_hearing,
    do_record_examination,
    do_record_hearing,
    do_submit_challan,
    next_steps_for,
)
from suragh.cases.models import Challan, Hearing, WitnessExamination
from suragh.cases.tests.test_custody import accused_on
from suragh.conftest import make_user, register_case, submit_final_challan
from suragh.core.choices import Role
from suragh.core.models import Unit
from suragh.core.validation import error_dict

pytestmark = pytest.mark.django_db

COURT = "CNS_SPECIAL_COURTS-LAHORE"


def refused(action, *args, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        action(*args, **kwargs)
    return error_dict(caught.value)


@pytest.fixture
def investigation(world):
    police = world.agencies["PUNJAB_POLICE"]
    io, prosecutor = police.users[Role.INVESTIGATING_OFFICER], police.users[Role.PROSECUTOR]
    case = register_case(police, on=date(2024, 1, 5))
    parties = {role: accused_on(case, police, role) for role in ("accused", "witness", "complainant", "victim")}
    parties["informant"] = accused_on(case, police, "informant")
    do_assign_case(case, investigating_officer=io, prosecutor=prosecutor, acting_user=police.users[Role.SUPERVISOR])
    do_change_case_status(case, "under_investigation", on=date(2024, 1, 5), acting_user=io)
    return police, case, parties


def final_challan(case, police, **overrides) -> Challan:
    values = dict(
        kind="final",
        submitted_on=date(2024, 2, 1),
        court=Unit.objects.get(code=COURT),
        accused=list(case.parties.filter(role="accused")),
        acting_user=police.users[Role.INVESTIGATING_OFFICER],
    )
    return do_submit_challan(case, **{**values, **overrides})


def on_trial(case, police, on=date(2024, 3, 1)):
    submit_final_challan(case, police, date(2024, 2, 1))
    do_change_case_status(case, "on_trial", on=on, acting_user=police.users[Role.PROSECUTOR])


# Challans


def test_the_case_goes_to_court_only_through_its_final_challan(world, investigation):
    police, case, parties = investigation
    io = police.users[Role.INVESTIGATING_OFFICER]
    errors = refused(do_change_case_status, case, "challan_submitted", on=date(2024, 2, 1), acting_user=io)
    assert "Record the final challan" in errors["status"][0]
    assert "challan_submitted" not in next_steps_for(io, case)

    other_case = register_case(police, on=date(2024, 1, 5))
    stranger = accused_on(other_case, police)
    police_station = Unit.objects.get(pk=io.unit_id)
    for overrides, field in (
        ({"accused": []}, "accused"),
        ({"accused": [parties["witness"]]}, "accused"),
        ({"accused": [stranger]}, "accused"),
        ({"court": None}, "court"),
        ({"court": police_station}, "court"),
        ({"submitted_on": date(2024, 1, 4)}, "submitted_on"),
        ({"submitted_on": timezone.localdate() + timedelta(days=1)}, "submitted_on"),
        ({"acting_user": police.users[Role.PROSECUTOR]}, "case"),
        ({"acting_user": make_user(Role.INVESTIGATING_OFFICER, police.child_unit.code)}, "case"),
        ({"acting_user": world.agencies["SINDH_POLICE"].users[Role.SUPERVISOR]}, "case"),
    ):
        assert field in refused(final_challan, case, police, **overrides), overrides
    case.refresh_from_db()
    assert (case.status, case.challans.count()) == ("under_investigation", 0)

    challan = final_challan(case, police)
    case.refresh_from_db()
    assert list(challan.accused.all()) == [parties["accused"]]
    assert (challan.court.code, case.status, case.status_on) == (COURT, "challan_submitted", date(2024, 2, 1))
    latest = case.status_history.latest("id")
    assert (latest.status, latest.on, latest.by) == ("challan_submitted", date(2024, 2, 1), io)


def test_a_supervisor_over_the_unit_may_send_the_final_challan(investigation):
    police, case, parties = investigation
    final_challan(case, police, acting_user=police.users[Role.SUPERVISOR])
    case.refresh_from_db()
    assert case.status == "challan_submitted"


def test_an_interim_challan_while_investigating_and_a_supplementary_one_after(investigation):
    police, case, parties = investigation
    io = police.users[Role.INVESTIGATING_OFFICER]
    interim = do_submit_challan(case, kind="interim", submitted_on=date(2024, 1, 19), acting_user=io)
    case.refresh_from_db()
    assert (interim.kind, case.status) == ("interim", "under_investigation")  # an interim report moves nothing
    assert "submitted_on" in refused(
        do_submit_challan, case, kind="interim", submitted_on=date(2024, 1, 19), acting_user=io
    )
    assert "kind" in refused(
        do_submit_challan, case, kind="supplementary", submitted_on=date(2024, 1, 25), acting_user=io
    )
    assert "kind" in refused(
        do_submit_challan, case, kind="charge_sheet", submitted_on=date(2024, 1, 25), acting_user=io
    )

    final_challan(case, police)
    case.refresh_from_db()
    assert "kind" in refused(do_submit_challan, case, kind="interim", submitted_on=date(2024, 2, 5), acting_user=io)
    assert "kind" in refused(final_challan, case, police, submitted_on=date(2024, 2, 5))
    supplementary = do_submit_challan(
        case,
        kind="supplementary",
        submitted_on=date(2024, 2, 20),
        remarks="  Lab report of S-1 received  ",
        acting_user=io,
    )
    assert supplementary.remarks == "Lab report of S-1 received"
    assert list(case.challans.values_list("kind", flat=True)) == ["interim", "final", "supplementary"]


def test_a_case_sent_back_for_investigation_needs_a_fresh_final_challan(investigation):
    police, case, parties = investigation
    io = police.users[Role.INVESTIGATING_OFFICER]
    final_challan(case, police)
    do_change_case_status(
        case,
        "under_investigation",
        on=date(2024, 2, 10),
        reason="Court returned the challan: the lab report is missing",
        acting_user=io,
    )
    errors = refused(do_change_case_status, case, "challan_submitted", on=date(2024, 2, 20), acting_user=io)
    assert "status" in errors
    assert "submitted_on" in refused(final_challan, case, police, submitted_on=date(2024, 2, 5))
    final_challan(case, police, submitted_on=date(2024, 2, 20))
    case.refresh_from_db()
    assert (case.status, case.status_on) == ("challan_submitted", date(2024, 2, 20))


# Hearings


def test_hearings_are_fixed_by_the_prosecutor_or_a_supervisor_once_the_challan_is_in(world, investigation):
    police, case, parties = investigation
    prosecutor, supervisor = police.users[Role.PROSECUTOR], police.users[Role.SUPERVISOR]
    assert "case" in refused(do_fix_hearing, case, on=date(2024, 1, 20), purpose="bail", acting_user=prosecutor)

    final_challan(case, police)
    for user in (
        police.users[Role.INVESTIGATING_OFFICER],
        make_user(Role.PROSECUTOR, police.unit.code),  # not this case's prosecutor
        world.agencies["SINDH_POLICE"].users[Role.SUPERVISOR],
    ):
        assert "case" in refused(do_fix_hearing, case, on=date(2024, 2, 15), purpose="charge", acting_user=user)
    assert "purpose" in refused(do_fix_hearing, case, on=date(2024, 2, 15), purpose="tea", acting_user=prosecutor)
    assert "on" in refused(do_fix_hearing, case, on=date(2024, 1, 31), purpose="charge", acting_user=prosecutor)
    assert not case.hearings.exists()

    charge = do_fix_hearing(case, on=date(2024, 2, 15), purpose="charge", acting_user=prosecutor)
    do_fix_hearing(case, on=date(2024, 2, 15), purpose="bail", acting_user=supervisor)
    assert "on" in refused(do_fix_hearing, case, on=date(2024, 2, 15), purpose="charge", acting_user=supervisor)
    assert (charge.outcome, charge.recorded_by) == ("", prosecutor)
    assert list(case.hearings.values_list("purpose", flat=True)) == ["charge", "bail"]


def test_a_hearing_is_recorded_with_the_next_date_the_court_fixed(investigation):
    police, case, parties = investigation
    prosecutor = police.users[Role.PROSECUTOR]
    final_challan(case, police)
    hearing = do_fix_hearing(case, on=date(2024, 2, 15), purpose="charge", acting_user=prosecutor)

    assert "case" in refused(
        do_record_hearing, hearing, outcome="proceeded", acting_user=police.users[Role.INVESTIGATING_OFFICER]
    )
    assert "outcome" in refused(do_record_hearing, hearing, outcome="went well", acting_user=prosecutor)
    assert "next_on" in refused(
        do_record_hearing,
        hearing,
        outcome="witness_absent",
        next_on=date(2024, 2, 15),
        next_purpose="prosecution_evidence",
        acting_user=prosecutor,
    )
    assert "next_purpose" in refused(
        do_record_hearing, hearing, outcome="witness_absent", next_on=date(2024, 3, 1), acting_user=prosecutor
    )
    hearing.refresh_from_db()
    assert hearing.outcome == "" and case.hearings.count() == 1

    do_record_hearing(
        hearing,
        outcome="adjourned_defence",
        notes="  Counsel for the accused sought time  ",
        next_on=date(2024, 3, 1),
        next_purpose="prosecution_evidence",
        acting_user=prosecutor,
    )
    hearing.refresh_from_db()
    assert (hearing.outcome, hearing.notes) == ("adjourned_defence", "Counsel for the accused sought time")
    assert list(case.hearings.values_list("on", "purpose", "outcome")) == [
        (date(2024, 2, 15), "charge", "adjourned_defence"),
        (date(2024, 3, 1), "prosecution_evidence", ""),
    ]
    assert "hearing" in refused(do_record_hearing, hearing, outcome="proceeded", acting_user=prosecutor)

    # The next date already in the diary is not written twice.
    following = case.hearings.get(on=date(2024, 3, 1))
    do_record_hearing(
        following,
        outcome="witness_absent",
        next_on=date(2024, 3, 20),
        next_purpose="prosecution_evidence",
        acting_user=police.users[Role.SUPERVISOR],
    )
    do_fix_hearing(case, on=date(2024, 4, 2), purpose="arguments", acting_user=prosecutor)
    third = case.hearings.get(on=date(2024, 3, 20))
    do_record_hearing(
        third, outcome="proceeded", next_on=date(2024, 4, 2), next_purpose="arguments", acting_user=prosecutor
    )
    assert Hearing.objects.filter(case=case, on=date(2024, 4, 2)).count() == 1


def test_a_hearing_still_to_come_cannot_have_an_outcome(investigation):
    police, case, parties = investigation
    prosecutor = police.users[Role.PROSECUTOR]
    final_challan(case, police)
    coming = do_fix_hearing(
        case, on=timezone.localdate() + timedelta(days=10), purpose="charge", acting_user=prosecutor
    )
    errors = refused(do_record_hearing, coming, outcome="proceeded", acting_user=prosecutor)
    assert "has not happened yet" in errors["hearing"][0]
    coming.refresh_from_db()
    assert coming.outcome == ""


# Witnesses


def test_witnesses_are_examined_at_trial_and_a_hostile_witness_is_kept_on_record(investigation):
    police, case, parties = investigation
    prosecutor = police.users[Role.PROSECUTOR]
    witness = parties["witness"]
    examined = dict(examined_on=date(2024, 3, 10), called_by="state", acting_user=prosecutor)
    assert "case" in refused(do_record_examination, witness, **examined)
    submit_final_challan(case, police, date(2024, 2, 1))
    assert "case" in refused(do_record_examination, witness, **examined)  # the trial has not begun

    do_change_case_status(case, "on_trial", on=date(2024, 3, 1), acting_user=prosecutor)
    for role in ("accused", "informant"):
        assert "party" in refused(do_record_examination, parties[role], **examined), role
    assert "case" in refused(
        do_record_examination, witness, **{**examined, "acting_user": police.users[Role.INVESTIGATING_OFFICER]}
    )
    assert "called_by" in refused(do_record_examination, witness, **{**examined, "called_by": "court"})
    assert "examined_on" in refused(do_record_examination, witness, **{**examined, "examined_on": date(2024, 2, 28)})
    future = timezone.localdate() + timedelta(days=1)
    assert "examined_on" in refused(do_record_examination, witness, **{**examined, "examined_on": future})
    assert not WitnessExamination.objects.exists()

    hostile = do_record_examination(witness, turned_hostile=True, notes="  Denied the recovery memo  ", **examined)
    hostile.refresh_from_db()
    assert (hostile.turned_hostile, hostile.called_by, hostile.notes) == (True, "state", "Denied the recovery memo")
    assert "turned hostile" in str(hostile)
    assert "examined_on" in refused(do_record_examination, witness, **examined)

    do_record_examination(parties["complainant"], **examined)
    do_record_examination(parties["victim"], **{**examined, "acting_user": police.users[Role.SUPERVISOR]})
    do_record_examination(witness, **{**examined, "examined_on": date(2024, 3, 24), "called_by": "accused"})
    assert list(WitnessExamination.objects.filter(party__case=case).values_list("turned_hostile", flat=True)) == [
        True,
        False,
        False,
        False,
    ]
