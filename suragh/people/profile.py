"""The resolved person: what every record of one identity that the viewer may open says about him.

Each fact carries the records it comes from, because two agencies' records of one man disagree (a name spelt two
ways, an age where the other has a date of birth) and an investigator must know whose word each fact is before he
relies on it in a challan.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from suragh.cases.access import cases_visible_to
from suragh.cases.choices import SENSITIVE_ROLES, PartyRole
from suragh.cases.custody import Held, held
from suragh.cases.models import Case, CaseParty, CustodyEvent
from suragh.core.access import sees_sensitive_q
from suragh.core.listing import label_quantities
from suragh.seizures.access import seizures_visible_to
from suragh.seizures.models import Seizure

from .access import SamePerson, same_person
from .choices import Sex
from .models import Person


@dataclass
class Fact:
    label: str
    value: str
    sources: list[Person] = field(default_factory=list)


@dataclass
class Role:
    """One role on one case, from one of the identity's records; custody and seizures only for an accused."""

    party: CaseParty
    source: Person  # the record that holds this role
    custody: Held | None
    last_custody: CustodyEvent | None
    seizures: list[Seizure]

    @property
    def sources(self) -> list[Person]:
        return [self.source]


@dataclass
class Profile:
    person: Person
    records: list[Person]  # the identity's records the viewer may open, this one first
    facts: list[Fact]
    aliases: list[Fact]
    identifiers: list[Fact]
    roles: list[Role]
    elsewhere: SamePerson

    @property
    def seizures(self) -> list[tuple[Seizure, Role]]:
        """Each seizure once, though two of his records be accused on its case."""
        seen: dict[int, tuple[Seizure, Role]] = {}
        for role in self.roles:
            for seizure in role.seizures:
                seen.setdefault(seizure.pk, (seizure, role))
        return list(seen.values())


def visible_roles(user, persons: list[Person] | QuerySet) -> QuerySet[CaseParty]:
    """Roles on cases the user may see, listed only where the case page itself would show the person unredacted:
    otherwise a profile would name the victim, informant or juvenile that the case page hides."""
    plain = ~Q(role__in=SENSITIVE_ROLES) & ~Q(person__is_juvenile=True) & ~Q(person__is_trafficking_victim=True)
    return CaseParty.objects.filter(person__in=persons).filter(
        Q(case__in=cases_visible_to(user)) & plain | Q(case__in=Case.objects.filter(sees_sensitive_q(user, Case)))
    )


def flags_of(person: Person) -> list[str]:
    flags = [
        ("juvenile", person.is_juvenile),
        ("foreign national", person.is_foreign_national),
        ("victim of trafficking", person.is_trafficking_victim),
        ("drug-dependent", person.is_drug_dependent),
        ("repeat offender", person.is_repeat_offender),
    ]
    return [label for label, on in flags if on]


def born_text(person: Person) -> str:
    if person.date_of_birth:
        return person.date_of_birth.isoformat()
    if person.age_years is not None:
        on = f" on {person.age_recorded_on.isoformat()}" if person.age_recorded_on else ""
        return f"aged {person.age_years}{on}"
    return ""


def facts_of(person: Person) -> list[tuple[str, str]]:
    relation = person.get_relation_display() if person.relation else "relative of"
    return [
        ("Name (Latin)", person.name_latin),
        ("Name (Urdu)", person.name_urdu),
        ("Father / husband", f"{relation} {person.father_or_husband_name}" if person.father_or_husband_name else ""),
        ("CNIC", person.cnic_display),
        ("Passport", person.passport_number),
        ("Born", born_text(person)),
        ("Sex", person.get_sex_display() if person.sex != Sex.UNKNOWN else ""),
        ("Nationality", person.nationality),
        ("District", person.district.name if person.district else ""),
        ("Address", person.address),
        *(("Flag", flag) for flag in flags_of(person)),
    ]


def grouped(pairs: list[tuple[tuple[str, ...], Person]]) -> list[Fact]:
    """One fact per distinct value, with every record that states it: by label in the order first seen, then by
    value in the order first seen. A value is compared as `key`, when given: a vehicle written 'LEA-1234' at one
    agency and 'LEA 1234' at another is one vehicle."""
    facts: dict[tuple[str, str], Fact] = {}
    for (label, value, *key), source in pairs:
        if value:
            fact = facts.setdefault((label, key[0] if key else value), Fact(label, value))
            if source not in fact.sources:
                fact.sources.append(source)
    labels = list(dict.fromkeys(label for label, _ in facts))
    return sorted(facts.values(), key=lambda fact: labels.index(fact.label))


def roles_of(user, records: list[Person], today: date) -> list[Role]:
    by_id = {r.pk: r for r in records}
    parties = list(
        visible_roles(user, records)
        .select_related("case__owning_unit__agency", "case__district", "verdict")
        .order_by("-case__registered_on", "case_id", "person_id")
    )
    accused = [p for p in parties if p.role == PartyRole.ACCUSED]
    events: dict[int, list[CustodyEvent]] = defaultdict(list)
    for event in CustodyEvent.objects.filter(party__in=accused).order_by("on", "id"):
        events[event.party_id].append(event)
    seized: dict[int, list[Seizure]] = defaultdict(list)
    for seizure in label_quantities(
        seizures_visible_to(user)
        .filter(case__in={p.case_id for p in accused})
        .select_related("substance", "lead_agency", "district")
        .order_by("-seized_on", "-id")
    ):
        seized[seizure.case_id].append(seizure)
    roles = []
    for party in parties:
        if party.role != PartyRole.ACCUSED:
            roles.append(Role(party, by_id[party.person_id], None, None, []))
            continue
        verdict = getattr(party, "verdict", None)
        own = events[party.pk]
        figures = held(own, today, ends_on=verdict.decided_on if verdict else None) if own else None
        roles.append(Role(party, by_id[party.person_id], figures, own[-1] if own else None, seized[party.case_id]))
    return roles


def profile_of(user, person: Person) -> Profile:
    """`person` must be one the user may open (access_person_by_id)."""
    elsewhere = same_person(user, person)
    records = [person, *elsewhere.visible]
    ids = [r.pk for r in records]
    # Every one of these records was read through the access rule just now (the person by the caller, the others
    # by same_person); they are read again only to bring their aliases and identifiers.
    visible = {
        p.pk: p
        for p in Person.objects.filter(pk__in=ids)
        .select_related("owning_unit__agency", "district")
        .prefetch_related("aliases", "identifiers")
    }
    records = [visible[pk] for pk in ids]
    facts = grouped([(fact, r) for r in records for fact in facts_of(r)])
    aliases = grouped(
        [(("Alias (Urdu)" if a.script == "urdu" else "Alias", a.name), r) for r in records for a in r.aliases.all()]
    )
    identifiers = grouped(
        [
            ((i.get_kind_display(), i.value, i.normalized), r)
            for r in records
            for i in sorted(r.identifiers.all(), key=lambda i: (i.kind, i.normalized))
        ]
    )
    return Profile(
        person=records[0],
        records=records,
        facts=facts,
        aliases=aliases,
        identifiers=identifiers,
        roles=roles_of(user, records, timezone.localdate()),
        elsewhere=elsewhere,
    )
