"""The assessments' authorization walk: every role of three agencies, and a signed-out visitor, on every page and
API operation of this app, compared with a plain restatement of who may read and who may assess."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from suragh.assessments.editions import PUBLISHED_SCORES
from suragh.assessments.models import Assessment, Score, ScoreChange, ScoreEvidence
from suragh.assessments.tests.walk import ENDPOINTS
from suragh.conftest import World
from suragh.core.choices import Role
from suragh.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def all_users(world: World):
    for aw in world.agencies.values():
        yield from aw.users.values()


def reads(user) -> bool:
    """The rule, restated: policy viewers, analysts, supervisors and system admins of any agency."""
    return user.role in (Role.POLICY_VIEWER, Role.ANALYST, Role.SUPERVISOR, Role.SYSTEM_ADMIN)


def assesses(user) -> bool:
    return user.role in (Role.ANALYST, Role.SYSTEM_ADMIN)


def state() -> tuple:
    return (
        Assessment.objects.count(),
        Score.objects.count(),
        ScoreChange.objects.count(),
        ScoreEvidence.objects.count(),
        AuditEvent.objects.count(),
    )


def test_every_assessment_endpoint_is_walked_here():
    assert {kind for kind, _ in ENDPOINTS.values()} == {"assessment_read", "assessment_write"}


def read_urls(pakistan) -> list[str]:
    return [
        reverse("assessments:list"),
        reverse("assessments:ranking"),
        reverse("assessments:export"),
        reverse("assessments:export") + f"?assessment={pakistan.pk}",
        reverse("assessments:detail", args=[pakistan.pk]),
        "/api/v1/assessments",
        f"/api/v1/assessments/{pakistan.pk}",
        f"/api/v1/assessments/{pakistan.pk}/scores.csv",
    ]


def test_readers_read_and_everyone_else_finds_nothing(client, world, pakistan):
    failures = []
    for user in all_users(world):
        client.force_login(user)
        expected = 200 if reads(user) else 404
        for url in read_urls(pakistan):
            response = client.get(url)
            if response.status_code != expected:
                failures.append(f"{user.username} {url}: {response.status_code}, expected {expected}")
            elif expected == 404 and b"Heroin trade" in response.content:
                failures.append(f"{user.username} {url}: the 404 shows the assessment")
        client.logout()
    assert failures == [], "\n".join(failures)


def test_signed_out_visitors_are_sent_to_sign_in(client, pakistan):
    before = state()
    for url in read_urls(pakistan):
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code == 401, url
        else:
            assert response.status_code == 302 and "/login/" in response["Location"], url
    for name, args in (
        ("assessments:create", []),
        ("assessments:import", []),
        ("assessments:score", [pakistan.pk]),
        ("assessments:add_evidence", [pakistan.pk]),
    ):
        response = client.post(reverse(name, args=args), {})
        assert response.status_code == 302 and "/login/" in response["Location"], name
    for url, body in api_writes(pakistan, 0):
        assert client.post(url, json.dumps(body), "application/json").status_code == 401, url
    assert state() == before


def api_writes(pakistan, n: int) -> list[tuple[str, dict]]:
    return [
        ("/api/v1/assessments", {"edition": 2021, "year": 2050 + n, "place": "PK"}),
        (
            f"/api/v1/assessments/{pakistan.pk}/scores",
            {"indicator": "heroin_trade", "score": "8.5", "rationale": "As published."},
        ),
        (
            f"/api/v1/assessments/{pakistan.pk}/evidence",
            {"indicator": "heroin_trade", "kind": "document", "title": f"API walk {n}", "citation": "Walk"},
        ),
    ]


def web_writes(client, pakistan, n: int) -> list[tuple[str, object]]:
    """(what, response) for each page that changes something, or shows the form that does."""
    upload = SimpleUploadedFile("scores.csv", PUBLISHED_SCORES.read_bytes(), content_type="text/csv")
    return [
        ("create", client.post(reverse("assessments:create"), {"edition": "2021", "year": 2000 + n, "place": "PK6"})),
        ("import form", client.get(reverse("assessments:import"))),
        ("import dry run", client.post(reverse("assessments:import"), {"file": upload, "dry_run": "on"})),
        ("score form", client.get(reverse("assessments:score", args=[pakistan.pk]), {"indicator": "heroin_trade"})),
        (
            "score",
            client.post(
                reverse("assessments:score", args=[pakistan.pk]),
                {"indicator": "heroin_trade", "value": "8.5", "rationale": "As published."},
            ),
        ),
        (
            "evidence",
            client.post(
                reverse("assessments:add_evidence", args=[pakistan.pk]),
                {"indicator": "heroin_trade", "kind": "document", "title": f"Web walk {n}", "citation": "Walk"},
            ),
        ),
    ]


ALLOWED_WEB = {
    "create": 302,
    "import form": 200,
    "import dry run": 200,
    "score form": 200,
    "score": 302,
    "evidence": 302,
}
ALLOWED_API = {"/api/v1/assessments": 201, "scores": 200, "evidence": 201}


def test_only_assessors_change_anything_and_the_refused_change_nothing(client, world, pakistan):
    failures = []
    for n, user in enumerate(all_users(world), start=1):
        client.force_login(user)
        refused = 403 if reads(user) else 404
        before = state()
        for what, response in web_writes(client, pakistan, n):
            expected = ALLOWED_WEB[what] if assesses(user) else refused
            if response.status_code != expected:
                failures.append(f"{user.username} {what}: {response.status_code}, expected {expected}")
        for url, body in api_writes(pakistan, n):
            response = client.post(url, json.dumps(body), "application/json")
            expected = ALLOWED_API[url.rsplit("/", 1)[-1] if url.count("/") > 4 else url] if assesses(user) else refused
            if response.status_code != expected:
                failures.append(f"{user.username} POST {url}: {response.status_code}, expected {expected}")
        if not assesses(user) and state() != before:
            failures.append(f"{user.username} changed assessments: {before} -> {state()}")
        if assesses(user) and state() == before:
            failures.append(f"{user.username} changed nothing")
        client.logout()
    assert failures == [], "\n".join(failures)
    assessors = [u for u in all_users(world) if assesses(u)]
    assert Assessment.objects.count() == 1 + 2 * len(assessors)
    assert ScoreEvidence.objects.count() == 2 * len(assessors)
    # The import, then the first assessor's new rationale; every assessor after sent the same again.
    assert Score.objects.get(assessment=pakistan, indicator__code="heroin_trade").history.count() == 2
