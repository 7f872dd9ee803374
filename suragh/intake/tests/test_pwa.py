"""The field app installs from /field/: its manifest, icons and service worker, and a page that needs sign-in."""

from __future__ import annotations

import json
import re
from io import BytesIO

import pytest
from django.urls import reverse
from PIL import Image

from suragh.intake import pwa

pytestmark = pytest.mark.django_db


def body_of(response) -> bytes:
    """Static files come back streamed; pages and the worker as one body."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_manifest_describes_an_installable_app(client):
    response = client.get("/field/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Suragh field reports"
    assert manifest["short_name"]
    assert manifest["start_url"] == "/field/"
    assert manifest["scope"] == "/field/"
    assert manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_every_icon_is_a_png_of_its_stated_size(client):
    manifest = json.loads(client.get("/field/manifest.webmanifest").content)
    for icon in manifest["icons"]:
        response = client.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        assert icon["type"] == "image/png"
        with Image.open(BytesIO(body_of(response))) as image:
            assert image.format == "PNG", icon["src"]
            width, height = (int(n) for n in icon["sizes"].split("x"))
            assert image.size == (width, height), icon["src"]
            if icon["purpose"] == "maskable":
                # Android crops a maskable icon to any shape: it must have no transparent corner.
                assert image.convert("RGBA").getpixel((0, 0))[3] == 255


def test_the_service_worker_is_javascript_served_from_field(client):
    response = client.get("/field/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    source = response.content.decode()
    shell = json.loads(re.match(r"const SHELL = (\{.*\});\n", source).group(1))
    assert shell["page"] == "/field/"
    assert shell["version"] == pwa.shell_version()
    assert "/field/manifest.webmanifest" in shell["assets"]
    assert "suragh-field-shell-${SHELL.version}" in source
    for url in shell["assets"]:
        assert url == "/field/manifest.webmanifest" or url.endswith(f"?v={shell['version']}"), url
        assert client.get(url).status_code == 200, url


def test_the_worker_and_manifest_are_the_same_for_everyone_and_name_no_one(client, world):
    anonymous = (client.get("/field/sw.js").content, client.get("/field/manifest.webmanifest").content)
    for agency in world.agencies.values():
        for user in agency.users.values():
            client.force_login(user)
            signed_in = (client.get("/field/sw.js").content, client.get("/field/manifest.webmanifest").content)
            assert signed_in == anonymous, user.username
            for body in signed_in:
                assert user.username.encode() not in body
                assert b"csrf" not in body.lower()
            client.logout()


def test_the_apps_addresses_only_answer_get(client, world):
    from suragh.core.choices import Role

    client.force_login(world.agencies["SINDH_POLICE"].users[Role.FIELD_OFFICER])
    for url in ("/field/", "/field/sw.js", "/field/manifest.webmanifest"):
        assert client.post(url, {}).status_code == 405, url
        assert client.delete(url).status_code == 405, url


def test_the_page_needs_sign_in(client, world):
    response = client.get(reverse("field:app"))
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/field/"
    for agency in world.agencies.values():
        for user in agency.users.values():
            client.force_login(user)
            response = client.get(reverse("field:app"))
            assert response.status_code == 200, user.username
            client.logout()


def test_the_page_asks_for_the_files_the_worker_keeps(client, world):
    from suragh.core.choices import Role

    officer = world.agencies["PUNJAB_POLICE"].users[Role.FIELD_OFFICER]
    client.force_login(officer)
    response = client.get("/field/")
    page = response.content.decode()
    shell = json.loads(re.match(r"const SHELL = (\{.*\});\n", client.get("/field/sw.js").content.decode()).group(1))
    for url in re.findall(r'(?:href|src)="(/static/[^"]+)"', page):
        assert url.replace("&amp;", "&") in shell["assets"], url
    assert 'rel="manifest" href="/field/manifest.webmanifest"' in page
    assert "csrftoken" in response.cookies
    assert response["Cache-Control"] == "no-cache, private"
    config = json.loads(re.search(r'<script id="field-config" type="application/json">(.*?)</script>', page).group(1))
    assert config["officer"] == officer.username
    assert config["api"] == "/api/v1/field-reports"
    assert config["defaultDistrict"] == (officer.unit.district.pcode if officer.unit.district_id else "")


def test_a_change_to_any_kept_file_names_a_new_cache(monkeypatch):
    before = pwa._compute_shell_version()
    original = pwa._static_bytes
    changed = {"intake/app.js": b"/* the next release */"}
    monkeypatch.setattr(pwa, "_static_bytes", lambda path: original(path) + changed.get(path, b""))
    assert pwa._compute_shell_version() != before
