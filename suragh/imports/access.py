"""Who may follow which import job (docs/imports.md). Import jobs are not records with a distribution: they are
scoped by role. Supervisors see the jobs of their unit and below; agency admins and auditors their agency's (an
auditor sees who imported what, when and with which file, but not the bad cells, which quote the file's contents);
system admins every job. Only supervisors and agency admins act on a job."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from suragh.core.access import get_visible_or_404
from suragh.core.choices import Role
from suragh.core.models import User

from .kinds import may_import
from .models import ImportJob


def jobs_visible_to(user: User) -> QuerySet[ImportJob]:
    jobs = ImportJob.objects.select_related("created_by", "unit", "agency")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return jobs.none()
    if user.role == Role.SYSTEM_ADMIN:
        return jobs
    if not user.unit_id:
        return jobs.none()
    if user.role in (Role.AGENCY_ADMIN, Role.AUDITOR):
        return jobs.filter(agency_id=user.unit.agency_id)
    if user.role == Role.SUPERVISOR:
        return jobs.filter(unit__path__startswith=user.unit.path)
    return jobs.none()


def sees_bad_cells(user: User) -> bool:
    return may_import(user) or user.role == Role.SYSTEM_ADMIN


def access_import_job_by_id(user: User, job_id: int, *, write: bool = False) -> ImportJob:
    if write and not may_import(user):
        raise Http404("No such import.")
    return get_visible_or_404(jobs_visible_to(user), pk=job_id)
