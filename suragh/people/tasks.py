"""Identity resolution in the background: each new person matched as soon as he is recorded, and full runs."""

from __future__ import annotations

from suragh.imports.tasks import huey, job_connection


@huey.task(retries=2, retry_delay=5)
def match_recorded(person_ids: list[int]) -> tuple[int, int]:
    from .resolution import match_new

    with job_connection():
        return match_new(person_ids)


@huey.task()
def run_resolution(run_id: int) -> None:
    from .models import ResolutionRun
    from .resolution import resolve_all

    with job_connection():
        resolve_all(ResolutionRun.objects.get(pk=run_id))
