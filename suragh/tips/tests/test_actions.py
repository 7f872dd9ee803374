"""Receiving a tip and triaging it: each step through its action, each refused with the field that is wrong."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from suragh.conftest import register_case
from suragh.core.choices import AuditAction, Distribution, Role
from suragh.core.models import AuditEvent, Unit
from suragh.tips.access import tips_visible_to
from suragh.tips.actions import (
    code_digest,
    do_assign_tip,
    do_change_tip_status,
    do_forward_tip,
    do_grade_tip,
    do_link_tip_to_case,
    normalise_code,
    tip_for_status_code,
)
from suragh.tips.choices import TipHistoryKind, TipStatus
from suragh.tips.conftest import submit
from suragh.tips.models import Tip

pytestmark = pytest.mark.django_db


def refused(call, field: str) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        call()
    assert field in exc.value.message_dict, exc.value.message_dict
    return exc.value.message_dict[field]


def test_a_tip_goes_to_the_chosen_agencys_headquarters_and_is_visible_to_its_triage_desk(world):
    tip, code = submit(agency_code="PUNJAB_POLICE", district_pcode="PK614", place="Anarkali  ")
    assert tip.agency.code == "PUNJAB_POLICE"
    assert tip.owning_unit.parent_id is None and tip.owning_unit.agency.code == "PUNJAB_POLICE"
    assert tip.distribution == Distribution.UNIT
    assert tip.status == TipStatus.RECEIVED and tip.place == "Anarkali"
    assert tip.created_by is None
    assert [h.kind for h in tip.history.all()] == [TipHistoryKind.RECEIVED]
    police = world.agencies["PUNJAB_POLICE"]
    for role in (Role.ANALYST, Role.SUPERVISOR):
        assert tips_visible_to(police.users[role]).filter(pk=tip.pk).exists()
    for role in (Role.FIELD_OFFICER, Role.INVESTIGATING_OFFICER, Role.PROSECUTOR, Role.AUDITOR):
        assert not tips_visible_to(police.users[role]).filter(pk=tip.pk).exists()
    assert not tips_visible_to(world.agencies["ANF"].users[Role.ANALYST]).filter(pk=tip.pk).exists()


def test_the_default_agency_is_anf(world):
    tip, _ = submit()
    assert tip.agency.code == "ANF"


def test_the_status_code_is_long_grouped_and_stored_only_as_its_hash(world):
    tip, code = submit()
    groups = code.split("-")
    assert len(groups) == 5 and all(len(g) == 4 for g in groups)
    assert tip.status_code_hash == hashlib.sha256(code.replace("-", "").encode()).hexdigest()
    row = Tip.objects.filter(pk=tip.pk).values().get()
    # A leaked database holds no code, in any form a reader could type.
    dump = " ".join(str(v) for v in row.values())
    assert code not in dump and code.replace("-", "") not in dump
    assert submit()[1] != code


def test_a_code_is_found_however_it_is_typed(world):
    tip, code = submit()
    assert tip_for_status_code(code).pk == tip.pk
    assert tip_for_status_code(f"  {code.lower().replace('-', ' ')} ").pk == tip.pk
    assert tip_for_status_code(code.replace("0", "O").replace("1", "I")).pk == tip.pk
    assert normalise_code("ab-cd") == "ABCD"
    assert tip_for_status_code(code[:-1] + ("0" if code[-1] != "0" else "1")) is None
    assert tip_for_status_code("") is None and tip_for_status_code(12345) is None


def test_the_creation_is_audited_with_no_actor_no_address_and_no_browser(world):
    from suragh.core.audit import RequestContext, current_request

    token = current_request.set(RequestContext("203.0.113.7", "Mozilla/5.0 (Linux; Android 14; SM-A546E)"))
    try:
        tip, _ = submit()
    finally:
        current_request.reset(token)
    event = AuditEvent.objects.get(object_type="tips.tip", object_id=str(tip.pk), action=AuditAction.CREATE)
    assert (event.actor_id, event.actor_username, event.ip_address, event.user_agent) == (None, "", "", "")
    assert "Charas" not in str(event.fields)


def test_a_tip_is_refused_field_by_field_and_nothing_is_stored(world):
    before = Tip.objects.count()
    assert refused(lambda: submit(description="   "), "description")
    assert refused(lambda: submit(description="x" * 5001), "description") == [
        "At most 5,000 characters; this is 5,001."
    ]
    assert refused(lambda: submit(description=5), "description") == ["Give text."]
    assert refused(lambda: submit(description="a\x00b"), "description")
    assert refused(lambda: submit(kind="gossip"), "kind")
    assert refused(lambda: submit(agency_code="NADRA"), "agency")
    assert refused(lambda: submit(district_pcode="PK999"), "district")
    assert refused(lambda: submit(place="p" * 201), "place")
    assert refused(lambda: submit(occurred_on=timezone.localdate() + timedelta(days=2)), "occurred_on")
    assert Tip.objects.count() == before


def test_grading_puts_the_tip_under_review_and_keeps_every_grade(world):
    tip, _ = submit()
    analyst = world.agencies["ANF"].users[Role.ANALYST]
    do_grade_tip(tip, reliability="D", validity="4", acting_user=analyst)
    assert (tip.grade, tip.status) == ("D4", TipStatus.UNDER_REVIEW)
    assert refused(lambda: do_grade_tip(tip, reliability="D", validity="4", acting_user=analyst), "reliability")
    do_grade_tip(tip, reliability="D", validity="3", note="Corroborated by FIR 12/2024", acting_user=analyst)
    tip.refresh_from_db()
    assert tip.grade == "D3"
    grades = [(h.reliability + h.validity, h.by_id) for h in tip.history.filter(kind=TipHistoryKind.GRADED)]
    assert grades == [("D4", analyst.pk), ("D3", analyst.pk)]
    assert refused(lambda: do_grade_tip(tip, reliability="E", validity="5", acting_user=analyst), "reliability")
    assert refused(lambda: do_grade_tip(tip, reliability="E", validity="5", acting_user=analyst), "validity")


def test_only_the_triage_desk_of_the_tips_agency_grades_assigns_and_forwards(world):
    tip, _ = submit()
    outsiders = [
        world.agencies["ANF"].users[Role.INVESTIGATING_OFFICER],
        world.agencies["ANF"].users[Role.AUDITOR],
        world.agencies["PUNJAB_POLICE"].users[Role.ANALYST],
    ]
    unit = world.agencies["ANF"].child_unit
    for user in outsiders:
        assert refused(lambda user=user: do_grade_tip(tip, reliability="B", validity="2", acting_user=user), "tip")
        assert refused(lambda user=user: do_assign_tip(tip, unit=unit, acting_user=user), "tip")
        assert refused(lambda user=user: do_forward_tip(tip, agency_code="FIA", note="x", acting_user=user), "tip")
    tip.refresh_from_db()
    assert (tip.grade, tip.assigned_unit_id, tip.agency.code) == ("", None, "ANF")


def test_assignment_hands_the_tip_to_the_unit_and_its_officer(world):
    anf = world.agencies["ANF"]
    tip, _ = submit()
    supervisor, io = anf.users[Role.SUPERVISOR], anf.users[Role.INVESTIGATING_OFFICER]
    police_unit = world.agencies["PUNJAB_POLICE"].child_unit
    assert refused(lambda: do_assign_tip(tip, unit=police_unit, acting_user=supervisor), "unit")
    other = Unit.objects.filter(agency=anf.unit.agency).exclude(path__startswith=anf.child_unit.path).last()
    assert refused(lambda: do_assign_tip(tip, unit=other, officer=io, acting_user=supervisor), "officer")
    auditor = anf.users[Role.AUDITOR]
    assert refused(lambda: do_assign_tip(tip, unit=anf.unit, officer=auditor, acting_user=supervisor), "officer")
    assert not tips_visible_to(io).filter(pk=tip.pk).exists()
    do_assign_tip(tip, unit=anf.child_unit, officer=io, note="Raid planning", acting_user=supervisor)
    tip.refresh_from_db()
    assert (tip.owning_unit, tip.assigned_unit, tip.assigned_officer) == (anf.child_unit, anf.child_unit, io)
    assert tip.status == TipStatus.UNDER_REVIEW
    assert tips_visible_to(io).filter(pk=tip.pk).exists()
    assert tips_visible_to(anf.users[Role.FIELD_OFFICER]).filter(pk=tip.pk).exists()
    assert refused(lambda: do_assign_tip(tip, unit=anf.child_unit, officer=io, acting_user=supervisor), "unit")


def test_the_assigned_officer_links_cases_they_see_and_moves_the_status(world):
    anf = world.agencies["ANF"]
    tip, _ = submit()
    io, analyst = anf.users[Role.INVESTIGATING_OFFICER], anf.users[Role.ANALYST]
    do_assign_tip(tip, unit=anf.child_unit, officer=io, acting_user=analyst)
    case = register_case(anf, Distribution.UNIT)
    hidden = register_case(world.agencies["SINDH_POLICE"], Distribution.UNIT)
    assert refused(lambda: do_link_tip_to_case(tip, case_id=hidden.pk, acting_user=io), "case") == [
        "No case you may see has that id; search for it by FIR number."
    ]
    assert refused(lambda: do_link_tip_to_case(tip, case_id=999_999_999, acting_user=io), "case") == [
        "No case you may see has that id; search for it by FIR number."
    ]
    do_link_tip_to_case(tip, case_id=case.pk, note="Same dealer", acting_user=io)
    assert list(tip.cases.all()) == [case]
    assert refused(lambda: do_link_tip_to_case(tip, case_id=case.pk, acting_user=io), "case")
    do_change_tip_status(tip, status=TipStatus.ACTED_ON, acting_user=io)
    assert refused(lambda: do_change_tip_status(tip, status=TipStatus.CLOSED, acting_user=io), "note")
    assert refused(lambda: do_change_tip_status(tip, status=TipStatus.RECEIVED, note="x", acting_user=io), "status")
    do_change_tip_status(tip, status=TipStatus.CLOSED, note="Dealer arrested, FIR registered", acting_user=io)
    tip.refresh_from_db()
    assert tip.status == TipStatus.CLOSED
    field_officer = anf.users[Role.FIELD_OFFICER]
    assert refused(lambda: do_change_tip_status(tip, status="acted_on", acting_user=field_officer), "tip")
    events = AuditEvent.objects.filter(object_type="tips.tip", object_id=str(tip.pk), action=AuditAction.CHANGE)
    assert events.count() == 4  # assignment, link, two status changes


def test_forwarding_moves_the_tip_to_the_other_agencys_queue_with_its_history(world):
    tip, _ = submit()
    anf_analyst = world.agencies["ANF"].users[Role.ANALYST]
    do_grade_tip(tip, reliability="D", validity="2", acting_user=anf_analyst)
    assert refused(lambda: do_forward_tip(tip, agency_code="PUNJAB_POLICE", acting_user=anf_analyst), "note")
    assert refused(lambda: do_forward_tip(tip, agency_code="ANF", note="x", acting_user=anf_analyst), "agency")
    do_forward_tip(tip, agency_code="PUNJAB_POLICE", note="Street dealing in Lahore", acting_user=anf_analyst)
    tip.refresh_from_db()
    assert (tip.agency.code, tip.status, tip.grade) == ("PUNJAB_POLICE", TipStatus.RECEIVED, "D2")
    assert not tips_visible_to(anf_analyst).filter(pk=tip.pk).exists()
    assert tips_visible_to(world.agencies["PUNJAB_POLICE"].users[Role.ANALYST]).filter(pk=tip.pk).exists()
    forwarded = tip.history.get(kind=TipHistoryKind.FORWARDED)
    assert (forwarded.from_agency.code, forwarded.to_agency.code) == ("ANF", "PUNJAB_POLICE")


def test_code_digest_ignores_separators(world):
    assert code_digest("ABCD-EFGH") == code_digest("abcd efgh")
