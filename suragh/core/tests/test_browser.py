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
def browser():
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
