"""The one access rule (DESIGN.md): who may see which operational record.

A user sees a record when it is their unit's (a supervisor: their unit and below), or its
distribution reaches their agency, or they hold an approved, unexpired access grant for it, or
their role's scope names it. Everything that reads records goes through `visible_q`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q
from django.http import Http404
from django.utils import timezone

from .choices import ENFORCEMENT_ROLES, Distribution, GrantStatus, Role

if TYPE_CHECKING:
    from .models import User

NOTHING = Q(pk__in=[])

# Roles that may ask for, and be given, access to a record they do not otherwise see.
GRANTABLE_ROLES = ENFORCEMENT_ROLES | {Role.PROSECUTOR}


def unit_side_q(user: User, field: str = "owning_unit") -> Q:
    """Records owned by the user's unit, or by any unit below it for a supervisor."""
    if user.role == Role.SUPERVISOR:
        return Q(**{f"{field}__path__startswith": user.unit.path})
    return Q(**{f"{field}_id": user.unit_id})


def active_grants(user: User, model: type[Model], *, sensitive: bool = False):
    from .models import AccessGrant

    grants = AccessGrant.objects.filter(
        requested_by=user,
        content_type=ContentType.objects.get_for_model(model),
        status=GrantStatus.APPROVED,
    ).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
    if sensitive:
        grants = grants.filter(include_sensitive=True)
    return grants.values("object_id")


def visible_q(user: User, model: type[Model]) -> Q:
    """The filter that selects the records of `model` (a core.records.Record, or a part of one that names
    its record in `access_through`) `user` may see."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if through := getattr(model, "access_through", None):
        return part_q(user, model, through)
    from .models import SharingGroup

    q = NOTHING
    if user.role in ENFORCEMENT_ROLES and user.unit_id:
        agency_id = user.unit.agency_id
        reach = (
            Q(distribution=Distribution.AGENCY, owning_unit__agency_id=agency_id)
            | Q(
                distribution=Distribution.SHARING_GROUP,
                sharing_group_id__in=SharingGroup.objects.filter(agencies=agency_id).values("id"),
            )
            | Q(distribution=Distribution.ALL_AGENCIES)
        )
        if (sensitive := model.sensitive_q()) is not None:
            reach &= ~sensitive
        q = unit_side_q(user) | reach
    if user.role in GRANTABLE_ROLES:
        sensitive = model.sensitive_q()
        if sensitive is None:
            q |= Q(pk__in=active_grants(user, model))
        else:
            q |= (Q(pk__in=active_grants(user, model)) & ~sensitive) | Q(
                pk__in=active_grants(user, model, sensitive=True)
            )
    if (reach_q := model.reach_q(user)) is not None:
        q |= reach_q
    return q


def part_q(user: User, model: type[Model], path: str) -> Q:
    """A part of a record (an evidence item of a case) is seen with its record, or by the role's scope (a
    forensic analyst: what was submitted to their laboratory)."""
    record = model
    for name in path.split("__"):
        record = record._meta.get_field(name).related_model
    q = Q(**{f"{path}__in": record.objects.filter(visible_q(user, record)).values("pk")})
    if (reach_q := model.reach_q(user)) is not None:
        q |= reach_q
    return q


def sees_sensitive_q(user: User, model: type[Model]) -> Q:
    """Records whose victims, informants, juveniles and tipsters the user may see unredacted.

    Only the owning side (the owning unit, its supervisors above), the role scope (an assigned
    prosecutor) and grants that say so reveal them.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    q = NOTHING
    if user.role in ENFORCEMENT_ROLES and user.unit_id:
        q = unit_side_q(user)
    if user.role in GRANTABLE_ROLES:
        q |= Q(pk__in=active_grants(user, model, sensitive=True))
    if (reach_q := model.reach_q(user)) is not None:
        q |= reach_q
    return q


def get_visible_or_404(queryset, **lookup):
    """A record the user may not see answers exactly like one that does not exist."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such record.") from exc
