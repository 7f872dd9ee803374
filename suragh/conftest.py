"""Fixtures shared by every app's tests: reference data once per run, and a small world of
agencies, units, users of every role and records of every distribution."""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from suragh.core.choices import Distribution, Role

CI = os.environ.get("CI") == "true"
CHROMIUM = Path(os.environ.get("SURAGH_CHROMIUM", "/usr/bin/chromium"))


def skip_or_fail(reason: str) -> None:
    """Under CI a missing service is a failure, never a skip."""
    if CI:
        pytest.fail(f"{reason} (CI=true: this test must run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from suragh.core.reference import load_reference_data

    with django_db_blocker.unblock():
        load_reference_data()


def require_postgres() -> None:
    """Two database connections at once: SQLite's in-memory test database cannot hold them, so these tests are
    marked postgres_only, which scripts/test.py leaves out of the SQLite run."""
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("needs two database connections at once: run on PostgreSQL (scripts/test.py does)")


_reference_rows: list[tuple[type, list]] = []


@pytest.fixture
def reference_data(transactional_db):
    """A transactional test empties every table when it ends, reference data included; pytest-django runs
    these tests last, and each puts back what the one before it emptied: loaded from the files the first time,
    then copied back from the rows that load wrote, which takes a fraction of the time."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from suragh.cases.models import CustodyLimit, Deadline
    from suragh.core import models as core
    from suragh.core.reference import load_reference_data

    if core.Agency.objects.exists():
        return
    tables = [core.Province, core.Division, core.District, core.Point, core.Agency, core.Unit, core.Substance]
    tables += [core.ICCSCode, core.LegalProvision, CustodyLimit, Deadline]
    if not _reference_rows:
        load_reference_data()
        _reference_rows.extend((model, list(model.objects.order_by("pk"))) for model in tables)
        return
    with transaction.atomic():
        for model, rows in _reference_rows:
            model.objects.bulk_create(rows)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), tables):
                cursor.execute(sql)


@pytest.fixture
def browser(reference_data):
    """Debian's chromium through Playwright, for the tests marked `browser`."""
    if not CHROMIUM.exists():
        skip_or_fail(f"no chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed")
    # Playwright's sync API runs an event loop in this thread; the live server's database calls are ours.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2's deliberate slowness protects real accounts; tests create dozens of users each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


_usernames = itertools.count(1)


def make_user(role: str, unit_code: str | None, *, username: str | None = None, password: str = "correct-horse-9"):
    from suragh.core.models import Unit, User

    unit = Unit.objects.get(code=unit_code) if unit_code else None
    user = User(
        username=username or f"{role}.{unit_code or 'none'}.{next(_usernames)}".lower(),
        role=role,
        unit=unit,
        is_staff=role in (Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN),
        is_superuser=role == Role.SYSTEM_ADMIN,
    )
    user.set_password(password)
    user.save()
    return user


def signed_in_clients(users) -> dict:
    """One test client per user, each signed in once. Signing in writes a session and a login record, which a walk
    that switched one client between users for every request would pay again at each switch."""
    from django.test import Client

    clients = {}
    for user in users:
        client = Client()
        client.force_login(user)
        clients[user] = client
    return clients


def district_unit(agency_code: str, index: int = 0):
    """A unit of the agency that has child units and a district, for "unit and below" tests."""
    from suragh.core.models import Unit

    with_children = (
        Unit.objects.filter(agency__code=agency_code, district__isnull=False, children__isnull=False)
        .distinct()
        .order_by("code")
    )
    return with_children[index]


@dataclass
class AgencyWorld:
    code: str
    unit: object  # where the field officer, IO and analyst sit
    child_unit: object  # a unit below it
    users: dict[str, object] = field(default_factory=dict)


@dataclass
class World:
    agencies: dict[str, AgencyWorld]
    group: object


# Where each agency's samples are tested, and so where the world's forensic analyst of that agency works.
LAB_OF = {
    "ANF": "ANF-LAB-RAWALPINDI",
    "PUNJAB_POLICE": "PUNJAB_FSA-LAB-LAHORE",
    "SINDH_POLICE": "SINDH_FSL-LAB-KARACHI",
}


@pytest.fixture
def world(db) -> World:
    """Three agencies, each with a user of every role; ANF and Punjab Police share a group."""
    from suragh.core.models import Agency, SharingGroup, Unit

    agencies = {}
    for code in ("ANF", "PUNJAB_POLICE", "SINDH_POLICE"):
        parent = district_unit(code)
        child = parent.children.order_by("code").first()
        aw = AgencyWorld(code, parent, child)
        for role in Role:
            # Supervisors sit above the unit; the IO and field officer sit in the child unit.
            unit = {
                Role.SUPERVISOR: parent,
                Role.INVESTIGATING_OFFICER: child,
                Role.FIELD_OFFICER: child,
                Role.FORENSIC_ANALYST: Unit.objects.get(code=LAB_OF[code]),
            }.get(role, parent)
            aw.users[role] = make_user(role, unit.code if role != Role.SYSTEM_ADMIN else None)
        agencies[code] = aw
    group = SharingGroup.objects.create(name="Test joint task force")
    group.agencies.set(Agency.objects.filter(code__in=["ANF", "PUNJAB_POLICE"]))
    return World(agencies, group)


def register_case(
    aw: AgencyWorld,
    distribution: str = Distribution.AGENCY,
    *,
    group=None,
    fir: str | None = None,
    on: date = date(2024, 3, 1),
    provisions: tuple[str, ...] | None = None,
):
    from suragh.cases.actions import do_register_fir
    from suragh.core.models import LegalProvision

    provision_codes = list(provisions or [LegalProvision.objects.filter(law_short="CNSA").order_by("code")[0].code])
    return do_register_fir(
        owning_unit=aw.child_unit,
        fir_number=fir or f"{next(_usernames)}/{on.year}",
        registered_on=on,
        district_pcode=aw.child_unit.district.pcode if aw.child_unit.district else aw.unit.district.pcode,
        provision_codes=provision_codes,
        distribution=distribution,
        sharing_group=group,
        investigating_officer=aw.users[Role.INVESTIGATING_OFFICER],
        acting_user=aw.users[Role.INVESTIGATING_OFFICER],
    )


def submit_final_challan(case, aw: AgencyWorld, on: date, *, court_code: str = "CNS_SPECIAL_COURTS-LAHORE"):
    """Send the case up for trial through its final challan, naming every accused (adding one if none)."""
    from suragh.cases.actions import do_add_party, do_submit_challan
    from suragh.core.models import Unit
    from suragh.people.actions import PersonDetails, do_create_person

    io = aw.users[Role.INVESTIGATING_OFFICER]
    accused = list(case.parties.filter(role="accused"))
    if not accused:
        person = do_create_person(
            PersonDetails(name_latin=f"Accused {next(_usernames)}", age_years=30, sex="M"),
            owning_unit=case.owning_unit,
            as_of=case.registered_on,
            acting_user=io,
        )
        accused = [do_add_party(case, person, "accused", acting_user=io)]
    return do_submit_challan(
        case,
        kind="final",
        submitted_on=on,
        court=Unit.objects.get(code=court_code),
        accused=accused,
        acting_user=io if case.investigating_officer_id == io.pk else aw.users[Role.SUPERVISOR],
    )
