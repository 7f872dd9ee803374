"""The tips' authorization walk: every role of three agencies, and a signed-out visitor, against tips in three
agencies' hands (one in ANF's triage queue, one assigned to a Punjab Police unit and officer, one assigned to a
Sindh Police unit), compared with a plain restatement of who may see and do what."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.urls import reverse

from suragh.conftest import World, register_case, signed_in_clients
from suragh.core.choices import ENFORCEMENT_ROLES, Distribution, Role
from suragh.tips.actions import do_assign_tip
from suragh.tips.conftest import photo_upload, submit
from suragh.tips.models import Tip
from suragh.tips.tests.walk import ENDPOINTS

pytestmark = pytest.mark.django_db


def all_users(world: World):
    for aw in world.agencies.values():
        yield from aw.users.values()


@pytest.fixture
def tips(world: World) -> list[Tip]:
    anf_tip, _ = submit(description="Walk marker ANF heroin", photo=photo_upload())
    police_tip, _ = submit(agency_code="PUNJAB_POLICE", description="Walk marker Punjab ice", photo=photo_upload())
    sindh_tip, _ = submit(agency_code="SINDH_POLICE", description="Walk marker Sindh charas", photo=photo_upload())
    police, sindh = world.agencies["PUNJAB_POLICE"], world.agencies["SINDH_POLICE"]
    do_assign_tip(
        police_tip,
        unit=police.child_unit,
        officer=police.users[Role.INVESTIGATING_OFFICER],
        acting_user=police.users[Role.SUPERVISOR],
    )
    do_assign_tip(sindh_tip, unit=sindh.child_unit, acting_user=sindh.users[Role.ANALYST])
    return [anf_tip, police_tip, sindh_tip]


def sees(user, tip: Tip) -> bool:
    """The rule, restated: the triage desk (analysts and supervisors) of the tip's agency; the officer it is
    assigned to; and, as for any record, its owning unit (a supervisor: that unit or one above it)."""
    tip.refresh_from_db()
    if user.role not in ENFORCEMENT_ROLES or not user.unit_id:
        return False
    if user.role in (Role.ANALYST, Role.SUPERVISOR) and user.unit.agency_id == tip.agency_id:
        return True
    if tip.assigned_officer_id == user.pk:
        return True
    if user.role == Role.SUPERVISOR:
        return tip.owning_unit.path.startswith(user.unit.path)
    return tip.owning_unit_id == user.unit_id


def triages(user, tip: Tip) -> bool:
    return user.role in (Role.ANALYST, Role.SUPERVISOR) and user.unit_id and user.unit.agency_id == tip.agency_id


def works(user, tip: Tip) -> bool:
    return bool(triages(user, tip)) or tip.assigned_officer_id == user.pk


def test_every_tip_endpoint_is_walked_here():
    walked = {"tip_list", "tip_detail", "tip_triage", "tip_work", "tip_public_api", "public"}
    assert {kind for kind, _ in ENDPOINTS.values()} <= walked


def test_tips_open_only_to_whom_the_rule_allows(client, world, tips):
    failures = []
    for user in all_users(world):
        client.force_login(user)
        for tip in tips:
            expected = 200 if sees(user, tip) else 404
            for url in (
                reverse("tips:detail", args=[tip.pk]),
                reverse("tips:photo", args=[tip.pk]),
                f"/api/v1/tips/{tip.pk}",
            ):
                response = client.get(url)
                if response.status_code != expected:
                    failures.append(f"{user.username} {url}: {response.status_code}, expected {expected}")
                elif expected == 404 and b"Walk marker" in response.content:
                    failures.append(f"{user.username} {url}: the 404 names the tip")
        client.logout()
    assert failures == [], "\n".join(failures)


def test_the_queue_and_the_api_list_show_exactly_the_visible_tips(client, world, tips):
    failures = []
    for user in all_users(world):
        client.force_login(user)
        expected = {tip.pk for tip in tips if sees(user, tip)}
        listed = client.get("/api/v1/tips?limit=500")
        got = {item["id"] for item in listed.json()["items"]}
        if got != expected:
            failures.append(f"API list for {user.username}: extra {got - expected}, missing {expected - got}")
        page = client.get(reverse("tips:queue"))
        html = page.content.decode()
        shown = {tip.pk for tip in tips if reverse("tips:detail", args=[tip.pk]) + '"' in html}
        if page.status_code != 200 or shown != expected:
            failures.append(f"queue for {user.username}: {page.status_code}, shown {shown}, expected {expected}")
        client.logout()
    assert failures == [], "\n".join(failures)


def test_the_public_tip_line_is_open_to_everyone_signed_in_or_not(client, world, settings):
    settings.SURAGH_TIP_STATUS_CHECKS_PER_HOUR = 100
    for user in [None, *all_users(world)]:
        if user is not None:
            client.force_login(user)
        for name in ("tips:submit", "tips:status"):
            assert client.get(reverse(name)).status_code == 200, (user, name)
        status = client.post("/api/v1/tips/status", {"code": "NOPE"}, content_type="application/json")
        assert status.status_code == 404
        client.logout()
    response = client.post(
        "/api/v1/tips", {"kind": "other", "description": "Signed out"}, content_type="application/json"
    )
    assert response.status_code == 201


def test_signed_out_visitors_reach_no_triage_page(client, tips):
    tip = tips[0]
    for name in ("tips:detail", "tips:photo"):
        response = client.get(reverse(name, args=[tip.pk]))
        assert response.status_code == 302 and "/login/" in response["Location"]
    response = client.get(reverse("tips:queue"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get("/api/v1/tips").status_code == 401
    assert client.get(f"/api/v1/tips/{tip.pk}").status_code == 401
    for name in ("tips:grade", "tips:assign", "tips:change_status", "tips:link", "tips:forward"):
        response = client.post(reverse(name, args=[tip.pk]), {})
        assert response.status_code == 302 and "/login/" in response["Location"], name
    for path in ("grade", "assignment", "status", "case-links", "forwarding"):
        response = client.post(f"/api/v1/tips/{tip.pk}/{path}", {}, content_type="application/json")
        assert response.status_code == 401, path


def state(tip: Tip) -> tuple:
    tip.refresh_from_db()
    return (
        tip.status,
        tip.grade,
        tip.agency_id,
        tip.owning_unit_id,
        tip.assigned_unit_id,
        tip.assigned_officer_id,
        tip.history.count(),
        tip.case_links.count(),
    )


def test_triage_steps_are_taken_only_by_whose_they_are(world, tips):
    """Everyone else changes nothing: the web answers 400 and the API 422 when they see the tip, 404 when they
    do not. Then one who may succeeds through the API. Forwarding goes last: it takes the tip away."""
    failures = []
    clients = signed_in_clients(all_users(world))
    for tip in tips:
        agency = world.agencies[tip.agency.code]
        case = register_case(agency, Distribution.AGENCY)
        steps = [
            ("grade", "grade", {"reliability": "B", "validity": "2"}, None, triages),
            ("change_status", "status", {"status": "acted_on"}, None, works),
            ("link", "case-links", {"case": case.pk}, {"case_id": case.pk}, works),
            (
                "assign",
                "assignment",
                {"unit": agency.unit.pk, "officer": ""},
                {"unit": agency.unit.code},
                triages,
            ),
            ("forward", "forwarding", {"agency": "FIA", "note": "Walk"}, None, triages),
        ]
        for name, path, body, api_body, may in steps:
            api_body = api_body or body
            refused = [user for user in clients if not may(user, tip)]
            allowed = [user for user in clients if may(user, tip)]

            def attempt(user, tip=tip, name=name, path=path, body=body, api_body=api_body):
                web = clients[user].post(reverse(f"tips:{name}", args=[tip.pk]), body)
                api = clients[user].post(f"/api/v1/tips/{tip.pk}/{path}", json.dumps(api_body), "application/json")
                return web, api

            # The tip's state is read once around all the refused attempts; only when it moved are they replayed
            # from a savepoint taken before them, one user at a time, to name who changed it.
            before = state(tip)
            savepoint = transaction.savepoint()
            for user in refused:
                visible = sees(user, tip)
                web, api = attempt(user)
                expected = (400, 422) if visible else (404, 404)
                if (web.status_code, api.status_code) != expected:
                    failures.append(f"{user.username} {name} tip {tip.pk}: {web.status_code}/{api.status_code}")
            if state(tip) != before:
                transaction.savepoint_rollback(savepoint)
                for user in refused:
                    ahead = state(tip)
                    attempt(user)
                    if state(tip) != ahead:
                        failures.append(f"{user.username} changed tip {tip.pk} through {name}")
            else:
                transaction.savepoint_commit(savepoint)
            response = clients[allowed[0]].post(
                f"/api/v1/tips/{tip.pk}/{path}", json.dumps(api_body), "application/json"
            )
            if response.status_code != 200:
                failures.append(f"{allowed[0].username} {name} tip {tip.pk}: {response.status_code} {response.content}")
    assert failures == [], "\n".join(failures)
