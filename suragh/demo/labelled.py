"""Labelled Pakistani identities, to measure identity resolution against a known answer (SYNTHETIC).

Each invented human is recorded one to four times, as different agencies would: his name respelt ('Muhammad Asif'
/ 'M. Aasif' / 'Mohd Asif Khan'), written in Urdu script only, with a title ('Haji', 'Ch.'), with a typo; his date of
birth replaced by an age on the day, or missing; his father's name shortened or missing; his CNIC or phone given or
not, now and then mistyped. And the data holds the people resolution must keep apart: fathers and sons (the son's
father's name is the father's name, with the same caste and district), and namesakes (the same name and father's
name, born elsewhere in another year). Every record carries the number of the human it stands for.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import combinations

from .config import generator_settings
from .identities import REGION_OF_PROVINCE, IdentifierBook, Name, NameBook, between, one_of, spelling_variant

TITLES = [("Haji", "حاجی"), ("Ch.", "چودھری"), ("Malik", "ملک"), ("Mian", "میاں")]
RECORDS_PER_HUMAN = [(1, 0.55), (2, 0.27), (3, 0.12), (4, 0.06)]
PROVINCES = [("PK6", 0.45), ("PK7", 0.2), ("PK5", 0.17), ("PK2", 0.08), ("PK4", 0.04), ("PK1", 0.03), ("PK3", 0.03)]
AS_OF = date(2024, 6, 30)


@dataclass
class LabelledRecord:
    record_id: int
    human: int
    name_latin: str
    name_urdu: str
    father_or_husband_name: str
    date_of_birth: date | None
    age_years: int | None
    age_recorded_on: date | None
    sex: str
    district: str  # P-code, or '' when not recorded
    cnic: str
    phones: list[str] = field(default_factory=list)


@dataclass
class _Human:
    number: int
    name: Name
    father: Name
    born: date
    district: str
    province: str
    cnic: str
    phone: str


def _weighted(rng: random.Random, options: list[tuple]) -> object:
    roll, total = rng.random(), 0.0
    for value, weight in options:
        total += weight
        if roll < total:
            return value
    return options[-1][0]


class Generator:
    def __init__(self, seed: int, districts: dict[str, list[str]]) -> None:
        """`districts`: P-codes of each province's districts."""
        self.rng = random.Random(seed)
        self.names = NameBook.load()
        self.districts = districts
        cfg = generator_settings()["persons"]
        self.identifiers = IdentifierBook(self.rng, cfg["mobile_prefixes"], cfg["plates"])

    def human(self, number: int, *, like: _Human | None = None, son_of: _Human | None = None) -> _Human:
        rng = self.rng
        if son_of is not None:
            province, district = son_of.province, son_of.district
            name = self.names.name(
                rng, REGION_OF_PROVINCE[province], female=False, muhammad_share=0.45, surname_share=0.0
            )
            name = Name(name.given, son_of.name.surname, name.muhammad)
            father = son_of.name
            born = min(son_of.born + timedelta(days=between(rng, 20 * 365, 35 * 365)), AS_OF - timedelta(days=16 * 365))
        elif like is not None:  # a namesake: the same name and father's name, another man
            province = _weighted(rng, PROVINCES)
            district = one_of(rng, self.districts[province])
            name, father = like.name, like.father
            born = date(1955, 1, 1) + timedelta(days=between(rng, 0, 365 * 50))
        else:
            province = _weighted(rng, PROVINCES)
            district = one_of(rng, self.districts[province])
            region = REGION_OF_PROVINCE[province]
            name = self.names.name(rng, region, female=False, muhammad_share=0.45, surname_share=0.7)
            father = self.names.father(rng, region, name.surname)
            born = date(1955, 1, 1) + timedelta(days=between(rng, 0, 365 * 50))
        cnic = self.identifiers.cnic(province, female=False) if rng.random() < 0.75 else ""
        phone = self.identifiers.mobile() if rng.random() < 0.6 else ""
        return _Human(number, name, father, born, district, province, cnic, phone)

    def records(self, human: _Human, count: int, next_id: int) -> list[LabelledRecord]:
        rng = self.rng
        made, seen = [], set()
        for position in range(count):
            if position == 0:
                latin, urdu = human.name.latin, human.name.urdu
            else:
                latin, urdu = spelling_variant(rng, human.name, avoid=seen)
            seen.add(latin)
            script = rng.random()
            if position and script < 0.2:
                latin = ""  # Urdu script only
            elif script > 0.75:
                urdu = ""
            if latin and rng.random() < 0.1:
                latin = f"{one_of(rng, TITLES)[0]} {latin}"
            if latin and rng.random() < 0.08:
                latin = _typo(rng, latin)
            father = human.father.latin if latin else human.father.urdu
            if position and rng.random() < 0.15:
                father = ""
            elif position and rng.random() < 0.3 and human.father.surname:
                father = human.father.given[0 if latin else 1]
            # Recorded in the last six years, and not before he was fifteen.
            adult_for = (AS_OF - human.born).days - 15 * 365
            recorded_on = AS_OF - timedelta(days=between(rng, 0, max(0, min(365 * 6, adult_for))))
            born, age = human.born, None
            roll = rng.random()
            if position and roll < 0.35:
                born = None
                age = (recorded_on - human.born).days // 365 + one_of(rng, [0, 0, 0, 1, -1])
            elif position and roll < 0.45:
                born = None
            elif position and roll < 0.5 and born.day <= 12:
                born = born.replace(month=born.day, day=born.month)  # day and month swapped
            cnic = human.cnic if human.cnic and (position == 0 or rng.random() < 0.5) else ""
            if cnic and position and rng.random() < 0.03:
                cnic = _digit_typo(rng, cnic)
            phones = [human.phone] if human.phone and rng.random() < 0.35 else []
            district = human.district if rng.random() < 0.85 else one_of(rng, self.districts[human.province] + [""])
            made.append(
                LabelledRecord(
                    record_id=next_id + position,
                    human=human.number,
                    name_latin=latin,
                    name_urdu=urdu,
                    father_or_husband_name=father,
                    date_of_birth=born,
                    age_years=age,
                    age_recorded_on=recorded_on if age is not None else None,
                    sex="M",
                    district=district,
                    cnic=cnic,
                    phones=phones,
                )
            )
        return made


def _typo(rng: random.Random, text: str) -> str:
    """One letter dropped, doubled or swapped with the next, inside a word."""
    positions = [i for i in range(1, len(text) - 1) if text[i].isalpha() and text[i + 1].isalpha()]
    if not positions:
        return text
    i = one_of(rng, positions)
    match between(rng, 0, 2):
        case 0:
            return text[:i] + text[i + 1 :]
        case 1:
            return text[:i] + text[i] + text[i:]
        case _:
            return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def _digit_typo(rng: random.Random, digits: str) -> str:
    i = between(rng, 5, 11)
    return digits[:i] + str((int(digits[i]) + between(rng, 1, 9)) % 10) + digits[i + 1 :]


def labelled_identities(humans: int, *, seed: int, districts: dict[str, list[str]]) -> list[LabelledRecord]:
    """Records of `humans` invented men, one to four records each, with fathers and sons and namesakes among them."""
    generator = Generator(seed, districts)
    rng = generator.rng
    made: list[LabelledRecord] = []
    people: list[_Human] = []
    for number in range(humans):
        roll = rng.random()
        fathers = [p for p in people[-200:] if p.born.year < 1985]
        if fathers and roll < 0.05:
            human = generator.human(number, son_of=one_of(rng, fathers))
        elif people and roll < 0.10:
            human = generator.human(number, like=one_of(rng, people))
        else:
            human = generator.human(number)
        people.append(human)
        made += generator.records(human, _weighted(rng, RECORDS_PER_HUMAN), len(made))
    return made


def true_pairs(records: list[LabelledRecord]) -> set[tuple[int, int]]:
    """Every pair of records of one human, (smaller id, larger id)."""
    by_human: dict[int, list[int]] = {}
    for record in records:
        by_human.setdefault(record.human, []).append(record.record_id)
    return {pair for ids in by_human.values() for pair in combinations(sorted(ids), 2)}


def write_persons(records: list[LabelledRecord], units: list, created_by) -> dict[int, int]:
    """Store labelled records as person records of `units` in turn (so one human's records sit at several
    agencies), with their phones; returns record id → person id. Features are written, documents linked."""
    from suragh.core.models import District
    from suragh.people.identity import link_by_documents, refresh_features
    from suragh.people.models import Identifier, Person
    from suragh.people.normalize import normalize_phone

    districts = dict(District.objects.values_list("pcode", "pk"))
    persons = [
        Person(
            owning_unit=units[i % len(units)],
            created_by=created_by,
            is_synthetic=True,
            name_latin=r.name_latin,
            name_urdu=r.name_urdu,
            father_or_husband_name=r.father_or_husband_name,
            date_of_birth=r.date_of_birth,
            age_years=r.age_years,
            age_recorded_on=r.age_recorded_on,
            sex=r.sex,
            district_id=districts.get(r.district),
            cnic=r.cnic,
        )
        for i, r in enumerate(records)
    ]
    Person.objects.bulk_create(persons, batch_size=2000)
    Identifier.objects.bulk_create(
        Identifier(person=p, kind="phone", value=phone, normalized=normalize_phone(phone))
        for p, r in zip(persons, records, strict=True)
        for phone in r.phones
    )
    refresh_features(persons)
    link_by_documents(persons)
    return {r.record_id: p.pk for r, p in zip(records, persons, strict=True)}


def districts_by_province() -> dict[str, list[str]]:
    from suragh.core.models import District

    found: dict[str, list[str]] = {}
    for pcode, province in District.objects.values_list("pcode", "province__code").order_by("pcode"):
        found.setdefault(province, []).append(pcode)
    return found
