"""An analyst signed in with a real browser opens the statistics, sees the charts and the district map drawn from
the figures, and follows a number to the cases behind it."""

from __future__ import annotations

from datetime import date

import pytest

from suragh.conftest import register_case
from suragh.core.choices import Role
from suragh.core.tests.test_browser import PASSWORD, sign_in
from suragh.stats.facts import refresh_facts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_analyst_reads_the_dashboard_and_follows_a_number_to_its_cases(browser, live_server, world, tmp_path):
    punjab = world.agencies["PUNJAB_POLICE"]
    firs = [register_case(punjab, on=date(2023, 1 + i, 3)).fir_number for i in range(6)]
    register_case(world.agencies["SINDH_POLICE"], on=date(2023, 2, 1))
    refresh_facts()
    page = sign_in(browser, live_server, punjab.users[Role.ANALYST].username, PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("nav >> text=Statistics")
    page.wait_for_selector("#chart-breakdown svg")
    assert "Punjab Police" in page.inner_text("#chart-breakdown")
    # Districts outside the view are drawn empty, so wait for them to exist, not to be visible.
    page.wait_for_selector("#chart-map path.leaflet-interactive", state="attached")
    assert page.locator("#chart-map path.leaflet-interactive").count() == 160
    page.wait_for_selector("#chart-trend svg")
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)

    row = page.locator("#by-agency tbody tr", has_text="Punjab Police")
    assert row.locator("td").first.inner_text() == "6"
    with page.expect_navigation():
        row.locator("td a").first.click()
    listed = page.inner_text("main")
    assert "6 counted, all of them in records you may open." in listed
    assert all(fir in listed for fir in firs)

    page.goto(live_server.url + "/stats/?from_year=2024&to_year=2020")
    assert "'To year' (2020) is before 'From year' (2024)." in page.inner_text("main")
