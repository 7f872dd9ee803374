"""An officer signs in with a real browser, finds a case in the list by its FIR number and opens it;
another agency's officer, signed in the same way, cannot open it."""

from __future__ import annotations

import pytest

from suragh.conftest import register_case
from suragh.core.choices import Distribution, Role
from suragh.core.models import Unit

PASSWORD = "correct-horse-9"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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


def test_a_case_goes_from_fir_to_verdict_and_appeal_in_the_browser(browser, live_server, world):
    from suragh.cases.models import Case

    police = world.agencies["PUNJAB_POLICE"]
    io = police.users[Role.INVESTIGATING_OFFICER]
    url = ""

    def take(page, form_id: str, at: str = "", **fields) -> None:
        for name, value in fields.items():
            target = page.locator(f"#{form_id} [name={name}]").first
            kind = target.evaluate("e => e.tagName + ':' + (e.type || '')")
            if kind == "INPUT:checkbox":
                page.check(
                    f"#{form_id} input[name={name}][value='{value}']"
                    if value is not True
                    else f"#{form_id} input[name={name}]"
                )
            elif kind.startswith("SELECT"):
                target.select_option(value)
            else:
                target.fill(value)
        with page.expect_navigation():  # the step posts and comes back to the same page
            page.click(f"#{form_id} button[type=submit]")
        page.wait_for_url(at or url)
        assert page.locator(".message.success").count() == 1, page.content()

    page = sign_in(browser, live_server, io.username, PASSWORD)
    page.goto(f"{live_server.url}/cases/")
    page.click("text=Register an FIR")
    page.fill("#register [name=fir_number]", "BRW-900/2024")
    page.fill("#register [name=registered_on]", "2024-03-01")
    page.select_option("#register [name=offences]", "CNSA-9(c)")
    page.click("#register button[type=submit]")
    page.wait_for_url("**/cases/*/")
    case = Case.objects.get(fir_number="BRW-900/2024")
    assert case.investigating_officer == io and case.owning_unit == io.unit
    url = f"{live_server.url}/cases/{case.pk}/"
    assert page.title().startswith("FIR BRW-900/2024") and len(page.title()) < 60, page.title()
    take(page, "party", role="accused", name_latin="Browser Accused", age_years="31")
    take(page, "seizure", substance="charas", quantity="1.2", unit="kg", seized_on="2024-03-01")
    accused = str(case.parties.get().pk)
    take(page, "next-step", status="under_investigation")
    take(page, "custody", party=accused, kind="arrest")
    take(
        page,
        "evidence-item",
        label="P-1",
        description="Charas in a car's door panel",
        seal_number="BR-11",
        sealed_at="2024-03-01T10:00",
        net_weight_g="1200",
    )
    parcel = case.evidence_items.get(label="P-1")
    take(
        page,
        "evidence-item",
        label="S-1",
        description="Sample of P-1",
        seal_number="BR-12",
        sealed_at="2024-03-01T10:30",
        net_weight_g="10",
        drawn_from=str(parcel.pk),
    )
    sample = case.evidence_items.get(label="S-1")
    page.click(f"a[href='/evidence/items/{sample.pk}/']")
    lab = Unit.objects.get(code="PUNJAB_FSA-LAB-LAHORE")
    take(
        page,
        "lab-submission",
        at=f"{live_server.url}/evidence/items/{sample.pk}/",
        lab=str(lab.pk),
        test_memo_reference="TM-77/2024",
        sent_at="2024-03-02T09:00",
        carrier_name="Constable Rashid No. 4411",
    )
    page.goto(url)
    take(
        page,
        "challan",
        kind="final",
        court=str(Unit.objects.get(code="CNS_SPECIAL_COURTS-LAHORE").pk),
        accused=accused,
    )
    assert "Challan submitted" in page.locator("h1").inner_text()
    page.close()

    submission = sample.lab_submissions.get()
    submission_url = f"{live_server.url}/evidence/lab/{submission.pk}/"
    page = sign_in(browser, live_server, police.users[Role.FORENSIC_ANALYST].username, PASSWORD)
    page.goto(submission_url)
    take(page, "receipt", at=submission_url, received_at="2024-03-02T15:00", lab_reference="PFSA-N-2024-118")
    page.fill("#report [name=reported_at]", "2024-03-01T09:00")
    page.click("#report button[type=submit]")
    page.wait_for_load_state()
    assert "A report cannot be dated before its sample was sent" in page.locator("#report").inner_text()
    take(
        page,
        "report",
        at=submission_url,
        reported_at="2024-03-09T12:00",
        substance_confirmed=True,
        substance_code="charas",
        purity_percent="41.5",
    )
    assert page.goto(url).status == 404  # the laboratory sees its submission, never the case
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
    verdict = case.parties.get().verdict
    take(page, "appeal", verdict=str(verdict.pk), appellant="state", forum="Lahore High Court")
    assert "Appeal" in page.locator("h1").inner_text()
    take(page, "appeal-decision", appeal=str(verdict.appeals.get().pk), outcome="upheld")
    timeline = page.locator("ol.timeline").inner_text()
    assert "Appeal decided: Verdict upheld" in timeline
    assert "Lab report on S-1: confirmed" in timeline and "Final challan" in timeline
    page.close()
