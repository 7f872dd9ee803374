from __future__ import annotations

from django.db.models import QuerySet

from suragh.core.access import get_visible_or_404, sees_sensitive_q, visible_q

from .choices import SENSITIVE_ROLES
from .models import Case, CaseParty


def cases_visible_to(user) -> QuerySet[Case]:
    return Case.objects.filter(visible_q(user, Case))


def access_case_by_id(user, case_id: int) -> Case:
    return get_visible_or_404(cases_visible_to(user).select_related("owning_unit__agency", "district"), pk=case_id)


def sees_sensitive_parts(user, case: Case) -> bool:
    return Case.objects.filter(sees_sensitive_q(user, Case), pk=case.pk).exists()


def party_is_sensitive(party: CaseParty) -> bool:
    return party.role in SENSITIVE_ROLES or party.person.is_juvenile or party.person.is_trafficking_victim


def parties_for(user, case: Case) -> list[tuple[CaseParty, bool]]:
    """Each party with whether it must be shown redacted to this user."""
    reveal = sees_sensitive_parts(user, case)
    parties = case.parties.select_related("person").order_by("role", "id")
    return [(party, party_is_sensitive(party) and not reveal) for party in parties]
