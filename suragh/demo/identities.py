"""Synthetic identities: names in both scripts by region, CNICs, phones and number plates.

Every value is drawn from a seeded `random.Random`, and each CNIC and phone is handed out once per load so that
two synthetic persons share one only where the generator means them to (the cross-agency persons).
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from .config import load_data

# OCHA province P-code → the region tags used in names.yaml.
REGION_OF_PROVINCE = {"PK1": "ajk", "PK2": "bl", "PK3": "gb", "PK4": "ict", "PK5": "kp", "PK6": "pb", "PK7": "sd"}
# Islamabad has no names of its own: it draws on its neighbours.
REGION_BLEND = {"ict": ("pb", "kp", "ajk")}
# First digit of a CNIC by province of issue.
CNIC_DIGIT = {"PK1": "8", "PK2": "5", "PK3": "7", "PK4": "6", "PK5": "1", "PK6": "3", "PK7": "4"}
MUHAMMAD = ("Muhammad", "محمد")
# A name given in one region is three times as likely there as a name common everywhere.
REGIONAL_WEIGHT = 3


def between(rng: random.Random, low: int, high: int) -> int:
    """`rng.randint(low, high)` at a fraction of its cost; the generator draws it millions of times."""
    return low + int(rng.random() * (high - low + 1))


def one_of(rng: random.Random, items: Sequence[Any]) -> Any:
    """`rng.choice(items)`, likewise."""
    return items[int(rng.random() * len(items))]


class WeightedChoice:
    """`random.choices` with the cumulative weights computed once."""

    def __init__(self, items: list[Any], weights: list[float]) -> None:
        if not items:
            raise ValueError("nothing to choose from")
        self.items = items
        self.cumulative = list(accumulate(weights))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect(self.cumulative, rng.random() * self.total)]


def _regions(tags: Any) -> set[str]:
    return {tags} if isinstance(tags, str) else set(tags)


def _pool(entries: list[list], region: str) -> WeightedChoice:
    wanted = set(REGION_BLEND.get(region, (region,)))
    items, weights = [], []
    for latin, urdu, tags in entries:
        regions = _regions(tags)
        if "all" in regions:
            items.append((latin, urdu))
            weights.append(1)
        elif regions & wanted:
            items.append((latin, urdu))
            weights.append(REGIONAL_WEIGHT)
    return WeightedChoice(items, weights)


@dataclass
class Name:
    given: tuple[str, str]
    surname: tuple[str, str] | None
    muhammad: bool = False

    @property
    def latin(self) -> str:
        parts = ([MUHAMMAD[0]] if self.muhammad else []) + [self.given[0]]
        return " ".join(parts + ([self.surname[0]] if self.surname else []))

    @property
    def urdu(self) -> str:
        parts = ([MUHAMMAD[1]] if self.muhammad else []) + [self.given[1]]
        return " ".join(parts + ([self.surname[1]] if self.surname else []))


@dataclass
class NameBook:
    """Names from names.yaml, pooled per region so a Sindh case tends to name Sindhi castes."""

    male: dict[str, WeightedChoice] = field(default_factory=dict)
    female: dict[str, WeightedChoice] = field(default_factory=dict)
    surnames: dict[str, WeightedChoice] = field(default_factory=dict)
    aliases: list[tuple[str, str]] = field(default_factory=list)
    localities: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)

    @classmethod
    def load(cls) -> NameBook:
        data = load_data("names.yaml")
        book = cls(
            aliases=[tuple(a) for a in data["aliases"]],
            localities=list(data["localities"]),
            places=list(data["places"]),
        )
        for region in ("ajk", "bl", "gb", "ict", "kp", "pb", "sd", "af"):
            book.male[region] = _pool(data["male_given"], region)
            book.female[region] = _pool(data["female_given"], region)
            book.surnames[region] = _pool(data["surnames"], region)
        return book

    def name(
        self, rng: random.Random, region: str, *, female: bool, muhammad_share: float, surname_share: float
    ) -> Name:
        given = (self.female if female else self.male)[region](rng)
        surname = self.surnames[region](rng) if rng.random() < surname_share else None
        muhammad = not female and rng.random() < muhammad_share and not given[0].startswith(("Muhammad", "Noor"))
        return Name(given, surname, muhammad)

    def father(self, rng: random.Random, region: str, surname: tuple[str, str] | None) -> Name:
        return Name(self.male[region](rng), surname, rng.random() < 0.25)


class IdentifierBook:
    """Hands out unique, valid-format CNICs, mobile numbers and plates."""

    def __init__(self, rng: random.Random, mobile_prefixes: list[int], plates: dict[str, list[str]]) -> None:
        self.rng = rng
        self.mobile_prefixes = mobile_prefixes
        self.plates = plates
        self.used: set[str] = set()

    def reserve(self, value: str) -> None:
        self.used.add(value)

    def _unique(self, make) -> str:
        for _ in range(1000):
            value = make()
            if value not in self.used:
                self.used.add(value)
                return value
        raise ValueError(f"no unused value left in the pattern of '{value}'")

    def cnic(self, province: str, *, female: bool) -> str:
        """13 digits: province of issue, division and district codes, a serial, and an odd last digit for men
        and an even one for women, as NADRA issues them."""
        rng = self.rng
        first = CNIC_DIGIT.get(province, "3")

        def make() -> str:
            last = one_of(rng, "02468" if female else "13579")
            return f"{first}{between(rng, 1, 9)}{between(rng, 100, 999)}{between(rng, 0, 9_999_999):07d}{last}"

        return self._unique(make)

    def mobile(self) -> str:
        """As written on a charge sheet, '0300-1234567'."""
        rng = self.rng
        return self._unique(lambda: f"0{one_of(rng, self.mobile_prefixes)}-{between(rng, 1_000_000, 9_999_999)}")

    def plate(self, province: str) -> str:
        rng = self.rng
        pattern = one_of(rng, self.plates.get(province) or self.plates["PK6"])

        def make() -> str:
            return "".join(
                one_of(rng, "ABCDEFGHJKLMNPRSTUVWXYZ") if c == "@" else str(between(rng, 0, 9)) if c == "#" else c
                for c in pattern
            )

        return self._unique(make)


def format_cnic(digits: str) -> str:
    return f"{digits[:5]}-{digits[5:12]}-{digits[12]}"


def spelling_variant(rng: random.Random, name: Name, *, avoid: set[str]) -> tuple[str, str]:
    """The same person as another agency wrote them: 'Muhammad Asif' / 'M. Asif' / 'Mohammad Asif Khan'."""
    given_latin, given_urdu = name.given
    for _ in range(20):
        latin_given = given_latin
        if rng.random() < 0.4:
            latin_given = _transliterate(rng, latin_given)
        prefix = one_of(rng, ["", "Muhammad ", "Mohammad ", "M. ", "Muhammed "])
        urdu_prefix = "محمد " if prefix and prefix != "M. " else ""
        surname = name.surname
        if surname and rng.random() < 0.3:
            surname = None
        elif not surname and rng.random() < 0.3:
            surname = ("Khan", "خان")
        latin = prefix + latin_given + (f" {surname[0]}" if surname else "")
        urdu = urdu_prefix + given_urdu + (f" {surname[1]}" if surname else "")
        if latin not in avoid:
            return latin, urdu
    return name.latin + " Khan", name.urdu + " خان"


_VOWEL_SWAPS = [("ee", "i"), ("i", "ee"), ("oo", "u"), ("u", "oo"), ("a", "aa"), ("ai", "ay"), ("q", "k"), ("z", "s")]


def _transliterate(rng: random.Random, word: str) -> str:
    swaps = [(a, b) for a, b in _VOWEL_SWAPS if a in word[1:]]
    if not swaps:
        return word
    a, b = one_of(rng, swaps)
    return word[0] + word[1:].replace(a, b, 1)
