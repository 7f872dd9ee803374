"""Worklists: each officer sees what is due on their own work, most urgent first, until it is done; nobody else
sees it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from suragh.cases.actions import (
    do_add_party,
    do_assign_case,
    do_change_case_status,
    do_file_appeal,
    do_fix_hearing,
    do_record_custody,
    do_record_hearing,
    do_record_verdict,
    do_submit_challan,
)
from suragh.conftest import World, make_user, register_case, submit_final_challan
from suragh.core.choices import Role
from suragh.core.models import LegalProvision, Unit
from suragh.core.navigation import WORKLIST_ROLES, menu_for
from suragh.evidence.actions import do_receive_at_lab, do_record_evidence_item, do_record_lab_report, do_send_to_lab
from suragh.people.actions import PersonDetails, do_create_person
from suragh.seizures.actions import do_record_seizure
from suragh.work.worklist import TITLES, WorkItem, worklist_for

pytestmark = pytest.mark.django_db

LAB = "ANF-LAB-RAWALPINDI"


def moment(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def items(user, now: datetime, kind: str | None = None) -> list[WorkItem]:
    return worklist_for(user, now=now, kinds=[kind] if kind else None).items


def whats(user, now: datetime, kind: str) -> list[str]:
    return [item.what for item in items(user, now, kind)]


def accused(case, aw, name: str, *, age: int = 30):
    io = aw.users[Role.INVESTIGATING_OFFICER]
    person = do_create_person(
        PersonDetails(name_latin=name, age_years=age, sex="M"),
        owning_unit=case.owning_unit,
        as_of=case.registered_on,
        acting_user=io,
    )
    return do_add_party(case, person, "accused", acting_user=io)


def outsiders(world: World, aw) -> list:
    """Users who must never see the agency's work: a colleague IO of the same unit, and every role of the other
    agencies."""
    others = [make_user(Role.INVESTIGATING_OFFICER, aw.child_unit.code)]
    for other in world.agencies.values():
        if other is not aw:
            others += [other.users[role] for role in TITLES]
    return others


def parcel_with_sample(case, aw, sealed: datetime):
    io = aw.users[Role.INVESTIGATING_OFFICER]
    seizure = do_record_seizure(
        owning_unit=aw.child_unit,
        seized_on=sealed.date(),
        substance_code="heroin",
        quantity="1.2",
        unit="kg",
        district_pcode=case.district.pcode,
        case=case,
        acting_user=io,
    )
    parcel = do_record_evidence_item(
        case,
        label="P-1",
        description="Heroin in two packets",
        seal_number="SL-1",
        sealed_at=sealed,
        net_weight_g=Decimal("1200"),
        seizure=seizure,
        acting_user=io,
    )
    sample = do_record_evidence_item(
        case,
        label="S-1",
        description="Sample of P-1",
        seal_number="SL-2",
        sealed_at=sealed + timedelta(hours=1),
        net_weight_g=Decimal("10"),
        drawn_from=parcel,
        acting_user=io,
    )
    return parcel, sample


@pytest.fixture
def police(world):
    return world.agencies["ANF"]


def test_every_role_with_a_worklist_opens_it_and_every_other_gets_404(client, world):
    assert set(TITLES) == WORKLIST_ROLES
    for aw in world.agencies.values():
        for role, user in aw.users.items():
            client.force_login(user)
            expected = 200 if role in TITLES else 404
            assert client.get(reverse("work:list")).status_code == expected, user.username
            assert client.get("/api/v1/work").status_code == expected, user.username
            assert ("work:list" in [item.url_name for item in menu_for(user)]) == (role in TITLES)
            client.logout()
    assert client.get("/api/v1/work").status_code == 401
    assert "/login/" in client.get(reverse("work:list"))["Location"]


def test_a_physical_remand_ending_is_due_until_the_next_custody_step_is_recorded(world, police):
    io, supervisor = police.users[Role.INVESTIGATING_OFFICER], police.users[Role.SUPERVISOR]
    case = register_case(police, on=date(2024, 3, 1))
    party = accused(case, police, "Ali Raza")
    do_record_custody(party, "arrest", on=date(2024, 3, 1), acting_user=io)
    do_record_custody(
        party, "physical_remand", on=date(2024, 3, 2), until=date(2024, 3, 9), order_reference="RO 1/24", acting_user=io
    )
    assert whats(io, moment(date(2024, 3, 5)), "remand") == []  # four days left, outside the 2-day window
    due = items(io, moment(date(2024, 3, 8)), "remand")
    assert [item.what for item in due] == ["Physical remand of Ali Raza ends 2024-03-09 (order RO 1/24)"]
    assert (due[0].fir_number, due[0].days_left, due[0].overdue, due[0].timing) == (
        case.fir_number,
        1,
        False,
        "1 day left",
    )
    late = items(supervisor, moment(date(2024, 3, 11)), "remand")
    assert late[0].overdue and late[0].timing == "2 days overdue"
    assert late[0].what.startswith("Physical remand of Ali Raza ended 2024-03-09")
    assert late[0].officer == str(io)  # the supervisor's list names the IO
    for outsider in outsiders(world, police):
        assert whats(outsider, moment(date(2024, 3, 8)), "remand") == [], outsider.username

    do_record_custody(party, "bail", on=date(2024, 3, 8), acting_user=io)
    assert whats(io, moment(date(2024, 3, 8)), "remand") == []
    assert whats(supervisor, moment(date(2024, 3, 11)), "remand") == []


def test_custody_limits_warn_as_they_are_approached_and_juveniles_are_not_named(world):
    aw = world.agencies["SINDH_POLICE"]
    io = aw.users[Role.INVESTIGATING_OFFICER]
    ppc = LegalProvision.objects.exclude(law_short="CNSA").order_by("code").first()
    case = register_case(aw, on=date(2024, 3, 1), provisions=(ppc.code,))
    party = accused(case, aw, "Young Offender", age=16)
    do_record_custody(party, "arrest", on=date(2024, 3, 1), acting_user=io)
    do_record_custody(
        party, "physical_remand", on=date(2024, 3, 2), until=date(2024, 3, 16), order_reference="RO 2", acting_user=io
    )
    assert whats(io, moment(date(2024, 3, 12)), "custody_limit") == []  # 10 of 15 days
    warning = items(io, moment(date(2024, 3, 15)), "custody_limit")
    assert [w.what for w in warning] == [
        "Physical remand in all (CrPC s.167): 13 of 15 days, nearly reached for an accused (name withheld)"
    ]
    assert warning[0].due_date == date(2024, 3, 17)
    everything = " ".join(item.what for item in items(io, moment(date(2024, 3, 15))))
    assert "Young Offender" not in everything and "name withheld" in everything


def test_samples_and_lab_reports_are_due_until_sent_received_and_reported(world, police):
    io, supervisor = police.users[Role.INVESTIGATING_OFFICER], police.users[Role.SUPERVISOR]
    analyst = make_user(Role.FORENSIC_ANALYST, LAB)
    other_lab = make_user(Role.FORENSIC_ANALYST, "PUNJAB_FSA-LAB-LAHORE")
    case = register_case(police, on=date(2024, 3, 1))
    parcel, sample = parcel_with_sample(case, police, moment(date(2024, 3, 1)))

    assert whats(io, moment(date(2024, 3, 2), 9), "sample_unsent") == []  # due 4 March 10:00, warned from the 3rd
    due = items(io, moment(date(2024, 3, 3), 12), "sample_unsent")
    assert [item.what for item in due] == [
        "No sample of P-1 (seal SL-1, sealed 2024-03-01 10:00) has gone to a laboratory"
    ]
    assert due[0].due == moment(date(2024, 3, 4)) and not due[0].overdue
    assert items(supervisor, moment(date(2024, 3, 5)), "sample_unsent")[0].overdue

    submission = do_send_to_lab(
        sample,
        lab=Unit.objects.get(code=LAB),
        test_memo_reference="TM-7/24",
        sent_at=moment(date(2024, 3, 2), 9),
        carrier_name="HC Bashir 221",
        acting_user=io,
    )
    assert whats(io, moment(date(2024, 3, 5)), "sample_unsent") == []
    # In transit: the laboratory sees it at once; the IO once the 48 hours allowed are nearly gone.
    assert whats(io, moment(date(2024, 3, 3), 9), "sample_in_transit") == []
    assert len(whats(io, moment(date(2024, 3, 5)), "sample_in_transit")) == 1
    queue = items(analyst, moment(date(2024, 3, 2), 12))
    assert [(item.kind, item.fir_number, item.submission_id, item.case_id) for item in queue] == [
        ("sample_in_transit", case.fir_number, submission.pk, None)
    ]
    assert items(other_lab, moment(date(2024, 3, 2), 12)) == []

    do_receive_at_lab(submission, received_at=moment(date(2024, 3, 3)), seal_intact=True, acting_user=analyst)
    assert whats(io, moment(date(2024, 3, 5)), "sample_in_transit") == []
    assert whats(io, moment(date(2024, 3, 5)), "lab_report") == []  # due 18 March, warned 72 hours before
    report_due = items(analyst, moment(date(2024, 3, 5)))
    assert [item.kind for item in report_due] == ["lab_report"]
    assert report_due[0].due == moment(date(2024, 3, 18))
    late = items(io, moment(date(2024, 3, 20)), "lab_report")
    assert late[0].what.startswith("Report on S-1 from ANF Narcotics Testing Laboratory") and late[0].overdue
    assert late[0].timing == "2 days overdue"
    for outsider in outsiders(world, police):
        assert items(outsider, moment(date(2024, 3, 20))) == [], outsider.username

    do_record_lab_report(
        submission,
        reported_at=moment(date(2024, 3, 19)),
        substance_confirmed=True,
        substance_code="heroin",
        acting_user=analyst,
    )
    assert whats(io, moment(date(2024, 3, 20)), "lab_report") == []
    assert items(analyst, moment(date(2024, 3, 20))) == []


def test_the_challan_is_due_until_the_final_one_is_submitted_and_an_interim_does_not_stop_the_clock(world, police):
    io = police.users[Role.INVESTIGATING_OFFICER]
    case = register_case(police, on=date(2024, 3, 1))
    assert whats(io, moment(date(2024, 3, 10)), "challan") == []  # due 15 March, warned from the 12th
    due = items(io, moment(date(2024, 3, 13)), "challan")
    assert [item.what for item in due] == ["Final challan due, 14 days from the FIR of 2024-03-01"]
    assert (due[0].due_date, due[0].days_left) == (date(2024, 3, 15), 2)

    do_change_case_status(case, "under_investigation", on=date(2024, 3, 2), acting_user=io)
    do_submit_challan(case, kind="interim", submitted_on=date(2024, 3, 14), acting_user=io)
    late = items(io, moment(date(2024, 3, 16)), "challan")
    assert late[0].overdue and "an interim challan went on 2024-03-14, which does not stop the clock" in late[0].what

    submit_final_challan(case, police, date(2024, 3, 16))
    assert whats(io, moment(date(2024, 3, 16)), "challan") == []
    for outsider in outsiders(world, police):
        assert items(outsider, moment(date(2024, 3, 16))) == [], outsider.username


def test_a_prosecutors_trials_show_hearings_verdicts_lab_reports_and_appeals(world, police):
    io, prosecutor, supervisor = (
        police.users[r] for r in (Role.INVESTIGATING_OFFICER, Role.PROSECUTOR, Role.SUPERVISOR)
    )
    case = register_case(police, on=date(2024, 3, 1))
    do_assign_case(case, investigating_officer=io, prosecutor=prosecutor, acting_user=supervisor)
    party = accused(case, police, "Bilal Khan")
    parcel, sample = parcel_with_sample(case, police, moment(date(2024, 3, 1)))
    do_send_to_lab(
        sample,
        lab=Unit.objects.get(code=LAB),
        test_memo_reference="TM-8/24",
        sent_at=moment(date(2024, 3, 2)),
        carrier_name="HC Bashir 221",
        acting_user=io,
    )
    do_change_case_status(case, "under_investigation", on=date(2024, 3, 2), acting_user=io)
    submit_final_challan(case, police, date(2024, 3, 14))
    do_change_case_status(case, "on_trial", on=date(2024, 3, 20), acting_user=prosecutor)
    charge = do_fix_hearing(case, on=date(2024, 4, 10), purpose="charge", acting_user=prosecutor)
    do_fix_hearing(case, on=date(2024, 4, 24), purpose="prosecution_evidence", acting_user=prosecutor)

    before = items(prosecutor, moment(date(2024, 4, 1)))
    assert [(item.kind, item.due_date) for item in before] == [
        ("lab_report", date(2024, 3, 4)),  # sent, never received: overdue first
        ("hearing", date(2024, 4, 10)),
        ("verdict_awaited", date(2024, 4, 10)),
    ]
    assert before[1].what == "Framing of charge hearing on 2024-04-10" and before[1].officer == str(prosecutor)
    assert before[2].what == "Verdict awaited for Bilal Khan, on trial since 2024-03-20; next hearing 2024-04-10"
    assert [item.what for item in items(io, moment(date(2024, 4, 1)), "hearing")] == [before[1].what]

    after = items(prosecutor, moment(date(2024, 4, 12)))
    assert [(item.kind, item.overdue) for item in after][:2] == [("lab_report", True), ("hearing_unrecorded", True)]
    assert after[1].what == "Record what happened at the framing of charge hearing of 2024-04-10"
    assert ("hearing", date(2024, 4, 24)) in [(item.kind, item.due_date) for item in after]
    do_record_hearing(charge, outcome="proceeded", acting_user=prosecutor)
    assert whats(prosecutor, moment(date(2024, 4, 12)), "hearing_unrecorded") == []

    verdict = do_record_verdict(
        party, "convicted", decided_on=date(2024, 5, 2), sentence="Ten years", acting_user=prosecutor
    )
    assert whats(prosecutor, moment(date(2024, 5, 3)), "verdict_awaited") == []
    do_change_case_status(case, "decided", on=date(2024, 5, 2), acting_user=prosecutor)
    do_file_appeal(
        verdict, appellant="accused", forum="Lahore High Court", filed_on=date(2024, 5, 20), acting_user=prosecutor
    )
    pending = items(prosecutor, moment(date(2024, 6, 1)), "appeal_pending")
    assert [item.what for item in pending] == [
        "Appeal by the accused before Lahore High Court, filed 2024-05-20 against the verdict for Bilal Khan awaits "
        "decision"
    ]
    assert pending[0].due is None and pending[0].timing == "no date fixed"
    for outsider in outsiders(world, police):
        if outsider.role == Role.PROSECUTOR:
            assert items(outsider, moment(date(2024, 6, 1))) == [], outsider.username


def test_the_list_runs_overdue_first_then_soonest_due(world, police):
    io = police.users[Role.INVESTIGATING_OFFICER]
    prosecutor = police.users[Role.PROSECUTOR]
    now = moment(date(2024, 4, 1), 12)
    challan_late = register_case(police, on=date(2024, 3, 10))  # due 24 March: 8 days overdue
    sample_late = register_case(police, on=date(2024, 3, 28))
    parcel_with_sample(sample_late, police, moment(date(2024, 3, 28)))  # due 31 March 10:00
    remand_soon = register_case(police, on=date(2024, 3, 25))
    party = accused(remand_soon, police, "Remand Soon")
    do_record_custody(party, "arrest", on=date(2024, 3, 25), acting_user=io)
    do_record_custody(
        party, "physical_remand", on=date(2024, 3, 26), until=date(2024, 4, 2), order_reference="RO 9", acting_user=io
    )
    on_trial = register_case(police, on=date(2024, 3, 1))
    do_assign_case(on_trial, investigating_officer=io, prosecutor=prosecutor, acting_user=police.users[Role.SUPERVISOR])
    do_change_case_status(on_trial, "under_investigation", on=date(2024, 3, 1), acting_user=io)
    submit_final_challan(on_trial, police, date(2024, 3, 5))
    do_fix_hearing(on_trial, on=date(2024, 4, 3), purpose="charge", acting_user=prosecutor)

    got = [(item.kind, item.fir_number) for item in items(io, now) if item.kind != "challan" or item.overdue]
    assert got == [
        ("challan", challan_late.fir_number),
        ("sample_unsent", sample_late.fir_number),
        ("remand", remand_soon.fir_number),
        ("hearing", on_trial.fir_number),
    ]


def test_the_page_and_the_api_show_the_same_items(client, world, police):
    io = police.users[Role.INVESTIGATING_OFFICER]
    analyst = make_user(Role.FORENSIC_ANALYST, LAB)
    old = register_case(police, on=date(2024, 1, 2))  # challan long overdue
    case = register_case(police, on=date(2024, 2, 1))
    parcel, sample = parcel_with_sample(case, police, moment(date(2024, 2, 1)))
    submission = do_send_to_lab(
        sample,
        lab=Unit.objects.get(code=LAB),
        test_memo_reference="TM-9/24",
        sent_at=moment(date(2024, 2, 2)),
        carrier_name="HC Bashir 221",
        acting_user=io,
    )
    for user, firs in ((io, {old.fir_number, case.fir_number}), (analyst, {case.fir_number})):
        client.force_login(user)
        api = client.get("/api/v1/work").json()
        html = client.get(reverse("work:list")).content.decode()
        assert {item["fir_number"] for item in api["items"]} == firs
        assert api["overdue"] == len(api["items"])  # everything here is long overdue
        position = 0
        for item in api["items"]:
            position = html.index(escape(item["what"]), position)
            if item["case_id"]:
                assert reverse("cases:detail", args=[item["case_id"]]) in html
        filtered = client.get("/api/v1/work?kind=lab_report").json()["items"]
        assert all(item["kind"] == "lab_report" for item in filtered)
        assert client.get(reverse("work:list") + "?kind=lab_report").status_code == 200
        client.logout()
    assert analyst and submission.pk in {i["submission_id"] for i in api["items"]}


def test_the_number_of_queries_does_not_grow_with_the_cases(world, police):
    supervisor = police.users[Role.SUPERVISOR]
    io = police.users[Role.INVESTIGATING_OFFICER]
    now = moment(date(2024, 4, 1))

    def add_case(n: int) -> None:
        case = register_case(police, on=date(2024, 3, 1) + timedelta(days=n))
        party = accused(case, police, f"Accused {n}")
        do_record_custody(party, "arrest", on=case.registered_on, acting_user=io)
        do_record_custody(
            party,
            "physical_remand",
            on=case.registered_on,
            until=case.registered_on + timedelta(days=14),
            order_reference=f"RO {n}",
            acting_user=io,
        )
        parcel_with_sample(case, police, moment(case.registered_on))

    add_case(0)
    with CaptureQueriesContext(connection) as one:
        few = items(supervisor, now)
    for n in range(1, 5):
        add_case(n)
    with CaptureQueriesContext(connection) as five:
        many = items(supervisor, now)
    assert len(many) > len(few)
    assert len(five) == len(one)


def test_the_home_page_counts_what_is_overdue(client, world, police):
    io = police.users[Role.INVESTIGATING_OFFICER]
    register_case(police, on=date(2024, 1, 2))  # its challan is long overdue
    client.force_login(io)
    assert '<span class="tag flag">1 overdue</span>' in client.get(reverse("home")).content.decode()
    client.force_login(police.users[Role.ANALYST])
    assert "My work</a>:" not in client.get(reverse("home")).content.decode()
