"""An officer signs in with a real browser, finds a case in the list by its FIR number and opens it;
another agency's officer, signed in the same way, cannot open it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from suragh.conftest import register_case, skip_or_fail
from suragh.core.choices import Distribution, Role

CHROMIUM = Path(os.environ.get("SURAGH_CHROMIUM", "/usr/bin/chromium"))
PASSWORD = "correct-horse-9"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference_data(transactional_db):
    """A transactional test empties every table when it ends, reference data included; pytest-django runs
    these tests last, and each loads what the one before it emptied."""
    from suragh.core.models import Agency
    from suragh.core.reference import load_reference_data

    if not Agency.objects.exists():
        load_reference_data()


@pytest.fixture
def browser(reference_data):
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


def sign_in(browser, live_server, username: str, password: str):
    page = browser.new_page()
    page.goto(f"{live_server.url}/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    return page


def test_an_io_finds_and_opens_a_case_another_agency_cannot(browser, live_server, world):
    anf = world.agencies["ANF"]
    case = register_case(anf, Distribution.AGENCY, fir="BRW-77/2024")
    other = register_case(anf, Distribution.AGENCY, fir="OTH-12/2024")

    page = sign_in(browser, live_server, anf.users[Role.INVESTIGATING_OFFICER].username, "wrong-password")
    assert page.locator("[role=alert]").is_visible()
    assert "/login/" in page.url
    page.close()

    page = sign_in(browser, live_server, anf.users[Role.INVESTIGATING_OFFICER].username, PASSWORD)
    page.click("nav >> text=Cases")
    assert page.locator(f"a[href='/cases/{other.pk}/']").count() == 1
    page.fill("input[name=fir_number]", "BRW-77")
    page.click("form.filters button[type=submit]")
    page.locator(f"a[href='/cases/{other.pk}/']").wait_for(state="detached")
    assert "fir_number=BRW-77" in page.url
    page.locator(f"a[href='/cases/{case.pk}/']").first.click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert "BRW-77/2024" in page.locator("h1").inner_text()
    page.close()

    page = sign_in(browser, live_server, world.agencies["SINDH_POLICE"].users[Role.ANALYST].username, PASSWORD)
    response = page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert response.status == 404
    assert "BRW-77" not in page.content()
    page.close()


def test_a_case_goes_from_fir_to_verdict_in_the_browser(browser, live_server, world):
    from suragh.cases.actions import do_add_party
    from suragh.people.actions import PersonDetails, do_create_person

    police = world.agencies["PUNJAB_POLICE"]
    io = police.users[Role.INVESTIGATING_OFFICER]
    case = register_case(police, Distribution.AGENCY, fir="BRW-900/2024")
    person = do_create_person(
        PersonDetails(name_latin="Browser Accused", age_years=31, sex="M"),
        owning_unit=case.owning_unit,
        distribution="agency",
        as_of=case.registered_on,
        acting_user=io,
    )
    do_add_party(case, person, "accused", acting_user=io)
    url = f"{live_server.url}/cases/{case.pk}/"

    def take(page, form_id: str, **fields) -> None:
        for name, value in fields.items():
            target = page.locator(f"#{form_id} [name={name}]").first
            if name == "acquittal_reasons":
                page.check(f"#{form_id} input[value={value}]")
            elif target.evaluate("e => e.tagName") == "SELECT":
                target.select_option(value)
            else:
                target.fill(value)
        page.click(f"#{form_id} button[type=submit]")
        page.wait_for_url(url)
        assert page.locator(".message.success").count() == 1, page.content()

    page = sign_in(browser, live_server, io.username, PASSWORD)
    page.goto(url)
    take(page, "next-step", status="under_investigation")
    take(page, "custody", party=str(case.parties.get().pk), kind="arrest")
    take(page, "next-step", status="challan_submitted")
    assert "Challan submitted" in page.locator("h1").inner_text()
    page.close()

    page = sign_in(browser, live_server, police.users[Role.SUPERVISOR].username, PASSWORD)
    page.goto(url)
    take(page, "assignment", prosecutor=str(police.users[Role.PROSECUTOR].pk))
    page.close()

    page = sign_in(browser, live_server, police.users[Role.PROSECUTOR].username, PASSWORD)
    page.goto(url)
    take(page, "next-step", status="on_trial")
    take(page, "verdict", party=str(case.parties.get().pk), outcome="acquitted", acquittal_reasons="broken_chain")
    take(page, "next-step", status="decided")
    assert "Decided" in page.locator("h1").inner_text()
    assert "Broken chain of custody" in page.locator("table.data").nth(1).inner_text()
    page.close()
