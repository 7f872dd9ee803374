"""The dashboards, their downloads, the map and the API as every role of three agencies and a signed-out visitor
sees them; the records behind a number only as far as the access rule reaches."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from suragh.cases.models import Case
from suragh.conftest import register_case
from suragh.core.choices import AuditAction, Distribution, Role
from suragh.core.models import AuditEvent
from suragh.stats.facts import refresh_facts

pytestmark = pytest.mark.django_db

YEAR = 2023
RECORD_ROLES = {Role.FIELD_OFFICER, Role.INVESTIGATING_OFFICER, Role.SUPERVISOR, Role.ANALYST, Role.PROSECUTOR}


@pytest.fixture
def counted(world):
    """Seven Punjab cases shared with the agency only, three ANF cases shared with all agencies."""
    for index in range(7):
        register_case(world.agencies["PUNJAB_POLICE"], on=date(YEAR, 1 + index, 5))
    for index in range(3):
        register_case(world.agencies["ANF"], Distribution.ALL_AGENCIES, on=date(YEAR, 2 + index, 9))
    refresh_facts()
    return world


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def everyone(world):
    for code, aw in world.agencies.items():
        for role, user in aw.users.items():
            yield f"{role} of {code}", role, user
    yield "signed out", None, None


AGGREGATE_URLS = [
    reverse("stats:dashboard") + f"?from_year={YEAR}&to_year={YEAR}",
    reverse("stats:download", args=["by-agency", "csv"]) + f"?from_year={YEAR}&to_year={YEAR}",
    reverse("stats:download", args=["all", "xlsx"]) + f"?from_year={YEAR}&to_year={YEAR}",
    reverse("stats:districts"),
]


def test_every_role_reads_aggregates_and_only_officers_follow_them_to_records(counted):
    drill = reverse("stats:records") + f"?measure=cases&from={YEAR}&to={YEAR}&agency=PUNJAB_POLICE"
    api = reverse("api-1.0.0:summary") + f"?year={YEAR}&group_by=agency"
    for who, role, user in everyone(counted):
        client = client_for(user)
        for url in AGGREGATE_URLS:
            response = client.get(url)
            expected = 302 if user is None else 200
            assert response.status_code == expected, f"{who}: {url} answered {response.status_code}"
        assert client.get(api).status_code == (401 if user is None else 200), who
        expected = 302 if user is None else 200 if role in RECORD_ROLES else 404
        assert client.get(drill).status_code == expected, f"{who}: records behind a figure"


def test_the_records_behind_a_number_are_those_the_viewer_may_open(counted):
    drill = reverse("stats:records") + f"?measure=cases&from={YEAR}&to={YEAR}&agency=PUNJAB_POLICE"
    punjab_firs = list(
        Case.objects.filter(owning_unit__agency__code="PUNJAB_POLICE").values_list("fir_number", flat=True)
    )
    own = client_for(counted.agencies["PUNJAB_POLICE"].users[Role.ANALYST]).get(drill)
    assert own.status_code == 200
    assert all(fir in own.content.decode() for fir in punjab_firs)
    other = client_for(counted.agencies["SINDH_POLICE"].users[Role.ANALYST]).get(drill)
    page = other.content.decode()
    assert other.status_code == 200
    assert "<strong>7</strong> counted" in page and "<strong>0</strong> of them in records you may open" in page
    assert not any(fir in page for fir in punjab_firs)
    shared = reverse("stats:records") + f"?measure=cases&from={YEAR}&to={YEAR}&agency=ANF"
    page = client_for(counted.agencies["SINDH_POLICE"].users[Role.ANALYST]).get(shared).content.decode()
    assert all(case.fir_number in page for case in Case.objects.filter(owning_unit__agency__code="ANF"))
    assert AuditEvent.objects.filter(action=AuditAction.SEARCH, object_type="stats.records").count() == 3


def test_a_policy_viewer_sees_small_cells_hidden_and_no_way_to_records(counted):
    policy = client_for(counted.agencies["ANF"].users[Role.POLICY_VIEWER])
    page = policy.get(reverse("stats:dashboard") + f"?from_year={YEAR}&to_year={YEAR}").content.decode()
    assert "&lt;5" in page
    assert reverse("stats:records") not in page
    analyst_page = (
        client_for(counted.agencies["ANF"].users[Role.ANALYST])
        .get(reverse("stats:dashboard") + f"?from_year={YEAR}&to_year={YEAR}")
        .content.decode()
    )
    assert reverse("stats:records") in analyst_page
    summary = policy.get(reverse("api-1.0.0:summary") + f"?year={YEAR}&group_by=agency").json()
    rows = {row["key"]: row["figures"]["cases"] for row in summary["rows"]}
    assert summary["suppressed_below"] == 5
    assert rows["ANF"] == {"value": None, "source": "records", "suppressed": "small", "unit": ""}
    # With the total shown, Punjab's 7 would give ANF's 3 away: it is hidden too.
    assert rows["PUNJAB_POLICE"] == {"value": None, "source": "records", "suppressed": "complement", "unit": ""}
    assert summary["total"]["cases"]["value"] == "10"
    exact = client_for(counted.agencies["ANF"].users[Role.ANALYST])
    rows = {
        r["key"]: r["figures"]["cases"]["value"]
        for r in exact.get(reverse("api-1.0.0:summary") + f"?year={YEAR}&group_by=agency").json()["rows"]
    }
    assert rows == {"ANF": "3", "PUNJAB_POLICE": "7"}


def test_downloads_carry_the_figures_of_the_page_and_are_audited(counted):
    client = client_for(counted.agencies["PUNJAB_POLICE"].users[Role.ANALYST])
    query = f"?from_year={YEAR}&to_year={YEAR}"
    csv_text = client.get(reverse("stats:download", args=["by-agency", "csv"]) + query).content.decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[1].startswith("By agency,Cases registered")
    assert any(line.startswith("Punjab Police,7,") for line in lines)
    assert any(line.startswith("Total,10,") for line in lines)
    workbook = load_workbook(io.BytesIO(client.get(reverse("stats:download", args=["all", "xlsx"]) + query).content))
    assert {"indicators", "by-agency", "recoveries", "definitions"} <= set(workbook.sheetnames)
    rows = {row[0]: row for row in workbook["by-agency"].iter_rows(values_only=True)}
    assert rows["Punjab Police"][1] == 7 and rows["Total"][1] == 10
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="stats.table")
    assert list(exports.values_list("object_id", flat=True).order_by("pk")) == ["by-agency", "all"]
    assert client.get(reverse("stats:download", args=["no-such-table", "csv"]) + query).status_code == 404


def test_filters_name_the_field_that_is_wrong(counted):
    client = client_for(counted.agencies["ANF"].users[Role.ANALYST])
    response = client.get(reverse("stats:dashboard") + "?from_year=2024&to_year=2020")
    assert response.status_code == 400
    assert "&#x27;To year&#x27; (2020) is before &#x27;From year&#x27; (2024)." in response.content.decode()
    response = client.get(reverse("stats:dashboard") + "?district=PK999")
    assert response.status_code == 400 and "is not a district" in response.content.decode()
    response = client.get(reverse("api-1.0.0:summary") + "?year=twenty&group_by=agency")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "year"]


def test_the_map_draws_the_districts_shipped_with_the_product(counted):
    client = client_for(counted.agencies["ANF"].users[Role.POLICY_VIEWER])
    geo = json.loads(client.get(reverse("stats:districts")).content)
    assert len(geo["features"]) == 160
    assert {"pcode", "name", "province"} <= set(geo["features"][0]["properties"])
    punjab, anf = (counted.agencies[code] for code in ("PUNJAB_POLICE", "ANF"))
    punjab_district, anf_district = ((aw.child_unit.district or aw.unit.district).pcode for aw in (punjab, anf))

    def map_values(user) -> dict:
        page = client_for(user).get(reverse("stats:dashboard") + f"?from_year={YEAR}&to_year={YEAR}")
        return json.loads(
            page.content.decode().split('id="stats-map" type="application/json">')[1].split("</script>")[0]
        )

    assert map_values(anf.users[Role.ANALYST]) == {punjab_district: "7", anf_district: "3"}
    # Hidden districts are drawn grey for a policy viewer: ANF's 3, and Punjab's 7 that would give it away.
    assert map_values(anf.users[Role.POLICY_VIEWER]) == {punjab_district: None, anf_district: None}
