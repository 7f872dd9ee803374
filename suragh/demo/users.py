"""Demo users and the demo's sharing groups."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, make_password

from suragh.core.choices import Role
from suragh.core.models import Agency, SharingGroup, Unit, User

from .config import generator_settings
from .identities import NameBook
from .plan import AgencyPlan

ROLE_LABELS = dict(Role.choices)


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    unit_code: str | None
    rank: str
    agency_code: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role in (Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN)


@dataclass
class UserChanges:
    created: list[str]
    password_reset: list[str]

    @property
    def any(self) -> bool:
        return bool(self.created or self.password_reset)


def ensure_sharing_groups() -> list[SharingGroup]:
    """Create the demo's sharing groups, adding their member agencies that exist in the reference data."""
    groups = []
    for row in generator_settings()["sharing_groups"]:
        group, _ = SharingGroup.objects.get_or_create(name=row["name"], defaults={"description": row["description"]})
        group.agencies.add(*Agency.objects.filter(code__in=row["agencies"]))
        groups.append(group)
    return groups


def demo_users(plans: dict[str, AgencyPlan]) -> list[DemoUser]:
    """Who the demo users are and where they sit: the IO and field officer in the agency's busiest unit, the
    supervisor above it, the analyst at the top of the agency."""
    cfg = generator_settings()["users"]
    units = {u.pk: u for u in Unit.objects.select_related("agency")}
    tops: dict[str, Unit] = {}
    for unit in sorted(units.values(), key=lambda u: u.code):
        if unit.parent_id is None:
            tops.setdefault(unit.agency.code, unit)
    users: list[DemoUser] = []
    for slug, entry in cfg["agencies"].items():
        plan = plans.get(entry["agency"])
        if plan is None or plan.io_site is None:
            continue
        site = units[plan.io_site.unit_id]
        parent = units.get(site.parent_id) or site
        where = {
            Role.FIELD_OFFICER: site,
            Role.INVESTIGATING_OFFICER: site,
            Role.SUPERVISOR: parent,
            Role.ANALYST: tops.get(entry["agency"], parent),
        }
        for role in cfg["roles"]:
            users.append(
                DemoUser(f"{cfg['short'][role]}.{slug}", role, where[role].code, entry["ranks"][role], entry["agency"])
            )
        if entry.get("prosecutor"):
            unit_code, rank = entry["prosecutor"]
            if any(u.code == unit_code for u in units.values()):
                users.append(DemoUser(f"prosecutor.{slug}", Role.PROSECUTOR, unit_code, rank, entry["agency"]))
    known = {u.code for u in units.values()}
    for username, role, unit_code, rank in cfg["others"]:
        if unit_code is None or unit_code in known:
            users.append(DemoUser(username, role, unit_code, rank))
    return users


def ensure_users(wanted: list[DemoUser], password: str) -> tuple[dict[str, User], UserChanges]:
    """Create missing demo users and give every one of them `password`.

    All demo users share one password hash: hashing sixty passwords with PBKDF2 would take longer than loading
    the small data set, and a demo password protects nothing real."""
    names = NameBook.load()
    units = {u.code: u for u in Unit.objects.filter(code__in=[w.unit_code for w in wanted if w.unit_code])}
    existing = {u.username: u for u in User.objects.filter(username__in=[w.username for w in wanted])}
    matching: dict[str, bool] = {}
    for user in existing.values():
        if user.password not in matching:
            matching[user.password] = check_password(password, user.password)
    encoded = next((hashed for hashed, ok in matching.items() if ok), None) or make_password(password)
    changes = UserChanges(created=[], password_reset=[])
    result: dict[str, User] = {}
    for entry in wanted:
        user = existing.get(entry.username)
        if user is None:
            rng = random.Random(f"demo-user:{entry.username}")
            female = rng.random() < 0.2
            name = names.name(rng, "pb", female=female, muhammad_share=0.3, surname_share=1.0)
            given, _, family = name.latin.rpartition(" ")
            user = User(
                username=entry.username,
                first_name=given or family,
                last_name=family if given else "",
                email=f"{entry.username}@demo.suragh.invalid",
            )
            changes.created.append(entry.username)
        elif not matching.get(user.password):
            changes.password_reset.append(entry.username)
        user.role = entry.role
        user.unit = units.get(entry.unit_code) if entry.unit_code else None
        user.rank = entry.rank
        user.is_staff = entry.is_admin
        user.is_superuser = entry.role == Role.SYSTEM_ADMIN
        user.is_active = True
        user.password = encoded
        user.save()
        result[entry.username] = user
    return result, changes
