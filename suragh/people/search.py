"""Cross-agency search for persons: by an identifier, or by name in either script.

A search looks at every record. Records the searcher may open are results. For each record they may not open,
the searcher learns only that a match exists, which unit holds it and whom to ask (a deconfliction hit), and the
unit that holds it is alerted. Victims, informants, juveniles and victims of trafficking never make a hit:
even the fact that a unit holds such a record is not the searcher's to learn.
"""

from __future__ import annotations

import contextlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from rapidfuzz import fuzz

from suragh.core.audit import record_event
from suragh.core.choices import AuditAction
from suragh.core.models import Unit, User

from .access import contact_for, persons_visible_to
from .choices import IdentifierKind
from .models import DeconflictionAlert, Identifier, MatchFeatures, Person
from .names import parse_name
from .normalize import NON_ALNUM, InvalidIdentifier, normalize_phone

NAME_CANDIDATES = 2000  # records sharing the searched name's key that are scored; bounded for common names
NAME_THRESHOLD = 80  # a name result scores at least this (0–100)
NAME_HIT_THRESHOLD = 90  # a name match on a record the searcher may not open makes a hit only this close
MAX_RESULTS = 100
ALERT_AGAIN_AFTER = timedelta(days=1)  # the same searcher finding the same record again within a day alerts once
IDENTIFIER_LIKE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-/ .]{3,}$")


@dataclass
class Result:
    person: Person
    matched_on: str
    score: int  # 100 for an identifier, the name's closeness otherwise


@dataclass
class Hit:
    """Records of one unit that the searcher may not open: how many, on what they matched, and whom to ask."""

    unit: Unit
    contact: User | None
    records: int
    matched_on: str
    alerts: list[DeconflictionAlert] = field(default_factory=list)


@dataclass
class SearchAnswer:
    query: str
    kind: str  # "identifier" or "name"
    results: list[Result]
    hits: list[Hit]


def matches_for(query: str) -> tuple[str, dict[int, tuple[str, int]]]:
    """Every record the query matches, whoever may see it: person id → (matched on, score)."""
    text = query.strip()
    digits = re.sub(r"[\s\-.]", "", text)
    if re.fullmatch(r"[0-9]{13}", digits):
        return "identifier", {
            pk: ("CNIC", 100) for pk in Person.objects.filter(cnic=digits).values_list("pk", flat=True)
        }
    found: dict[int, tuple[str, int]] = {}
    if IDENTIFIER_LIKE.fullmatch(text) and any(c.isdigit() for c in text):
        compact = NON_ALNUM.sub("", text.upper())
        for pk in Person.objects.filter(passport_number=compact).values_list("pk", flat=True):
            found[pk] = ("passport", 100)
        values = {compact, text}
        with contextlib.suppress(InvalidIdentifier):
            values.add(normalize_phone(text))
        labels = dict(IdentifierKind.choices)
        held = Identifier.objects.filter(normalized__in=values).values_list("person_id", "kind")
        for pk, kind in held[: MAX_RESULTS * 10]:
            found.setdefault(pk, (labels.get(kind, kind), 100))
        if found or not any(c.isalpha() for c in text):
            return "identifier", found
    return "name", _name_matches(text)


def _name_matches(text: str) -> dict[int, tuple[str, int]]:
    name = parse_name(text)
    if not name:
        return {}
    words, skeletons = name.compared
    wanted = " ".join(words)
    candidates = MatchFeatures.objects.filter(name_key=name.key).values_list("person_id", "name", "name_skeleton")
    found = {}
    for pk, candidate, bones in candidates[:NAME_CANDIDATES]:
        score = int(fuzz.token_set_ratio(wanted, candidate))
        if set(skeletons) <= set(bones.split()):
            score = max(score, 95)  # the same consonants: the name searched for, spelt or scripted differently
        if score >= NAME_THRESHOLD:
            found[pk] = ("name", score)
    return found


def search_persons(user: User, query: str) -> SearchAnswer:
    """Search every agency's person records for the user (see the module's docstring). Audited as a search."""
    kind, found = matches_for(query)
    visible = set(persons_visible_to(user).filter(pk__in=found).values_list("pk", flat=True))
    ranked = sorted(visible, key=lambda pk: (-found[pk][1], pk))[:MAX_RESULTS]
    people = {p.pk: p for p in Person.objects.filter(pk__in=ranked).select_related("owning_unit__agency", "district")}
    results = [Result(people[pk], *found[pk]) for pk in ranked]
    elsewhere = [pk for pk in set(found) - visible if kind == "identifier" or found[pk][1] >= NAME_HIT_THRESHOLD]
    if kind == "name" and len(parse_name(query).compared[0]) < 2:
        elsewhere = []  # one name alone ('Waqar') would alert every unit holding a Waqar: a hit needs a full name
    hits = _hits(user, elsewhere, found)
    record_event(
        user,
        AuditAction.SEARCH,
        object_type="people.person",
        fields={
            "query": query,
            "kind": kind,
            "results": [r.person.pk for r in results],
            "hits": {str(h.unit.pk): h.records for h in hits},
        },
    )
    return SearchAnswer(query, kind, results, hits)


def _hits(user: User, person_ids: list[int], found: dict[int, tuple[str, int]]) -> list[Hit]:
    held = Person.objects.filter(pk__in=person_ids).exclude(Person.sensitive_q()).values_list("pk", "owning_unit_id")
    by_unit: dict[int, list[int]] = defaultdict(list)
    for pk, unit_id in held:
        by_unit[unit_id].append(pk)
    if not by_unit:
        return []
    units = Unit.objects.filter(pk__in=by_unit).select_related("agency").order_by("agency__short_name", "name")
    hits = []
    with transaction.atomic():
        for unit in units:
            ids = sorted(by_unit[unit.pk])
            matched = sorted({found[pk][0] for pk in ids})
            hits.append(
                Hit(
                    unit,
                    contact_for(unit),
                    len(ids),
                    ", ".join(matched),
                    [_alert(user, unit, pk, found[pk][0]) for pk in ids],
                )
            )
    return hits


def _alert(user: User, holder: Unit, person_id: int, matched_on: str) -> DeconflictionAlert:
    """One alert per searcher and record a day: both units see it on their alerts page."""
    recent = DeconflictionAlert.objects.filter(
        searched_by=user, person_id=person_id, created_at__gte=timezone.now() - ALERT_AGAIN_AFTER
    ).first()
    if recent:
        return recent
    alert = DeconflictionAlert.objects.create(
        searched_by=user,
        searcher_unit=user.unit,
        holder_unit=holder,
        person_id=person_id,
        matched_on=matched_on,
    )
    record_event(user, AuditAction.CREATE, alert, fields={"holder_unit": holder.pk, "matched_on": matched_on})
    return alert
