"""The triage desk's pages: the queue with its filters, a tip's page with the steps its reader may take, the
search for a case by FIR number, and each step's errors shown on the form."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suragh.conftest import register_case
from suragh.core.choices import AuditAction, Distribution, Role
from suragh.core.models import AuditEvent
from suragh.tips.actions import do_assign_tip, do_change_tip_status, do_grade_tip
from suragh.tips.conftest import submit
from suragh.tips.models import Tip

pytestmark = pytest.mark.django_db


def test_the_queue_filters_by_status_grade_kind_and_agency(client, world):
    analyst = world.agencies["ANF"].users[Role.ANALYST]
    graded, _ = submit(kind="trafficking", description="Graded one")
    do_grade_tip(graded, reliability="B", validity="2", acting_user=analyst)
    fresh, _ = submit(kind="drug_dealing", description="Fresh one")
    client.force_login(analyst)

    def listed(query: str) -> set[int]:
        html = client.get(reverse("tips:queue") + query).content.decode()
        return {tip.pk for tip in (graded, fresh) if f'href="/tips/{tip.pk}/"' in html}

    assert listed("") == {graded.pk, fresh.pk}
    assert listed("?status=received") == {fresh.pk}
    assert listed("?reliability=ungraded") == {fresh.pk}
    assert listed("?reliability=B&validity=2") == {graded.pk}
    assert listed("?kind=trafficking") == {graded.pk}
    assert listed("?agency=PUNJAB_POLICE") == set()
    assert AuditEvent.objects.filter(action=AuditAction.SEARCH, object_type="tips.tip").count() == 5


def test_the_queue_costs_the_same_queries_for_many_tips(client, world):
    analyst = world.agencies["ANF"].users[Role.ANALYST]
    client.force_login(analyst)
    submit()
    client.get(reverse("tips:queue"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("tips:queue"))
    for _ in range(6):
        tip, _ = submit()
        do_assign_tip(tip, unit=world.agencies["ANF"].child_unit, acting_user=analyst)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("tips:queue"))
    assert len(many) == len(few)


def test_a_tips_page_offers_the_triage_desk_every_step_and_the_assigned_officer_status_and_links(client, world):
    anf = world.agencies["ANF"]
    tip, _ = submit()
    io = anf.users[Role.INVESTIGATING_OFFICER]
    do_assign_tip(tip, unit=anf.child_unit, officer=io, acting_user=anf.users[Role.ANALYST])
    client.force_login(anf.users[Role.ANALYST])
    html = client.get(reverse("tips:detail", args=[tip.pk])).content.decode()
    for form_id in ("grade", "assign", "status", "forward"):
        assert f'id="{form_id}"' in html
    assert "A — always reliable" in html and "4 — cannot be judged" in html
    client.force_login(io)
    html = client.get(reverse("tips:detail", args=[tip.pk])).content.decode()
    assert 'id="status"' in html and 'id="grade"' not in html and 'id="forward"' not in html
    assert "Find cases" in html
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="tips.tip", actor=io).exists()


def test_a_case_is_found_by_fir_among_the_cases_the_officer_sees_and_linked(client, world):
    anf = world.agencies["ANF"]
    tip, _ = submit()
    analyst = anf.users[Role.ANALYST]
    mine = register_case(anf, Distribution.AGENCY, fir="TIPWALK-7/2024")
    theirs = register_case(world.agencies["SINDH_POLICE"], Distribution.UNIT, fir="TIPWALK-8/2024")
    client.force_login(analyst)
    html = client.get(reverse("tips:detail", args=[tip.pk]) + "?fir=TIPWALK").content.decode()
    assert "TIPWALK-7/2024" in html and "TIPWALK-8/2024" not in html
    response = client.post(reverse("tips:link", args=[tip.pk]), {"case": mine.pk})
    assert response.status_code == 302
    assert list(tip.cases.all()) == [mine]
    refused = client.post(reverse("tips:link", args=[tip.pk]), {"case": theirs.pk})
    assert refused.status_code == 400 and "No case you may see has that id" in refused.content.decode()
    assert list(tip.cases.all()) == [mine]


def test_each_step_shows_its_errors_on_its_form(client, world):
    tip, _ = submit()
    client.force_login(world.agencies["ANF"].users[Role.SUPERVISOR])
    closing = client.post(reverse("tips:change_status", args=[tip.pk]), {"status": "closed", "note": ""})
    assert closing.status_code == 400 and "Say why the tip is closed." in closing.content.decode()
    graded = client.post(reverse("tips:grade", args=[tip.pk]), {"reliability": "B", "validity": "3"})
    assert graded.status_code == 302
    again = client.post(reverse("tips:grade", args=[tip.pk]), {"reliability": "B", "validity": "3"})
    assert again.status_code == 400 and "already graded B3" in again.content.decode()
    forwarded = client.post(reverse("tips:forward", args=[tip.pk]), {"agency": "FIA", "note": "Airport route"})
    assert forwarded.status_code == 302 and forwarded["Location"] == reverse("tips:queue")
    assert Tip.objects.get(pk=tip.pk).agency.code == "FIA"


def test_the_menu_offers_tips_to_analysts_and_supervisors(client, world):
    for role, shown in ((Role.ANALYST, True), (Role.SUPERVISOR, True), (Role.INVESTIGATING_OFFICER, False)):
        client.force_login(world.agencies["ANF"].users[role])
        assert (f'href="{reverse("tips:queue")}"' in client.get(reverse("home")).content.decode()) == shown, role


def test_the_queue_puts_what_nobody_has_looked_at_first_and_closed_tips_last(client, world):
    analyst = world.agencies["ANF"].users[Role.ANALYST]
    closed, _ = submit(description="Closed one")
    do_grade_tip(closed, reliability="C", validity="4", acting_user=analyst)
    do_change_tip_status(closed, status="closed", note="Nothing found", acting_user=analyst)
    reviewed, _ = submit(description="Reviewed one")
    do_grade_tip(reviewed, reliability="D", validity="2", acting_user=analyst)
    fresh, _ = submit(description="Fresh one")
    client.force_login(analyst)
    html = client.get(reverse("tips:queue")).content.decode()
    positions = [html.index(f'href="/tips/{tip.pk}/"') for tip in (fresh, reviewed, closed)]
    assert positions == sorted(positions)
    listed = client.get("/api/v1/tips").json()["items"]
    assert [item["id"] for item in listed] == [fresh.pk, reviewed.pk, closed.pk]
