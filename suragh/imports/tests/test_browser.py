"""A supervisor hands a file in with a real browser and watches the progress bar fill as the worker runs the job; a
file with a bad cell shows the cell's row and column."""

from __future__ import annotations

import pytest

from suragh.core.choices import Role
from suragh.core.tests.test_browser import PASSWORD, sign_in
from suragh.seizures.models import Seizure

from .conftest import csv_of
from .test_seizures import HEADER, rows_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_supervisor_imports_a_file_and_watches_it_finish(consumer, browser, live_server, world, tmp_path):
    anf = world.agencies["ANF"]
    good = tmp_path / "seizures.csv"
    good.write_bytes(csv_of([HEADER, *rows_for(anf, 3)]))
    bad_rows = rows_for(anf, 2)
    bad_rows[1][2] = "sugar"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_of([HEADER, *bad_rows]))

    page = sign_in(browser, live_server, anf.users[Role.SUPERVISOR].username, PASSWORD)
    page.click("nav >> text=Imports")
    page.select_option("select[name=kind]", "seizures")
    page.set_input_files("input[name=file]", str(good))
    with page.expect_navigation():
        page.click("button:has-text('Check and import')")
    page.wait_for_selector(".job-status[data-status=done]", timeout=60_000)
    assert page.locator("progress").get_attribute("value") == "100"
    assert page.locator("[data-count=created]").inner_text() == "3"
    assert Seizure.objects.count() == 3

    page.click("text=← Imports")
    page.select_option("select[name=kind]", "seizures")
    page.set_input_files("input[name=file]", str(bad))
    with page.expect_navigation():
        page.click("button:has-text('Check and import')")
    page.wait_for_selector(".job-status[data-status=invalid]", timeout=60_000)
    cells = page.locator("table.bad-cells tbody tr td")
    assert [cells.nth(i).inner_text() for i in range(4)] == ["3", "substance", "sugar", "'sugar' is not a substance."]
    assert Seizure.objects.count() == 3
