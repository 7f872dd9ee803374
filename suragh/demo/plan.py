"""Planning the demo world in memory before any row is written.

Exact totals are arranged here, where whole cases can still be moved: a year's verdicts are met by choosing
cases whose arrested accused add up to the figure, a year's recoveries by splitting the figure into seizures
to the gram. generate.py then turns the plan into rows.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from suragh.cases.choices import Appellant, CaseStatus, VerdictOutcome
from suragh.core.choices import Distribution, PointKind
from suragh.core.models import Agency, District, LegalProvision, Point, SharingGroup, Substance, Unit
from suragh.core.validation import FieldErrors
from suragh.seizures.actions import to_base_quantity
from suragh.seizures.choices import Concealment, Conveyance

from . import figures
from .config import generator_settings, load_data
from .identities import WeightedChoice, between, one_of

# Units that register cases: the deepest of these kinds in each agency's tree.
SITE_KINDS = frozenset({"police_station", "district", "division", "port_control_unit", "circle"})
GRAM = Decimal("0.001")
# Quantity bands of CNSA s.9 by base unit: (personal use up to, trafficking above).
BANDS = {"kg": (Decimal("0.1"), Decimal("1")), "tablet": (Decimal(100), Decimal(1000)), "L": (Decimal(1), Decimal(10))}


class DemoError(RuntimeError):
    """The plan cannot meet a figure; raised before anything is written."""


@dataclass(slots=True, eq=False)
class Site:
    """A unit that registers cases, with its district and how much of the agency's work it gets."""

    unit_id: int
    code: str
    kind: str
    parent_id: int | None
    district_id: int
    district_name: str
    province: str
    border: bool
    weight: float
    points: list[Point]


@dataclass(slots=True, eq=False)
class SeizurePlan:
    substance: Substance
    quantity: Decimal
    unit: str
    base: Decimal
    band: str
    large: bool
    seized_on: date | None = None
    site: Site | None = None
    conveyance: str = Conveyance.OTHER
    concealment: str = Concealment.NONE
    origin: str = ""
    destination: str = ""
    point: Point | None = None
    participants: tuple[int, ...] = ()


@dataclass(slots=True, eq=False)
class CasePlan:
    year: int
    site: Site
    registered_on: date
    seizures: list[SeizurePlan] = field(default_factory=list)
    arrested: int = 1
    absconding: int = 0
    victims: int = 0
    offences: list[str] = field(default_factory=list)
    decided_on: date | None = None
    outcomes: list[str] = field(default_factory=list)
    cancelled_on: date | None = None
    history: list[tuple[str, date, str]] = field(default_factory=list)
    fir_number: str = ""
    io_id: int | None = None
    prosecutor_id: int | None = None
    distribution: str = Distribution.AGENCY
    group_id: int | None = None
    band: str = "a"
    # accused index → a cross-agency identity to use instead of a fresh person
    overrides: dict[int, Any] = field(default_factory=dict)
    # (index of the accused whose verdict is appealed, appellant, filed on), when the case went to appeal
    appeal: tuple[int, str, date] | None = None

    @property
    def status(self) -> str:
        return self.history[-1][0]

    @property
    def status_on(self) -> date:
        return self.history[-1][1]


@dataclass
class YearPlan:
    """What one agency must show for one year: counts, verdicts decided that year, recoveries in grams."""

    year: int
    cases: int
    arrests: int
    verdicts: dict[str, int]
    grams: dict[str, int] = field(default_factory=dict)  # substance code → grams
    total_grams: int | None = None  # one total over every substance measured in kg (ANF)


@dataclass
class AgencyPlan:
    code: str
    id: int
    checked: bool
    sites: list[Site]
    choose_site: WeightedChoice
    choose_border_site: WeightedChoice | None
    years: list[YearPlan] = field(default_factory=list)
    cases: list[CasePlan] = field(default_factory=list)
    unattached: list[SeizurePlan] = field(default_factory=list)
    io_site: Site | None = None
    io_user_id: int | None = None
    field_user_id: int | None = None
    prosecutor_user_id: int | None = None


@dataclass
class World:
    """Reference data the plan draws on, loaded once."""

    agencies: dict[str, Agency]
    substances: dict[str, Substance]
    provisions: dict[str, int]
    districts: dict[int, District]
    district_weight: dict[int, float]
    district_border: dict[int, bool]
    districts_by_province: dict[str, WeightedChoice]
    groups: dict[str, SharingGroup]
    group_members: dict[int, set[int]]
    units: dict[int, Unit]

    @classmethod
    def load(cls) -> World:
        weights = load_data("districts.yaml")
        districts = {d.pk: d for d in District.objects.select_related("province").order_by("pcode")}
        district_weight = {pk: float(weights.get(d.pcode, {}).get("pop", 100)) for pk, d in districts.items()}
        district_border = {pk: bool(weights.get(d.pcode, {}).get("border")) for pk, d in districts.items()}
        by_province: dict[str, list[District]] = defaultdict(list)
        for d in districts.values():
            by_province[d.province.code].append(d)
        groups = {g.name: g for g in SharingGroup.objects.order_by("name")}
        members: dict[int, set[int]] = defaultdict(set)
        for group_id, agency_id in SharingGroup.agencies.through.objects.values_list("sharinggroup_id", "agency_id"):
            members[group_id].add(agency_id)
        return cls(
            agencies={a.code: a for a in Agency.objects.order_by("code")},
            substances={s.code: s for s in Substance.objects.order_by("code")},
            provisions=dict(LegalProvision.objects.values_list("code", "pk")),
            districts=districts,
            district_weight=district_weight,
            district_border=district_border,
            districts_by_province={
                code: WeightedChoice(items, [district_weight[d.pk] for d in items])
                for code, items in sorted(by_province.items())
            },
            groups=groups,
            group_members=dict(members),
            units={u.pk: u for u in Unit.objects.order_by("pk")},
        )

    def sites_of(self, agency: Agency) -> list[Site]:
        units = [u for u in self.units.values() if u.agency_id == agency.pk]
        has_site_child = {u.parent_id for u in units if u.kind in SITE_KINDS}
        chosen = [u for u in units if u.kind in SITE_KINDS and u.pk not in has_site_child and u.district_id]
        per_district: dict[int, int] = defaultdict(int)
        for u in chosen:
            per_district[u.district_id] += 1
        points: dict[int, list[Point]] = defaultdict(list)
        for point in Point.objects.order_by("code"):
            points[point.district_id].append(point)
        return [
            Site(
                unit_id=u.pk,
                code=u.code,
                kind=u.kind,
                parent_id=u.parent_id,
                district_id=u.district_id,
                district_name=self.districts[u.district_id].name,
                province=self.districts[u.district_id].province.code,
                border=self.district_border[u.district_id],
                weight=self.district_weight[u.district_id] / per_district[u.district_id],
                points=points.get(u.district_id, []),
            )
            for u in sorted(chosen, key=lambda u: u.code)
        ]


def allocate(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split a whole number in proportion to weights (largest remainder), so the parts add up exactly."""
    if total <= 0 or not weights:
        return {key: 0 for key in weights}
    weight_sum = sum(weights.values())
    shares = {key: total * w / weight_sum for key, w in weights.items()}
    parts = {key: int(share) for key, share in shares.items()}
    left = total - sum(parts.values())
    for key in sorted(shares, key=lambda k: (parts[k] - shares[k], list(weights).index(k)))[:left]:
        parts[key] += 1
    return parts


def split_grams(rng: random.Random, total: int, count: int, sigma: float, max_share: float) -> list[int]:
    """`count` positive quantities adding up to `total` grams: log-normal, so many small and a few large; the
    rounding remainder goes on the last one."""
    if count <= 0:
        return []
    if count > total:
        raise DemoError(f"cannot split {total} g into {count} seizures of at least 1 g")
    if count == 1:
        return [total]
    weights = [rng.lognormvariate(0, sigma) for _ in range(count)]
    if count >= 10:
        cap = max_share * sum(weights)
        weights = [min(w, cap) for w in weights]
    weight_sum = sum(weights)
    grams = [max(1, int(total * w / weight_sum)) for w in weights]
    left = total - sum(grams)
    if left >= 0:
        grams[-1] += left
    else:
        for index in sorted(range(count), key=grams.__getitem__, reverse=True):
            take = min(grams[index] - 1, -left)
            grams[index] -= take
            left += take
            if left == 0:
                break
    return grams


def band_of(substance: Substance, base: Decimal) -> str:
    """CNSA s.9 clause by quantity: (a) personal use, (b) and (c) trafficking."""
    low, high = BANDS.get(substance.base_unit, BANDS["kg"])
    return "a" if base <= low else "b" if base <= high else "c"


def provision_for_band(year: int, band: str) -> str:
    """S.9 as it read before the 2022 amendment for cases registered until 2022, as substituted from 2023
    (an assumption: docs/demo-data.md)."""
    return f"CNSA-9({band})" if year <= 2022 else f"CNSA-9(1)({band})"


def random_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=between(rng, 0, max(0, (end - start).days)))


class Planner:
    """Plans every agency's cases for one scale."""

    def __init__(self, world: World, scale: str) -> None:
        self.world = world
        self.scale = scale
        self.divisor = figures.SCALES[scale]
        self.cfg = generator_settings()
        self.seed = self.cfg["seed"]
        self.as_of: date = self.cfg["as_of"]
        self.seizure_cfg = self.cfg["seizures"]
        self.targets = figures.targets(scale)

    def rng(self, *parts: object) -> random.Random:
        """An independent stream per purpose, so changing one part of the plan leaves the others as they were."""
        return random.Random(":".join(str(p) for p in (self.seed, self.scale, *parts)))

    # -- agencies and their years ------------------------------------------------------------------------------

    def agency_plan(self, code: str) -> AgencyPlan:
        agency = self.world.agencies[code]
        sites = self.world.sites_of(agency)
        if not sites:
            raise DemoError(f"{code} has no unit that registers cases in the reference data")
        border = [s for s in sites if s.border]
        plan = AgencyPlan(
            code=code,
            id=agency.pk,
            checked=code in self.targets,
            sites=sites,
            choose_site=WeightedChoice(sites, [s.weight for s in sites]),
            choose_border_site=WeightedChoice(border, [s.weight for s in border]) if border else None,
        )
        wanted = {e["agency"]: e.get("io_unit") for e in self.cfg["users"]["agencies"].values()}.get(code)
        plan.io_site = next((s for s in sites if s.code == wanted), None) or max(
            sites, key=lambda s: (s.kind == "police_station", s.weight, s.code)
        )
        return plan

    def year_plans(self, plan: AgencyPlan) -> list[YearPlan]:
        if plan.checked:
            years = [self._checked_year(plan.code, year) for year in figures.YEARS]
        else:
            years = [self._extra_year(plan.code, year) for year in figures.YEARS]
        # Verdicts can only go to accused already arrested: when the checked years hand down more verdicts than
        # they have arrests (ANF's derived figures nearly do), the backlog makes up the difference.
        shortfall = sum(sum(y.verdicts.values()) - y.arrests for y in years)
        return [self._backlog_year(plan.code, years[0], max(0, shortfall)), *years]

    def _acquittal_share(self, code: str) -> float:
        shares = self.cfg["acquittal_share_of_cases"]
        return shares.get(code, shares["default"])

    def _verdicts(self, convicted: int, acquitted: int) -> dict[str, int]:
        discharged = round(self.cfg["discharge_share_of_verdicts"] * (convicted + acquitted))
        return {
            VerdictOutcome.CONVICTED: convicted,
            VerdictOutcome.ACQUITTED: acquitted,
            VerdictOutcome.DISCHARGED: discharged,
        }

    def _checked_year(self, code: str, year: int) -> YearPlan:
        target = self.targets[code][year]
        acquitted = target.get("acquittals")
        if acquitted is None:
            acquitted = round(self._acquittal_share(code) * target["cases"])
        plan = YearPlan(
            year=year,
            cases=target["cases"],
            arrests=target["arrests"],
            verdicts=self._verdicts(target["convictions"], acquitted),
        )
        if "recoveries_total_kg" in target:
            plan.total_grams = int(target["recoveries_total_kg"] / GRAM)
        else:
            charas_as = self.seizure_cfg["charas_as"].get(code, "charas")
            for group, amount in target["recoveries_kg"].items():
                plan.grams[charas_as if group == "charas" else group] = int(amount / GRAM)
        return plan

    def _extra_year(self, code: str, year: int) -> YearPlan:
        extra = self.cfg["extra_agencies"][code]
        cases = figures.scale_count(extra["cases"], self.divisor)
        plan = YearPlan(
            year=year,
            cases=cases,
            arrests=max(cases, round(cases * extra["arrests_per_case"])),
            verdicts=self._verdicts(round(cases * extra["conviction_share"]), round(cases * extra["acquittal_share"])),
        )
        for substance, amount in (extra.get("recoveries_kg") or {}).items():
            plan.grams[substance] = int(figures.scale_kg(amount, self.divisor) / GRAM)
        return plan

    def _backlog_year(self, code: str, first: YearPlan, shortfall: int) -> YearPlan:
        """Cases registered before the checked years, only so that the first year's courts have trials to end."""
        cases = max(1, round(self.cfg["backlog_share_of_2022_verdicts"] * sum(first.verdicts.values())) + shortfall)
        ratio = cases / max(1, first.cases)
        return YearPlan(
            year=self.cfg["backlog_year"],
            cases=cases,
            arrests=max(cases, round(cases * first.arrests / max(1, first.cases))),
            verdicts={},
            grams={code: max(1, round(grams * ratio)) for code, grams in first.grams.items() if grams},
            total_grams=max(1, round(first.total_grams * ratio)) if first.total_grams else None,
        )

    # -- seizures ----------------------------------------------------------------------------------------------

    def _share(self, key: str, code: str) -> float:
        values = self.seizure_cfg[key]
        return values.get(code, values.get("default", 0.0))

    def seizures_for_year(self, plan: AgencyPlan, year: YearPlan, rng: random.Random) -> list[SeizurePlan]:
        """Every seizure of the agency-year, checked substances adding up to their figures to the gram."""
        wanted = year.cases + round(self._share("extra_share", plan.code) * year.cases)
        if year.total_grams is None and not year.grams and plan.code in self.cfg["extra_agencies"]:
            return []  # an agency that seizes nothing here (FIA's cases are about people)
        sigma = self._share("sigma", plan.code)
        max_share = self.seizure_cfg["max_share_of_total"]
        seizures: list[SeizurePlan] = []
        if year.total_grams is not None:
            weight_mix = self.seizure_cfg["total_mix_weight"]
            split = allocate(year.total_grams, {c: w for c, w in weight_mix.items() if c in self.world.substances})
            grams = {code: g for code, g in split.items() if g > 0}
            counts = self._counts(grams, self.seizure_cfg["total_mix_count"], wanted)
        else:
            grams = {code: g for code, g in year.grams.items() if g > 0}
            mix = self.seizure_cfg["count_mix"]
            weights = {c: mix.get(c, mix["charas"] if c == "hashish" else 5) for c in grams}
            counts = self._counts(grams, weights, wanted)
        for code, count in counts.items():
            substance = self.world.substances[code]
            for amount in split_grams(rng, grams[code], count, sigma, max_share):
                seizures.append(self._kg_seizure(rng, substance, amount))
        unchecked = wanted - len(seizures)
        if unchecked > 0 or not seizures:
            seizures += self._unchecked(
                rng, plan, max(unchecked, 1 if not seizures else 0), year.total_grams is not None
            )
        rng.shuffle(seizures)
        return seizures

    def _counts(self, grams: dict[str, int], weights: dict[str, float], wanted: int) -> dict[str, int]:
        """How many seizures each substance gets: by the mix, at least one where there is a figure, and never
        so many that the average seizure is smaller than believable."""
        if not grams:
            return {}
        min_mean = self.seizure_cfg["min_mean_grams"]
        unchecked = round(self.seizure_cfg["unchecked_share"] * wanted)
        checked = max(len(grams), wanted - unchecked)
        cap = {code: max(1, g // min_mean.get(code, 20)) for code, g in grams.items()}
        counts = dict.fromkeys(grams, 0)
        open_codes = [code for code in grams if weights.get(code, 0) > 0] or list(grams)
        left = checked
        while left > 0 and open_codes:
            share = allocate(left, {code: weights.get(code, 1) for code in open_codes})
            for code in list(open_codes):
                room = cap[code] - counts[code]
                add = min(room, share[code])
                counts[code] += add
                left -= add
                if counts[code] >= cap[code]:
                    open_codes.remove(code)
            if all(share[code] == 0 for code in open_codes):
                break
        for code in counts:
            counts[code] = max(1, counts[code])
        return counts

    def _kg_seizure(self, rng: random.Random, substance: Substance, grams: int) -> SeizurePlan:
        base = Decimal(grams) * GRAM
        if grams < 1000:
            quantity, unit = Decimal(grams), "g"
        elif grams >= 1_000_000 and "MT" in substance.units and rng.random() < 0.3:
            quantity, unit = base / 1000, "MT"
        else:
            quantity, unit = base, "kg"
        return self._seizure(substance, quantity, unit, base)

    def _seizure(self, substance: Substance, quantity: Decimal, unit: str, expected: Decimal | None) -> SeizurePlan:
        errors = FieldErrors()
        base = to_base_quantity(substance, quantity, unit, errors)
        errors.raise_if_any()
        if expected is not None and base != expected:
            raise DemoError(f"{quantity} {unit} of {substance.code} is {base}, not {expected} in the base unit")
        band = band_of(substance, base)
        large = substance.base_unit == "kg" and base >= self.seizure_cfg["large_kg"]
        return SeizurePlan(substance, quantity, unit, base, band, large)

    def _unchecked(self, rng: random.Random, plan: AgencyPlan, count: int, total_mode: bool) -> list[SeizurePlan]:
        """Seizures the seed's figures say nothing about; never in kilograms where a kilogram total is checked."""
        options = [
            row
            for row in self.seizure_cfg["unchecked"]
            if row[0] in self.world.substances and not (total_mode and self.world.substances[row[0]].base_unit == "kg")
        ]
        choose = WeightedChoice(options, [row[1] for row in options])
        result = []
        for _ in range(count):
            code, _weight, unit, low, high = choose(rng)
            amount = Decimal(int(min(high, low * rng.lognormvariate(0, 1.2))))
            result.append(self._seizure(self.world.substances[code], max(Decimal(low), amount), unit, None))
        return result

    # -- cases -------------------------------------------------------------------------------------------------

    def plan_agency(self, plan: AgencyPlan) -> None:
        plan.years = self.year_plans(plan)
        for year in plan.years:
            rng = self.rng(plan.code, year.year, "cases")
            seizures = self.seizures_for_year(plan, year, rng)
            self._cases_for_year(plan, year, seizures, rng)
        self._place_io_cases(plan)
        rng = self.rng(plan.code, "verdicts")
        for year in plan.years:
            if year.verdicts:
                self._decide(plan, year, rng)
        self._finish(plan, self.rng(plan.code, "finish"))
        self._later_statuses(plan, self.rng(plan.code, "statuses"))

    def _cases_for_year(self, plan: AgencyPlan, year: YearPlan, seizures: list[SeizurePlan], rng: random.Random):
        start, end = date(year.year, 1, 1), min(date(year.year, 12, 31), self.as_of)
        primaries, extras = seizures[: year.cases], seizures[year.cases :]
        cases: list[CasePlan] = []
        for index in range(year.cases):
            primary = primaries[index] if index < len(primaries) else None
            site = self._site(plan, rng, large=primary is not None and primary.large)
            case = CasePlan(year=year.year, site=site, registered_on=random_day(rng, start, end))
            if primary is not None:
                case.seizures.append(primary)
            cases.append(case)
        unattached_share = self.seizure_cfg["unattached_share_of_extra"].get(plan.code, 0)
        for seizure in extras:
            if rng.random() < unattached_share or not cases:
                seizure.site = self._site(plan, rng, large=seizure.large)
                seizure.seized_on = random_day(rng, start, end)
                plan.unattached.append(seizure)
                continue
            case = one_of(rng, cases)
            for _ in range(5):
                if not case.seizures or case.seizures[0].substance is not seizure.substance:
                    break
                case = one_of(rng, cases)
            case.seizures.append(seizure)
        self._accused(plan, year, cases, rng)
        plan.cases.extend(cases)

    def _site(self, plan: AgencyPlan, rng: random.Random, *, large: bool) -> Site:
        if large and plan.choose_border_site is not None and rng.random() < 0.85:
            return plan.choose_border_site(rng)
        return plan.choose_site(rng)

    def _accused(self, plan: AgencyPlan, year: YearPlan, cases: list[CasePlan], rng: random.Random) -> None:
        """Arrested accused add up to the year's arrests exactly; a few cases have only an absconder."""
        if not cases:
            return
        fled = round(self.cfg["absconding_only_share"] * len(cases))
        fled = max(fled, len(cases) - year.arrests)
        for case in rng.sample(cases, fled):
            case.arrested, case.absconding = 0, 1
        extra = year.arrests - sum(c.arrested for c in cases)
        cap = self.cfg["max_accused_per_case"]
        holders = [c for c in cases if c.arrested]
        weights = [1 + 3 * any(s.band == "c" for s in c.seizures) for c in holders]
        choose = WeightedChoice(holders, weights)
        while extra > 0:
            case = choose(rng)
            if case.arrested < cap or all(c.arrested >= cap for c in holders):
                case.arrested += 1
                extra -= 1
        for case in rng.sample(cases, round(self.cfg["extra_absconder_share"] * len(cases))):
            case.absconding += 1

    def _place_io_cases(self, plan: AgencyPlan) -> None:
        """The demo IO's unit gets a few cases every year even at the smallest scale."""
        site = plan.io_site
        rng = self.rng(plan.code, "io-unit")
        minimum = self.cfg["staff"]["io_min_per_year"]
        by_year: dict[int, list[CasePlan]] = defaultdict(list)
        for case in plan.cases:
            by_year[case.year].append(case)
        for cases in by_year.values():
            short = minimum - sum(1 for c in cases if c.site is site)
            movable = [c for c in cases if c.site is not site and not any(s.large for s in c.seizures)]
            for case in rng.sample(movable, max(0, min(short, len(movable)))):
                case.site = site

    def _decide(self, plan: AgencyPlan, year: YearPlan, rng: random.Random) -> None:
        """Choose whole cases whose arrested accused add up to the year's verdicts, older cases first."""
        need = sum(year.verdicts.values())
        if need == 0:
            return
        first, last = date(year.year, 1, 1), date(year.year, 12, 31)
        chosen: list[CasePlan] = []
        for min_days in (self.cfg["min_trial_days"], 20):
            latest = last - timedelta(days=min_days)
            open_cases = [c for c in plan.cases if c.decided_on is None and c.arrested and c.registered_on <= latest]
            keys = {id(c): c.registered_on.toordinal() + rng.uniform(0, 365) for c in open_cases}
            open_cases.sort(key=lambda c: keys[id(c)])
            chosen, left = [], need
            for case in open_cases:
                if case.arrested <= left:
                    chosen.append(case)
                    left -= case.arrested
                    if left == 0:
                        break
            if left == 0:
                break
        else:
            raise DemoError(f"{plan.code} {year.year}: not enough arrested accused to hand down {need} verdicts")
        outcomes = [outcome for outcome, n in year.verdicts.items() for _ in range(n)]
        rng.shuffle(outcomes)
        position = 0
        for case in chosen:
            start = max(first, case.registered_on + timedelta(days=min_days))
            case.decided_on = random_day(rng, start, last)
            case.outcomes = outcomes[position : position + case.arrested]
            position += case.arrested

    def _finish(self, plan: AgencyPlan, rng: random.Random) -> None:
        """Cancellations, status histories, offences, FIR numbers, staff and distribution."""
        undecided = [
            c
            for c in plan.cases
            if c.decided_on is None and c.arrested and c.registered_on + timedelta(90) <= self.as_of
        ]
        for case in rng.sample(undecided, min(len(undecided), round(self.cfg["cancelled_share"] * len(plan.cases)))):
            case.cancelled_on = case.registered_on + timedelta(days=between(rng, 20, 90))
        for case in plan.cases:
            for seizure in case.seizures:
                seizure.site, seizure.seized_on = case.site, case.registered_on
        for seizure in [s for c in plan.cases for s in c.seizures] + plan.unattached:
            self._seizure_details(plan, seizure, rng)
        staff = self.cfg["staff"]
        io_cases: dict[int, list[CasePlan]] = defaultdict(list)
        for case in plan.cases:
            case.band = max((s.band for s in case.seizures), default="a")
            self._history(case, rng)
            self._offences(plan, case, rng)
            self._distribution(plan, case, rng)
            if case.site is plan.io_site:
                io_cases[case.year].append(case)
            if (
                plan.prosecutor_user_id
                and case.status in (CaseStatus.ON_TRIAL, CaseStatus.DECIDED)
                and rng.random() < staff["prosecutor_share"]
            ):
                case.prosecutor_id = plan.prosecutor_user_id
        for cases in io_cases.values():
            share = min(staff["io_share"], staff["io_max_per_year"] / len(cases))
            for index, case in enumerate(cases):
                if index < staff["io_min_per_year"] or rng.random() < share:
                    case.io_id = plan.io_user_id
        self._number(plan, rng)

    def _history(self, case: CasePlan, rng: random.Random) -> None:
        registered = case.registered_on
        history = [
            (CaseStatus.REGISTERED, registered, ""),
            (
                CaseStatus.UNDER_INVESTIGATION,
                registered,
                "Investigation entrusted to the IO on registration of the FIR.",
            ),
        ]
        if case.decided_on is not None:
            gap = (case.decided_on - registered).days
            challan = registered + timedelta(days=min(between(rng, 10, 45), gap // 3))
            trial = challan + timedelta(days=min(between(rng, 7, 60), (case.decided_on - challan).days // 2))
            history += [
                (CaseStatus.CHALLAN_SUBMITTED, challan, ""),
                (CaseStatus.ON_TRIAL, trial, ""),
                (CaseStatus.DECIDED, case.decided_on, ""),
            ]
        elif case.cancelled_on is not None:
            history.append(
                (
                    CaseStatus.CANCELLED,
                    case.cancelled_on,
                    "Cancellation report accepted by the magistrate: the recovery could not be proved.",
                )
            )
        elif not case.arrested:
            untraced = registered + timedelta(days=between(rng, 30, 120))
            if untraced <= self.as_of:
                history.append(
                    (CaseStatus.UNTRACED, untraced, "Accused absconded and was not traced despite raids; proclaimed.")
                )
        else:
            challan = registered + timedelta(days=between(rng, 10, 60))
            if challan <= self.as_of:
                history.append((CaseStatus.CHALLAN_SUBMITTED, challan, ""))
                trial = challan + timedelta(days=between(rng, 7, 90))
                if trial <= self.as_of:
                    history.append((CaseStatus.ON_TRIAL, trial, ""))
        case.history = history

    def _later_statuses(self, plan: AgencyPlan, rng: random.Random) -> None:
        """The ends of the lifecycle the history above does not reach: FIRs of the last two days still only
        registered; decided cases appealed, or closed when no appeal came."""
        casework = self.cfg["casework"]
        for case in plan.cases:
            status = case.status
            if status == CaseStatus.UNDER_INVESTIGATION and (self.as_of - case.registered_on).days < 2:
                case.history = case.history[:1]
            elif status == CaseStatus.DECIDED:
                appealable = [i for i, outcome in enumerate(case.outcomes) if outcome != VerdictOutcome.DISCHARGED]
                filed = case.decided_on + timedelta(days=between(rng, 15, 60))
                if appealable and filed <= self.as_of and rng.random() < casework["appeal_share"]:
                    index = next((i for i in appealable if case.outcomes[i] == VerdictOutcome.CONVICTED), appealable[0])
                    convicted = case.outcomes[index] == VerdictOutcome.CONVICTED
                    appellant = Appellant.ACCUSED if convicted else Appellant.STATE
                    case.appeal = (index, appellant, filed)
                    against = "conviction" if convicted else "acquittal"
                    case.history.append((CaseStatus.APPEAL, filed, f"Appeal by the {appellant} against the {against}."))
                    continue
                closed = case.decided_on + timedelta(days=between(rng, 90, 120))
                if closed <= self.as_of and rng.random() < casework["closed_share"]:
                    case.history.append(
                        (CaseStatus.CLOSED, closed, "No appeal filed within the time allowed; record consigned.")
                    )

    def _offences(self, plan: AgencyPlan, case: CasePlan, rng: random.Random) -> None:
        offence_mix = self.cfg["extra_agencies"].get(plan.code, {}).get("offences")
        if offence_mix:
            codes, _weight, victims = WeightedChoice(offence_mix, [row[1] for row in offence_mix])(rng)
            case.offences = [c for c in codes if c in self.world.provisions]
            case.victims = between(rng, 1, victims) if victims else 0
            return
        crossing = (
            any(s.point is not None or s.origin in self.seizure_cfg["origins"]["border"] for s in case.seizures)
            or plan.code == "CUSTOMS"
        )
        main = "CNSA-7" if crossing and case.band == "c" else "CNSA-6"
        codes = [main, provision_for_band(case.year, case.band)]
        if case.arrested + case.absconding >= 3 and rng.random() < 0.5:
            codes.append("CNSA-15")
        case.offences = [c for c in codes if c in self.world.provisions]

    def _distribution(self, plan: AgencyPlan, case: CasePlan, rng: random.Random) -> None:
        shares = self.cfg["distribution"]
        roll, level = rng.random(), Distribution.AGENCY
        for name, share in shares.items():
            if roll < share:
                level = name
                break
            roll -= share
        case.distribution = level
        if level == Distribution.SHARING_GROUP:
            group = self._group_for(plan, case.site)
            if group is None:
                case.distribution = Distribution.AGENCY
            else:
                case.group_id = group

    def _group_for(self, plan: AgencyPlan, site: Site) -> int | None:
        names = ["Border Interdiction Cell", "IATF Joint Intelligence"] if site.border else ["IATF Joint Intelligence"]
        for name in names:
            group = self.world.groups.get(name)
            if group is not None and plan.id in self.world.group_members.get(group.pk, ()):
                return group.pk
        return None

    def _seizure_details(self, plan: AgencyPlan, seizure: SeizurePlan, rng: random.Random) -> None:
        """Conveyance, concealment, route and partner agencies that fit the quantity and the place."""
        site = seizure.site
        code = site.code
        origins, destinations = self.seizure_cfg["origins"], self.seizure_cfg["destinations"]
        if "AIRPORT" in code:
            seizure.conveyance = one_of(rng, [Conveyance.AIR_PASSENGER, Conveyance.AIR_PASSENGER, Conveyance.AIR_CARGO])
            seizure.concealment = one_of(rng, [Concealment.BODY, Concealment.LUGGAGE, Concealment.GOODS])
            seizure.destination = one_of(rng, destinations["export"])
            seizure.point = self._point(site, rng, PointKind.AIRPORT)
        elif "PCU" in code:
            seizure.conveyance = Conveyance.CONTAINER if "PORT" in code else Conveyance.VEHICLE
            seizure.concealment = one_of(rng, [Concealment.GOODS, Concealment.VEHICLE_CAVITY, Concealment.GOODS])
            seizure.point = self._point(site, rng, None)
            seizure.origin = one_of(rng, origins["border"])
            seizure.destination = one_of(rng, destinations["export"] + destinations["inland"])
        elif seizure.band == "a":
            seizure.conveyance = one_of(rng, [Conveyance.PERSON] * 4 + [Conveyance.PREMISES])
            seizure.concealment = one_of(rng, [Concealment.NONE, Concealment.BODY, Concealment.LUGGAGE])
        elif seizure.band == "b":
            seizure.conveyance = one_of(
                rng, [Conveyance.PERSON, Conveyance.VEHICLE, Conveyance.PREMISES, Conveyance.POSTAL]
            )
            seizure.concealment = {
                Conveyance.PERSON: Concealment.LUGGAGE,
                Conveyance.VEHICLE: Concealment.VEHICLE_CAVITY,
                Conveyance.PREMISES: Concealment.BURIED,
                Conveyance.POSTAL: Concealment.PARCEL,
            }[seizure.conveyance]
            seizure.destination = one_of(rng, destinations["inland"])
        else:
            choices = [Conveyance.VEHICLE, Conveyance.VEHICLE, Conveyance.PREMISES]
            if site.province == "PK2" and site.border:
                choices.append(Conveyance.ANIMAL)
            seizure.conveyance = one_of(rng, choices)
            seizure.concealment = {
                Conveyance.VEHICLE: one_of(rng, [Concealment.VEHICLE_CAVITY, Concealment.FUEL_TANK, Concealment.GOODS]),
                Conveyance.PREMISES: Concealment.BURIED,
                Conveyance.ANIMAL: Concealment.OTHER,
            }[seizure.conveyance]
            seizure.origin = one_of(rng, origins["border"] if site.border else origins["inland"])
            seizure.destination = one_of(rng, destinations["inland"] + destinations["export"][:1])
            if site.border and rng.random() < 0.2:
                seizure.point = self._point(site, rng, PointKind.BORDER_CROSSING)
        seizure.participants = self._partners(plan, seizure, rng)

    def _point(self, site: Site, rng: random.Random, kind: str | None) -> Point | None:
        points = [p for p in site.points if kind is None or p.kind == kind]
        return one_of(rng, points) if points else None

    def _partners(self, plan: AgencyPlan, seizure: SeizurePlan, rng: random.Random) -> tuple[int, ...]:
        """Joint seizures: other agencies that took part; the seizure still counts once, under the lead."""
        agencies = self.world.agencies
        site = seizure.site
        if plan.code == "ANF":
            chance = 0.25
            options = {"PK2": ["FC_BALOCHISTAN", "CUSTOMS"], "PK5": ["FC_KP", "CUSTOMS"]}.get(
                site.province, ["CUSTOMS"]
            )
        elif plan.code == "CUSTOMS":
            chance, options = 0.3, ["ANF"]
        elif seizure.band == "c":
            chance, options = 0.1, ["ANF"]
        else:
            return ()
        if rng.random() >= chance:
            return ()
        partner = agencies.get(one_of(rng, options))
        return (partner.pk,) if partner is not None and partner.pk != plan.id else ()

    def _number(self, plan: AgencyPlan, rng: random.Random) -> None:
        """FIR numbers run per unit and year in date order, with gaps for the unit's other crimes."""
        by_unit_year: dict[tuple[int, int], list[CasePlan]] = defaultdict(list)
        for case in plan.cases:
            by_unit_year[(case.site.unit_id, case.year)].append(case)
        for (_unit, year), cases in sorted(by_unit_year.items()):
            cases.sort(key=lambda c: c.registered_on)
            number = 0
            for case in cases:
                number += between(rng, 1, 9)
                case.fir_number = f"{number}/{year}"
        plan.cases.sort(key=lambda c: (c.registered_on, c.site.unit_id, c.fir_number))
