"""A tip sent again is stored once: the form's one-time token (or the app's `form_token`) is kept only as its
SHA-256 under a unique constraint, so a refresh, a double click, a retried request and two copies racing each
other all end with one tip, and the second sender is told it was already received."""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from suragh.conftest import require_postgres
from suragh.core.models import AuditEvent
from suragh.tips.actions import ALREADY_RECEIVED, TipAlreadyReceived, new_form_token
from suragh.tips.conftest import photo_upload, submit
from suragh.tips.models import Tip, TipHistory

pytestmark = pytest.mark.django_db

CODE = re.compile(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}")
TOKEN_FIELD = re.compile(r'<input type="hidden" name="form_token" value="([A-Za-z0-9_-]{43})">')
TIP = {"kind": "smuggling", "description": "Containers of ICE leave Gwadar on fishing boats.", "agency": "CUSTOMS"}


def form(**fields) -> dict:
    return {"kind": "trafficking", "description": "A white pickup carries charas from Chaman every Friday.", **fields}


def token_of(page) -> str:
    found = TOKEN_FIELD.search(page.content.decode())
    assert found, page.content.decode()[:2000]
    return found.group(1)


def post_json(client, body: dict):
    return client.post("/api/v1/tips", json.dumps(body), "application/json")


def test_each_rendering_of_the_form_carries_a_new_token(client, world):
    first, second = (token_of(client.get(reverse("tips:submit"))) for _ in range(2))
    assert first != second


def test_a_refreshed_submission_stores_nothing_more_and_says_so(client, world, media):
    token = token_of(client.get(reverse("tips:submit")))
    sent = client.post(reverse("tips:submit"), {**form(), "form_token": token, "photo": photo_upload()})
    assert sent.status_code == 201
    code = CODE.search(sent.content.decode()).group()
    photos = sorted(media.rglob("*.*"))
    # The browser's refresh sends the same form again, photo and all.
    again = client.post(reverse("tips:submit"), {**form(), "form_token": token, "photo": photo_upload()})
    assert again.status_code == 409
    html = again.content.decode()
    assert ALREADY_RECEIVED in html and again["Cache-Control"] == "no-store"
    assert code not in html and not CODE.search(html)
    tip = Tip.objects.get()
    assert tip.form_token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps(list(Tip.objects.values_list()), default=str)
    assert TipHistory.objects.count() == 1 and AuditEvent.objects.filter(object_type="tips.tip").count() == 1
    assert sorted(media.rglob("*.*")) == photos


def test_a_double_click_stores_one_tip_and_the_next_form_sends_another(client, world):
    token = token_of(client.get(reverse("tips:submit")))
    answers = [client.post(reverse("tips:submit"), {**form(), "form_token": token}).status_code for _ in range(2)]
    assert answers == [201, 409]
    next_token = token_of(client.get(reverse("tips:submit")))
    assert client.post(reverse("tips:submit"), {**form(), "form_token": next_token}).status_code == 201
    assert Tip.objects.count() == 2


def test_a_form_refused_for_a_mistake_keeps_its_token_so_the_corrected_tip_is_stored_once(client, world):
    token = token_of(client.get(reverse("tips:submit")))
    refused = client.post(reverse("tips:submit"), {**form(description=""), "form_token": token})
    assert refused.status_code == 400 and token_of(refused) == token
    assert client.post(reverse("tips:submit"), {**form(), "form_token": token}).status_code == 201
    assert client.post(reverse("tips:submit"), {**form(), "form_token": token}).status_code == 409
    assert Tip.objects.count() == 1


def test_a_form_without_a_usable_token_still_sends_its_tip(client, world):
    for posted in ({}, {"form_token": ""}, {"form_token": "short"}, {"form_token": "é" * 43}):
        assert client.post(reverse("tips:submit"), {**form(), **posted}).status_code == 201, posted
    assert Tip.objects.count() == 4 and Tip.objects.filter(form_token_hash=None).count() == 0


def test_an_app_retrying_with_its_form_token_stores_one_tip(client, world):
    token = new_form_token()
    first = post_json(client, {**TIP, "form_token": token})
    assert first.status_code == 201, first.content
    retry = post_json(client, {**TIP, "form_token": token})
    assert retry.status_code == 409
    assert retry.json() == {"detail": "This tip was already received. Use the status code you were shown."}
    assert Tip.objects.count() == 1
    assert post_json(client, {**TIP, "form_token": new_form_token()}).status_code == 201
    assert post_json(client, TIP).status_code == 201 and post_json(client, TIP).status_code == 201
    assert Tip.objects.count() == 4 and Tip.objects.filter(form_token_hash=None).count() == 2


def test_a_multipart_retry_with_its_photo_is_stored_once(client, world, media):
    token = new_form_token()
    for expected in (201, 409):
        response = client.post("/api/v1/tips", {**TIP, "form_token": token, "photo": photo_upload()})
        assert response.status_code == expected, response.content
    assert Tip.objects.count() == 1 and len(list(media.rglob("*.*"))) == 1


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("abc", "Make the token 16 to 200 random characters; this one has 3."),
        ("x" * 201, "Make the token 16 to 200 random characters; this one has 201."),
        ("لیاری" * 4, "Use printable ASCII characters only"),
        ("a" * 15 + "\n", "Use printable ASCII characters only"),
        (12345678901234567890, "Input should be a valid string"),
    ],
)
def test_a_malformed_form_token_is_refused_by_name(client, world, token, message):
    response = post_json(client, {**TIP, "form_token": token})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert list(errors) == ["form_token"] and message in errors["form_token"][0]
    assert Tip.objects.count() == 0


def test_the_schema_documents_the_form_token(client, world):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/tips"]["post"]
    for content in operation["requestBody"]["content"].values():
        assert "form_token" in content["schema"]["properties"]
        assert "409" in content["schema"]["properties"]["form_token"]["description"]
    assert "409" in operation["responses"]


def test_the_action_refuses_a_second_tip_under_one_token(world):
    token = new_form_token()
    submit(form_token=token)
    with pytest.raises(TipAlreadyReceived, match="already received"):
        submit(form_token=token, description="A different text under the same token.")
    assert Tip.objects.count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_copy_waiting_on_the_first_one_stores_nothing(reference_data, world):
    """The second copy passes the early check while the first is still uncommitted; PostgreSQL's unique index makes
    it wait for the first and then refuse it, and the action answers "already received"."""
    require_postgres()
    token = new_form_token()
    first_inserted, first_may_commit = threading.Event(), threading.Event()
    outcomes: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                submit(form_token=token)
                first_inserted.set()
                first_may_commit.wait(timeout=20)
            outcomes["first"] = "stored"
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcomes["first"] = exc
        finally:
            first_inserted.set()
            connection.close()

    def second() -> None:
        try:
            submit(form_token=token, description="The same tip, sent again while the first was being stored.")
            outcomes["second"] = "stored"
        except TipAlreadyReceived:
            outcomes["second"] = "already received"
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcomes["second"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert first_inserted.wait(timeout=20)
    threads[1].start()
    with connection.cursor() as cursor:
        for _ in range(200):
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the second copy never waited on the first one's row")
    first_may_commit.set()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes == {"first": "stored", "second": "already received"}
    assert Tip.objects.filter(form_token_hash=hashlib.sha256(token.encode()).hexdigest()).count() == 1
    assert Tip.objects.count() == 1 and TipHistory.objects.count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_retries_racing_through_the_api_store_one_tip(reference_data, world):
    require_postgres()
    body = json.dumps({**TIP, "form_token": new_form_token()})
    barrier = threading.Barrier(2, timeout=20)
    answers: list = []
    failures: list = []

    def send() -> None:
        try:
            barrier.wait()
            answers.append(Client().post("/api/v1/tips", body, content_type="application/json"))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not failures, failures
    assert sorted(a.status_code for a in answers) == [201, 409], [a.content for a in answers]
    assert Tip.objects.count() == 1
