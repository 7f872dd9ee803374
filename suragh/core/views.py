"""Sign-in, the home page, access grants and the audit trail."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .access import GRANTABLE_ROLES, visible_q
from .actions import do_decide_access_grant, do_request_access_grant, do_revoke_access_grant, grants_decidable_by
from .audit import record_event
from .choices import AuditAction, GrantStatus, Role
from .listing import audit_search, filter_values, page_of, render_list
from .models import AccessGrant, AuditEvent
from .navigation import RECORD_ROLES
from .validation import error_dict

# --- Sign-in and home -------------------------------------------------------------------------------


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


class SuraghLoginView(LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("login")


HOME_COUNTS_SECONDS = 60


def _home_counts(user) -> dict[str, int]:
    from suragh.cases.access import cases_visible_to
    from suragh.people.access import persons_visible_to
    from suragh.seizures.access import seizures_visible_to

    # Counting everything an analyst may see is the one expensive query here; a minute-old figure will do.
    key = f"suragh:home-counts:{user.pk}"
    counts = cache.get(key)
    if counts is None:
        counts = {
            "cases": cases_visible_to(user).count(),
            "persons": persons_visible_to(user).count(),
            "seizures": seizures_visible_to(user).count(),
        }
        cache.set(key, counts, HOME_COUNTS_SECONDS)
    return counts


@login_required
def home(request: HttpRequest) -> HttpResponse:
    from suragh.cases.access import cases_visible_to
    from suragh.people.access import may_search_persons, recent_alert_counts

    user = request.user
    context: dict[str, Any] = {"sees_records": user.role in RECORD_ROLES}
    if context["sees_records"]:
        context["counts"] = _home_counts(user)
        context["latest_cases"] = list(
            cases_visible_to(user)
            .select_related("owning_unit__agency", "district")
            .order_by("-registered_on", "-id")[:10]
        )
    if may_search_persons(user):
        context["alerts"] = recent_alert_counts(user)
    context["is_policy_viewer"] = user.role == Role.POLICY_VIEWER
    context["is_auditor"] = can_see_audit_trail(user)
    return render(request, "core/home.html", context)


# --- Access grants ----------------------------------------------------------------------------------

# The record types a grant can be asked for, by the name the request form uses.
GRANT_RECORD_TYPES = {"case": "cases.Case", "person": "people.Person", "seizure": "seizures.Seizure"}
GRANT_TYPE_OF_MODEL = {label.split(".")[1].lower(): name for name, label in GRANT_RECORD_TYPES.items()}
GRANT_DETAIL_URL = {"case": "cases:detail", "person": "people:detail", "seizure": "seizures:detail"}
REQUEST_SENT = "Your request was sent to the owning unit."


def grant_model(type_name: str) -> type[Model]:
    return apps.get_model(GRANT_RECORD_TYPES[type_name])


class AccessGrantRequestForm(forms.Form):
    type = forms.ChoiceField(label="Record type", choices=[(k, k.capitalize()) for k in GRANT_RECORD_TYPES])
    id = forms.IntegerField(label="Record number", min_value=1)
    reason = forms.CharField(label="Why you need access", widget=forms.Textarea(attrs={"rows": 4}))
    include_sensitive = forms.BooleanField(
        label="Also ask to see victims, informants, juveniles and tipsters", required=False
    )

    def clean_reason(self) -> str:
        # Same rule and words as do_request_access_grant, so a request for a record that does not exist
        # fails (or succeeds) exactly like one for a record that does.
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 10:
            raise ValidationError("Say why you need access (at least 10 characters).")
        return reason


class AccessGrantDecisionForm(forms.Form):
    expires_on = forms.DateField(
        label="Expires after",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for no expiry.",
    )
    note = forms.CharField(label="Note", required=False, widget=forms.TextInput(attrs={"size": 30}))

    def expires_at(self) -> datetime | None:
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        # Access lasts through the chosen day, local time.
        return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def may_use_grants(user) -> bool:
    return user.role in GRANTABLE_ROLES


def _label_grant(grant: AccessGrant) -> AccessGrant:
    grant.type_name = GRANT_TYPE_OF_MODEL.get(grant.content_type.model, grant.content_type.model)
    url_name = GRANT_DETAIL_URL.get(grant.type_name)
    grant.detail_url = reverse(url_name, args=[grant.object_id]) if url_name else ""
    return grant


def _grants_page(
    request: HttpRequest, failed: tuple[int, AccessGrantDecisionForm] | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    now = timezone.now()
    mine = list(AccessGrant.objects.filter(requested_by=user).select_related("content_type")[:200])
    for grant in mine:
        _label_grant(grant)
        grant.is_active = grant.status == GrantStatus.APPROVED and (grant.expires_at is None or grant.expires_at > now)
    decidable = grants_decidable_by(user).select_related("requested_by__unit__agency", "content_type", "owning_unit")
    pending = list(
        decidable.filter(status=GrantStatus.REQUESTED).order_by("requested_at").prefetch_related("record")[:200]
    )
    to_decide = []
    for grant in pending:
        _label_grant(grant)
        form = failed[1] if failed and failed[0] == grant.pk else AccessGrantDecisionForm(prefix=f"g{grant.pk}")
        to_decide.append((grant, form))
    active = list(
        decidable.filter(status=GrantStatus.APPROVED)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .order_by("-decided_at")
        .prefetch_related("record")[:200]
    )
    for grant in active:
        _label_grant(grant)
    context = {
        "mine": mine,
        "to_decide": to_decide,
        "active_granted": active,
        "is_supervisor": user.role == Role.SUPERVISOR,
    }
    return render(request, "core/grants.html", context, status=status)


@login_required
def grants(request: HttpRequest) -> HttpResponse:
    if not may_use_grants(request.user):
        raise Http404
    return _grants_page(request)


@login_required
def grant_request(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not may_use_grants(user):
        raise Http404
    if request.method == "POST":
        form = AccessGrantRequestForm(request.POST)
    else:
        form = AccessGrantRequestForm(
            initial={
                "type": request.GET.get("type", "case"),
                "id": request.GET.get("id", ""),
                "include_sensitive": request.GET.get("sensitive") == "1",
            }
        )
    # Name the record only when the user may already see it; otherwise echo only what they typed.
    known_title = None
    source = form.data if form.is_bound else form.initial
    type_name, raw_id = source.get("type"), str(source.get("id") or "")
    if type_name in GRANT_RECORD_TYPES and raw_id.isdigit():
        model = grant_model(type_name)
        known_title = model.objects.filter(visible_q(user, model), pk=int(raw_id)).first()

    if request.method == "POST" and form.is_valid():
        model = grant_model(form.cleaned_data["type"])
        record = model.objects.filter(pk=form.cleaned_data["id"]).first()
        try:
            if record is not None:
                do_request_access_grant(
                    record,
                    reason=form.cleaned_data["reason"],
                    include_sensitive=form.cleaned_data["include_sensitive"],
                    acting_user=user,
                )
            else:
                # No such record: answer as if it existed, create nothing, and let auditors see the probe.
                record_event(
                    user,
                    AuditAction.GRANT,
                    object_type=model._meta.label_lower,
                    object_id=form.cleaned_data["id"],
                    fields={"step": "requested", "record_exists": False, "reason": form.cleaned_data["reason"]},
                )
        except ValidationError as exc:
            for field, problems in error_dict(exc).items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, REQUEST_SENT)
            return redirect("core:grants")
    return render(request, "core/grant_request.html", {"form": form, "known_title": known_title})


@login_required
@require_POST
def grant_decide(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = get_object_or_404(grants_decidable_by(request.user), pk=grant_id)
    form = AccessGrantDecisionForm(request.POST, prefix=f"g{grant.pk}")
    approve = request.POST.get("decision") == "approve"
    if form.is_valid():
        try:
            do_decide_access_grant(
                grant,
                approve=approve,
                expires_at=form.expires_at(),
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            field_of = {"expires_at": "expires_on", "note": "note"}
            for field, problems in error_dict(exc).items():
                for problem in problems:
                    form.add_error(field_of.get(field), problem)
        else:
            messages.success(request, f"Request #{grant.pk} {'approved' if approve else 'denied'}.")
            return redirect("core:grants")
    return _grants_page(request, failed=(grant.pk, form), status=400)


@login_required
@require_POST
def grant_revoke(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = get_object_or_404(grants_decidable_by(request.user), pk=grant_id)
    try:
        do_revoke_access_grant(grant, acting_user=request.user)
    except ValidationError as exc:
        for problems in error_dict(exc).values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(request, f"Grant #{grant.pk} revoked.")
    return redirect("core:grants")


# --- Audit trail ------------------------------------------------------------------------------------


def can_see_audit_trail(user) -> bool:
    return user.is_authenticated and user.role == Role.AUDITOR


def _audited_object_types() -> list[tuple[str, str]]:
    return sorted(
        (model._meta.label_lower, f"{model._meta.verbose_name.capitalize()} ({model._meta.label_lower})")
        for model in apps.get_models()
        if model.__module__.startswith("suragh.")
    )


class AuditEventFilterForm(forms.Form):
    user = forms.CharField(label="User name", required=False)
    action = forms.ChoiceField(label="Action", required=False, choices=[("", "Any")] + AuditAction.choices)
    object_type = forms.ChoiceField(label="Object type", required=False)
    object_id = forms.CharField(label="Object id", required=False, max_length=64)
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", "Any")] + _audited_object_types()

    def clean(self) -> dict:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date is before the start date.")
        return data

    def filter(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        data = self.cleaned_data
        if data.get("user"):
            events = events.filter(actor_username__iexact=data["user"].strip())
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("object_type"):
            events = events.filter(object_type=data["object_type"])
        if data.get("object_id"):
            events = events.filter(object_id=data["object_id"].strip())
        if data.get("date_from"):
            events = events.filter(at__gte=_start_of(data["date_from"]))
        if data.get("date_to"):
            events = events.filter(at__lt=_start_of(data["date_to"] + timedelta(days=1)))
        return events


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@login_required
def audit_trail(request: HttpRequest) -> HttpResponse:
    if not can_see_audit_trail(request.user):
        raise Http404
    form = AuditEventFilterForm(request.GET or None)
    events = AuditEvent.objects.order_by("-seq")
    filters: dict[str, Any] = {}
    if form.is_bound:
        if form.is_valid():
            events = form.filter(events)
            filters = filter_values(form)
        else:
            events = events.none()
    page = page_of(events, request)
    for event in page:
        event.fields_json = json.dumps(event.fields, ensure_ascii=False, sort_keys=True)
    audit_search(request, "core.auditevent", filters, page)
    return render_list(
        request, "core/audit.html", "core/_audit_table.html", {"form": form, "page": page, "filters": filters}
    )
