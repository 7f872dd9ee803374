"""The field app in a real browser: a report made with no signal survives a restart of the app and arrives once,
with its photo, when the signal returns; the same report sent twice at once is stored once."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image

from suragh.core.choices import Role

PASSWORD = "correct-horse-9"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def server_taking_requests_together(live_server):
    """The live server's address, for two requests that must reach the database at the same time.

    With SQLite in memory every server thread shares the test's one connection, so two requests interleave inside
    one transaction, which no deployment does; there the server takes one request at a time, as a SQLite file
    (which lets one writer in at a time) would. The PostgreSQL run races two connections for real.
    """
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import WSGIServer
    from django.db import connections
    from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler

    connection = connections["default"]
    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        yield live_server.url
        return

    class OneRequestAtATime(LiveServerThread):
        def _create_server(self, connections_override=None):
            # The connection is shared with this thread through connections_override, handled by the base class.
            return WSGIServer((self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False)

    connection.inc_thread_sharing()
    thread = OneRequestAtATime("127.0.0.1", StaticFilesHandler, connections_override={"default": connection})
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.terminate()
        connection.dec_thread_sharing()


def open_field_app(browser, base_url: str, user):
    """A phone-sized browser signs in and opens the app; returns once the service worker looks after the page."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.goto(f"{base_url}/field/")
    assert "/login/" in page.url
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/field/")
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    return context, page


def camera_photo(path: Path) -> Path:
    """A photo as large as a phone camera's, which the app makes smaller before keeping it."""
    image = Image.new("RGB", (3000, 2000), (120, 90, 60))
    for x in range(0, 3000, 100):
        image.paste((200, 180, 40), (x, 0, x + 40, 2000))
    image.save(path, "JPEG", quality=95)
    return path


def test_a_report_made_offline_survives_a_restart_and_arrives_once_with_its_photo(
    browser, live_server, world, tmp_path
):
    from suragh.intake.models import FieldReport

    officer = world.agencies["PUNJAB_POLICE"].users[Role.FIELD_OFFICER]
    context, page = open_field_app(browser, live_server.url, officer)
    # Chrome would offer to install it (Playwright's browser contexts are incognito, where nothing installs).
    cdp = context.new_cdp_session(page)
    assert cdp.send("Page.getAppManifest")["errors"] == []
    problems = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [p["errorId"] for p in problems if p["errorId"] != "in-incognito"] == []
    cdp.detach()

    context.set_offline(True)
    page.wait_for_selector("#connection.offline")
    page.click("label.choice:has-text('Seizure')")
    page.fill("[name=occurred_at]", "2026-11-20T14:30")
    page.select_option("[name=district_pcode]", "PK630")
    page.fill("[name=place]", "Faizabad interchange picket")
    page.select_option("[name=substance_code]", "heroin")
    assert page.input_value("[name=unit]") == "kg"
    page.fill("[name=quantity]", "1.25")
    page.select_option("[name=conveyance]", "vehicle")
    page.select_option("[name=concealment]", "vehicle_cavity")
    page.click("#add-person")
    person = page.locator("#persons .person").first
    person.locator("[data-person-field=name_latin]").fill("Muhammad Aslam")
    person.locator("[data-person-field=name_urdu]").fill("محمد اسلم")
    person.locator("[data-person-field=father_or_husband_name]").fill("Ghulam Rasool")
    person.locator("[data-person-field=cnic]").fill("35202 1234567 1")
    person.locator("[data-person-field=age_years]").fill("34")
    person.locator("[data-person-field=sex]").select_option("M")
    original = camera_photo(tmp_path / "camera.jpg")
    page.set_input_files("#photo-input", str(original))
    page.wait_for_selector("#photo-list li")
    page.click("#save-report")
    page.wait_for_selector(".report[data-state=queued]")
    stored = page.evaluate("suraghField.allRecords()")
    assert len(stored) == 1 and stored[0]["state"] == "queued"
    client_id = stored[0]["client_id"]
    photo_size = stored[0]["photos"][0]["size"]
    assert photo_size < original.stat().st_size / 4, "the photo was not made smaller on the phone"

    # The app restarts with no signal: the service worker serves the page, the queue is still there.
    response = page.reload()
    assert response.from_service_worker
    page.wait_for_selector("body[data-ready=true]")
    page.click("#tab-queue")
    page.wait_for_selector(f".report[data-client-id='{client_id}'][data-state=queued]")
    assert page.locator("#queue-count").inner_text() == "1"
    assert page.locator("[name=district_pcode] option").count() > 100, "the form's lists were not kept offline"
    assert not FieldReport.objects.exists()

    context.set_offline(False)  # the browser's "online" event starts the sync
    page.wait_for_selector(f".report[data-client-id='{client_id}'][data-state=sent]", timeout=45_000)
    card = page.locator(f".report[data-client-id='{client_id}']")
    assert card.locator(".state").inner_text() == "Sent"

    report = FieldReport.objects.get(client_id=client_id)
    assert FieldReport.objects.count() == 1
    assert report.reported_by == officer and report.district.pcode == "PK630"
    assert report.substance.code == "heroin" and str(report.quantity.normalize()) == "1.25" and report.unit == "kg"
    assert report.persons[0]["name_urdu"] == "محمد اسلم" and report.persons[0]["cnic"] == "3520212345671"
    photo = report.photos.get()
    with photo.file.open("rb") as handle:
        content = handle.read()
    assert hashlib.sha256(content).hexdigest() == photo.sha256
    sent = page.evaluate("id => suraghField.getRecord(id)", client_id)
    assert sent["sent_photo_hashes"] == [photo.sha256], "the server stored other bytes than the phone kept"
    assert sent["server"]["id"] == report.pk
    with Image.open(io.BytesIO(content)) as image:
        assert image.format == "JPEG" and max(image.size) == 1600
    # The photos leave the phone once the server has them.
    assert all("blob" not in p for p in sent["photos"])

    # Sending again finds nothing queued; the report is still stored once.
    page.click("#tab-queue")
    page.evaluate("document.querySelector('#sync-status').textContent = ''")
    page.click("#send-now")
    page.wait_for_function("document.querySelector('#sync-status').textContent.startsWith('Checked')")
    assert FieldReport.objects.count() == 1
    context.close()


SAME_REPORT_TWICE = """
async () => {
  const canvas = document.createElement("canvas");
  canvas.width = 320;
  canvas.height = 240;
  const context = canvas.getContext("2d");
  context.fillStyle = "#3a6";
  context.fillRect(0, 0, 320, 240);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.8));
  const clientId = suraghField.newClientId();
  const record = {
    client_id: clientId,
    report: {
      kind: "arrest", occurred_at: "2026-11-21T09:15:00+05:00", district_pcode: "PK630",
      latitude: 33.5651, longitude: 73.0169, accuracy_m: 9, place: "Pirwadhai bus stand",
      substance_code: "", quantity: null, unit: "", conveyance: "person", concealment: "body",
      narrative: "Arrested at the bus stand.",
      persons: [{name_latin: "Khalid Mehmood", name_urdu: "", father_or_husband_name: "", cnic: "3740512345673",
                 age_years: 41, sex: "M"}],
    },
    photos: [{blob, type: "image/jpeg"}],
  };
  const [first, second] = await Promise.all([suraghField.postReport(record), suraghField.postReport(record)]);
  return {clientId, first, second};
}
"""


def test_the_same_report_sent_twice_at_once_is_stored_once(browser, server_taking_requests_together, world):
    from suragh.intake.models import FieldReport, FieldReportPhoto

    officer = world.agencies["ANF"].users[Role.FIELD_OFFICER]
    context, page = open_field_app(browser, server_taking_requests_together, officer)
    result = page.evaluate(SAME_REPORT_TWICE)
    first, second = result["first"], result["second"]
    assert sorted([first["status"], second["status"]]) == [200, 201], result
    assert first["body"]["id"] == second["body"]["id"]
    assert FieldReport.objects.filter(client_id=result["clientId"]).count() == 1
    assert FieldReportPhoto.objects.filter(report__client_id=result["clientId"]).count() == 1
    context.close()


QUEUE_A_REPORT_THE_SERVER_REFUSES = """
async (officer) => {
  const clientId = suraghField.newClientId();
  await suraghField.putRecord({
    client_id: clientId, officer, state: "queued", saved_at: new Date().toISOString(), errors: {}, detail: "",
    server: null, photos: [],
    report: {
      client_id: clientId, kind: "seizure", occurred_at: "2026-11-22T18:05:00+05:00", district_pcode: "PK630",
      latitude: null, longitude: null, accuracy_m: null, place: "Saddar", substance_code: "unobtainium",
      quantity: "2", unit: "kg", conveyance: "premises", concealment: "buried", narrative: "",
      persons: [{name_latin: "Zahid Iqbal", name_urdu: "", father_or_husband_name: "", cnic: "", age_years: 28,
                 sex: "M"}],
    },
  });
  await suraghField.syncQueue();
  return clientId;
}
"""


def test_a_refused_report_is_corrected_and_a_returned_one_sent_again_as_new(browser, live_server, world):
    from suragh.intake.actions import do_return_field_report
    from suragh.intake.models import FieldReport

    police = world.agencies["PUNJAB_POLICE"]
    officer = police.users[Role.FIELD_OFFICER]
    context, page = open_field_app(browser, live_server.url, officer)

    client_id = page.evaluate(QUEUE_A_REPORT_THE_SERVER_REFUSES, officer.username)
    page.click("#tab-queue")
    card = page.locator(f".report[data-client-id='{client_id}']")
    assert card.get_attribute("data-state") == "needs_correction"
    assert "Substance: 'unobtainium' is not a substance." in card.locator("ul.errors").inner_text()
    assert not FieldReport.objects.exists()

    card.locator("text=Correct and send again").click()
    page.wait_for_selector("#correcting:not([hidden])")
    assert "is not a substance" in page.locator("[data-error-for=substance_code]").inner_text()
    assert page.locator("[name=substance_code]").evaluate("e => e.classList.contains('invalid')")
    page.select_option("[name=substance_code]", "heroin")
    page.select_option("[name=unit]", "kg")
    page.click("#save-report")
    page.wait_for_selector(f".report[data-client-id='{client_id}'][data-state=sent]", timeout=30_000)
    report = FieldReport.objects.get(client_id=client_id)
    assert report.substance.code == "heroin" and report.persons[0]["name_latin"] == "Zahid Iqbal"

    do_return_field_report(report, reason="Give the house number in Saddar.", acting_user=police.users[Role.SUPERVISOR])
    page.click("#send-now")
    page.wait_for_selector(f".report[data-client-id='{client_id}'][data-state=returned]", timeout=30_000)
    assert "Returned: Give the house number in Saddar." in card.inner_text()
    card.locator("text=Correct and send as a new report").click()
    page.wait_for_selector("#correcting:not([hidden])")
    assert page.input_value("[name=place]") == "Saddar"
    page.fill("[name=place]", "House 14, Street 3, Saddar")
    page.click("#save-report")
    page.wait_for_function("document.querySelectorAll('.report[data-state=sent]').length == 1", timeout=30_000)
    assert FieldReport.objects.count() == 2
    corrected = FieldReport.objects.exclude(client_id=client_id).get()
    assert corrected.place == "House 14, Street 3, Saddar" and corrected.persons == report.persons
    assert "A corrected report was made from this one." in card.inner_text()

    # Signing out forgets the kept page, which names the officer: with no signal the app no longer opens.
    with page.expect_navigation():
        page.click("#sign-out button")
    assert "/login/" in page.url
    context.set_offline(True)
    response = page.goto(f"{live_server.url}/field/")
    assert response.status == 503 and officer.username not in page.content()
    context.close()
