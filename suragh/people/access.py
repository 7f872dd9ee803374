from __future__ import annotations

from django.db.models import QuerySet

from suragh.core.access import get_visible_or_404, visible_q

from .models import Person


def persons_visible_to(user) -> QuerySet[Person]:
    return Person.objects.filter(visible_q(user, Person))


def access_person_by_id(user, person_id: int) -> Person:
    return get_visible_or_404(persons_visible_to(user).select_related("owning_unit__agency", "district"), pk=person_id)
