"""The field officers' phone app at /field/: the page that holds it, its service worker and its manifest.

The app is one page of HTML, one script and one stylesheet. The service worker keeps them on the phone so the app
opens with no signal; reports made offline wait in the phone's IndexedDB until they can be sent to the field-report
API. Everything here is the same for every officer except the page itself, which needs sign-in.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

THEME_COLOR = "#17324d"
BACKGROUND_COLOR = "#f3f5f8"
SERVICE_WORKER_SOURCE = "intake/sw.js"
# What the phone keeps so that the app opens with no signal; the page itself is added by the service worker.
SHELL_ASSETS = (
    "intake/app.css",
    "intake/app.js",
    "intake/icons/icon-192.png",
    "intake/icons/icon-512.png",
    "intake/icons/icon-maskable-512.png",
    "vendor/@fontsource/noto-naskh-arabic/files/noto-naskh-arabic-arabic-400-normal.woff2",
)
ICONS = (
    ("intake/icons/icon-192.png", "192x192", "any"),
    ("intake/icons/icon-512.png", "512x512", "any"),
    ("intake/icons/icon-maskable-512.png", "512x512", "maskable"),
)


def _static_bytes(path: str) -> bytes:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(f"static file {path} is missing")
    with open(found, "rb") as handle:
        return handle.read()


def _compute_shell_version() -> str:
    """A digest of everything the phone keeps: any change to it names a new cache, and phones replace the old."""
    digest = hashlib.sha256()
    for path in (*SHELL_ASSETS, SERVICE_WORKER_SOURCE):
        digest.update(path.encode() + b"\0" + _static_bytes(path))
    template = get_template("intake/app.html").template
    digest.update(template.source.encode())
    return digest.hexdigest()[:16]


_cached_shell_version = lru_cache(maxsize=1)(_compute_shell_version)


def shell_version() -> str:
    # In development the files change under a running server; in production only with a deployment.
    return _compute_shell_version() if settings.DEBUG else _cached_shell_version()


def asset_url(path: str, version: str) -> str:
    """The static URL the page and the service worker both use, so the cached copy is the one the page asks for."""
    return f"{static(path)}?v={version}"


def _home_district(user) -> str:
    """The district of the officer's unit, chosen in the form until they pick another."""
    unit = user.unit if user.unit_id else None
    return unit.district.pcode if unit is not None and unit.district_id else ""


@require_GET
@login_required
@ensure_csrf_cookie
def app(request: HttpRequest) -> HttpResponse:
    """The app's page. It carries no record, only who is signed in, so a copy kept on the phone reveals little."""
    version = shell_version()
    user = request.user
    context = {
        "version": version,
        "css": asset_url("intake/app.css", version),
        "js": asset_url("intake/app.js", version),
        "icon": asset_url("intake/icons/icon-192.png", version),
        "theme_color": THEME_COLOR,
        "officer": {
            "username": user.get_username(),
            "name": str(user),
            "role": user.get_role_display(),
            "unit": user.unit.name if user.unit_id else "",
        },
        "config": {
            "officer": user.get_username(),
            "api": "/api/v1/field-reports",
            "serviceWorker": reverse("field:service_worker"),
            "signIn": f"{reverse('login')}?next={reverse('field:app')}",
            "version": version,
            "defaultDistrict": _home_district(user),
        },
    }
    response = render(request, "intake/app.html", context)
    response["Cache-Control"] = "no-cache, private"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from /field/ so that it may look after every page under /field/.

    The same bytes go to everyone, signed in or not: the list of files to keep and their version, then the
    worker's code.
    """
    version = shell_version()
    shell = {
        "version": version,
        "page": reverse("field:app"),
        "assets": [asset_url(path, version) for path in SHELL_ASSETS] + [reverse("field:manifest")],
        "formOptions": "/api/v1/field-reports/form-options",
    }
    source = _static_bytes(SERVICE_WORKER_SOURCE).decode()
    body = f"const SHELL = {json.dumps(shell)};\n{source}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest Chrome reads to install the app on an Android home screen."""
    version = shell_version()
    page = reverse("field:app")
    body = {
        "id": page,
        "name": "Suragh field reports",
        "short_name": "Suragh Field",
        "description": "Report seizures, arrests and interdictions from the field, with or without a signal.",
        "lang": "en",
        "dir": "ltr",
        "start_url": page,
        "scope": page,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": BACKGROUND_COLOR,
        "theme_color": THEME_COLOR,
        "icons": [
            {"src": asset_url(path, version), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes, purpose in ICONS
        ],
    }
    response = HttpResponse(json.dumps(body, indent=2), content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response
