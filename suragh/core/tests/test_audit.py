"""The audit chain: every tampering through raw SQL is found, and named."""

from __future__ import annotations

import pytest
from django.db import connection

from suragh.cli import main as suragh
from suragh.core.audit import record_event, verify_chain
from suragh.core.choices import AuditAction
from suragh.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(world):
    analyst = world.agencies["ANF"].users["analyst"]
    AuditEvent.objects.all().delete()
    from suragh.core.models import AuditHead

    AuditHead.objects.all().delete()
    for n in range(6):
        record_event(analyst, AuditAction.SEARCH, object_type="cases.case", fields={"q": f"query {n}"})
    return list(AuditEvent.objects.order_by("seq"))


def sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_an_untouched_chain_verifies(chain, capsys):
    assert verify_chain() is None
    assert suragh(["audit", "verify"]) == 0
    assert "intact: 6 events" in capsys.readouterr().out


def test_an_edited_event_is_named(chain, capsys):
    sql("UPDATE core_auditevent SET object_id = %s WHERE seq = 3", "999")
    problem = verify_chain()
    assert problem.seq == 3 and "edited" in problem.reason
    assert suragh(["audit", "verify"]) == 1
    assert "event #3" in capsys.readouterr().err


def test_an_edited_actor_is_found(chain):
    sql("UPDATE core_auditevent SET actor_username = %s WHERE seq = 2", "someone.else")
    assert verify_chain().seq == 2


def test_a_deleted_event_is_found(chain):
    sql("DELETE FROM core_auditevent WHERE seq = 4")
    problem = verify_chain()
    assert problem.seq == 5 and "missing" in problem.reason


def test_deleting_the_newest_events_is_found(chain):
    sql("DELETE FROM core_auditevent WHERE seq >= 5")
    problem = verify_chain()
    assert problem is not None and "removed" in problem.reason


def test_a_deleted_event_with_renumbered_successors_is_found(chain):
    sql("DELETE FROM core_auditevent WHERE seq = 2")
    sql("UPDATE core_auditevent SET seq = seq - 1 WHERE seq > 2")
    problem = verify_chain()
    assert problem.seq == 2 and "link" in problem.reason


def test_an_inserted_event_is_found(chain):
    third = chain[2]
    sql("UPDATE core_auditevent SET seq = seq + 1000 WHERE seq > 3")
    sql("UPDATE core_auditevent SET seq = seq - 999 WHERE seq > 1000")
    sql(
        "INSERT INTO core_auditevent (seq, at, actor_username, ip_address, user_agent, action, object_type, "
        "object_id, object_repr, fields, prev_hash, hash) VALUES (4, %s, 'intruder', '', '', 'view', "
        "'people.person', '1', '', '{}', %s, %s)",
        third.at,
        third.hash,
        "f" * 64,
    )
    problem = verify_chain()
    assert problem.seq == 4


def test_reordered_events_are_found(chain):
    sql("UPDATE core_auditevent SET seq = 1000 WHERE seq = 2")
    sql("UPDATE core_auditevent SET seq = 2 WHERE seq = 3")
    sql("UPDATE core_auditevent SET seq = 3 WHERE seq = 1000")
    assert verify_chain().seq == 2


def test_the_chain_stays_linear_across_many_writers(chain):
    from suragh.core.models import AuditHead

    for n in range(20):
        record_event(None, AuditAction.LOGIN_FAILED, fields={"username": f"guess{n}"})
    assert AuditHead.objects.get().seq == AuditEvent.objects.count() == 26
    assert verify_chain() is None


def test_logins_are_audited(client, world):
    user = world.agencies["PUNJAB_POLICE"].users["analyst"]
    client.post("/login/", {"username": user.username, "password": "wrong password"})
    client.post("/login/", {"username": user.username, "password": "correct-horse-9"})
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))[-2:]
    assert actions == [AuditAction.LOGIN_FAILED, AuditAction.LOGIN]


def test_views_and_searches_on_the_web_and_the_api_are_recorded(client, world):
    from datetime import date

    from suragh.conftest import register_case
    from suragh.people.actions import PersonDetails, do_create_person

    anf = world.agencies["ANF"]
    analyst = anf.users["analyst"]
    case = register_case(anf, fir="AUD-1/2024")
    person = do_create_person(
        PersonDetails(name_latin="Audit Subject", age_years=40, sex="M"),
        owning_unit=anf.child_unit,
        distribution="agency",
        as_of=date(2024, 3, 1),
        acting_user=anf.users["io"],
    )
    client.force_login(analyst)
    start = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0

    client.get(f"/persons/{person.pk}/", HTTP_X_FORWARDED_FOR="10.1.2.3", REMOTE_ADDR="10.9.9.9")
    client.get(f"/api/v1/persons/{person.pk}")
    client.get(f"/cases/{case.pk}/")
    client.get("/cases/?fir_number=AUD")
    client.get("/api/v1/cases?fir_number=AUD")

    events = list(AuditEvent.objects.filter(seq__gt=start, actor_username=analyst.username).order_by("seq"))
    assert [(e.action, e.object_type, e.object_id) for e in events] == [
        (AuditAction.VIEW, "people.person", str(person.pk)),
        (AuditAction.VIEW, "people.person", str(person.pk)),
        (AuditAction.VIEW, "cases.case", str(case.pk)),
        (AuditAction.SEARCH, "cases.case", ""),
        (AuditAction.SEARCH, "cases.case", ""),
    ]
    assert events[0].ip_address == "10.9.9.9"
    assert events[3].fields["filters"] == {"fir_number": "AUD"}
    assert verify_chain() is None
