"""A case moves from FIR to closure by the officers whose step it is, each step dated, attributed and,
where one is owed, explained."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from suragh.cases.actions import do_assign_case, do_change_case_status, do_record_verdict, next_steps_for
from suragh.conftest import make_user, register_case, submit_final_challan
from suragh.core.choices import AuditAction, Role
from suragh.core.models import AuditEvent
from suragh.core.validation import error_dict

pytestmark = pytest.mark.django_db


def refused(step, *args, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        step(*args, **kwargs)
    return error_dict(caught.value)


def test_a_case_goes_from_fir_to_closure_by_the_officers_whose_step_it_is(world):
    police = world.agencies["PUNJAB_POLICE"]
    io, prosecutor, supervisor = (
        police.users[r] for r in (Role.INVESTIGATING_OFFICER, Role.PROSECUTOR, Role.SUPERVISOR)
    )
    case = register_case(police, on=date(2024, 1, 5))
    do_assign_case(case, investigating_officer=io, prosecutor=prosecutor, acting_user=supervisor)

    do_change_case_status(case, "under_investigation", on=date(2024, 1, 5), acting_user=io)
    submit_final_challan(case, police, date(2024, 2, 1))
    assert "status" in refused(do_change_case_status, case, "on_trial", on=date(2024, 2, 10), acting_user=io)
    do_change_case_status(case, "on_trial", on=date(2024, 2, 10), acting_user=prosecutor)
    for accused in case.parties.filter(role="accused"):
        do_record_verdict(accused, "discharged", decided_on=date(2024, 9, 1), acting_user=prosecutor)
    do_change_case_status(case, "decided", on=date(2024, 9, 1), acting_user=prosecutor)
    assert next_steps_for(prosecutor, case) == ["appeal"]
    assert "status" in refused(do_change_case_status, case, "closed", on=date(2024, 10, 1), acting_user=prosecutor)
    do_change_case_status(case, "closed", on=date(2024, 10, 1), acting_user=supervisor)

    history = list(case.status_history.order_by("on", "id").values_list("status", "by__username"))
    assert history == [
        ("registered", io.username),
        ("under_investigation", io.username),
        ("challan_submitted", io.username),
        ("on_trial", prosecutor.username),
        ("decided", prosecutor.username),
        ("closed", supervisor.username),
    ]
    assert next_steps_for(supervisor, case) == []


def test_an_io_not_assigned_to_the_case_cannot_move_it(world):
    police = world.agencies["PUNJAB_POLICE"]
    case = register_case(police, on=date(2024, 1, 5))
    colleague = make_user(Role.INVESTIGATING_OFFICER, police.child_unit.code)
    errors = refused(do_change_case_status, case, "under_investigation", on=date(2024, 1, 6), acting_user=colleague)
    assert errors["status"] == [
        "Only the case's investigating officer or a supervisor of the owning unit can make a case under investigation."
    ]
    case.refresh_from_db()
    assert case.status == "registered" and case.status_history.count() == 1


def test_sending_a_challan_back_and_appealing_owe_a_reason(world):
    police = world.agencies["SINDH_POLICE"]
    io, supervisor = police.users[Role.INVESTIGATING_OFFICER], police.users[Role.SUPERVISOR]
    case = register_case(police, on=date(2024, 1, 5))
    do_change_case_status(case, "under_investigation", on=date(2024, 1, 5), acting_user=io)
    submit_final_challan(case, police, date(2024, 1, 20))
    assert "reason" in refused(
        do_change_case_status, case, "under_investigation", on=date(2024, 1, 25), acting_user=supervisor
    )
    do_change_case_status(
        case,
        "under_investigation",
        on=date(2024, 1, 25),
        reason="Court returned the challan: lab report missing",
        acting_user=supervisor,
    )
    assert case.status_history.latest("id").reason.startswith("Court returned")


def test_assigning_and_reassigning_officers(world):
    police, anf = world.agencies["PUNJAB_POLICE"], world.agencies["ANF"]
    supervisor, io = police.users[Role.SUPERVISOR], police.users[Role.INVESTIGATING_OFFICER]
    case = register_case(police, on=date(2024, 1, 5))
    new_io = make_user(Role.INVESTIGATING_OFFICER, police.child_unit.code)

    assert "investigating_officer" in refused(
        do_assign_case,
        case,
        investigating_officer=anf.users[Role.INVESTIGATING_OFFICER],
        prosecutor=None,
        acting_user=supervisor,
    )
    assert "prosecutor" in refused(
        do_assign_case, case, investigating_officer=io, prosecutor=police.users[Role.ANALYST], acting_user=supervisor
    )
    assert "case" in refused(
        do_assign_case, case, investigating_officer=new_io, prosecutor=None, reason="Transfer", acting_user=io
    )
    assert "reason" in refused(
        do_assign_case, case, investigating_officer=new_io, prosecutor=None, acting_user=supervisor
    )

    do_assign_case(
        case, investigating_officer=new_io, prosecutor=None, reason="IO transferred to Multan", acting_user=supervisor
    )
    case.refresh_from_db()
    assert case.investigating_officer == new_io
    event = AuditEvent.objects.filter(
        action=AuditAction.CHANGE, object_type="cases.case", object_id=str(case.pk)
    ).latest("seq")
    assert event.fields == {"investigating_officer": [io.pk, new_io.pk], "reason": "IO transferred to Multan"}
    assert "status" in refused(do_change_case_status, case, "under_investigation", on=date(2024, 1, 6), acting_user=io)
