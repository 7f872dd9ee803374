"""The data-quality page: each check finds the faulty records and not the clean ones, stays at a fixed number of
queries, and shows each viewer only what the access rule lets them see."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from suragh.cases.actions import do_add_party
from suragh.cases.choices import CaseStatus, ChallanKind, CustodyKind, VerdictOutcome
from suragh.cases.models import Appeal, Case, Challan, CustodyEvent, Offence, Verdict
from suragh.conftest import LAB_OF, AgencyWorld, World, register_case
from suragh.core.choices import Distribution, Role
from suragh.core.models import Agency, AuditEvent, Unit
from suragh.evidence.models import EvidenceItem, HandOver, LabReport, LabSubmission
from suragh.people.actions import PersonDetails, do_create_person
from suragh.people.models import Person
from suragh.seizures.actions import do_record_seizure
from suragh.seizures.models import Seizure
from suragh.stats.choices import PeriodType
from suragh.stats.models import AggregateReturn, DataElement
from suragh.stats.quality import CHECKS, RECORD_CHECKS, Period, Scope, quality_summary

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
FIR_DAY = TODAY - timedelta(days=40)


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=hour))


def add_accused(case: Case, aw: AgencyWorld, **details):
    io = aw.users[Role.INVESTIGATING_OFFICER]
    person = do_create_person(
        PersonDetails(name_latin=details.pop("name", "Accused"), sex="M", **details),
        owning_unit=case.owning_unit,
        as_of=case.registered_on,
        acting_user=io,
    )
    return do_add_party(case, person, "accused", acting_user=io)


def add_seizure(aw: AgencyWorld, *, case: Case | None, conveyance: str = "vehicle", on: date = FIR_DAY) -> Seizure:
    return do_record_seizure(
        owning_unit=aw.child_unit,
        seized_on=on,
        substance_code="heroin",
        quantity="1.5",
        unit="kg",
        district_pcode=aw.child_unit.district.pcode,
        case=case,
        conveyance=conveyance,
        acting_user=aw.users[Role.INVESTIGATING_OFFICER],
    )


def clean_case(aw: AgencyWorld) -> Case:
    """A case with everything the statistics need, entered on its FIR's day, all its dates in order."""
    case = register_case(aw, on=FIR_DAY, fir="CLEAN/1")
    Case.objects.filter(pk=case.pk).update(place_description="Ravi toll plaza", created_at=at(FIR_DAY))
    party = add_accused(case, aw, name="Clean Accused", cnic="3520212345671", date_of_birth=date(1990, 5, 1))
    CustodyEvent.objects.create(party=party, kind=CustodyKind.ARREST, on=FIR_DAY)
    verdict = Verdict.objects.create(
        party=party,
        outcome=VerdictOutcome.ACQUITTED,
        decided_on=FIR_DAY + timedelta(days=20),
        acquittal_reasons=["broken_chain"],
    )
    Appeal.objects.create(verdict=verdict, appellant="state", forum="Lahore High Court", filed_on=TODAY)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.DECIDED)
    seizure = add_seizure(aw, case=case)
    Seizure.objects.filter(pk=seizure.pk).update(created_at=at(FIR_DAY))
    Challan.objects.create(
        case=case,
        kind=ChallanKind.FINAL,
        submitted_on=FIR_DAY + timedelta(days=10),
        submitted_by=aw.users[Role.INVESTIGATING_OFFICER],
    )
    item = evidence(case, aw, sealed=at(FIR_DAY, 9), recorded=at(FIR_DAY, 15))
    HandOver.objects.create(
        item=item,
        seq=1,
        at=at(FIR_DAY, 16),
        purpose="deposit",
        to_unit=aw.child_unit,
        to_name="Moharrir",
        recorded_by=aw.users[Role.INVESTIGATING_OFFICER],
        recorded_at=at(FIR_DAY, 17),
        prev_hash="0",
        hash="1",
    )
    submission = LabSubmission.objects.create(
        item=item,
        lab=Unit.objects.get(code=LAB_OF[aw.code]),
        test_memo_reference="TM-1",
        sent_at=at(FIR_DAY + timedelta(days=1)),
        carrier_name="Constable",
        sent_by=aw.users[Role.INVESTIGATING_OFFICER],
        received_at=at(FIR_DAY + timedelta(days=2)),
    )
    LabReport.objects.create(
        submission=submission,
        reported_at=at(FIR_DAY + timedelta(days=9)),
        substance_confirmed=True,
        analyst=aw.users[Role.FORENSIC_ANALYST],
    )
    return case


def evidence(case: Case, aw: AgencyWorld, *, sealed: datetime, recorded: datetime) -> EvidenceItem:
    return EvidenceItem.objects.create(
        case=case,
        label=f"P-{EvidenceItem.objects.count() + 1}",
        description="Heroin parcel",
        seal_number="S-1",
        sealed_at=sealed,
        recorded_by=aw.users[Role.INVESTIGATING_OFFICER],
        recorded_at=recorded,
    )


def faulty_case(aw: AgencyWorld, distribution: str = Distribution.AGENCY, fir: str = "FAULTY/1") -> Case:
    """A case with one of every fault the checks look for, written directly where the actions refuse it: imports
    and old data hold such values."""
    case = register_case(aw, distribution, on=FIR_DAY, fir=fir)
    Offence.objects.filter(case=case).delete()
    Case.objects.filter(pk=case.pk).update(created_at=at(FIR_DAY + timedelta(days=10)), status=CaseStatus.DECIDED)
    return case


def faulty_parts(aw: AgencyWorld) -> Case:
    """A case whose accused, verdicts, challans, custody, evidence and lab dates are wrong."""
    case = register_case(aw, on=FIR_DAY, fir="PARTS/1")
    Case.objects.filter(pk=case.pk).update(place_description="Near the railway station", status=CaseStatus.DECIDED)
    nameless = add_accused(case, aw, name="No Papers")
    unborn = add_accused(case, aw, name="Born Later", cnic="3520212345672", age_years=30)
    Person.objects.filter(pk=unborn.person_id).update(date_of_birth=FIR_DAY + timedelta(days=1))
    verdict = Verdict.objects.create(
        party=unborn, outcome=VerdictOutcome.ACQUITTED, decided_on=FIR_DAY - timedelta(days=3), acquittal_reasons=[]
    )
    Appeal.objects.create(
        verdict=verdict, appellant="state", forum="Lahore High Court", filed_on=FIR_DAY - timedelta(days=5)
    )
    CustodyEvent.objects.create(party=nameless, kind=CustodyKind.ARREST, on=FIR_DAY - timedelta(days=1))
    Challan.objects.create(
        case=case,
        kind=ChallanKind.INTERIM,
        submitted_on=FIR_DAY - timedelta(days=2),
        submitted_by=aw.users[Role.INVESTIGATING_OFFICER],
    )
    item = evidence(case, aw, sealed=at(FIR_DAY, 9), recorded=at(FIR_DAY + timedelta(days=5)))
    HandOver.objects.create(
        item=item,
        seq=1,
        at=at(FIR_DAY, 16),
        purpose="deposit",
        to_unit=aw.child_unit,
        to_name="Moharrir",
        recorded_by=aw.users[Role.INVESTIGATING_OFFICER],
        recorded_at=at(FIR_DAY + timedelta(days=4)),
        prev_hash="0",
        hash="1",
    )
    submission = LabSubmission.objects.create(
        item=item,
        lab=Unit.objects.get(code=LAB_OF[aw.code]),
        test_memo_reference="TM-2",
        sent_at=at(FIR_DAY + timedelta(days=3)),
        carrier_name="Constable",
        sent_by=aw.users[Role.INVESTIGATING_OFFICER],
        received_at=at(FIR_DAY + timedelta(days=4)),
    )
    LabReport.objects.create(
        submission=submission,
        reported_at=at(FIR_DAY + timedelta(days=2)),
        substance_confirmed=True,
        analyst=aw.users[Role.FORENSIC_ANALYST],
    )
    return case


def punjab_scope() -> Scope:
    return Scope(Agency.objects.get(code="PUNJAB_POLICE"))


def failing_pks(code: str, scope: Scope | None = None) -> set[int]:
    return set(
        CHECKS[code].failing_records(scope or punjab_scope(), Period.last_twelve_months()).values_list("pk", flat=True)
    )


def test_case_checks_find_the_faulty_case_and_not_the_clean_one(world: World):
    aw = world.agencies["PUNJAB_POLICE"]
    clean, faulty = clean_case(aw), faulty_case(aw)
    for code in ("case-without-place", "case-without-offence", "case-without-accused", "case-entered-late"):
        assert failing_pks(code) == {faulty.pk}, code
    assert failing_pks("case-dated-after-entry") == set()
    Case.objects.filter(pk=clean.pk).update(registered_on=TODAY + timedelta(days=3))
    assert failing_pks("case-dated-after-entry") == {clean.pk}


def test_a_case_entered_on_the_seventh_day_is_not_late(world: World):
    aw = world.agencies["PUNJAB_POLICE"]
    case = register_case(aw, on=FIR_DAY)
    Case.objects.filter(pk=case.pk).update(created_at=at(FIR_DAY + timedelta(days=7), hour=23))
    assert failing_pks("case-entered-late") == set()
    Case.objects.filter(pk=case.pk).update(created_at=at(FIR_DAY + timedelta(days=8), hour=6))
    assert failing_pks("case-entered-late") == {case.pk}


def test_accused_verdict_and_date_checks_find_the_faulty_parts_only(world: World):
    aw = world.agencies["PUNJAB_POLICE"]
    clean_case(aw)
    case = faulty_parts(aw)
    parties = {p.person.name_latin: p.pk for p in case.parties.select_related("person")}
    assert failing_pks("accused-without-identity") == {parties["No Papers"]}
    assert failing_pks("accused-without-age") == {parties["No Papers"]}
    Person.objects.filter(pk=case.parties.get(pk=parties["Born Later"]).person_id).update(
        date_of_birth=None, age_recorded_on=None
    )
    assert failing_pks("accused-without-age") == {parties["No Papers"], parties["Born Later"]}
    Person.objects.filter(pk=case.parties.get(pk=parties["Born Later"]).person_id).update(
        date_of_birth=FIR_DAY + timedelta(days=1)
    )
    assert failing_pks("decided-accused-without-verdict") == {parties["No Papers"]}
    add_accused(case, aw, name="Absconder", cnic="3520212345673", age_years=40)  # never arrested: tried later
    assert failing_pks("decided-accused-without-verdict") == {parties["No Papers"]}
    assert failing_pks("born-after-fir") == {parties["Born Later"]}
    verdict = Verdict.objects.get(party__case=case)
    assert failing_pks("acquittal-without-reason") == {verdict.pk}
    assert failing_pks("verdict-before-fir") == {verdict.pk}
    assert failing_pks("appeal-before-verdict") == set(
        Appeal.objects.filter(verdict=verdict).values_list("pk", flat=True)
    )
    assert failing_pks("arrest-before-fir") == set(
        CustodyEvent.objects.filter(party__case=case).values_list("pk", flat=True)
    )
    assert failing_pks("challan-before-fir") == set(case.challans.values_list("pk", flat=True))
    assert failing_pks("evidence-entered-late") == set(case.evidence_items.values_list("pk", flat=True))
    assert failing_pks("hand-over-entered-late") == set(
        HandOver.objects.filter(item__case=case).values_list("pk", flat=True)
    )
    assert failing_pks("lab-dates-out-of-order") == set(
        LabSubmission.objects.filter(item__case=case).values_list("pk", flat=True)
    )


def test_seizure_checks(world: World):
    aw = world.agencies["PUNJAB_POLICE"]
    case = clean_case(aw)
    good = case.seizures.get()
    loose = add_seizure(aw, case=None, conveyance="other")
    Seizure.objects.filter(pk=loose.pk).update(created_at=at(FIR_DAY + timedelta(days=9)))
    assert failing_pks("seizure-without-case") == {loose.pk}
    assert failing_pks("seizure-without-conveyance") == {loose.pk}
    assert failing_pks("seizure-entered-late") == {loose.pk}
    assert failing_pks("seizure-date-impossible") == set()
    Seizure.objects.filter(pk=good.pk).update(seized_on=date(1979, 1, 1))
    Seizure.objects.filter(pk=loose.pk).update(seized_on=TODAY + timedelta(days=1))
    assert failing_pks("seizure-date-impossible") == {good.pk, loose.pk}


def test_another_agencys_records_are_not_counted(world: World):
    faulty_case(world.agencies["SINDH_POLICE"])
    results = {r.check.code: r for r in quality_summary(punjab_scope(), Period.last_twelve_months())}
    assert results["case-without-offence"].checked == 0
    assert results["case-without-offence"].failing == 0


def test_a_year_filter_counts_that_year_only(world: World):
    aw = world.agencies["PUNJAB_POLICE"]
    old = faulty_case(aw, fir="OLD/1")
    Case.objects.filter(pk=old.pk).update(registered_on=date(2023, 6, 1))
    faulty_case(aw)
    assert set(
        CHECKS["case-without-offence"].failing_records(punjab_scope(), Period.year(2023)).values_list("pk", flat=True)
    ) == {old.pk}
    assert old.pk not in failing_pks("case-without-offence")


def test_units_that_stopped_entering_records(world: World):
    aw = world.agencies["PUNJAB_POLICE"]
    silent, busy = aw.child_unit, aw.unit
    quiet_day = TODAY - timedelta(days=150)
    register_case(aw, on=quiet_day)
    busy_case = register_case(aw, on=TODAY - timedelta(days=200))
    Case.objects.filter(pk=busy_case.pk).update(owning_unit=busy)
    recent = register_case(aw, on=TODAY - timedelta(days=10))
    Case.objects.filter(pk=recent.pk).update(owning_unit=busy)
    checked, rows = CHECKS["units-stopped-records"].rows(punjab_scope(), Period.last_twelve_months())
    assert checked == 2
    assert rows == [(silent.name, silent.code, quiet_day)]


def monthly_return(unit: Unit, code: str, month: date, value: str = "4") -> AggregateReturn:
    element, _ = DataElement.objects.get_or_create(code=code, defaults={"name": code, "unit_of_measure": "count"})
    return AggregateReturn.objects.create(
        element=element, org_unit=unit, period_type=PeriodType.MONTH, period_start=month, value=Decimal(value)
    )


def month_start(day: date) -> date:
    return day.replace(day=1)


def test_units_that_stopped_filing_returns(world: World):
    aw = world.agencies["PUNJAB_POLICE"]
    last_month = month_start(month_start(TODAY) - timedelta(days=1))
    long_ago = month_start(TODAY - timedelta(days=240))
    monthly_return(aw.child_unit, "cases_registered", long_ago)
    monthly_return(aw.unit, "cases_registered", last_month)
    checked, rows = CHECKS["units-stopped-returns"].rows(punjab_scope(), Period.last_twelve_months())
    assert checked == 2
    assert rows == [(aw.child_unit.name, aw.child_unit.code, "Month", long_ago)]


def test_a_return_for_a_unit_period_that_also_has_records_is_listed(world: World):
    aw = world.agencies["PUNJAB_POLICE"]
    case = register_case(aw, on=FIR_DAY)
    month = month_start(FIR_DAY)
    monthly_return(case.owning_unit, "cases_registered", month, "3")
    monthly_return(aw.unit, "cases_registered", month, "2")  # no records of its own
    monthly_return(case.owning_unit, "convictions", month, "1")  # no verdicts
    checked, rows = CHECKS["records-and-returns"].rows(punjab_scope(), Period.last_twelve_months())
    assert checked == 3
    assert [(row[1], row[4], row[5], row[6]) for row in rows] == [(case.owning_unit.code, month, Decimal("3"), 1)]


def test_a_seizure_return_overlaps_seizures_counted_in_the_same_statistic_only(world: World):
    aw = world.agencies["PUNJAB_POLICE"]
    hashish = do_record_seizure(
        owning_unit=aw.child_unit,
        seized_on=FIR_DAY,
        substance_code="hashish",
        quantity="2",
        unit="kg",
        district_pcode=aw.child_unit.district.pcode,
        acting_user=aw.users[Role.INVESTIGATING_OFFICER],
    )
    add_seizure(aw, case=None)  # heroin, which no return below covers
    month = month_start(FIR_DAY)
    monthly_return(hashish.owning_unit, "seized_charas_kg", month, "5")
    monthly_return(hashish.owning_unit, "seized_opium_kg", month, "1")
    _, rows = CHECKS["records-and-returns"].rows(punjab_scope(), Period.last_twelve_months())
    assert [(row[2], row[6]) for row in rows] == [(DataElement.objects.get(code="seized_charas_kg").name, 1)]


def test_the_summary_takes_the_same_number_of_queries_for_more_records(world: World):
    aw = world.agencies["PUNJAB_POLICE"]
    clean_case(aw)
    faulty_parts(aw)
    monthly_return(aw.unit, "cases_registered", month_start(FIR_DAY))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            quality_summary(punjab_scope(), Period.last_twelve_months())
        return len(captured)

    before = queries()
    for n in range(3):
        faulty_case(aw, fir=f"MORE/{n}")
        faulty_parts_again = register_case(aw, on=FIR_DAY)
        add_accused(faulty_parts_again, aw, name=f"More {n}")
        add_seizure(aw, case=None)
    monthly_return(aw.child_unit, "cases_registered", month_start(FIR_DAY))
    assert queries() == before
    assert before <= 20


# --- the pages: who sees what -----------------------------------------------------------------------------------

AGENCY_ROLES = {Role.ANALYST, Role.SUPERVISOR, Role.AGENCY_ADMIN}
COUNTS_ROLES = {Role.POLICY_VIEWER, Role.SYSTEM_ADMIN}


def all_users(world: World):
    for aw in world.agencies.values():
        for role, user in aw.users.items():
            yield aw, role, user


def test_the_summary_answers_exactly_the_roles_the_rule_names(client, world: World):
    summary = reverse("stats:quality")
    for aw, role, user in all_users(world):
        client.force_login(user)
        own = client.get(summary)
        other = client.get(summary, {"agency": "SINDH_POLICE" if aw.code != "SINDH_POLICE" else "ANF"})
        if role in AGENCY_ROLES:
            assert (own.status_code, other.status_code) == (200, 404), user.username
            assert aw.code in str(own.context["scope"].agency.code)
        elif role in COUNTS_ROLES:
            assert (own.status_code, other.status_code) == (200, 200), user.username
        else:
            assert (own.status_code, other.status_code) == (404, 404), user.username
    client.logout()
    response = client.get(summary)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_record_lists_answer_the_agencys_own_roles_only(client, world: World):
    for code in ("case-without-offence", "units-stopped-records"):
        url = reverse("stats:quality_check", args=[code])
        for aw, role, user in all_users(world):
            client.force_login(user)
            own = client.get(url)
            other = client.get(url, {"agency": "SINDH_POLICE" if aw.code != "SINDH_POLICE" else "ANF"})
            expected = (200, 404) if role in AGENCY_ROLES else (404, 404)
            assert (own.status_code, other.status_code) == expected, (code, user.username)
        client.logout()
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(world.agencies["ANF"].users[Role.ANALYST])
    assert client.get(reverse("stats:quality_check", args=["no-such-check"])).status_code == 404


def test_a_list_shows_only_what_the_viewer_may_see_and_counts_the_rest(client, world: World):
    aw = world.agencies["PUNJAB_POLICE"]
    shared = faulty_case(aw, fir="SHARED/1")
    unit_only = faulty_case(aw, Distribution.UNIT, fir="UNITONLY/1")
    url = reverse("stats:quality_check", args=["case-without-offence"])
    client.force_login(aw.users[Role.ANALYST])  # the analyst sits in the unit above the owning unit
    response = client.get(url)
    content = response.content.decode()
    assert shared.fir_number in content and unit_only.fir_number not in content
    assert response.context["total"] == 2 and response.context["hidden"] == 1
    assert "1 of them is not visible to you" in content
    client.force_login(aw.users[Role.SUPERVISOR])  # supervisors see their unit and below
    response = client.get(url)
    assert response.context["hidden"] == 0 and unit_only.fir_number in response.content.decode()
    client.force_login(aw.users[Role.AGENCY_ADMIN])  # administrators read no records at all
    response = client.get(url)
    assert response.context["hidden"] == 2 and shared.fir_number not in response.content.decode()


def test_a_supervisor_counts_their_unit_and_below_only(client, world: World):
    aw = world.agencies["PUNJAB_POLICE"]
    faulty_case(aw)
    elsewhere = faulty_case(aw, fir="ELSEWHERE/1")
    outside = Unit.objects.create(
        agency=aw.unit.agency, code="PUNJAB_POLICE-OUTSIDE", name="A unit beside the supervisor's", kind="office"
    )
    Case.objects.filter(pk=elsewhere.pk).update(owning_unit=outside)
    summary = reverse("stats:quality")
    for role, expected in ((Role.SUPERVISOR, 1), (Role.ANALYST, 2)):
        client.force_login(aw.users[role])
        results = {r.check.code: r for _, rs in client.get(summary).context["kinds"] for r in rs}
        assert results["case-without-offence"].failing == expected, role


def test_policy_viewers_see_counts_and_no_record_links(client, world: World):
    faulty_case(world.agencies["PUNJAB_POLICE"])
    client.force_login(world.agencies["ANF"].users[Role.POLICY_VIEWER])
    response = client.get(reverse("stats:quality"), {"agency": "PUNJAB_POLICE"})
    results = {r.check.code: r for _, rs in response.context["kinds"] for r in rs}
    assert results["case-without-offence"].failing == 1
    assert "/stats/quality/case-without-offence/" not in response.content.decode()
    assert "FAULTY/1" not in response.content.decode()


def test_downloads_are_audited_as_exports(client, world: World):
    aw = world.agencies["PUNJAB_POLICE"]
    faulty_case(aw)
    faulty_case(aw, Distribution.UNIT, fir="UNITONLY/1")
    client.force_login(aw.users[Role.ANALYST])
    response = client.get(reverse("stats:quality"), {"format": "csv", "year": FIR_DAY.year})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][:2] == ["Kind", "Check"] and len(rows) == len(CHECKS) + 1
    response = client.get(reverse("stats:quality_check", args=["case-without-offence"]), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["FAULTY/1"]
    events = AuditEvent.objects.filter(action="export", object_type="stats.quality").order_by("seq")
    assert [e.fields.get("check") for e in events] == [None, "case-without-offence"]
    assert events.last().fields["rows"] == 1 and events.last().fields["agency"] == "PUNJAB_POLICE"


def test_a_year_after_this_one_is_refused_with_its_field_named(client, world: World):
    client.force_login(world.agencies["ANF"].users[Role.ANALYST])
    response = client.get(reverse("stats:quality"), {"year": TODAY.year + 1})
    assert response.status_code == 200
    assert f"Year cannot be after {TODAY.year}." in response.content.decode()


def test_every_record_check_has_a_definition_and_columns():
    for check in RECORD_CHECKS:
        assert check.definition.endswith(".") and check.columns, check.code


def test_no_list_ever_shows_a_record_its_viewer_may_not_open(client, world: World):
    """Faulty records of every distribution in every agency; each list, as each role that may open it, holds only
    rows whose record (or case and person) the viewer may open, and counts the others as hidden."""
    for code, aw in world.agencies.items():
        for distribution in Distribution.values:
            group = world.group if distribution == Distribution.SHARING_GROUP else None
            case = register_case(aw, distribution, group=group, on=FIR_DAY, fir=f"{code}-{distribution}")
            Offence.objects.filter(case=case).delete()
            Case.objects.filter(pk=case.pk).update(created_at=at(FIR_DAY + timedelta(days=10)))
            add_accused(case, aw, name=f"Unknown {code} {distribution}")
            juvenile = add_accused(case, aw, name=f"Juvenile {code} {distribution}", age_years=15)
            assert juvenile.person.is_juvenile
        faulty_parts(aw)
        add_seizure(aw, case=None, conveyance="other")
    for _, role, user in all_users(world):
        if role not in AGENCY_ROLES:
            continue
        client.force_login(user)
        visible_cases = set(Case.objects.visible_to(user).values_list("pk", flat=True))
        for check in RECORD_CHECKS:
            response = client.get(reverse("stats:quality_check", args=[check.code]))
            assert response.status_code == 200, (check.code, user.username)
            rows = response.context["page"].object_list
            for record in rows:
                if check.case_path is None:
                    assert check.model.objects.visible_to(user).filter(pk=record.pk).exists(), check.code
                    continue
                case = record
                for name in check.case_path.split("__"):
                    case = getattr(case, name)
                assert case.pk in visible_cases, (check.code, user.username)
                if check.person_path:
                    person = record
                    for name in check.person_path.split("__"):
                        person = getattr(person, name)
                    assert Person.objects.visible_to(user).filter(pk=person.pk).exists(), (check.code, user.username)
            assert response.context["total"] - response.context["hidden"] == len(rows), check.code


def test_refused_downloads_write_nothing(client, world: World):
    faulty_case(world.agencies["PUNJAB_POLICE"])
    for aw, role, user in all_users(world):
        client.force_login(user)
        if role not in AGENCY_ROLES | COUNTS_ROLES:
            assert client.get(reverse("stats:quality"), {"format": "csv"}).status_code == 404
        if role not in AGENCY_ROLES:
            url = reverse("stats:quality_check", args=["case-without-offence"])
            assert client.get(url, {"format": "csv"}).status_code == 404
        other = "ANF" if aw.code != "ANF" else "SINDH_POLICE"
        if role in AGENCY_ROLES:
            assert client.get(reverse("stats:quality"), {"format": "csv", "agency": other}).status_code == 404
    assert AuditEvent.objects.filter(action="export").count() == 0


def test_a_list_page_takes_the_same_number_of_queries_for_more_rows(client, world: World):
    aw = world.agencies["PUNJAB_POLICE"]
    faulty_parts(aw)
    client.force_login(aw.users[Role.ANALYST])
    url = reverse("stats:quality_check", args=["accused-without-identity"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    queries()  # the first request fills the caches every page shares
    before = queries()
    for n in range(4):
        add_accused(register_case(aw, on=FIR_DAY), aw, name=f"Nameless {n}")
    assert queries() == before


def test_the_menu_marks_data_quality_and_not_statistics_as_the_current_page(client, world: World):
    client.force_login(world.agencies["PUNJAB_POLICE"].users[Role.ANALYST])
    items = client.get(reverse("stats:quality")).context["nav_items"]
    assert [item["label"] for item in items if item["active"]] == ["Data quality"]
