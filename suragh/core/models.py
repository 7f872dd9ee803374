"""Organisations, places, users, reference data, access and audit."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .choices import (
    AgencyKind,
    AuditAction,
    BaseUnit,
    GrantStatus,
    PointKind,
    Role,
    UnitKind,
)


class Province(models.Model):
    """A province or territory, keyed by its OCHA P-code (PK1–PK7)."""

    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=80)
    name_ur = models.CharField(max_length=80, blank=True)
    kind = models.CharField(max_length=10, choices=[("province", "Province"), ("territory", "Territory")])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Division(models.Model):
    """A revenue division grouping districts inside a province."""

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=80)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="divisions")

    class Meta:
        ordering = ["province__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} Division"


class District(models.Model):
    """One of Pakistan's 160 districts; the OCHA P-code is its stable code."""

    pcode = models.CharField("P-code", max_length=8, unique=True)
    name = models.CharField(max_length=80)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")
    division = models.ForeignKey(Division, on_delete=models.SET_NULL, null=True, blank=True, related_name="districts")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Point(models.Model):
    """A named place that matters to interdiction: a border crossing, seaport, airport or dry port."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=PointKind.choices)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="points")
    latitude = models.DecimalField(max_digits=8, decimal_places=4)
    longitude = models.DecimalField(max_digits=8, decimal_places=4)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """A federal or provincial body: enforcement, justice, forensic, financial, prison or treatment."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=80)
    name_ur = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=30, choices=AgencyKind.choices)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, null=True, blank=True)
    iatf = models.BooleanField("IATF member", default=False)

    class Meta:
        ordering = ["short_name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.short_name


class Unit(models.Model):
    """A node in an agency's tree (directorate → district → police station); owns records."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    code = models.CharField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=UnitKind.choices)
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True)
    # Materialised path of ancestor ids ("/3/17/42/") so "this unit and below" is one indexed prefix match.
    path = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        ordering = ["agency__short_name", "path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        path = (self.parent.path if self.parent else "/") + f"{self.pk}/"
        if path != self.path:
            self.path = path
            Unit.objects.filter(pk=self.pk).update(path=path)


class SharingGroup(models.Model):
    """A named set of agencies that share records distributed to the group (e.g. a joint task force)."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    agencies = models.ManyToManyField(Agency, related_name="sharing_groups")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in; belongs to one unit and holds one role."""

    role = models.CharField(max_length=20, choices=Role.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    rank = models.CharField(max_length=60, blank=True)

    @property
    def agency(self) -> Agency | None:
        return self.unit.agency if self.unit_id else None

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """A bearer token for API clients; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"API token of {self.user} until {self.expires_at:%Y-%m-%d %H:%M}"


class Substance(models.Model):
    """A controlled substance or precursor, with the units it may be reported in."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    name_ur = models.CharField(max_length=80, blank=True)
    category = models.CharField(max_length=20)
    base_unit = models.CharField(max_length=10, choices=BaseUnit.choices)
    # {"g": "0.001", "kg": "1"}: factor that turns one of the unit into the base unit.
    units = models.JSONField(default=dict)
    aliases = models.JSONField(default=list, blank=True)
    aggregate_in = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def factor(self, unit: str) -> Decimal | None:
        value = self.units.get(unit)
        return Decimal(str(value)) if value is not None else None


class ICCSCode(models.Model):
    """A UNODC International Classification of Crime for Statistical Purposes code."""

    code = models.CharField(max_length=8, unique=True)
    title = models.CharField(max_length=255)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "ICCS code"

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class LegalProvision(models.Model):
    """A section of a law an offence is charged under, mapped to its ICCS code."""

    code = models.CharField(max_length=40, unique=True)
    law = models.CharField(max_length=200)
    law_short = models.CharField(max_length=20)
    section = models.CharField(max_length=40)
    title = models.CharField(max_length=255)
    iccs = models.ForeignKey(ICCSCode, on_delete=models.PROTECT)
    personal_use = models.BooleanField(default=False)
    amended_by = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["law_short", "section"]

    def __str__(self) -> str:
        return f"{self.law_short} s.{self.section}"


class AccessGrant(models.Model):
    """Need-to-know access to one record for one user, approved by the owning unit's supervisor."""

    requested_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_grants")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    owning_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="grant_requests")
    reason = models.TextField()
    include_sensitive = models.BooleanField(
        default=False, help_text="Also reveal victims, informants, juveniles and tipsters."
    )
    status = models.CharField(max_length=10, choices=GrantStatus.choices, default=GrantStatus.REQUESTED)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="grants_decided")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["requested_by", "content_type", "status"])]

    def __str__(self) -> str:
        return f"{self.requested_by} → {self.content_type.model} {self.object_id} ({self.status})"


class AuditEvent(models.Model):
    """One append-only, hash-linked entry in the audit trail."""

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(User, on_delete=models.DO_NOTHING, null=True, blank=True, db_constraint=False)
    actor_username = models.CharField(max_length=150, blank=True)
    ip_address = models.CharField(max_length=45, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=255, blank=True)
    fields = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["actor", "at"]),
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["action", "at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.actor_username} {self.action} {self.object_type} {self.object_id}"


class AuditHead(models.Model):
    """The chain's last link; locked while an event is appended so the chain stays linear."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit head #{self.seq}"
