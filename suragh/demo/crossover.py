"""Persons who turn up in more than one agency's records, spelt differently each time.

Each appearance is a separate Person owned by that agency, as it would be in real records; what ties them is a
shared CNIC or phone number, which is what identity resolution and deconfliction have to find.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from suragh.people.normalize import normalize_cnic

from .identities import (
    REGION_OF_PROVINCE,
    IdentifierBook,
    Name,
    NameBook,
    WeightedChoice,
    between,
    one_of,
    spelling_variant,
)
from .plan import AgencyPlan, CasePlan, Planner


@dataclass(frozen=True)
class Appearance:
    """How one agency recorded a cross-agency person."""

    agency: str
    name_latin: str
    name_urdu: str
    father_latin: str
    father_urdu: str
    cnic: str
    phone: str
    district_id: int | None
    date_of_birth: date | None  # as recorded: without it, the record has his age, stated on the day
    born: date  # when he was in fact born, which a stated age is near


class CaseFinder:
    """Hands out each agency's cases with an arrested accused, once each, preferring a district or province."""

    def __init__(self, plans: dict[str, AgencyPlan], rng: random.Random) -> None:
        self.lists: dict[tuple, list[CasePlan]] = defaultdict(list)
        self.taken: set[int] = set()
        for code, plan in plans.items():
            cases = [c for c in plan.cases if c.arrested and c.year >= 2022]
            rng.shuffle(cases)
            for case in cases:
                self.lists[(code,)].append(case)
                self.lists[(code, case.site.province)].append(case)
                self.lists[(code, case.site.province, case.site.district_id)].append(case)

    def take(self, agency: str, *, district_id: int | None, province: str | None) -> CasePlan | None:
        for key in ((agency, province, district_id), (agency, province), (agency,)):
            cases = self.lists.get(key) or []
            while cases:
                case = cases.pop()
                if id(case) not in self.taken and not case.overrides:
                    self.taken.add(id(case))
                    return case
        return None

    def give_back(self, agency: str, case: CasePlan) -> None:
        self.taken.discard(id(case))
        self.lists[(agency,)].insert(0, case)


def plan_cross_agency(
    planner: Planner,
    plans: dict[str, AgencyPlan],
    names: NameBook,
    identifiers: IdentifierBook,
) -> int:
    """Attach cross-agency identities to accused in the plans; returns how many persons were made."""
    cfg = planner.cfg["cross_agency"]
    rng = planner.rng("cross-agency")
    finder = CaseFinder(plans, rng)
    world = planner.world
    pcode_to_id = {d.pcode: pk for pk, d in world.districts.items()}
    made = 0
    for fixed in cfg["fixed"]:
        cnic = normalize_cnic(fixed["cnic"])
        identifiers.reserve(cnic)
        identifiers.reserve(fixed["phone"])
        district_id = pcode_to_id.get(fixed["district"])
        province = world.districts[district_id].province.code if district_id else None
        father_latin, father_urdu = fixed["father"]
        placed = 0
        for agency, latin, urdu, with_cnic, with_phone in fixed["appearances"]:
            case = finder.take(agency, district_id=district_id, province=province)
            if case is None:
                continue
            case.overrides[0] = Appearance(
                agency=agency,
                name_latin=latin,
                name_urdu=urdu,
                father_latin=father_latin,
                father_urdu=father_urdu,
                cnic=cnic if with_cnic else "",
                phone=fixed["phone"] if with_phone else "",
                district_id=district_id,
                date_of_birth=date(1986, 3, 14),
                born=date(1986, 3, 14),
            )
            placed += 1
        made += placed >= 2
    pairs = [row for row in cfg["pairs"] if sum(code in plans for code in row[0]) >= 2]
    if not pairs:
        return made
    choose_pair = WeightedChoice([row[0] for row in pairs], [row[1] for row in pairs])
    all_codes = sorted({code for row in pairs for code in row[0] if code in plans})
    target = cfg["count"].get(planner.scale, cfg["count"]["small"])
    wanted, attempts = target - made, 0
    while wanted > 0 and attempts < 10 * target:
        attempts += 1
        agencies = [code for code in choose_pair(rng) if code in plans]
        if rng.random() < cfg["third_agency_share"]:
            others = [code for code in all_codes if code not in agencies]
            agencies.append(one_of(rng, others))
        if _make_person(rng, planner, agencies, finder, names, identifiers) >= 2:
            made += 1
            wanted -= 1
    return made


def _make_person(
    rng: random.Random,
    planner: Planner,
    agencies: list[str],
    finder: CaseFinder,
    names: NameBook,
    identifiers: IdentifierBook,
) -> int:
    world = planner.world
    province = next(
        (world.agencies[code].province.code for code in agencies if world.agencies[code].province_id),
        one_of(rng, ["PK2", "PK5", "PK7"]),
    )
    region = REGION_OF_PROVINCE[province]
    name = names.name(rng, region, female=False, muhammad_share=0.5, surname_share=0.9)
    father = names.father(rng, region, name.surname)
    district = world.districts_by_province[province](rng)
    cnic = identifiers.cnic(province, female=False)
    phone = identifiers.mobile()
    born = date(1960, 1, 1) + timedelta(days=between(rng, 0, 365 * 40))
    seen: set[str] = set()
    cases: list[tuple[CasePlan, Appearance]] = []
    for position, agency in enumerate(agencies):
        if position == 0:
            latin, urdu = name.latin, name.urdu
            with_cnic = with_phone = True
        else:
            latin, urdu = spelling_variant(rng, name, avoid=seen)
            with_cnic, with_phone = rng.random() < 0.7, rng.random() < 0.6
            if not (with_cnic or with_phone):
                with_cnic = rng.random() < 0.5
                with_phone = not with_cnic
        seen.add(latin)
        case = finder.take(agency, district_id=district.pk, province=province)
        if case is None:
            continue
        father_name = father if position == 0 or rng.random() < 0.5 else Name(father.given, None)
        cases.append(
            (
                case,
                Appearance(
                    agency=agency,
                    name_latin=latin,
                    name_urdu=urdu,
                    father_latin=father_name.latin,
                    father_urdu=father_name.urdu,
                    cnic=cnic if with_cnic else "",
                    phone=phone if with_phone else "",
                    district_id=district.pk,
                    date_of_birth=born if rng.random() < 0.6 else None,
                    born=born,
                ),
            )
        )
    if len({appearance.agency for _case, appearance in cases}) < 2:
        for case, appearance in cases:
            finder.give_back(appearance.agency, case)
        return 0
    for case, appearance in cases:
        case.overrides[0] = appearance
    return len(cases)


def cross_agency_summary(plans: dict[str, AgencyPlan]) -> dict[str, int]:
    """How many appearances each agency holds (for the load's audit event)."""
    counts: dict[str, int] = defaultdict(int)
    for code, plan in plans.items():
        counts[code] = sum(1 for case in plan.cases if case.overrides)
    return {code: n for code, n in counts.items() if n}
