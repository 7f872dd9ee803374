"""Full identity resolution runs started and followed from their page: only by analysts and system admins, one at a
time, walked as every role of three agencies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from suragh.conftest import signed_in_clients
from suragh.core.choices import Role
from suragh.people.models import ResolutionRun

pytestmark = pytest.mark.django_db
RUNNERS = {Role.ANALYST, Role.SYSTEM_ADMIN}


def everyone(world):
    return [u for aw in world.agencies.values() for u in aw.users.values()]


def test_runs_are_started_and_watched_only_by_analysts_and_system_admins(world):
    earlier = ResolutionRun.objects.create(stage=ResolutionRun.Stage.DONE, persons=1234, finished_at=timezone.now())
    for user, client in signed_in_clients(everyone(world)).items():
        allowed = user.role in RUNNERS
        page = client.get(reverse("people:resolution_runs"))
        row = client.get(reverse("people:resolution_progress", args=[earlier.pk]))
        started = client.post(reverse("people:start_resolution"), {"retrain": "on"})
        assert (page.status_code, row.status_code) == ((200, 200) if allowed else (404, 404)), user.username
        assert started.status_code == (302 if allowed else 404), user.username
        run = ResolutionRun.objects.exclude(pk=earlier.pk).first()
        if not allowed:
            assert run is None, user.username
            continue
        assert "1234" in page.content.decode() and f'id="run-{earlier.pk}"' in row.content.decode()
        assert (run.requested_by, run.retrain, run.stage) == (user, True, ResolutionRun.Stage.QUEUED)
        assert f'id="run-{run.pk}"' in client.get(reverse("people:resolution_runs")).content.decode()
        run.delete()


def test_a_second_run_waits_for_the_first_unless_the_first_has_stalled(world):
    analyst = world.agencies["ANF"].users[Role.ANALYST]
    client = signed_in_clients([analyst])[analyst]
    client.post(reverse("people:start_resolution"), {})
    first = ResolutionRun.objects.get()
    again = client.post(reverse("people:start_resolution"), {})
    assert again.status_code == 400
    assert f"Run {first.pk}, asked for at" in again.content.decode() and "is still queued" in again.content.decode()
    assert ResolutionRun.objects.count() == 1

    ResolutionRun.objects.filter(pk=first.pk).update(requested_at=timezone.now() - timedelta(days=2))
    assert client.post(reverse("people:start_resolution"), {}).status_code == 302
    page = client.get(reverse("people:resolution_runs")).content.decode()
    assert "stalled" in page and ResolutionRun.objects.count() == 2
