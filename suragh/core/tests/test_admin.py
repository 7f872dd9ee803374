"""The admin as agency and system administrators use it: each within their scope, every change audited."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from suragh.conftest import World
from suragh.core.choices import AuditAction, Role
from suragh.core.models import AuditEvent, Substance, Unit, User

pytestmark = pytest.mark.django_db


def new_user_form(username: str, unit: Unit, role: str) -> dict:
    return {
        "username": username,
        "usable_password": "true",
        "password1": "a-long-new-password-1",
        "password2": "a-long-new-password-1",
        "role": role,
        "rank": "Inspector",
        "unit": unit.pk,
    }


def test_an_agency_admin_sees_and_opens_only_their_agencys_users(client, world: World):
    anf, punjab = world.agencies["ANF"], world.agencies["PUNJAB_POLICE"]
    client.force_login(anf.users[Role.AGENCY_ADMIN])
    listing = client.get(reverse("admin:core_user_changelist") + "?all=").content.decode()
    assert anf.users[Role.ANALYST].username in listing
    assert punjab.users[Role.ANALYST].username not in listing
    assert client.get(reverse("admin:core_user_change", args=[anf.users[Role.ANALYST].pk])).status_code == 200
    other = client.get(reverse("admin:core_user_change", args=[punjab.users[Role.ANALYST].pk]))
    assert other.status_code == 302
    assert punjab.users[Role.ANALYST].username not in other.content.decode()


def test_an_agency_admin_cannot_create_users_outside_their_agency_or_above_their_role(client, world: World):
    anf, punjab = world.agencies["ANF"], world.agencies["PUNJAB_POLICE"]
    client.force_login(anf.users[Role.AGENCY_ADMIN])
    url = reverse("admin:core_user_add")

    response = client.post(url, new_user_form("io.elsewhere", punjab.unit, Role.INVESTIGATING_OFFICER))
    assert response.status_code == 200
    assert "unit" in response.context["adminform"].form.errors
    response = client.post(url, new_user_form("root.wannabe", anf.unit, Role.SYSTEM_ADMIN))
    assert "role" in response.context["adminform"].form.errors
    assert not User.objects.filter(username__in=["io.elsewhere", "root.wannabe"]).exists()

    response = client.post(url, new_user_form("io.new.anf", anf.child_unit, Role.INVESTIGATING_OFFICER))
    assert response.status_code == 302
    created = User.objects.get(username="io.new.anf")
    assert (created.unit, created.role, created.is_staff, created.is_superuser) == (
        anf.child_unit,
        Role.INVESTIGATING_OFFICER,
        False,
        False,
    )
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="core.user", object_id=str(created.pk))


def test_reference_data_is_read_by_agency_admins_and_changed_by_system_admins(client, world: World):
    heroin = Substance.objects.get(code="heroin")
    url = reverse("admin:core_substance_change", args=[heroin.pk])
    form = {
        "code": heroin.code,
        "name": "Heroin (diacetylmorphine)",
        "name_ur": heroin.name_ur,
        "category": heroin.category,
        "base_unit": heroin.base_unit,
        "units": json.dumps(heroin.units),
        "aliases": json.dumps(heroin.aliases),
        "aggregate_in": heroin.aggregate_in,
    }

    client.force_login(world.agencies["ANF"].users[Role.AGENCY_ADMIN])
    assert client.get(url).status_code == 200
    assert client.post(url, form).status_code == 403
    heroin.refresh_from_db()
    assert heroin.name != "Heroin (diacetylmorphine)"

    client.force_login(world.agencies["ANF"].users[Role.SYSTEM_ADMIN])
    assert client.post(url, form).status_code == 302
    heroin.refresh_from_db()
    assert heroin.name == "Heroin (diacetylmorphine)"
    event = AuditEvent.objects.filter(action=AuditAction.CHANGE, object_type="core.substance").latest("seq")
    assert event.fields == {"admin": ["name"]}


def test_staff_status_follows_the_role(client, world: World):
    analyst = world.agencies["SINDH_POLICE"].users[Role.ANALYST]
    client.force_login(world.agencies["ANF"].users[Role.SYSTEM_ADMIN])
    response = client.post(
        reverse("admin:core_user_change", args=[analyst.pk]),
        {
            "username": analyst.username,
            "role": Role.AGENCY_ADMIN,
            "rank": "",
            "unit": analyst.unit_id,
            "is_active": "on",
            "first_name": "",
            "last_name": "",
            "email": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    analyst.refresh_from_db()
    assert (analyst.is_staff, analyst.is_superuser) == (True, False)
