"""Normalizers for identifiers, so the same CNIC, phone or plate written five ways matches itself."""

from __future__ import annotations

import re

import phonenumbers
import pycountry

from .choices import IdentifierKind

NON_ALNUM = re.compile(r"[^0-9A-Z]")


class InvalidIdentifier(ValueError):
    pass


def normalize_cnic(raw: str) -> str:
    """'35202-1234567-1', '3520212345671' and ' 35202 1234567 1 ' are one CNIC."""
    digits = re.sub(r"[\s\-.]", "", raw or "")
    if not digits:
        return ""
    if not re.fullmatch(r"[0-9]{13}", digits):
        raise InvalidIdentifier(f"'{raw}' is not a CNIC: it must be 13 digits, as 12345-1234567-1.")
    return digits


def format_cnic(cnic: str) -> str:
    """'3520212345671' as it is printed on the card: 35202-1234567-1."""
    return f"{cnic[:5]}-{cnic[5:12]}-{cnic[12]}" if len(cnic) == 13 else cnic


def normalize_phone(raw: str, region: str = "PK") -> str:
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidIdentifier(f"'{raw}' is not a phone number.") from exc
    if not phonenumbers.is_possible_number(number):
        raise InvalidIdentifier(f"'{raw}' is not a possible phone number.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_plate(raw: str) -> str:
    """'LEA-12-3456', 'lea 12 3456' → 'LEA123456'."""
    plate = NON_ALNUM.sub("", (raw or "").upper())
    if len(plate) < 3:
        raise InvalidIdentifier(f"'{raw}' is too short for a vehicle registration.")
    return plate


def normalize_passport(raw: str) -> str:
    passport = NON_ALNUM.sub("", (raw or "").upper())
    if passport and not re.fullmatch(r"[A-Z0-9]{6,12}", passport):
        raise InvalidIdentifier(f"'{raw}' is not a passport number (6–12 letters and digits).")
    return passport


def normalize_nationality(raw: str) -> str:
    """Accepts 'PAK', 'PK', 'Pakistan', 'Afghanistan' …; returns the ISO alpha-3 code."""
    value = (raw or "").strip()
    if not value:
        return "PAK"
    try:
        country = pycountry.countries.lookup(value)
    except LookupError as exc:
        raise InvalidIdentifier(f"'{raw}' is not a country.") from exc
    return country.alpha_3


def normalize_identifier(kind: str, raw: str) -> str:
    value = (raw or "").strip()
    if not value:
        raise InvalidIdentifier("An identifier needs a value.")
    match kind:
        case IdentifierKind.PHONE:
            return normalize_phone(value)
        case IdentifierKind.VEHICLE:
            return normalize_plate(value)
        case IdentifierKind.BANK_ACCOUNT:
            return NON_ALNUM.sub("", value.upper())
        case IdentifierKind.EMAIL:
            if "@" not in value:
                raise InvalidIdentifier(f"'{raw}' is not an email address.")
            return value.lower()
        case IdentifierKind.HANDLE:
            return value.lstrip("@").lower()
        case IdentifierKind.WALLET:
            return value
    raise InvalidIdentifier(f"'{kind}' is not a kind of identifier.")
