"""The authorization walk of the import pages and API: every role of three agencies, and signed out."""

from __future__ import annotations

import pytest
from django.urls import reverse

from suragh.conftest import World
from suragh.core.choices import Role
from suragh.core.models import AuditEvent
from suragh.imports.models import ImportJob

from .conftest import csv_of
from .test_seizures import HEADER, rows_for

pytestmark = pytest.mark.django_db

IMPORTERS = {Role.SUPERVISOR, Role.AGENCY_ADMIN}


def everyone(world: World):
    for aw in world.agencies.values():
        yield from aw.users.values()
    yield None  # signed out


def follows_history(user) -> bool:
    return user.role in (Role.SUPERVISOR, Role.AGENCY_ADMIN, Role.AUDITOR, Role.SYSTEM_ADMIN)


def follows_job(user, job: ImportJob) -> bool:
    """The ANF supervisor's job: their unit's supervisors, their agency's admins and auditors, system admins."""
    if user.role == Role.SYSTEM_ADMIN:
        return True
    if user.unit is None or user.unit.agency_id != job.agency_id:
        return False
    if user.role == Role.SUPERVISOR:
        return job.unit.path.startswith(user.unit.path)
    return user.role in (Role.AGENCY_ADMIN, Role.AUDITOR)


@pytest.fixture
def job(world, hand_in):
    anf = world.agencies["ANF"]
    return hand_in(anf.users[Role.SUPERVISOR], "seizures", csv_of([HEADER, *rows_for(anf, 2)]))


def sign_in(client, user) -> None:
    client.logout()
    if user is not None:
        client.force_login(user)


def test_history_and_templates_answer_only_those_who_import_or_follow_imports(client, world, job):
    failures = []
    for user in everyone(world):
        sign_in(client, user)
        name = user.username if user else "signed out"
        for url, allowed in (
            (reverse("imports:index"), user is not None and follows_history(user)),
            (reverse("imports:template", args=["seizures", "xlsx"]), user is not None and user.role in IMPORTERS),
            (reverse("imports:template", args=["cases", "csv"]), user is not None and user.role in IMPORTERS),
        ):
            status = client.get(url).status_code
            expected = 302 if user is None else (200 if allowed else 404)
            if status != expected:
                failures.append(f"{name} {url}: {status}, expected {expected}")
        response = client.get("/api/v1/imports")
        if user is None:
            if response.status_code != 401:
                failures.append(f"{name} API list: {response.status_code}")
            continue
        listed = {item["id"] for item in response.json()["items"]}
        if listed != ({job.pk} if follows_job(user, job) else set()):
            failures.append(f"{name} API list: {listed}")
    assert failures == [], "\n".join(failures)


def test_a_job_is_seen_by_its_units_supervisors_its_agencys_admins_and_auditors(client, world, job):
    failures = []
    for user in everyone(world):
        sign_in(client, user)
        name = user.username if user else "signed out"
        visible = user is not None and follows_job(user, job)
        for url, signed_out in (
            (reverse("imports:job", args=[job.pk]), 302),
            (reverse("imports:job_progress", args=[job.pk]), 302),
            (f"/api/v1/imports/{job.pk}", 401),
        ):
            response = client.get(url)
            expected = signed_out if user is None else (200 if visible else 404)
            if response.status_code != expected:
                failures.append(f"{name} {url}: {response.status_code}, expected {expected}")
            elif expected == 404 and job.sha256 in response.content.decode():
                failures.append(f"{name} {url}: the 404 names the job's file")
    assert failures == [], "\n".join(failures)


def test_uploads_are_taken_only_from_supervisors_and_agency_admins(client, world):
    failures = []
    for number, user in enumerate(everyone(world)):
        sign_in(client, user)
        name = user.username if user else "signed out"
        may = user is not None and user.role in IMPORTERS
        aw = next(
            (a for a in world.agencies.values() if user and a.code == (user.unit and user.unit.agency.code)), None
        )
        rows = rows_for(aw or world.agencies["ANF"], 1)
        rows[0][3] = f"{number + 1}.25"
        content = csv_of([HEADER, *rows])
        before = (ImportJob.objects.count(), AuditEvent.objects.count())
        web = client.post(reverse("imports:upload"), {"kind": "seizures", "file": _upload(content, f"w{number}.csv")})
        expected = 302 if user is None or may else 404
        if web.status_code != expected:
            failures.append(f"{name} web upload: {web.status_code}, expected {expected}")
        api = client.post("/api/v1/imports", {"kind": "seizures", "file": _upload(content, f"a{number}.csv")})
        expected = 401 if user is None else (200 if may else 422)
        if api.status_code != expected:
            failures.append(f"{name} API upload: {api.status_code}, expected {expected}")
        after = (ImportJob.objects.count(), AuditEvent.objects.count())
        if not may and after != before:
            failures.append(f"{name}: a refused upload left {after[0] - before[0]} jobs")
        if may and after[0] != before[0] + 2:
            failures.append(f"{name}: {after[0] - before[0]} jobs for two uploads")
    assert failures == [], "\n".join(failures)


def test_only_importers_who_follow_a_job_resume_or_roll_it_back(client, world, job):
    failures = []
    for user in everyone(world):
        sign_in(client, user)
        name = user.username if user else "signed out"
        may = user is not None and user.role in IMPORTERS and follows_job(user, job)
        for label, web_name, api_url in (
            ("resume", "imports:resume", f"/api/v1/imports/{job.pk}/resume"),
            ("rollback", "imports:rollback", f"/api/v1/imports/{job.pk}/rollback"),
        ):
            for how in ("web", "api"):
                ImportJob.objects.filter(pk=job.pk).update(status="failed", error="Failed at row 2: walk")
                events = AuditEvent.objects.count()
                url = reverse(web_name, args=[job.pk]) if how == "web" else api_url
                status = client.post(url).status_code
                if user is None:
                    expected = 302 if how == "web" else 401
                else:
                    expected = (302 if how == "web" else 200) if may else 404
                if status != expected:
                    failures.append(f"{name} {how} {label}: {status}, expected {expected}")
                changed = ImportJob.objects.get(pk=job.pk).status != "failed"
                if changed != may or (AuditEvent.objects.count() > events) != may:
                    failures.append(f"{name} {how} {label}: changed={changed}")
    assert failures == [], "\n".join(failures)


def _upload(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")
