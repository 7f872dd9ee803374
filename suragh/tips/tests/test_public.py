"""The public tip line in the browser's terms: no sign-in, CSRF still enforced, nothing kept that identifies
the tipster (no address, no browser, no session), a photo stripped of what the camera wrote into it, hostile
input refused field by field, and an hourly allowance per connection counted without its address."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from suragh.core.choices import Role
from suragh.core.models import AuditEvent
from suragh.tips import ratelimit
from suragh.tips.actions import do_grade_tip
from suragh.tips.conftest import cache_contents, photo_upload
from suragh.tips.models import Tip

pytestmark = pytest.mark.django_db

CODE = re.compile(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}")
ADDRESS, BROWSER = "203.0.113.77", "Mozilla/5.0 (Linux; Android 14; TipsterPhone-XYZ123)"


def form(**fields) -> dict:
    return {"kind": "trafficking", "description": "A white pickup carries charas from Chaman every Friday.", **fields}


def send(client, **fields):
    return client.post(reverse("tips:submit"), form(**fields), REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=BROWSER)


def test_the_form_opens_without_signing_in_and_sets_no_cookie_but_the_csrf_token(client, world):
    response = client.get(reverse("tips:submit"))
    assert response.status_code == 200
    assert set(response.cookies) == {"csrftoken"}
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html and 'dir="auto"' in html
    assert "Pakistan Customs" in html and 'value="ANF" selected' in html.replace("\n", "")


def test_the_code_is_shown_once_on_submission_and_nothing_keeps_it(client, world):
    response = send(client, agency="SINDH_POLICE", district="PK636", place="لیاری، کراچی")
    assert response.status_code == 201, response.content.decode()[:2000]
    codes = CODE.findall(response.content.decode())
    assert len(set(codes)) == 1
    assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "same-origin"
    assert "sessionid" not in response.cookies
    tip = Tip.objects.get()
    assert (tip.agency.code, tip.district.pcode, tip.place) == ("SINDH_POLICE", "PK636", "لیاری، کراچی")
    assert client.get(reverse("tips:submit")).content.decode().count(codes[0]) == 0


def test_csrf_is_enforced_for_anonymous_tipsters(world):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(reverse("tips:submit"), form()).status_code == 403
    page = browser.get(reverse("tips:submit"))
    token = page.cookies["csrftoken"].value
    response = browser.post(reverse("tips:submit"), {**form(), "csrfmiddlewaretoken": token})
    assert response.status_code == 201
    assert Tip.objects.count() == 1


def every_stored_value() -> str:
    """Every row of every table, as text: what a leaked database would hold."""
    rows = []
    for model in apps.get_models():
        rows += [str(row) for row in model.objects.values_list()]
    return "\n".join(rows)


def test_no_address_browser_or_session_is_stored_for_a_tip(client, world):
    assert send(client, photo=photo_upload()).status_code == 201
    assert (
        client.post(
            reverse("tips:status"), {"code": "0000-0000-0000-0000-0000"}, REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=BROWSER
        ).status_code
        == 404
    )
    stored = every_stored_value()
    assert ADDRESS not in stored and "TipsterPhone" not in stored
    assert Session.objects.count() == 0
    event = AuditEvent.objects.get(object_type="tips.tip")
    assert (event.ip_address, event.user_agent, event.actor_id) == ("", "", None)


def test_the_rate_limit_counts_connections_without_their_addresses(client, world, settings, cache_dir):
    settings.SURAGH_TIPS_PER_HOUR = 2
    assert [send(client).status_code for _ in range(2)] == [201, 201]
    refused = send(client)
    assert refused.status_code == 429
    assert "Too many tips" in refused.content.decode()
    assert Tip.objects.count() == 2
    other = client.post(reverse("tips:submit"), form(), REMOTE_ADDR="198.51.100.4")
    assert other.status_code == 201
    held = cache_contents(cache_dir)
    assert held and ADDRESS.encode() not in held and b"198.51.100.4" not in held
    assert b"203.0.113" not in held and "203.0.113" not in " ".join(str(p) for p in cache_dir.rglob("*"))
    assert ADDRESS not in every_stored_value()


def test_the_allowance_starts_again_in_the_next_hour_under_a_new_secret(client, world, settings, monkeypatch):
    import time

    settings.SURAGH_TIPS_PER_HOUR = 1
    now = time.time()
    assert send(client).status_code == 201
    assert send(client).status_code == 429
    window = int(now // ratelimit.WINDOW_SECONDS)
    first_secret = ratelimit.window_secret(window, 60)
    monkeypatch.setattr(ratelimit.time, "time", lambda: now + ratelimit.WINDOW_SECONDS)
    assert send(client).status_code == 201
    assert ratelimit.window_secret(window + 1, 60) != first_secret


def test_status_checks_are_rate_limited_too(client, world, settings):
    settings.SURAGH_TIP_STATUS_CHECKS_PER_HOUR = 3
    answers = [client.post(reverse("tips:status"), {"code": "ABCD"}).status_code for _ in range(4)]
    assert answers == [404, 404, 404, 429]


def test_the_status_page_says_the_status_and_date_and_nothing_more(client, world):
    html = send(client).content.decode()
    code = CODE.search(html).group()
    tip = Tip.objects.get()
    analyst = world.agencies["ANF"].users[Role.ANALYST]
    do_grade_tip(tip, reliability="D", validity="3", note="Matches FIR 77/2024", acting_user=analyst)
    page = client.post(reverse("tips:status"), {"code": code.lower().replace("-", " ")})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Under review" in text and f"{timezone.localtime(tip.created_at):%Y-%m-%d}" in text
    for secret in ("D3", "77/2024", analyst.username, "pickup", "ANF"):
        assert secret not in text, secret
    wrong = client.post(reverse("tips:status"), {"code": code[:-1] + ("0" if code[-1] != "0" else "1")})
    assert wrong.status_code == 404 and "No tip has that code." in wrong.content.decode()
    empty = client.post(reverse("tips:status"), {"code": ""})
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()
    malformed = client.post(reverse("tips:status"), {"code": "'; DROP TABLE tips_tip; --"})
    assert malformed.status_code == 404 and "No tip has that code." in malformed.content.decode()


def exif_photo() -> bytes:
    image = Image.new("RGB", (64, 48), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "SuraghTestCam"  # Make
    exif[0x0110] = "Serial-998877"  # Model
    exif[0x0112] = 6  # Orientation: rotate 90° to show upright
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (33.0, 41.0, 12.5), "E", (73.0, 3.0, 4.2)
    buffer = BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_a_photo_is_kept_upright_without_gps_or_camera_data(client, world, media):
    original = exif_photo()
    assert b"SuraghTestCam" in original
    assert send(client, photo=photo_upload(original, "Ali Khan 2024-05-01.jpg")).status_code == 201
    tip = Tip.objects.get()
    stored = tip.photo.read()
    assert b"SuraghTestCam" not in stored and b"Serial-998877" not in stored and b"Exif" not in stored
    with Image.open(BytesIO(stored)) as image:
        assert image.format == "JPEG" and len(image.getexif()) == 0 and image.size == (48, 64)
    assert "Ali" not in tip.photo.name and tip.photo_content_type == "image/jpeg"


def test_a_png_loses_its_text_chunks(client, world, media):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Tipster Real Name")
    buffer = BytesIO()
    Image.new("RGBA", (8, 8), (1, 2, 3, 128)).save(buffer, format="PNG", pnginfo=info)
    upload = photo_upload(buffer.getvalue(), "x.png", "image/png")
    assert send(client, photo=upload).status_code == 201
    stored = Tip.objects.get().photo.read()
    assert b"Tipster Real Name" not in stored
    with Image.open(BytesIO(stored)) as image:
        assert image.mode == "RGBA" and image.getpixel((0, 0)) == (1, 2, 3, 128)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"photo": "oversized"}, "photo", "The photo is 10.0 MB; at most 10 MB is accepted."),
        ({"photo": "not_an_image"}, "photo", "The file is not a JPEG, PNG or WebP photo."),
        ({"description": ""}, "description", "This field is required."),
        ({"description": "x" * 5001}, "description", "at most 5000 characters"),
        ({"district": "PK999"}, "district", "Select a valid choice"),
        ({"kind": "gossip"}, "kind", "Select a valid choice"),
        ({"agency": "NADRA"}, "agency", "Select a valid choice"),
    ],
)
def test_hostile_input_is_refused_by_field_and_nothing_is_stored(client, world, media, fields, field, message):
    if fields.get("photo") == "oversized":
        fields["photo"] = photo_upload(b"\xff\xd8\xff\xe0" + b"\0" * (10 * 1024 * 1024 + 1))
    elif fields.get("photo") == "not_an_image":
        fields["photo"] = photo_upload(b"<?php system($_GET['c']); ?>", "holiday.jpg")
    response = send(client, **fields)
    assert response.status_code == 400
    html = response.content.decode()
    errors = re.search(rf'id="id_{field}".*?(<p class="field-error".*?</p>)', html, re.S)
    assert errors and message.lower() in errors.group(1).lower(), html[:3000]
    assert Tip.objects.count() == 0
    assert not list(media.rglob("*.*")) if media.exists() else True


def test_a_script_in_the_description_is_kept_verbatim_and_shown_as_text(client, world):
    script = '<script>alert("tip")</script> Heroin at <b>Sohrab Goth</b>'
    assert send(client, description=script).status_code == 201
    tip = Tip.objects.get()
    assert tip.description == script
    client.force_login(world.agencies["ANF"].users[Role.ANALYST])
    html = client.get(reverse("tips:detail", args=[tip.pk])).content.decode()
    assert script not in html
    assert "&lt;script&gt;alert(&quot;tip&quot;)&lt;/script&gt; Heroin at &lt;b&gt;Sohrab Goth&lt;/b&gt;" in html
