"""An analyst signed in with a real browser opens Pakistan's 2021 assessment, sees the published figures and the
chart drawn, changes a score from the form's half steps and sees the figures follow."""

from __future__ import annotations

import pytest

from suragh.assessments.conftest import import_published
from suragh.core.choices import Role
from suragh.core.tests.test_browser import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editions(transactional_db):
    """A transactional test empties every table when it ends; the editions come back with the next flush's
    post_migrate, and are loaded here in case this test runs first after one."""
    from suragh.assessments.editions import load_editions
    from suragh.assessments.models import Edition

    if not Edition.objects.exists():
        load_editions()


def test_an_analyst_sees_the_published_figures_and_the_chart_and_rescores(
    browser,  # noqa: F811
    live_server,
    world,
    editions,
    tmp_path,
):
    analyst = world.agencies["ANF"].users[Role.ANALYST]
    pakistan = import_published(analyst)
    page = sign_in(browser, live_server, analyst.username, PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("nav >> text=Crime index")
    page.click(f"a[href='/assessments/{pakistan.pk}/']")
    assert page.inner_text("#criminality") == "6.28"
    assert page.inner_text("#criminal-markets") == "6.30"
    assert page.inner_text("#criminal-actors") == "6.25"
    assert page.inner_text("#resilience") == "4.00"
    page.wait_for_selector("#assessment-chart svg")
    assert "Criminality 6.28" in page.inner_text("#assessment-chart")
    page.screenshot(path=str(tmp_path / "assessment.png"), full_page=True)

    page.select_option("#score select[name=indicator]", "heroin_trade")
    options = page.eval_on_selector_all("#score select[name=value] option", "els => els.map(e => e.value)")
    assert options == ["", *(f"{n / 2:.1f}" for n in range(2, 21))]
    page.select_option("#score select[name=value]", "9.5")
    page.fill("#score textarea[name=rationale]", "Seizures at Torkham doubled")
    with page.expect_navigation():
        page.click("#score button[type=submit]")
    # Markets 64 / 10 = 6.40; criminality (6.40 + 6.25) / 2 = 6.325, published 6.33.
    assert page.inner_text("#criminal-markets") == "6.40"
    assert page.inner_text("#criminality") == "6.33"
    assert "Seizures at Torkham doubled" in page.inner_text("#heroin_trade")

    page.click("text=Ranking")
    page.wait_for_selector("#ranking-chart svg")
    assert "6.33" in page.inner_text("#ranking") and "Pakistan" in page.inner_text("#ranking-chart")
    page.screenshot(path=str(tmp_path / "ranking.png"), full_page=True)
    page.close()
