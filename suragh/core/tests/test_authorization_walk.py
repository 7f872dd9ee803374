"""The authorization walk: every URL pattern and API operation, as every role of three agencies,
against records of every distribution level, checked against a plain restatement of the rule.

A new URL pattern fails `test_every_endpoint_is_covered` until it is classified in ENDPOINTS, and
each class is walked by the tests below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from suragh.assessments.tests import walk as assessments_walk
from suragh.cases.actions import do_add_party
from suragh.conftest import LAB_OF, World, register_case, signed_in_clients
from suragh.core.choices import ENFORCEMENT_ROLES, Distribution, Role
from suragh.core.models import Unit
from suragh.evidence.actions import do_attach_photo, do_record_evidence_item, do_send_to_lab
from suragh.imports.tests import walk as imports_walk
from suragh.intake.tests import walk as intake_walk
from suragh.people.actions import PersonDetails, do_create_person
from suragh.people.tests import walk as people_walk
from suragh.seizures.actions import do_record_seizure
from suragh.stats.tests import walk as stats_walk
from suragh.tips.tests import walk as tips_walk

pytestmark = pytest.mark.django_db

# How each named URL pattern is walked. Admin patterns are walked as a namespace.
ENDPOINTS: dict[str, tuple[str, str | None]] = {
    "healthz": ("public", None),
    "login": ("public", None),
    "logout": ("signed_in_post", None),
    "home": ("signed_in", None),
    "cases:list": ("list", "case"),
    "cases:detail": ("detail", "case"),
    "people:list": ("list", "person"),
    "people:detail": ("detail", "person"),
    "seizures:list": ("list", "seizure"),
    "seizures:detail": ("detail", "seizure"),
    "core:grants": ("signed_in", None),
    "core:grant_request": ("signed_in", None),
    "core:grant_decide": ("grant_decision", None),
    "core:grant_revoke": ("grant_decision", None),
    "core:audit": ("auditor_only", None),
    "cases:change_status": ("case_write", "case"),
    "cases:assign": ("case_write", "case"),
    "cases:record_custody": ("case_write", "case"),
    "cases:record_verdict": ("case_write", "case"),
    "cases:file_appeal": ("case_write", "case"),
    "cases:decide_appeal": ("case_write", "case"),
    "cases:register": ("signed_in", None),
    "api-1.0.0:register_case": ("registration", None),
    "cases:add_party": ("case_write", "case"),
    "cases:record_seizure": ("case_write", "case"),
    "api-1.0.0:add_party": ("case_write", "case"),
    "api-1.0.0:record_seizure": ("case_write", "case"),
    "cases:submit_challan": ("case_write", "case"),
    "cases:fix_hearing": ("case_write", "case"),
    "cases:record_hearing": ("case_write", "case"),
    "cases:record_examination": ("case_write", "case"),
    "evidence:record_item": ("case_write", "case"),
    "evidence:item": ("detail", "item"),
    "evidence:photo": ("detail", "photo"),
    "evidence:lab_queue": ("list", "submission"),
    "evidence:submission": ("detail", "submission"),
    "evidence:hand_over": ("item_write", "item"),
    "evidence:attach_photo": ("item_write", "item"),
    "evidence:send_to_lab": ("item_write", "item"),
    "evidence:receive": ("lab_write", "submission"),
    "evidence:report": ("lab_write", "submission"),
    "api-1.0.0:submit_challan": ("case_write", "case"),
    "api-1.0.0:fix_hearing": ("case_write", "case"),
    "api-1.0.0:record_hearing": ("case_write", "case"),
    "api-1.0.0:record_examination": ("case_write", "case"),
    "api-1.0.0:record_item": ("case_write", "case"),
    "api-1.0.0:get_item": ("api_detail", "item"),
    "api-1.0.0:hand_over": ("item_write", "item"),
    "api-1.0.0:attach_photo": ("item_write", "item"),
    "api-1.0.0:send_to_lab": ("item_write", "item"),
    "api-1.0.0:list_submissions": ("api_list", "submission"),
    "api-1.0.0:get_submission": ("api_detail", "submission"),
    "api-1.0.0:receive": ("lab_write", "submission"),
    "api-1.0.0:report": ("lab_write", "submission"),
    "api-1.0.0:file_appeal": ("case_write", "case"),
    "api-1.0.0:decide_appeal": ("case_write", "case"),
    "api-1.0.0:record_verdict": ("case_write", "case"),
    "api-1.0.0:record_custody": ("case_write", "case"),
    "api-1.0.0:change_case_status": ("case_write", "case"),
    "api-1.0.0:assign_case": ("case_write", "case"),
    "api-1.0.0:api-root": ("public", None),
    "api-1.0.0:openapi-json": ("public", None),
    "api-1.0.0:openapi-view": ("public", None),
    "api-1.0.0:issue_token": ("token", None),
    "api-1.0.0:list_cases": ("api_list", "case"),
    "api-1.0.0:get_case": ("api_detail", "case"),
    "api-1.0.0:list_persons": ("api_list", "person"),
    "api-1.0.0:get_person": ("api_detail", "person"),
    "api-1.0.0:list_seizures": ("api_list", "seizure"),
    "api-1.0.0:get_seizure": ("api_detail", "seizure"),
    "work:list": ("signed_in", None),
    "api-1.0.0:my_work": ("signed_in", None),
}
# Apps walk their own records' endpoints in their own test_walk.py and classify them here.
for _app_walk in (intake_walk, imports_walk, tips_walk, assessments_walk, stats_walk, people_walk):
    ENDPOINTS.update(_app_walk.ENDPOINTS)


def named_patterns(patterns=None, namespace: str = "") -> list[str]:
    names = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names += named_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            names.append(f"{namespace}{entry.name}" if entry.name else f"{namespace}<unnamed {entry.pattern}>")
    return names


def test_every_endpoint_is_covered():
    uncovered = sorted(n for n in set(named_patterns()) if not n.startswith("admin:") and n not in ENDPOINTS)
    assert uncovered == [], f"classify these endpoints in ENDPOINTS and walk them: {uncovered}"


@dataclass
class Subject:
    """One record of the walk with what the rule needs to know about it."""

    kind: str  # case | person | seizure
    record: object
    owner: str  # owning agency code
    distribution: str
    case: object = None  # the case a person or seizure belongs to
    sensitive: bool = False  # victim, informant or juvenile
    marker: str = ""  # text that appears only when the record's identity is shown


DISTRIBUTIONS = [Distribution.UNIT, Distribution.AGENCY, Distribution.SHARING_GROUP, Distribution.ALL_AGENCIES]


@pytest.fixture
def walk(world: World) -> list[Subject]:
    subjects: list[Subject] = []
    for owner in ("ANF", "PUNJAB_POLICE"):
        aw = world.agencies[owner]
        io = aw.users[Role.INVESTIGATING_OFFICER]
        for distribution in DISTRIBUTIONS:
            group = world.group if distribution == Distribution.SHARING_GROUP else None
            case = register_case(aw, distribution, group=group, fir=f"W-{owner[:3]}-{distribution}/2024")
            if distribution == Distribution.AGENCY:
                case.prosecutor = aw.users[Role.PROSECUTOR]
                case.save(update_fields=["prosecutor"])
            subjects.append(Subject("case", case, owner, distribution, case, marker=case.fir_number))
            for role, sensitive, age in (("accused", False, 34), ("victim", True, 29), ("accused", True, 16)):
                if sensitive and role == "accused" and distribution != Distribution.ALL_AGENCIES:
                    continue  # one juvenile accused, on the most widely shared case
                name = f"Walk {owner[:3]} {distribution} {role} {age}"
                person = do_create_person(
                    PersonDetails(name_latin=name, age_years=age, sex="M"),
                    owning_unit=aw.child_unit,
                    distribution=distribution,
                    sharing_group=group,
                    as_of=date(2024, 3, 1),
                    acting_user=io,
                )
                do_add_party(case, person, role, acting_user=io)
                subjects.append(Subject("person", person, owner, distribution, case, sensitive, name))
            seizure = do_record_seizure(
                owning_unit=aw.child_unit,
                seized_on=date(2024, 3, 1),
                substance_code="heroin",
                quantity="1.5",
                unit="kg",
                district_pcode=case.district.pcode,
                case=case,
                distribution=distribution,
                sharing_group=group,
                acting_user=io,
            )
            subjects.append(Subject("seizure", seizure, owner, distribution, case))
            parcel = do_record_evidence_item(
                case,
                label="P-1",
                description="Walk parcel",
                seal_number=f"SEAL-{case.fir_number}",
                sealed_at=at(2024, 3, 1, 10),
                net_weight_g=Decimal("1500"),
                seizure=seizure,
                acting_user=io,
            )
            sample = do_record_evidence_item(
                case,
                label="S-1",
                description="Walk sample",
                seal_number=f"SAMPLE-{case.fir_number}",
                sealed_at=at(2024, 3, 1, 11),
                net_weight_g=Decimal("10"),
                drawn_from=parcel,
                acting_user=io,
            )
            subjects.append(Subject("item", sample, owner, distribution, case, marker=sample.seal_number))
            submission = do_send_to_lab(
                sample,
                lab=Unit.objects.get(code=LAB_OF[owner]),
                test_memo_reference=f"TM-{case.fir_number}",
                sent_at=at(2024, 3, 2, 9),
                carrier_name="Constable Walk 1",
                acting_user=io,
            )
            subjects.append(
                Subject("submission", submission, owner, distribution, case, marker=submission.test_memo_reference)
            )
            photo = do_attach_photo(sample, png_upload(case.pk), acting_user=io)
            subjects.append(Subject("photo", photo, owner, distribution, case))
    return subjects


def at(*parts: int) -> datetime:
    return timezone.make_aware(datetime(*parts))


def png_upload(seed: int) -> SimpleUploadedFile:
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 4), (seed % 256, 80, 120)).save(buffer, format="PNG")
    return SimpleUploadedFile(f"parcel-{seed}.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def unit_side(user, record) -> bool:
    unit = record.owning_unit
    if user.role == Role.SUPERVISOR:
        return unit.path.startswith(user.unit.path)
    return unit.pk == user.unit_id


def reaches(user, subject: Subject, world: World) -> bool:
    """Distribution alone: does the record's distribution reach the user's agency?"""
    agency = user.unit.agency.code
    return {
        Distribution.UNIT: False,
        Distribution.AGENCY: agency == subject.owner,
        Distribution.SHARING_GROUP: agency in {"ANF", "PUNJAB_POLICE"},
        Distribution.ALL_AGENCIES: True,
    }[subject.distribution]


def assigned(user, case) -> bool:
    return (user.role == Role.PROSECUTOR and case.prosecutor_id == user.pk) or (
        user.role == Role.INVESTIGATING_OFFICER and case.investigating_officer_id == user.pk
    )


def sees_sensitive_of(user, case) -> bool:
    return (user.role in ENFORCEMENT_ROLES and unit_side(user, case)) or assigned(user, case)


def case_visible(user, subject: Subject, world: World) -> bool:
    case = subject.case
    if user.role in ENFORCEMENT_ROLES and (unit_side(user, case) or reaches(user, subject, world)):
        return True
    return assigned(user, case)


def at_lab(user, owner: str) -> bool:
    """A forensic analyst sees what was sent to their laboratory: the walk sends each agency's samples to one."""
    return user.role == Role.FORENSIC_ANALYST and user.unit.code == LAB_OF[owner]


def expected_visible(user, subject: Subject, world: World, case_subjects: dict) -> bool:
    """The rule, restated plainly from DESIGN.md."""
    if subject.kind in ("item", "submission", "photo"):
        return case_visible(user, case_subjects[subject.case.pk], world) or at_lab(user, subject.owner)
    enforcement = user.role in ENFORCEMENT_ROLES
    own = enforcement and unit_side(user, subject.record)
    if subject.kind == "case":
        return case_visible(user, subject, world)
    if subject.kind == "seizure":
        return own or (enforcement and reaches(user, subject, world)) or assigned(user, subject.case)
    # A person: their own record, or through the case they are on.
    case_subject = case_subjects[subject.case.pk]
    if subject.sensitive:
        return own or sees_sensitive_of(user, subject.case)
    return own or (enforcement and reaches(user, subject, world)) or case_visible(user, case_subject, world)


def all_users(world: World):
    for aw in world.agencies.values():
        yield from aw.users.values()


DETAIL_URL = {
    "case": "cases:detail",
    "person": "people:detail",
    "seizure": "seizures:detail",
    "item": "evidence:item",
    "submission": "evidence:submission",
    "photo": "evidence:photo",
}
API_DETAIL = {
    "case": "/api/v1/cases/{}",
    "person": "/api/v1/persons/{}",
    "seizure": "/api/v1/seizures/{}",
    "item": "/api/v1/evidence/items/{}",
    "submission": "/api/v1/evidence/lab-submissions/{}",
}
API_LIST = {
    "case": "/api/v1/cases?limit=500",
    "person": "/api/v1/persons?limit=500",
    "seizure": "/api/v1/seizures?limit=500",
    "submission": "/api/v1/evidence/lab-submissions?limit=500",
}
WEB_LIST = {
    "case": "cases:list",
    "person": "people:list",
    "seizure": "seizures:list",
    "submission": "evidence:lab_queue",
}


def test_detail_pages_and_api_answer_only_what_the_rule_allows(world, walk):
    """Every record's page and API answer as the rule says; on the cases a user opens, victims and juveniles are
    redacted outside the owning side. The redaction is read from the same answers, so each page is asked for once."""
    case_subjects = {s.record.pk: s for s in walk if s.kind == "case"}
    sensitive = [s for s in walk if s.kind == "person" and s.sensitive]
    failures = []
    for user, client in signed_in_clients(all_users(world)).items():
        case_pages = {}
        for subject in walk:
            visible = expected_visible(user, subject, world, case_subjects)
            urls = [reverse(DETAIL_URL[subject.kind], args=[subject.record.pk])]
            if subject.kind in API_DETAIL:
                urls.append(API_DETAIL[subject.kind].format(subject.record.pk))
            for url in urls:
                response = client.get(url)
                expected = 200 if visible else 404
                if subject.kind == "case":
                    case_pages[url] = response.content.decode()
                if response.status_code != expected:
                    failures.append(f"{user.username} {url}: {response.status_code}, expected {expected}")
                elif not visible and subject.marker and subject.marker in response.content.decode():
                    failures.append(f"{user.username} {url}: 404 page names the record")
        failures += redaction_failures(user, sensitive, case_subjects, case_pages, world)
    assert failures == [], "\n".join(failures)


def redaction_failures(user, sensitive: list[Subject], case_subjects: dict, case_pages: dict, world: World):
    """Victims and juveniles are named on a case the user sees only for its owning side and who is assigned to it."""
    failures = []
    for subject in sensitive:
        if not case_visible(user, case_subjects[subject.case.pk], world):
            continue
        reveal = sees_sensitive_of(user, subject.case)
        for url in (reverse("cases:detail", args=[subject.case.pk]), f"/api/v1/cases/{subject.case.pk}"):
            shown = subject.marker in case_pages[url]
            if shown != reveal:
                failures.append(f"{user.username} {url}: {subject.marker} shown={shown}, expected {reveal}")
    return failures


def test_lists_show_exactly_the_visible_records(client, world, walk):
    case_subjects = {s.record.pk: s for s in walk if s.kind == "case"}
    failures = []
    for user in all_users(world):
        client.force_login(user)
        for kind in ("case", "person", "seizure", "submission"):
            mine = [s for s in walk if s.kind == kind]
            expected = {s.record.pk for s in mine if expected_visible(user, s, world, case_subjects)}
            response = client.get(API_LIST[kind])
            assert response.status_code == 200
            got = {item["id"] for item in response.json()["items"]} & {s.record.pk for s in mine}
            if got != expected:
                failures.append(f"API {kind}s for {user.username}: extra {got - expected}, missing {expected - got}")
            page = client.get(reverse(WEB_LIST[kind]) + "?per_page=500")
            if page.status_code == 404:
                # Roles without record lists (policy, auditor, admins …) must have nothing to list.
                if expected:
                    failures.append(f"web {kind} list 404 for {user.username} who may see {expected}")
                continue
            html = page.content.decode()
            shown = {s.record.pk for s in mine if reverse(DETAIL_URL[kind], args=[s.record.pk]) + '"' in html}
            if shown != expected:
                failures.append(
                    f"web {kind}s for {user.username}: extra {shown - expected}, missing {expected - shown}"
                )
        client.logout()
    assert failures == [], "\n".join(failures)


WRITE_KWARG = {
    "case_write": ("case_id", "case"),
    "item_write": ("item_id", "item"),
    "lab_write": ("submission_id", "submission"),
}


def test_signed_out_visitors_reach_only_public_pages(client, walk):
    for name, (kind, model) in ENDPOINTS.items():
        if kind in ("detail", "api_detail"):
            subject = next(s for s in walk if s.kind == model)
            url = (
                reverse(DETAIL_URL[model], args=[subject.record.pk])
                if kind == "detail"
                else API_DETAIL[model].format(subject.record.pk)
            )
        elif kind in ("list", "signed_in", "auditor_only"):
            url = reverse(name)
        elif kind == "api_list":
            url = API_LIST[model]
        elif kind == "registration":
            assert client.post("/api/v1/cases", {}, content_type="application/json").status_code == 401
            continue
        elif kind in WRITE_KWARG:
            kwarg, subject_kind = WRITE_KWARG[kind]
            record = next(s.record for s in walk if s.kind == subject_kind)
            url = reverse(name, kwargs={kwarg: record.pk})
            response = client.post(url, {}, content_type="application/json")
            assert response.status_code == (401 if name.startswith("api-") else 302), url
            continue
        else:
            continue
        response = client.get(url)
        if name.startswith("api-"):
            assert response.status_code == 401, url
        else:
            assert response.status_code == 302 and "/login/" in response["Location"], url


def test_the_audit_trail_opens_for_auditors_alone(client, world):
    for user in all_users(world):
        client.force_login(user)
        expected = 200 if user.role == Role.AUDITOR else 404
        assert client.get(reverse("core:audit")).status_code == expected, user.username


def test_the_admin_opens_for_admins_alone(client, world):
    for user in all_users(world):
        client.force_login(user)
        response = client.get(reverse("admin:index"))
        if user.role in (Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN):
            assert response.status_code == 200, user.username
        else:
            assert response.status_code == 302, user.username


def test_an_approved_grant_opens_one_record_until_it_expires(client, world, walk):
    from datetime import timedelta

    from django.utils import timezone

    from suragh.core.actions import do_decide_access_grant, do_request_access_grant

    hidden = next(s.record for s in walk if s.kind == "case" and s.owner == "ANF" and s.distribution == "unit")
    sindh_analyst = world.agencies["SINDH_POLICE"].users[Role.ANALYST]
    anf_supervisor = world.agencies["ANF"].users[Role.SUPERVISOR]
    client.force_login(sindh_analyst)
    url = f"/api/v1/cases/{hidden.pk}"
    assert client.get(url).status_code == 404
    grant = do_request_access_grant(hidden, reason="Same CNIC in our FIR 12/2024", acting_user=sindh_analyst)
    assert client.get(url).status_code == 404
    do_decide_access_grant(
        grant, approve=True, expires_at=timezone.now() + timedelta(days=7), acting_user=anf_supervisor
    )
    body = client.get(url).json()
    assert body["fir_number"] == hidden.fir_number
    assert all(p["redacted"] for p in body["parties"] if p["role"] == "victim")
    grant.expires_at = timezone.now() - timedelta(seconds=1)
    grant.save(update_fields=["expires_at"])
    assert client.get(url).status_code == 404


def test_only_the_owning_units_supervisor_decides_or_revokes_a_grant(client, world, walk):
    from suragh.core.actions import do_request_access_grant
    from suragh.core.choices import GrantStatus

    hidden = next(s.record for s in walk if s.kind == "case" and s.owner == "ANF" and s.distribution == "unit")
    grant = do_request_access_grant(
        hidden, reason="Same CNIC in our FIR 12/2024", acting_user=world.agencies["SINDH_POLICE"].users[Role.ANALYST]
    )
    decider = world.agencies["ANF"].users[Role.SUPERVISOR]
    for name, data, after in (
        ("core:grant_decide", {"decision": "approve"}, GrantStatus.APPROVED),
        ("core:grant_revoke", {}, GrantStatus.REVOKED),
    ):
        url = reverse(name, args=[grant.pk])
        for user in all_users(world):
            if user == decider:
                continue
            client.force_login(user)
            assert client.post(url, data).status_code == 404, f"{user.username} {name}"
            client.logout()
            grant.refresh_from_db()
            assert grant.status != after, f"{user.username} changed the grant through {name}"
        client.force_login(decider)
        assert client.post(url, data).status_code == 302
        client.logout()
        grant.refresh_from_db()
        assert grant.status == after


CASE_WRITES = {
    # write: (web URL name, API URL for a case id, the form's fields), taken in this order
    "status": ("cases:change_status", "/api/v1/cases/{}/status", {"status": "under_investigation", "on": "2024-03-02"}),
    "party": (
        "cases:add_party",
        "/api/v1/cases/{}/parties",
        {"role": "witness", "name_latin": "Walk Witness Two", "father_or_husband_name": "Walk Father", "sex": "M"},
    ),
    "seizure": (
        "cases:record_seizure",
        "/api/v1/cases/{}/seizures",
        {"substance": "charas", "quantity": "2.5", "unit": "kg", "seized_on": "2024-03-01"},
    ),
    "custody": ("cases:record_custody", "/api/v1/cases/{}/custody", {"kind": "arrest", "on": "2024-03-01"}),
    "evidence_item": (
        "evidence:record_item",
        "/api/v1/evidence/cases/{}/items",
        {"label": "W-2", "description": "Second parcel", "seal_number": "WALK-2", "sealed_at": "2024-03-01T12:00"},
    ),
    "challan": (
        "cases:submit_challan",
        "/api/v1/cases/{}/challans",
        {"kind": "final", "submitted_on": "2024-03-02", "court": "CNS_SPECIAL_COURTS-LAHORE"},
    ),
    "hearing": ("cases:fix_hearing", "/api/v1/cases/{}/hearings", {"on": "2024-03-03", "purpose": "charge"}),
    "hearing_outcome": (
        "cases:record_hearing",
        "/api/v1/cases/{}/hearing-outcomes",
        {"outcome": "adjourned_defence", "next_on": "2024-03-20", "next_purpose": "prosecution_evidence"},
    ),
    "verdict": (
        "cases:record_verdict",
        "/api/v1/cases/{}/verdicts",
        {"outcome": "acquitted", "decided_on": "2024-03-05", "acquittal_reasons": "benefit_of_doubt"},
    ),
    "examination": (
        "cases:record_examination",
        "/api/v1/cases/{}/witness-examinations",
        {"examined_on": "2024-03-04", "called_by": "state", "turned_hostile": True},
    ),
    "appeal": (
        "cases:file_appeal",
        "/api/v1/cases/{}/appeals",
        {"appellant": "accused", "forum": "Lahore High Court", "filed_on": "2024-03-10"},
    ),
    "appeal_decision": (
        "cases:decide_appeal",
        "/api/v1/cases/{}/appeal-decisions",
        {"outcome": "upheld", "decided_on": "2024-04-10"},
    ),
    "assign": ("cases:assign", "/api/v1/cases/{}/assignment", {"reason": "Reassigned for the walk"}),
}
INVESTIGATION_WRITES = {"status", "custody", "evidence_item", "challan"}
# Putting people and seizures on a case is for whoever records for the owning unit.
RECORD_WRITES = {"party", "seizure"}
TRIAL_WRITES = {"hearing", "hearing_outcome", "verdict", "examination", "appeal", "appeal_decision"}


def supervises(user, case) -> bool:
    return user.role == Role.SUPERVISOR and case.owning_unit.path.startswith(user.unit.path)


def may_write(user, case, write: str) -> bool:
    """Restated: a supervisor over the owning unit may do all; the assigned IO the investigation's steps, the
    assigned prosecutor the trial's."""
    if write == "assign":
        return supervises(user, case)
    if write in RECORD_WRITES:
        records = user.role in (Role.FIELD_OFFICER, Role.INVESTIGATING_OFFICER) and user.unit_id == case.owning_unit_id
        return supervises(user, case) or records
    if write in TRIAL_WRITES:
        return supervises(user, case) or (user.role == Role.PROSECUTOR and case.prosecutor_id == user.pk)
    assert write in INVESTIGATION_WRITES, write
    return supervises(user, case) or (
        user.role == Role.INVESTIGATING_OFFICER and case.investigating_officer_id == user.pk
    )


def api_shape(write: str, form: dict) -> dict:
    """The web form's fields as the API names them."""
    renamed = {"party": "party_id", "hearing": "hearing_id", "appeal": "appeal_id", "accused": "accused_party_ids"}
    shaped = {renamed.get(k, k): v for k, v in form.items()}
    if write == "assign":
        return {k: (v or None) for k, v in form.items()}
    if write == "verdict":
        shaped["acquittal_reasons"] = [shaped["acquittal_reasons"]]
    if write == "appeal":
        from suragh.cases.models import Verdict

        shaped["party_id"] = Verdict.objects.get(pk=shaped.pop("verdict")).party_id
    return shaped


def snapshot(case) -> tuple:
    from suragh.cases.models import Appeal, CustodyEvent, Verdict, WitnessExamination

    case.refresh_from_db()
    return (
        list(Appeal.objects.filter(verdict__party__case=case).values_list("outcome", flat=True)),
        case.status,
        case.investigating_officer_id,
        case.prosecutor_id,
        case.status_history.count(),
        CustodyEvent.objects.filter(party__case=case).count(),
        Verdict.objects.filter(party__case=case).count(),
        case.evidence_items.count(),
        case.challans.count(),
        list(case.hearings.values_list("on", "outcome")),
        WitnessExamination.objects.filter(party__case=case).count(),
        case.parties.count(),
        case.seizures.count(),
    )


def walk_write(
    clients: dict, failures, *, label, allowed, visible, web_url, api_url, body, api_body, state, multipart=False
):
    """Everyone but the allowed changes nothing: the web answers 400 (or 404 when they may not see the record),
    the API 422 (or 404). Then one allowed user succeeds through the API.

    The record's state is read once around all the refused attempts. Only when it moved are the attempts replayed
    from a savepoint taken before them, one user at a time, to name who changed it."""

    def attempt(client):
        web = client.post(web_url, body() if multipart else body)
        if multipart:
            return web, client.post(api_url, api_body())
        return web, client.post(api_url, api_body, content_type="application/json")

    refused = [user for user in clients if user not in allowed]
    before = state()
    savepoint = transaction.savepoint()
    for user in refused:
        web, api = attempt(clients[user])
        expected = (400, 422) if visible(user) else (404, 404)
        if (web.status_code, api.status_code) != expected:
            failures.append(f"{user.username} {label}: {web.status_code}/{api.status_code}, expected {expected}")
    if state() != before:
        transaction.savepoint_rollback(savepoint)
        for user in refused:
            ahead = state()
            attempt(clients[user])
            if state() != ahead:
                failures.append(f"{user.username} changed {label}")
    else:
        transaction.savepoint_commit(savepoint)
    client = clients[allowed[0]]
    response = (
        client.post(api_url, api_body())
        if multipart
        else client.post(api_url, api_body, content_type="application/json")
    )
    if response.status_code != 200:
        failures.append(f"{allowed[0].username} {label}: {response.status_code} {response.content[:300]}")


# The writes are walked on ANF's case that only its unit sees and Punjab Police's case that every agency sees:
# between them every user meets a case they see and one they do not, of their own agency and of another.
WRITE_TARGETS = {("ANF", Distribution.UNIT), ("PUNJAB_POLICE", Distribution.ALL_AGENCIES)}


def test_case_steps_and_assignments_are_taken_only_by_whose_they_are(world, walk):
    from suragh.cases.models import Appeal, Case, Hearing, Verdict

    case_subjects = {s.record.pk: s for s in walk if s.kind == "case" and (s.owner, s.distribution) in WRITE_TARGETS}
    failures = []
    clients = signed_in_clients(all_users(world))
    for subject in case_subjects.values():
        case = subject.record
        owner = world.agencies[subject.owner]
        Case.objects.filter(pk=case.pk).update(prosecutor=owner.users[Role.PROSECUTOR])
        for write, (web_name, api_url, body) in CASE_WRITES.items():
            case.refresh_from_db()
            accused = case.parties.filter(role="accused", person__is_juvenile=False).first()
            if write == "assign":
                body = {**body, "investigating_officer": "", "prosecutor": ""}
            if write in ("custody", "verdict"):
                body = {**body, "party": accused.pk}
            if write == "challan":
                body = {**body, "accused": [accused.pk]}
            if write == "hearing_outcome":
                body = {**body, "hearing": Hearing.objects.get(case=case, outcome="").pk}
            if write == "examination":
                body = {**body, "party": case.parties.get(role="victim").pk}
            if write == "verdict":  # the trial has begun
                Case.objects.filter(pk=case.pk).update(status="on_trial", status_on=date(2024, 3, 3))
                case.refresh_from_db()
            if write == "appeal":  # the verdict the walk recorded is appealed
                Case.objects.filter(pk=case.pk).update(status="decided", status_on=date(2024, 3, 6))
                case.refresh_from_db()
                body = {**body, "verdict": Verdict.objects.get(party__case=case).pk}
            if write == "appeal_decision":
                body = {**body, "appeal": Appeal.objects.get(verdict__party__case=case).pk}
            walk_write(
                clients,
                failures,
                label=f"{write} case {case.pk}",
                allowed=[u for u in all_users(world) if may_write(u, case, write)],
                visible=lambda user, subject=subject: case_visible(user, subject, world),
                web_url=reverse(web_name, args=[case.pk]),
                api_url=api_url.format(case.pk),
                body=body,
                api_body=api_shape(write, body),
                state=lambda case=case: snapshot(case),
            )
    assert failures == [], "\n".join(failures)


def test_evidence_and_laboratory_steps_are_taken_only_by_whose_they_are(world, walk):
    """Hand-overs, dispatch and photos are the investigation's; receipt and report the laboratory's."""
    from suragh.evidence.actions import current_holder, officer_name

    case_subjects = {s.record.pk: s for s in walk if s.kind == "case"}
    failures = []
    clients = signed_in_clients(all_users(world))
    for subject in walk:
        if subject.kind != "submission" or (subject.owner, subject.distribution) not in WRITE_TARGETS:
            continue
        submission, case = subject.record, subject.case
        parcel = case.evidence_items.get(label="P-1")
        io = world.agencies[subject.owner].users[Role.INVESTIGATING_OFFICER]
        holder = current_holder(parcel)
        assert holder.name == officer_name(io)

        def state(item=parcel, submission=submission):
            submission.refresh_from_db()
            has_report = hasattr(submission, "report") and submission.report is not None
            return (
                item.chain.count(),
                item.photos.count(),
                item.lab_submissions.count(),
                submission.received_at,
                has_report,
            )

        def item_visible(user, subject=subject, item=parcel):
            """Once the parcel is sent to a laboratory, that laboratory's analysts see it too."""
            sent = at_lab(user, subject.owner) and item.lab_submissions.exists()
            return sent or case_visible(user, case_subjects[subject.case.pk], world)

        investigators = [u for u in all_users(world) if may_write(u, case, "custody")]
        hand_over = {
            "at": "2024-03-01T18:00",
            "purpose": "deposit",
            "from_unit": holder.unit_id,
            "from_name": holder.name,
            "to_unit": case.owning_unit_id,
            "to_name": "HC Walk 7, Moharrir",
            "seal_intact": "on",
        }
        unit_code = Unit.objects.get(pk=holder.unit_id).code
        api_hand_over = {**hand_over, "from_unit": unit_code, "to_unit": case.owning_unit.code, "seal_intact": True}
        send = {
            "lab": "",
            "test_memo_reference": "TM-WALK-P1",
            "sent_at": "2024-03-02T10:00",
            "carrier_name": "Constable Walk 2",
        }
        lab = Unit.objects.get(code=LAB_OF[subject.owner])
        for label, web, api, body, api_body, multipart in (
            (
                "hand-over",
                "evidence:hand_over",
                "/api/v1/evidence/items/{}/hand-overs",
                hand_over,
                api_hand_over,
                False,
            ),
            (
                "send",
                "evidence:send_to_lab",
                "/api/v1/evidence/items/{}/lab-submissions",
                {**send, "lab": lab.pk},
                {**send, "lab": lab.code},
                False,
            ),
            (
                "photo",
                "evidence:attach_photo",
                "/api/v1/evidence/items/{}/photos",
                lambda: {"photo": png_upload(7)},
                lambda: {"photo": png_upload(9)},
                True,
            ),
        ):
            walk_write(
                clients,
                failures,
                label=f"{label} item {parcel.pk}",
                allowed=investigators,
                visible=item_visible,
                web_url=reverse(web, args=[parcel.pk]),
                api_url=api.format(parcel.pk),
                body=body,
                api_body=api_body,
                state=state,
                multipart=multipart,
            )

        analysts = [u for u in all_users(world) if at_lab(u, subject.owner)]
        for label, web, api, body in (
            (
                "receipt",
                "evidence:receive",
                "/api/v1/evidence/lab-submissions/{}/receipt",
                {"received_at": "2024-03-03T09:00", "seal_intact": True},
            ),
            (
                "report",
                "evidence:report",
                "/api/v1/evidence/lab-submissions/{}/report",
                {
                    "reported_at": "2024-03-10T09:00",
                    "substance_confirmed": True,
                    "substance_code": "heroin",
                    "purity_percent": "61.5",
                },
            ),
        ):
            walk_write(
                clients,
                failures,
                label=f"{label} submission {submission.pk}",
                allowed=analysts,
                visible=lambda user, subject=subject: item_visible(user) or at_lab(user, subject.owner),
                web_url=reverse(web, args=[submission.pk]),
                api_url=api.format(submission.pk),
                body={k: ("on" if v is True else v) for k, v in body.items()},
                api_body=body,
                state=state,
            )
    assert failures == [], "\n".join(failures)


def test_cases_are_registered_only_by_those_who_record_for_a_unit(client, world):
    """Field officers, IOs and supervisors register FIRs for their unit (a supervisor also below it); every other
    role finds no registration page and the API refuses them, storing nothing."""
    from suragh.cases.models import Case

    failures = []
    for number, user in enumerate(all_users(world)):
        client.force_login(user)
        may = user.role in (Role.FIELD_OFFICER, Role.INVESTIGATING_OFFICER, Role.SUPERVISOR)
        page = client.get(reverse("cases:register"))
        if page.status_code != (200 if may else 404):
            failures.append(f"{user.username} registration page: {page.status_code}")
        before = Case.objects.count()
        body = {
            "fir_number": f"REG-{number}/2024",
            "registered_on": "2024-03-01",
            "district": (user.unit.district.pcode if user.unit_id and user.unit.district_id else "PK617"),
            "offences": ["CNSA-9(c)"],
        }
        response = client.post("/api/v1/cases", body, content_type="application/json")
        if response.status_code != (200 if may else 422):
            failures.append(f"{user.username} API registration: {response.status_code} {response.content[:200]}")
        if Case.objects.count() != before + (1 if may else 0):
            failures.append(f"{user.username} API registration stored {Case.objects.count() - before} cases")
        if may and client.post("/api/v1/cases", body, content_type="application/json").status_code != 422:
            failures.append(f"{user.username}: the same FIR registered twice")
        client.logout()
    assert failures == [], "\n".join(failures)
