from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from suragh.core.access import get_visible_or_404, unit_side_q, visible_q
from suragh.core.choices import ENFORCEMENT_ROLES, Role
from suragh.core.models import Unit, User

from .identity import identity_of, members_of
from .models import DeconflictionAlert, MatchLink, Merge, Person, ResolutionRun


def persons_visible_to(user) -> QuerySet[Person]:
    return Person.objects.filter(visible_q(user, Person))


def access_person_by_id(user, person_id: int) -> Person:
    return get_visible_or_404(persons_visible_to(user).select_related("owning_unit__agency", "district"), pk=person_id)


PERSON_SEARCH_ROLES = ENFORCEMENT_ROLES | {Role.PROSECUTOR}
# Who reviews the identity model's uncertain pairs and undoes merges: those who link records across the agency.
IDENTITY_REVIEWERS = frozenset({Role.ANALYST, Role.SUPERVISOR})


def may_review_identities(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in IDENTITY_REVIEWERS


# Who starts a full run over every agency's persons and watches it: the analysts who work across agencies, and the
# system's administrators. A run's page shows counts and the model, never a person.
RESOLUTION_RUNNERS = frozenset({Role.ANALYST, Role.SYSTEM_ADMIN})


def may_run_resolution(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in RESOLUTION_RUNNERS


def access_run_by_id(user, run_id: int) -> ResolutionRun:
    if not may_run_resolution(user):
        raise Http404("No such run.")
    return get_visible_or_404(ResolutionRun.objects.select_related("model", "requested_by"), pk=run_id)


def links_visible_to(user) -> QuerySet[MatchLink]:
    """Links between two records the user may both see: a reviewer never sees a pair of which one side is hidden."""
    if not may_review_identities(user):
        return MatchLink.objects.none()
    visible = persons_visible_to(user).values("pk")
    return MatchLink.objects.filter(left__in=visible, right__in=visible)


def access_link_by_id(user, link_id: int) -> MatchLink:
    return get_visible_or_404(links_visible_to(user).select_related("left", "right", "merge", "model"), pk=link_id)


def access_merge_by_id(user, merge_id: int) -> Merge:
    """A merge the user may undo: every record it joined is one he may see."""
    merge = get_visible_or_404(Merge.objects.filter(undone_at__isnull=True), pk=merge_id)
    members = set(merge.left_members) | set(merge.right_members)
    if not may_review_identities(user) or persons_visible_to(user).filter(pk__in=members).count() != len(members):
        raise Http404("No such record.")
    return merge


@dataclass
class Holder:
    """A unit holding records of this person that the viewer may not open, and whom there to ask."""

    unit: Unit
    records: int
    contact: User | None


@dataclass
class SamePerson:
    visible: list[Person]
    held_elsewhere: list[Holder]
    merges: list[Merge]


def contact_for(unit: Unit) -> User | None:
    """The supervisor nearest above a unit's records (of the unit itself, else of the unit above it, and so on),
    else an admin of its agency."""
    ancestors = [unit.path[: i + 1] for i, char in enumerate(unit.path) if char == "/"]
    active = User.objects.filter(is_active=True).select_related("unit")
    supervisor = active.filter(role=Role.SUPERVISOR, unit__path__in=ancestors).order_by("-unit__path", "username")
    admin = active.filter(role=Role.AGENCY_ADMIN, unit__agency=unit.agency_id).order_by("username")
    return supervisor.first() or admin.first()


def same_person(user, person: Person) -> SamePerson:
    """The other records identity resolution joined to this one: those the user may open; for the rest, only
    which units hold them and whom to ask (deconfliction); and the merges the user may undo."""
    others = [pk for pk in members_of(identity_of(person.pk)) if pk != person.pk]
    if not others:
        return SamePerson([], [], [])
    visible = list(persons_visible_to(user).filter(pk__in=others).select_related("owning_unit__agency").order_by("pk"))
    # As in search: a victim's, informant's or juvenile's record held elsewhere is not even counted.
    hidden = Person.objects.filter(pk__in=set(others) - {p.pk for p in visible}).exclude(Person.sensitive_q())
    held = Counter(hidden.values_list("owning_unit", flat=True))
    units = Unit.objects.filter(pk__in=held).select_related("agency").order_by("agency__short_name", "name")
    holders = [Holder(unit, held[unit.pk], contact_for(unit)) for unit in units]
    merges = []
    if may_review_identities(user):
        members = {person.pk, *others}
        joined = Merge.objects.filter(
            undone_at__isnull=True, links__left__in=members, links__state=MatchLink.State.MERGED
        ).distinct()
        seen = {p.pk for p in visible} | {person.pk}
        merges = [m for m in joined.order_by("made_at") if set(m.left_members) | set(m.right_members) <= seen]
    return SamePerson(visible, holders, merges)


def may_search_persons(user) -> bool:
    """Those who work with person records, from a unit that an alert can name."""
    return getattr(user, "is_authenticated", False) and user.role in PERSON_SEARCH_ROLES and bool(user.unit_id)


def alerts_visible_to(user) -> QuerySet[DeconflictionAlert]:
    """Alerts of the user's side, on either end: his unit's (for a supervisor, his unit and below) as searcher or
    as holder."""
    if not may_search_persons(user):
        return DeconflictionAlert.objects.none()
    return DeconflictionAlert.objects.filter(
        unit_side_q(user, "searcher_unit") | unit_side_q(user, "holder_unit") | Q(searched_by=user)
    )


def recent_alert_counts(user, days: int = 30) -> dict[str, int]:
    """The user's side's alerts of the last `days`: searches elsewhere that found its records, and its own
    searches that found records held elsewhere."""
    recent = alerts_visible_to(user).filter(created_at__gte=timezone.now() - timedelta(days=days))
    return {
        "days": days,
        "found_ours": recent.filter(unit_side_q(user, "holder_unit")).count(),
        "ours_found": recent.exclude(unit_side_q(user, "holder_unit")).count(),
    }


def access_alert_by_id(user, alert_id: int) -> DeconflictionAlert:
    return get_visible_or_404(
        alerts_visible_to(user).select_related("searcher_unit__agency", "holder_unit__agency", "searched_by"),
        pk=alert_id,
    )
