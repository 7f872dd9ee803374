"""Import pages: hand in a file, download a template, follow a job and act on it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from suragh.core.audit import record_event
from suragh.core.choices import AuditAction
from suragh.core.listing import page_of
from suragh.core.validation import error_dict

from .access import access_import_job_by_id, jobs_visible_to, sees_bad_cells
from .actions import do_create_import_job, do_resume_import_job, do_roll_back_import_job
from .choices import FINAL, ImportKind
from .forms import ImportForm
from .kinds import IMPORTERS, may_import
from .templates_files import template_csv, template_xlsx

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _index(request)


def _index(request: HttpRequest, form: ImportForm | None = None, status: int = 200) -> HttpResponse:
    """The upload form (importers only) and the history of the jobs the user may follow; 404 for anyone else."""
    jobs = jobs_visible_to(request.user)
    importer = may_import(request.user)
    if not importer and jobs.query.is_empty():
        raise Http404("No such page.")
    page = page_of(jobs.order_by("-created_at", "-id"), request)
    context = {
        "form": (form or ImportForm()) if importer else None,
        "page": page,
        "kinds": [(kind, IMPORTERS[kind].columns) for kind in ImportKind.values],
        "kind_labels": dict(ImportKind.choices),
    }
    return render(request, "imports/index.html", context, status=status)


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    if not may_import(request.user):
        raise Http404("No such page.")
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = do_create_import_job(
                kind=form.cleaned_data["kind"],
                file_name=upload.name,
                chunks=upload.chunks(),
                size=upload.size,
                dry_run=form.cleaned_data["dry_run"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            for field, problems in error_dict(exc).items():
                for problem in problems:
                    form.add_error(None if field == "__all__" else field, problem)
        else:
            return redirect("imports:job", job_id=job.pk)
    return _index(request, form, status=422)


@login_required
@require_GET
def template(request: HttpRequest, kind: str, file_format: str) -> HttpResponse:
    if not may_import(request.user) or kind not in ImportKind.values or file_format not in CONTENT_TYPES:
        raise Http404("No such template.")
    body = template_csv(kind) if file_format == "csv" else template_xlsx(kind, request.user)
    response = HttpResponse(body, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="suragh-{kind}-template.{file_format}"'
    return response


def _job_context(request: HttpRequest, job) -> dict:
    return {
        "job": job,
        "finished": job.status in FINAL and not job.stall_reason,
        "show_bad_cells": sees_bad_cells(request.user),
        "may_act": may_import(request.user),
    }


@login_required
@require_GET
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access_import_job_by_id(request.user, job_id)
    record_event(request.user, AuditAction.VIEW, job)
    return render(request, "imports/job_detail.html", _job_context(request, job))


@login_required
@require_GET
def job_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    """The part of the job page that updates itself while the job runs (htmx polling)."""
    job = access_import_job_by_id(request.user, job_id)
    return render(request, "imports/_job_status.html", _job_context(request, job))


@login_required
@require_POST
def resume(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access_import_job_by_id(request.user, job_id, write=True)
    try:
        do_resume_import_job(job, acting_user=request.user)
        messages.success(request, "The import is queued again; it continues after the last chunk written.")
    except ValidationError as exc:
        for problem in error_dict(exc).get("__all__", []):
            messages.error(request, problem)
    return redirect("imports:job", job_id=job.pk)


@login_required
@require_POST
def rollback(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access_import_job_by_id(request.user, job_id, write=True)
    try:
        do_roll_back_import_job(job, acting_user=request.user)
        messages.success(request, "The records this import created are deleted.")
    except ValidationError as exc:
        for problem in error_dict(exc).get("__all__", []):
            messages.error(request, problem)
    return redirect("imports:job", job_id=job.pk)
