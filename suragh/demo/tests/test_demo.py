"""The demo data set: exact seed 000 figures, idempotent loading, users who can sign in, a clean audit chain."""

from __future__ import annotations

import os
import random
from collections import defaultdict
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.http import HttpRequest
from django.test import Client, override_settings
from django.urls import reverse

from suragh.cases.access import cases_visible_to
from suragh.cases.choices import AcquittalReason, CaseStatus, ChallanKind, CustodyKind, HearingPurpose, PartyRole
from suragh.cases.models import (
    Case,
    CaseParty,
    CaseStatusChange,
    Challan,
    CustodyEvent,
    Hearing,
    Offence,
    Verdict,
    WitnessExamination,
)
from suragh.core.audit import verify_chain
from suragh.core.models import AuditEvent, SharingGroup, User
from suragh.demo import figures
from suragh.demo.casework import at_time
from suragh.demo.config import generator_settings
from suragh.demo.generate import EVENT_TYPE, MODELS, load_demo
from suragh.demo.plan import Planner, World, split_grams
from suragh.evidence.access import submissions_visible_to
from suragh.evidence.actions import flags_for_case
from suragh.evidence.chain import first_broken_link
from suragh.evidence.choices import FIRST_PURPOSES, FlagKind, HandOverPurpose
from suragh.evidence.models import EvidenceItem, HandOver, LabReport, LabSubmission
from suragh.people.models import Identifier, Person
from suragh.seizures.models import Seizure
from suragh.work.worklist import worklist_for

pytestmark = pytest.mark.django_db

PASSWORD = "demo-password-1"
AFTER_TRIAL = [CaseStatus.DECIDED, CaseStatus.APPEAL, CaseStatus.CLOSED]
PAST_INVESTIGATION = [CaseStatus.CHALLAN_SUBMITTED, CaseStatus.ON_TRIAL, *AFTER_TRIAL]
MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]
FIXED_CNIC = "4210112345671"
# The current work is dated back from this day (current.py).
AS_OF = date(2026, 3, 16)


def quiet(line: str) -> None:
    pass


def signs_in(username: str, password: str) -> bool:
    """`Client.login` with the request the lockout backend (django-axes) needs."""
    return Client().login(request=HttpRequest(), username=username, password=password)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The small demo, loaded once for the module and rolled back after it; each test runs in a savepoint."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=MD5), transaction.atomic():
        summary = load_demo(scale="small", password=PASSWORD, progress=quiet, as_of=AS_OF)
        yield summary
        transaction.set_rollback(True)


def row_counts() -> dict[str, int]:
    return {model._meta.label_lower: model.objects.count() for model in MODELS} | {
        "users": User.objects.count(),
        "groups": SharingGroup.objects.count(),
        "events": AuditEvent.objects.count(),
    }


def test_small_scale_matches_seed_000(demo):
    assert figures.differences(figures.measured_totals(), figures.targets("small")) == []
    assert demo.differences == []
    assert demo.loaded


def test_loading_the_same_scale_again_adds_nothing(demo):
    before = row_counts()
    again = load_demo(scale="small", password=PASSWORD, progress=quiet, as_of=AS_OF)
    assert not again.loaded
    assert row_counts() == before
    assert again.counts == demo.counts


def test_loading_again_with_another_password_changes_it(demo):
    load_demo(scale="small", password="another-password-2", progress=quiet, as_of=AS_OF)
    assert not signs_in("io.punjab", PASSWORD)
    assert signs_in("io.punjab", "another-password-2")
    assert AuditEvent.objects.filter(object_type="demo.users").exists()


def test_another_scale_replaces_the_synthetic_records(demo, monkeypatch):
    monkeypatch.setitem(figures.SCALES, "tiny", 1000)
    summary = load_demo(scale="tiny", password=PASSWORD, progress=quiet, as_of=AS_OF)
    assert summary.loaded and summary.replaced == "small"
    assert figures.differences(figures.measured_totals(), figures.targets("tiny")) == []
    assert Case.objects.filter(is_synthetic=True).count() < demo.counts["cases"]
    assert verify_chain() is None


def test_every_record_is_synthetic(demo):
    for model in (Case, Person, Seizure):
        assert model.objects.filter(is_synthetic=True).exists()
        assert not model.objects.filter(is_synthetic=False).exists()


def test_the_fixed_cnic_is_in_an_anf_case_and_a_sindh_police_case(demo):
    persons = Person.objects.filter(cnic=FIXED_CNIC)
    agencies = set(persons.values_list("owning_unit__agency__code", flat=True))
    assert {"ANF", "SINDH_POLICE"} <= agencies
    on_cases = CaseParty.objects.filter(person__in=persons, role=PartyRole.ACCUSED)
    assert {"ANF", "SINDH_POLICE"} <= set(on_cases.values_list("case__owning_unit__agency__code", flat=True))
    assert set(persons.values_list("name_latin", flat=True)) >= {"Muhammad Asif", "M. Asif"}


def test_cross_agency_persons_share_a_cnic_or_a_phone_across_agencies(demo):
    by_cnic = (
        Person.objects.exclude(cnic="")
        .values("cnic")
        .annotate(agencies=Count("owning_unit__agency", distinct=True))
        .filter(agencies__gt=1)
    )
    by_phone = (
        Identifier.objects.filter(kind="phone")
        .values("normalized")
        .annotate(agencies=Count("person__owning_unit__agency", distinct=True))
        .filter(agencies__gt=1)
    )
    assert by_cnic.count() + by_phone.count() >= 3


def test_stored_identifiers_are_normalized(demo):
    assert not Person.objects.exclude(cnic="").exclude(cnic__regex=r"^[0-9]{13}$").exists()
    assert not Identifier.objects.filter(kind="phone").exclude(normalized__regex=r"^\+923[0-9]{9}$").exists()
    provinces = {"PUNJAB_POLICE": "3", "SINDH_POLICE": "4", "KP_POLICE": "1"}
    for agency, digit in provinces.items():
        cnics = Person.objects.filter(owning_unit__agency__code=agency).exclude(cnic="").values_list("cnic", flat=True)
        assert sum(c.startswith(digit) for c in cnics) > len(cnics) / 2


def test_demo_users_sign_in_and_the_io_sees_cases(demo):
    for username in ("io.punjab", "analyst.anf", "supervisor.sindh", "prosecutor.punjab", "policy.national"):
        assert signs_in(username, PASSWORD), username
    io = User.objects.get(username="io.punjab")
    client = Client()
    assert Case.objects.filter(investigating_officer=io, owning_unit=io.unit).count() >= 3
    client.force_login(io)
    response = client.get("/cases/")
    assert response.status_code == 200
    first = Case.objects.filter(owning_unit__agency=io.unit.agency).order_by("-registered_on", "-id").first()
    assert first.fir_number in response.content.decode()


def test_prosecutors_have_cases_on_trial_or_decided(demo):
    cases = Case.objects.filter(prosecutor__username="prosecutor.punjab")
    assert cases.exists()
    assert not cases.exclude(status__in=PAST_INVESTIGATION).exists()


def test_verdicts_follow_case_status(demo):
    arrested = CustodyEvent.objects.filter(party=OuterRef("pk"), kind=CustodyKind.ARREST)
    accused = CaseParty.objects.filter(role=PartyRole.ACCUSED).annotate(arrested=Exists(arrested))
    decided = Q(case__status__in=AFTER_TRIAL)
    assert not accused.filter(decided, arrested=True, verdict__isnull=True).exists()
    assert not Verdict.objects.filter(~Q(party__case__status__in=AFTER_TRIAL)).exists()
    assert not accused.filter(arrested=False, verdict__isnull=False).exists()
    assert not Verdict.objects.filter(decided_on__lt=F("party__case__registered_on")).exists()


def test_status_history_ends_in_the_current_status(demo):
    last = CaseStatusChange.objects.filter(case=OuterRef("pk")).order_by("-on", "-id")
    cases = Case.objects.filter(is_synthetic=True).annotate(
        last_status=last.values("status")[:1], last_on=last.values("on")[:1]
    )
    for case in cases.iterator():
        assert (case.last_status, case.last_on) == (case.status, case.status_on), case.fir_number


def test_offences_separate_personal_use_from_trafficking(demo):
    personal = Offence.objects.filter(provision__personal_use=True)
    assert personal.exists()
    assert Offence.objects.filter(provision__code__in=["CNSA-9(c)", "CNSA-9(1)(c)"]).exists()
    both = Case.objects.filter(offences__provision__personal_use=True).filter(
        offences__provision__code__in=["CNSA-9(c)", "CNSA-9(1)(c)"]
    )
    assert not both.exists()


def test_joint_seizures_and_sharing_groups_are_used(demo):
    assert Seizure.objects.filter(participating_agencies__isnull=False).exists()
    assert Case.objects.filter(sharing_group__name="IATF Joint Intelligence").exists()
    group = SharingGroup.objects.get(name="Border Interdiction Cell")
    assert set(group.agencies.values_list("code", flat=True)) >= {"ANF", "CUSTOMS", "BALOCHISTAN_POLICE"}


def test_one_audit_event_records_the_load_and_the_chain_is_intact(demo):
    events = AuditEvent.objects.filter(object_type=EVENT_TYPE)
    assert events.count() == 1
    assert events.get().fields["scale"] == "small"
    assert verify_chain() is None


def test_cases_exist_at_every_status(demo):
    statuses = set(Case.objects.filter(is_synthetic=True).values_list("status", flat=True))
    assert statuses == set(CaseStatus.values)


def test_every_chain_of_custody_verifies_and_passes_hand_to_hand(demo):
    chains = defaultdict(list)
    for entry in HandOver.objects.order_by("item_id", "seq"):
        chains[entry.item_id].append(entry)
    assert set(chains) == set(EvidenceItem.objects.values_list("pk", flat=True))
    for item_id, entries in chains.items():
        assert first_broken_link(entries) is None, item_id
        first, *later = entries
        assert first.purpose in FIRST_PURPOSES and first.from_unit_id is None and not first.from_name
        for previous, entry in zip(entries, later, strict=False):
            giver = (entry.from_unit_id, entry.from_officer_id, entry.from_name)
            assert giver == (previous.to_unit_id, previous.to_officer_id, previous.to_name), item_id


def test_every_seizure_on_a_case_has_a_sealed_parcel_and_a_sample(demo):
    parcels = EvidenceItem.objects.filter(drawn_from__isnull=True)
    seized = Seizure.objects.filter(case__isnull=False)
    assert set(parcels.values_list("seizure_id", flat=True)) == set(seized.values_list("pk", flat=True))
    assert not parcels.filter(samples__isnull=True).exists()
    assert EvidenceItem.objects.filter(drawn_from__isnull=False).count() > parcels.count()
    assert HandOver.objects.filter(purpose=HandOverPurpose.DEPOSIT, to_name__contains="Moharrir").exists()


def test_samples_go_to_their_agencys_laboratory(demo):
    submissions = LabSubmission.objects.select_related("lab")
    anf = set(submissions.filter(item__case__owning_unit__agency__code="ANF").values_list("lab__code", flat=True))
    assert anf and anf <= {"ANF-LAB-RAWALPINDI", "ANF-LAB-KARACHI"}
    punjab = set(
        submissions.filter(item__case__owning_unit__agency__code="PUNJAB_POLICE").values_list("lab__code", flat=True)
    )
    assert punjab == {"PUNJAB_FSA-LAB-LAHORE"}
    sindh = set(
        submissions.filter(item__case__owning_unit__agency__code="SINDH_POLICE").values_list("lab__code", flat=True)
    )
    assert sindh == {"SINDH_FSL-LAB-KARACHI"}
    received = submissions.filter(received_at__isnull=False)
    assert not received.filter(received_at__lt=F("sent_at")).exists()
    assert not LabReport.objects.filter(reported_at__lt=F("submission__received_at")).exists()


def test_acquittals_show_what_they_were_acquitted_for(demo):
    expected = {
        AcquittalReason.BROKEN_CHAIN_OF_CUSTODY: {FlagKind.SEAL_BROKEN, FlagKind.GAP},
        AcquittalReason.LAB_REPORT_MISSING_OR_LATE: {FlagKind.SAMPLE_LATE, FlagKind.REPORT_OVERDUE},
    }
    seen = defaultdict(int)
    for verdict in Verdict.objects.filter(outcome="acquitted").select_related("party__case"):
        case = verdict.party.case
        kinds = {flag.kind for flag in flags_for_case(case)}
        for reason in verdict.acquittal_reasons:
            if reason in expected:
                assert kinds & expected[reason], (case.fir_number, reason, kinds)
                seen[reason] += 1
            elif reason == AcquittalReason.CONTRADICTORY_WITNESSES:
                hostile = WitnessExamination.objects.filter(party__case=case, turned_hostile=True)
                assert hostile.exists(), case.fir_number
                seen[reason] += 1
    assert len(seen) == 3


def test_convictions_mostly_rest_on_clean_chains_and_confirmed_reports(demo):
    cases = Case.objects.filter(parties__verdict__outcome="convicted").distinct()
    seized = cases.filter(seizures__isnull=False).distinct()
    clean = sum(1 for case in seized if not flags_for_case(case))
    assert clean >= 0.85 * seized.count()
    reports = LabReport.objects.filter(submission__item__case__in=seized)
    assert reports.filter(substance_confirmed=True, purity_percent__isnull=False).count() >= 0.8 * seized.count()


def test_open_investigations_leave_samples_to_send_and_reports_awaited(demo):
    as_of = at_time(generator_settings()["as_of"], 23, 59)
    open_cases = Case.objects.filter(status__in=[CaseStatus.REGISTERED, CaseStatus.UNDER_INVESTIGATION])
    samples = EvidenceItem.objects.filter(case__in=open_cases, drawn_from__isnull=False)
    assert samples.filter(lab_submissions__isnull=True, sealed_at__gt=as_of - timedelta(hours=72)).exists()
    awaited = LabSubmission.objects.filter(report__isnull=True, item__case__in=open_cases)
    assert awaited.filter(received_at__gt=as_of - timedelta(days=15)).exists()


def test_forensic_analysts_see_their_laboratorys_submissions_and_no_case(demo):
    for username, lab in [
        ("forensic.anf", "ANF-LAB-RAWALPINDI"),
        ("forensic.punjab", "PUNJAB_FSA-LAB-LAHORE"),
        ("forensic.sindh", "SINDH_FSL-LAB-KARACHI"),
    ]:
        analyst = User.objects.get(username=username)
        assert analyst.unit.code == lab
        seen = submissions_visible_to(analyst)
        assert seen.exists(), username
        assert set(seen.values_list("lab__code", flat=True)) == {lab}
        assert seen.count() == LabSubmission.objects.filter(lab__code=lab).count()
        assert not cases_visible_to(analyst).exists(), username
        reported = LabReport.objects.filter(submission__lab__code=lab)
        assert reported.exists() and set(reported.values_list("analyst", flat=True)) == {analyst.pk}


def test_cases_past_investigation_have_a_final_challan_to_a_court_of_their_province(demo):
    challan_on = CaseStatusChange.objects.filter(case=OuterRef("pk"), status=CaseStatus.CHALLAN_SUBMITTED)
    cases = Case.objects.filter(status__in=PAST_INVESTIGATION).annotate(challan_on=challan_on.values("on")[:1])
    finals = {c.case_id: c for c in Challan.objects.filter(kind=ChallanKind.FINAL).select_related("court__district")}
    assert cases.exists()
    for case in cases.select_related("district"):
        challan = finals[case.pk]
        assert challan.submitted_on == case.challan_on
        assert challan.court.agency.kind == "court"
        assert challan.court.district.province_id == case.district.province_id
        accused = set(
            case.parties.filter(role=PartyRole.ACCUSED, custody_events__kind="arrest").values_list("pk", flat=True)
        )
        assert set(challan.accused.values_list("pk", flat=True)) == accused
    assert Challan.objects.filter(kind=ChallanKind.INTERIM).exists()


def test_trials_have_past_hearings_and_a_next_date(demo):
    as_of = generator_settings()["as_of"]
    # the 2023 world; the current work's trials are tested with the worklists
    on_trial = Case.objects.filter(status=CaseStatus.ON_TRIAL, registered_on__lte=as_of)
    assert on_trial.exists()
    for case in on_trial:
        past = case.hearings.filter(on__lte=as_of)
        assert past.exists() and not past.filter(outcome="").exists(), case.fir_number
        upcoming = case.hearings.filter(on__gt=as_of)
        assert upcoming.count() == 1 and upcoming.get().outcome == "", case.fir_number
        assert upcoming.get().on <= as_of + timedelta(days=60)
    for case in Case.objects.filter(status__in=AFTER_TRIAL):
        last = case.hearings.order_by("-on", "-id").first()
        decided_on = Verdict.objects.filter(party__case=case).values_list("decided_on", flat=True).first()
        assert (last.purpose, last.outcome, last.on) == (HearingPurpose.JUDGMENT, "judgment_announced", decided_on)
    later = Hearing.objects.filter(on__gt=as_of, case__registered_on__lte=as_of)
    assert not later.exclude(outcome="").exists()


CURRENT_KINDS = {
    "io.punjab": {"remand", "custody_limit", "sample_unsent", "lab_report", "challan", "hearing"},
    "supervisor.punjab": {"remand", "custody_limit", "sample_unsent", "lab_report", "challan", "hearing"},
    "prosecutor.punjab": {"hearing", "hearing_unrecorded", "verdict_awaited", "lab_report"},
    "forensic.punjab": {"sample_in_transit", "lab_report"},
}


def current_items(username: str) -> list:
    """The user's worklist items on the current work's cases, at noon on the day it is dated from."""
    user = User.objects.get(username=username)
    worklist = worklist_for(user, now=at_time(AS_OF, 12))
    recent = set(Case.objects.filter(registered_on__gt=date(2023, 12, 31)).values_list("fir_number", flat=True))
    return [item for item in worklist.items if item.fir_number in recent]


def test_the_current_work_gives_each_demo_user_something_due_and_nothing_absurd(demo):
    for username, kinds in CURRENT_KINDS.items():
        items = current_items(username)
        assert kinds <= {item.kind for item in items}, username
        for item in items:
            # the one long CNSA investigation on 80-odd days of remand is past its challan by more
            limit = 75 if item.kind == "challan" else 30
            assert item.days_left is None or item.days_left >= -limit, (username, item.kind, item.what)
    io = current_items("io.punjab")
    assert any(item.kind == "sample_in_transit" for item in io)
    assert any(item.overdue for item in io) and any(not item.overdue for item in io)


def test_the_current_work_is_recent_and_belongs_to_the_demo_staff(demo):
    recent = Case.objects.filter(registered_on__gt=date(2023, 12, 31))
    for slug, agency in [("punjab", "PUNJAB_POLICE"), ("sindh", "SINDH_POLICE"), ("anf", "ANF")]:
        io = User.objects.get(username=f"io.{slug}")
        cases = recent.filter(owning_unit__agency__code=agency)
        assert 10 <= cases.count() <= 16, agency
        assert not cases.exclude(investigating_officer=io).exists()
        assert not cases.exclude(owning_unit=io.unit).exists()
        assert not cases.filter(registered_on__gt=AS_OF).exists()
        assert cases.filter(registered_on__gte=AS_OF - timedelta(days=45)).count() >= cases.count() - 1
        past_challan = cases.filter(status__in=PAST_INVESTIGATION)
        assert past_challan.exists()
        assert set(past_challan.values_list("prosecutor__username", flat=True)) == {f"prosecutor.{slug}"}
    persons = Person.objects.filter(case_roles__case__in=recent)
    assert persons.exists() and not persons.filter(is_synthetic=False).exists()
    punjab = persons.filter(case_roles__case__owning_unit__agency__code="PUNJAB_POLICE").exclude(cnic="")
    assert punjab.exists() and all(p.cnic[0] in "1345678" for p in punjab)
    for entry in HandOver.objects.filter(item__case__in=recent):
        assert entry.at <= at_time(AS_OF, 0)
    chains = defaultdict(list)
    for entry in HandOver.objects.filter(item__case__in=recent).order_by("item_id", "seq"):
        chains[entry.item_id].append(entry)
    assert chains
    for item_id, entries in chains.items():
        assert first_broken_link(entries) is None, item_id


def test_split_grams_adds_up_exactly():
    rng = random.Random(7)
    for total, count in [(1, 1), (3, 3), (10_000, 7), (35_824_000, 20_000), (52, 10)]:
        parts = split_grams(rng, total, count, 1.6, 0.12)
        assert len(parts) == count and sum(parts) == total and min(parts) >= 1


def test_planning_is_deterministic():
    def fingerprint() -> list:
        planner = Planner(World.load(), "small")
        plan = planner.agency_plan("SINDH_POLICE")
        planner.plan_agency(plan)
        return [
            (c.fir_number, c.registered_on, c.site.code, c.arrested, c.decided_on, [s.base for s in c.seizures])
            for c in plan.cases
        ]

    assert fingerprint() == fingerprint()


@pytest.mark.full_demo
@pytest.mark.skipif(os.environ.get("SURAGH_FULL_DEMO") != "1", reason="full-scale demo load: set SURAGH_FULL_DEMO=1")
@override_settings(PASSWORD_HASHERS=MD5)
def test_full_scale_matches_seed_000_and_its_trends_report_too():
    from suragh.stats.tests.test_trends import check_the_full_demos_report

    summary = load_demo(scale="full", password=PASSWORD, progress=quiet)
    assert figures.differences(figures.measured_totals(), figures.targets("full")) == []
    assert summary.counts["cases"] > 170_000
    assert verify_chain() is None
    check_the_full_demos_report()


def test_the_demo_has_field_reports_to_review_and_tips_to_triage(demo):
    from suragh.intake.models import FieldReport
    from suragh.tips.models import Tip

    supervisor, field, analyst = (
        User.objects.get(username=u) for u in ("supervisor.punjab", "field.punjab", "analyst.anf")
    )
    client = Client()
    client.force_login(supervisor)
    waiting = FieldReport.objects.filter(owning_unit__agency__code="PUNJAB_POLICE", status="submitted")
    assert waiting.count() == 3 and all(r.reported_by == field for r in waiting)
    queue = client.get("/field/review/").content.decode()
    assert all(f"/field/reports/{r.pk}/" in queue for r in waiting)
    accepted = FieldReport.objects.get(owning_unit__agency__code="PUNJAB_POLICE", status="accepted")
    assert accepted.case.investigating_officer.username == "io.punjab"
    assert accepted.case.evidence_items.filter(seizure=accepted.seizure).exists()
    returned = FieldReport.objects.get(owning_unit__agency__code="PUNJAB_POLICE", status="returned")
    assert returned.return_reason
    client.force_login(analyst)
    tips = Tip.objects.filter(agency__code="ANF")
    assert tips.count() == 3 and tips.exclude(reliability="").count() == 2
    triage = client.get(reverse("tips:queue")).content.decode()
    assert all(reverse("tips:detail", args=[t.pk]) in triage for t in tips)
    assert (
        FieldReport.objects.filter(is_synthetic=False).count() == 0
        and Tip.objects.filter(is_synthetic=False).count() == 0
    )


def test_the_demo_has_pakistans_published_crime_index_scores(demo):
    from suragh.assessments.figures import figures_of
    from suragh.assessments.models import Assessment

    pakistan = Assessment.objects.get(province__isnull=True, year=2021)
    figures = figures_of(pakistan).as_dict()
    assert (figures["criminality"], figures["resilience"]) == ("6.28", "4.00")


def test_the_cross_agency_persons_are_found_and_one_search_alerted_another_agency(demo):
    from collections import defaultdict

    from suragh.people.identity import identity_of
    from suragh.people.models import DeconflictionAlert, Identifier, MatchLink
    from suragh.people.profile import profile_of

    # Only the cross-agency persons share a CNIC or a phone: each such group must be one identity.
    groups = defaultdict(set)
    for pk, cnic in Person.objects.exclude(cnic="").values_list("pk", "cnic"):
        groups[("cnic", cnic)].add(pk)
    for pk, phone in Identifier.objects.filter(kind="phone").values_list("person_id", "normalized"):
        groups[("phone", phone)].add(pk)
    shared = [members for members in groups.values() if len(members) > 1]
    assert len(shared) >= 6
    # Found: merged into one identity, or joined by a pair waiting in the review queue.
    pending = MatchLink.objects.filter(state=MatchLink.State.PENDING).values_list("left_id", "right_id")
    queued = {frozenset((identity_of(a), identity_of(b))) for a, b in pending}
    for members in shared:
        identities = {identity_of(pk) for pk in members}
        assert len(identities) == 1 or (len(identities) == 2 and frozenset(identities) in queued), members
    alerts = DeconflictionAlert.objects.select_related("searcher_unit", "holder_unit", "grant")
    assert alerts and all(a.searcher_unit.agency_id != a.holder_unit.agency_id for a in alerts)
    # One search, an alert for each unit holding the man.
    assert len({(a.searched_by_id, a.created_at.date()) for a in alerts}) == 1
    alert = alerts.get(grant__isnull=False)
    # The searcher asked for access from the alert and was granted it: his profile of the man spans both agencies.
    assert alert.grant.status == "approved" and alert.grant.requested_by == alert.searched_by
    profile = profile_of(alert.searched_by, alert.person)
    assert {r.owning_unit.agency_id for r in profile.records} == {
        alert.searcher_unit.agency_id,
        alert.holder_unit.agency_id,
    }
