"""A tipster with JavaScript turned off sends a tip with a photo in Urdu, keeps the code, and checks the status;
a Punjab Police analyst signed in with a real browser finds the tip in the queue and grades it."""

from __future__ import annotations

import pytest

from suragh.core.choices import Role
from suragh.core.tests.test_browser import PASSWORD, sign_in
from suragh.tips.conftest import photo_bytes
from suragh.tips.models import Tip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URDU = "ہر جمعہ کی رات بس اڈے کے پیچھے چرس بیچی جاتی ہے۔"


def test_a_tipster_without_javascript_sends_a_tip_and_an_analyst_grades_it(browser, live_server, world):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/tips/")
    page.check("input[name=kind][value=drug_dealing]")
    page.fill("textarea[name=description]", URDU)
    page.select_option("select[name=agency]", "PUNJAB_POLICE")
    page.fill("input[name=place]", "لاری اڈا، لاہور")
    page.set_input_files(
        "input[name=photo]", files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}]
    )
    with page.expect_navigation():
        page.click("#tip-form button[type=submit]")
    code = page.inner_text("#status-code").strip()
    assert len(code) == 24 and code.count("-") == 4
    assert {cookie["name"] for cookie in context.cookies()} == {"csrftoken"}
    tip = Tip.objects.get()
    assert (tip.description, tip.agency.code, bool(tip.photo)) == (URDU, "PUNJAB_POLICE", True)

    page.goto(f"{live_server.url}/tips/status/")
    page.fill("input[name=code]", code.lower())
    with page.expect_navigation():
        page.click("form.card button[type=submit]")
    assert "Received" in page.inner_text("#status-result")

    analyst = world.agencies["PUNJAB_POLICE"].users[Role.ANALYST]
    desk = sign_in(browser, live_server, analyst.username, PASSWORD)
    desk.wait_for_load_state()
    desk.goto(f"{live_server.url}/tips/queue/")
    desk.click(f"text={tip.reference}")
    desk.wait_for_load_state()
    assert URDU in desk.inner_text(".tip-description")
    desk.select_option("#grade select[name=reliability]", "D")
    desk.select_option("#grade select[name=validity]", "2")
    with desk.expect_navigation():
        desk.click("#grade button[type=submit]")
    assert "Grade recorded." in desk.content()
    tip.refresh_from_db()
    assert (tip.grade, tip.status) == ("D2", "under_review")

    page.goto(f"{live_server.url}/tips/status/")
    page.fill("input[name=code]", code)
    with page.expect_navigation():
        page.click("form.card button[type=submit]")
    result = page.inner_text("#status-result")
    assert "Under review" in result and "D2" not in result
    context.close()


def fill_in_a_tip(page) -> None:
    page.check("input[name=kind][value=smuggling]")
    page.fill("textarea[name=description]", "Cartons of tablets cross at Taftan in a red bus each Monday.")


def test_a_double_click_sends_the_tip_once_and_shows_its_code(browser, live_server, world):  # noqa: F811
    page = browser.new_page()
    page.goto(f"{live_server.url}/tips/")
    fill_in_a_tip(page)
    with page.expect_navigation():
        page.dblclick("#tip-form button[type=submit]")
    page.wait_for_load_state()
    code = page.inner_text("#status-code").strip()
    assert len(code) == 24 and Tip.objects.count() == 1
    page.close()


def test_refreshing_the_code_page_stores_nothing_more(browser, live_server, world):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/tips/")
    fill_in_a_tip(page)
    with page.expect_navigation():
        page.click("#tip-form button[type=submit]")
    code = page.inner_text("#status-code").strip()
    response = page.reload()
    assert response.request.method == "POST" and response.status == 409
    text = page.inner_text("#already-received")
    assert "This tip was already received. Use the status code you were shown." in text and code not in page.content()
    assert Tip.objects.count() == 1
    context.close()
