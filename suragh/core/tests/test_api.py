from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from suragh.conftest import register_case
from suragh.core.models import ApiToken

pytestmark = pytest.mark.django_db


def token_for(client, user) -> str:
    response = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": "correct-horse-9"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def test_healthz_answers_without_signing_in(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_a_token_opens_the_api_for_its_user(client, world):
    aw = world.agencies["ANF"]
    case = register_case(aw)
    token = token_for(client, aw.users["analyst"])
    response = client.get(f"/api/v1/cases/{case.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json()["fir_number"] == case.fir_number


def test_only_the_tokens_hash_is_stored(client, world):
    token = token_for(client, world.agencies["ANF"].users["analyst"])
    assert not ApiToken.objects.filter(key_hash=token).exists()
    assert ApiToken.objects.count() == 1


def test_a_wrong_password_gets_no_token(client, world):
    user = world.agencies["ANF"].users["analyst"]
    response = client.post(
        "/api/v1/auth/token", {"username": user.username, "password": "nope"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert "token" not in response.json()


def test_an_expired_or_unknown_token_is_refused(client, world):
    token = token_for(client, world.agencies["ANF"].users["analyst"])
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert client.get("/api/v1/cases", HTTP_AUTHORIZATION="Bearer made-up").status_code == 401


def test_a_deactivated_users_token_stops_working(client, world):
    user = world.agencies["ANF"].users["analyst"]
    token = token_for(client, user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_lists_filter_and_page(client, world):
    aw = world.agencies["PUNJAB_POLICE"]
    from datetime import date

    for n in range(5):
        register_case(aw, on=date(2023, 1 + n, 1))
    register_case(aw, on=date(2024, 2, 1))
    client.force_login(aw.users["analyst"])
    first = client.get("/api/v1/cases?year=2023&limit=2").json()
    assert first["count"] == 5 and len(first["items"]) == 2 and first["next_offset"] == 2
    last = client.get("/api/v1/cases?year=2023&limit=2&offset=4").json()
    assert len(last["items"]) == 1 and last["next_offset"] is None
    assert {c["registered_on"][:4] for c in first["items"] + last["items"]} == {"2023"}


def test_a_bad_filter_names_the_field(client, world):
    client.force_login(world.agencies["ANF"].users["analyst"])
    response = client.get("/api/v1/cases?status=convicted-ish")
    assert response.status_code == 422
    assert "status" in response.content.decode()


def test_the_openapi_document_lists_the_read_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/cases",
        "/api/v1/cases/{case_id}",
        "/api/v1/persons/{person_id}",
        "/api/v1/seizures",
        "/api/v1/auth/token",
    ):
        assert path in paths


def test_the_interactive_documentation_loads_nothing_from_the_internet(client):
    import re

    page = client.get("/api/v1/docs").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any("swagger-ui" in asset for asset in assets)
    assert [a for a in assets if a.startswith(("http:", "https:", "//"))] == []


def test_the_pages_stylesheet_and_script_are_served(client, world):
    import re

    client.force_login(world.agencies["ANF"].users["analyst"])
    page = client.get("/").content.decode()
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert {a.rsplit(".", 1)[1] for a in assets} >= {"css", "js"}
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert b"".join(response.streaming_content if response.streaming else [response.content])


def test_repeated_wrong_passwords_lock_the_account_on_the_web_and_the_api(client, world, settings):
    user = world.agencies["SINDH_POLICE"].users["io"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": user.username, "password": "guess"})
    page = client.post("/login/", {"username": user.username, "password": "correct-horse-9"})
    assert page.status_code == 429
    assert "Too many wrong passwords" in page.content.decode()
    assert "_auth_user_id" not in client.session
    token = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": "correct-horse-9"},
        content_type="application/json",
    )
    assert token.status_code == 429
    # Another officer at the same address is not locked out.
    other = world.agencies["SINDH_POLICE"].users["analyst"]
    assert client.post("/login/", {"username": other.username, "password": "correct-horse-9"}).status_code == 302
