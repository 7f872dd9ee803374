"""Administration of users and reference data.

Operational records (cases, persons, seizures) are not here on purpose: they change only through
their actions and are read only through the access rule. Changes made here are written to the
audit trail like any other change.

What an administrator may do follows their role, not Django's per-model permissions: a system admin
configures everything; an agency admin manages the users and units of their own agency and reads the
rest of the reference data.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction

from .audit import record_event
from .choices import AuditAction, Role
from .models import (
    AccessGrant,
    Agency,
    District,
    Division,
    ICCSCode,
    LegalProvision,
    Point,
    Province,
    SharingGroup,
    Substance,
    Unit,
    User,
)


def is_system_admin(user) -> bool:
    return user.is_active and (user.role == Role.SYSTEM_ADMIN or user.is_superuser)


def administered_agency_id(user) -> int | None:
    """The agency an agency admin administers; None for everyone else."""
    if user.is_active and user.role == Role.AGENCY_ADMIN and user.unit_id:
        return user.unit.agency_id
    return None


def stored_fields_changed(obj) -> list[str]:
    """The fields whose stored value a save will change (a form's own idea of "changed" is noisier)."""
    before = type(obj).objects.filter(pk=obj.pk).values().first() or {}
    return sorted(f.name for f in obj._meta.concrete_fields if before.get(f.attname) != getattr(obj, f.attname))


class AuditedAdmin(admin.ModelAdmin):
    """Writes an audit event (with the names of the changed fields, never their values) for every save
    and delete made in the admin."""

    def save_model(self, request, obj, form, change) -> None:
        with transaction.atomic():
            changed = stored_fields_changed(obj) if change else sorted(form.changed_data)
            super().save_model(request, obj, form, change)
            record_event(
                request.user, AuditAction.CHANGE if change else AuditAction.CREATE, obj, fields={"admin": changed}
            )

    def delete_model(self, request, obj) -> None:
        with transaction.atomic():
            record_event(request.user, AuditAction.DELETE, obj, fields={"admin": True})
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            for obj in queryset:
                record_event(request.user, AuditAction.DELETE, obj, fields={"admin": True})
            super().delete_queryset(request, queryset)

    # Where the record's agency is, for agency admins; None: reference data they may only read.
    agency_field: str | None = None

    def has_module_permission(self, request) -> bool:
        return is_system_admin(request.user) or administered_agency_id(request.user) is not None

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request) and (obj is None or self.in_scope(request, obj))

    def has_add_permission(self, request) -> bool:
        return is_system_admin(request.user) or (
            self.agency_field is not None and administered_agency_id(request.user) is not None
        )

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_add_permission(request) and (obj is None or self.in_scope(request, obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_change_permission(request, obj)

    def in_scope(self, request, obj) -> bool:
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        agency_id = administered_agency_id(request.user)
        if agency_id is not None and self.agency_field is not None:
            queryset = queryset.filter(**{self.agency_field: agency_id})
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        agency_id = administered_agency_id(request.user)
        if agency_id is not None and db_field.related_model is Unit:
            kwargs["queryset"] = Unit.objects.filter(agency_id=agency_id)
        elif agency_id is not None and db_field.related_model is Agency:
            kwargs["queryset"] = Agency.objects.filter(pk=agency_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Province)
class ProvinceAdmin(AuditedAdmin):
    list_display = ["code", "name", "name_ur", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "name_ur"]


@admin.register(Division)
class DivisionAdmin(AuditedAdmin):
    list_display = ["code", "name", "province"]
    list_filter = ["province"]
    search_fields = ["code", "name"]
    list_select_related = ["province"]


@admin.register(District)
class DistrictAdmin(AuditedAdmin):
    list_display = ["pcode", "name", "division", "province"]
    list_filter = ["province", "division"]
    search_fields = ["pcode", "name"]
    list_select_related = ["province", "division"]


@admin.register(Point)
class PointAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "district", "latitude", "longitude"]
    list_filter = ["kind", "district__province"]
    search_fields = ["code", "name"]
    list_select_related = ["district"]
    autocomplete_fields = ["district"]


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ["code", "short_name", "name", "kind", "province", "iatf"]
    list_filter = ["kind", "iatf", "province"]
    search_fields = ["code", "short_name", "name", "name_ur"]
    list_select_related = ["province"]


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    agency_field = "agency_id"
    list_display = ["code", "name", "agency", "kind", "parent", "district"]
    list_filter = ["kind", "agency"]
    search_fields = ["code", "name", "agency__short_name"]
    list_select_related = ["agency", "parent", "district"]
    autocomplete_fields = ["agency", "parent", "district"]
    readonly_fields = ["path"]


@admin.register(SharingGroup)
class SharingGroupAdmin(AuditedAdmin):
    list_display = ["name", "agency_list"]
    search_fields = ["name", "description"]
    list_filter = ["agencies"]
    filter_horizontal = ["agencies"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("agencies")

    @admin.display(description="Agencies")
    def agency_list(self, group: SharingGroup) -> str:
        return ", ".join(a.short_name for a in group.agencies.all())


@admin.register(Substance)
class SubstanceAdmin(AuditedAdmin):
    list_display = ["code", "name", "name_ur", "category", "base_unit", "aggregate_in"]
    list_filter = ["category", "base_unit"]
    search_fields = ["code", "name", "name_ur"]


@admin.register(ICCSCode)
class ICCSCodeAdmin(AuditedAdmin):
    list_display = ["code", "title", "parent"]
    search_fields = ["code", "title"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(LegalProvision)
class LegalProvisionAdmin(AuditedAdmin):
    list_display = ["code", "law_short", "section", "title", "iccs", "personal_use", "amended_by"]
    list_filter = ["law_short", "personal_use"]
    search_fields = ["code", "law", "law_short", "section", "title", "iccs__code"]
    list_select_related = ["iccs"]
    autocomplete_fields = ["iccs"]


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    agency_field = "unit__agency_id"
    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "rank",
        "unit",
        "agency_name",
        "is_active",
        "is_staff",
    ]
    list_filter = ["role", "unit__agency", "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "first_name", "last_name", "email", "unit__name", "unit__code"]
    list_select_related = ["unit__agency"]
    autocomplete_fields = ["unit"]
    # Staff and superuser status follow the role (save_model); Django's groups and permissions are unused.
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "email"]}),
        ("Role and unit", {"fields": ["role", "rank", "unit", "is_active"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "usable_password", "password1", "password2"]}),
        ("Role and unit", {"classes": ["wide"], "fields": ["role", "rank", "unit"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not is_system_admin(request.user):
            kwargs["choices"] = [(value, label) for value, label in Role.choices if value != Role.SYSTEM_ADMIN]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        obj.is_staff = obj.role in (Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN)
        obj.is_superuser = obj.role == Role.SYSTEM_ADMIN
        super().save_model(request, obj, form, change)

    @admin.display(description="Agency", ordering="unit__agency__short_name")
    def agency_name(self, user: User) -> str:
        return user.unit.agency.short_name if user.unit_id else ""


@admin.register(AccessGrant)
class AccessGrantAdmin(AuditedAdmin):
    """Grants are asked for and decided on the Access grants page, whose actions audit each step; here
    they can only be looked at."""

    agency_field = "owning_unit__agency_id"

    list_display = [
        "id",
        "requested_by",
        "content_type",
        "object_id",
        "owning_unit",
        "include_sensitive",
        "status",
        "requested_at",
        "decided_by",
        "decided_at",
        "expires_at",
    ]
    list_filter = ["status", "include_sensitive", "content_type", "owning_unit__agency"]
    search_fields = ["requested_by__username", "decided_by__username", "reason", "decision_note", "object_id"]
    list_select_related = ["requested_by", "content_type", "owning_unit", "decided_by"]
    date_hierarchy = "requested_at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
