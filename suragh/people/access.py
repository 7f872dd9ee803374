from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from suragh.core.access import get_visible_or_404, visible_q
from suragh.core.choices import Role

from .models import MatchLink, Merge, Person


def persons_visible_to(user) -> QuerySet[Person]:
    return Person.objects.filter(visible_q(user, Person))


def access_person_by_id(user, person_id: int) -> Person:
    return get_visible_or_404(persons_visible_to(user).select_related("owning_unit__agency", "district"), pk=person_id)


# Who reviews the identity model's uncertain pairs and undoes merges: those who link records across the agency.
IDENTITY_REVIEWERS = frozenset({Role.ANALYST, Role.SUPERVISOR})


def may_review_identities(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in IDENTITY_REVIEWERS


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
