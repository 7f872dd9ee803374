"""The authorization walk: every URL pattern and API operation, as every role of three agencies,
against records of every distribution level, checked against a plain restatement of the rule.

A new URL pattern fails `test_every_endpoint_is_covered` until it is classified in ENDPOINTS, and
each class is walked by the tests below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from suragh.cases.actions import do_add_party
from suragh.conftest import World, register_case
from suragh.core.choices import ENFORCEMENT_ROLES, Distribution, Role
from suragh.people.actions import PersonDetails, do_create_person
from suragh.seizures.actions import do_record_seizure

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
}


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
    return subjects


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


def expected_visible(user, subject: Subject, world: World, case_subjects: dict) -> bool:
    """The rule, restated plainly from DESIGN.md."""
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


DETAIL_URL = {"case": "cases:detail", "person": "people:detail", "seizure": "seizures:detail"}
API_DETAIL = {"case": "/api/v1/cases/{}", "person": "/api/v1/persons/{}", "seizure": "/api/v1/seizures/{}"}
API_LIST = {
    "case": "/api/v1/cases?limit=500",
    "person": "/api/v1/persons?limit=500",
    "seizure": "/api/v1/seizures?limit=500",
}
WEB_LIST = {"case": "cases:list", "person": "people:list", "seizure": "seizures:list"}


def test_detail_pages_and_api_answer_only_what_the_rule_allows(client, world, walk):
    case_subjects = {s.record.pk: s for s in walk if s.kind == "case"}
    failures = []
    for user in all_users(world):
        client.force_login(user)
        for subject in walk:
            visible = expected_visible(user, subject, world, case_subjects)
            for url in (
                reverse(DETAIL_URL[subject.kind], args=[subject.record.pk]),
                API_DETAIL[subject.kind].format(subject.record.pk),
            ):
                response = client.get(url)
                expected = 200 if visible else 404
                if response.status_code != expected:
                    failures.append(f"{user.username} {url}: {response.status_code}, expected {expected}")
                elif not visible and subject.marker and subject.marker in response.content.decode():
                    failures.append(f"{user.username} {url}: 404 page names the record")
        client.logout()
    assert failures == [], "\n".join(failures)


def test_lists_show_exactly_the_visible_records(client, world, walk):
    case_subjects = {s.record.pk: s for s in walk if s.kind == "case"}
    failures = []
    for user in all_users(world):
        client.force_login(user)
        for kind in ("case", "person", "seizure"):
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


def test_victims_and_juveniles_are_redacted_on_the_case_outside_the_owning_side(client, world, walk):
    failures = []
    sensitive = [s for s in walk if s.kind == "person" and s.sensitive]
    case_subjects = {s.record.pk: s for s in walk if s.kind == "case"}
    for user in all_users(world):
        client.force_login(user)
        for subject in sensitive:
            if not case_visible(user, case_subjects[subject.case.pk], world):
                continue
            reveal = sees_sensitive_of(user, subject.case)
            for url in (reverse("cases:detail", args=[subject.case.pk]), f"/api/v1/cases/{subject.case.pk}"):
                shown = subject.marker in client.get(url).content.decode()
                if shown != reveal:
                    failures.append(f"{user.username} {url}: {subject.marker} shown={shown}, expected {reveal}")
        client.logout()
    assert failures == [], "\n".join(failures)


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
        elif kind == "case_write":
            case = next(s.record for s in walk if s.kind == "case")
            url = reverse(name, kwargs={"case_id": case.pk})
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
    "custody": ("cases:record_custody", "/api/v1/cases/{}/custody", {"kind": "arrest", "on": "2024-03-01"}),
    "verdict": (
        "cases:record_verdict",
        "/api/v1/cases/{}/verdicts",
        {"outcome": "acquitted", "decided_on": "2024-03-05", "acquittal_reasons": "benefit_of_doubt"},
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


def may_write(user, case, write: str) -> bool:
    """Restated: a supervisor over the owning unit may do all; the assigned IO the investigation's steps and custody,
    the assigned prosecutor the verdict and its appeals."""
    supervises = user.role == Role.SUPERVISOR and case.owning_unit.path.startswith(user.unit.path)
    if write == "assign":
        return supervises
    if write in ("verdict", "appeal", "appeal_decision"):
        return supervises or (user.role == Role.PROSECUTOR and case.prosecutor_id == user.pk)
    # status and custody
    return supervises or (user.role == Role.INVESTIGATING_OFFICER and case.investigating_officer_id == user.pk)


def api_shape(write: str, form: dict) -> dict:
    """The web form's fields as the API names them."""
    if write == "assign":
        return {k: (v or None) for k, v in form.items()}
    if write in ("custody", "verdict"):
        shaped = {("party_id" if k == "party" else k): v for k, v in form.items()}
        if write == "verdict":
            shaped["acquittal_reasons"] = [shaped["acquittal_reasons"]]
        return shaped
    if write == "appeal":
        from suragh.cases.models import Verdict

        return {
            **{k: v for k, v in form.items() if k != "verdict"},
            "party_id": Verdict.objects.get(pk=form["verdict"]).party_id,
        }
    if write == "appeal_decision":
        return {**{k: v for k, v in form.items() if k != "appeal"}, "appeal_id": form["appeal"]}
    return form


def snapshot(case) -> tuple:
    from suragh.cases.models import Appeal, CustodyEvent, Verdict

    case.refresh_from_db()
    custody = CustodyEvent.objects.filter(party__case=case).count()
    verdicts = Verdict.objects.filter(party__case=case).count()
    appeals = list(Appeal.objects.filter(verdict__party__case=case).values_list("outcome", flat=True))
    return (
        appeals,
        case.status,
        case.investigating_officer_id,
        case.prosecutor_id,
        case.status_history.count(),
        custody,
        verdicts,
    )


def test_case_steps_and_assignments_are_taken_only_by_whose_they_are(client, world, walk):
    from suragh.cases.models import Appeal, Case, Verdict

    case_subjects = {s.record.pk: s for s in walk if s.kind == "case"}
    failures = []
    for subject in case_subjects.values():
        case = subject.record
        for write, (web_name, api_url, body) in CASE_WRITES.items():
            case.refresh_from_db()
            if write == "assign":
                body = {**body, "investigating_officer": "", "prosecutor": ""}
            if write in ("custody", "verdict"):
                accused = case.parties.filter(role="accused", person__is_juvenile=False).first()
                body = {**body, "party": accused.pk}
            if write == "verdict":  # the trial has begun
                Case.objects.filter(pk=case.pk).update(status="on_trial", status_on=date(2024, 3, 3))
                case.refresh_from_db()
            if write == "appeal":  # the verdict the walk recorded is appealed
                Case.objects.filter(pk=case.pk).update(status="decided", status_on=date(2024, 3, 6))
                case.refresh_from_db()
                body = {**body, "verdict": Verdict.objects.get(party__case=case).pk}
            if write == "appeal_decision":
                body = {**body, "appeal": Appeal.objects.get(verdict__party__case=case).pk}
            allowed = [u for u in all_users(world) if may_write(u, case, write)]
            for user in all_users(world):
                if user in allowed:
                    continue
                client.force_login(user)
                visible = case_visible(user, subject, world)
                before = snapshot(case)
                web = client.post(reverse(web_name, args=[case.pk]), body)
                api_body = api_shape(write, body)
                api = client.post(api_url.format(case.pk), api_body, content_type="application/json")
                expected = (400, 422) if visible else (404, 404)
                if (web.status_code, api.status_code) != expected:
                    failures.append(
                        f"{user.username} {write} case {case.pk}: {web.status_code}/{api.status_code},"
                        f" expected {expected}"
                    )
                if snapshot(case) != before:
                    failures.append(f"{user.username} changed case {case.pk} through {write}")
                client.logout()
            client.force_login(allowed[0])
            api_body = api_shape(write, body)
            response = client.post(api_url.format(case.pk), api_body, content_type="application/json")
            if response.status_code != 200:
                failures.append(f"{allowed[0].username} {write} case {case.pk}: {response.status_code}")
            client.logout()
    assert failures == [], "\n".join(failures)
