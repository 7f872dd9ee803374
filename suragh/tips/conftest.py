"""Fixtures for the tips tests: a rate-limit cache and a media folder of its own for each test."""

from __future__ import annotations

import pickle
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


def file_cache(location) -> dict:
    """A cache as settings.CACHES configures one without Redis: files in a folder that processes share."""
    return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(location)}


def cache_contents(location) -> bytes:
    """Everything a file cache folder holds, as the pickled bytes of its values (Django compresses them)."""
    held = []
    for path in sorted(Path(location).rglob("*.djcache")):
        with path.open("rb") as stored:
            pickle.load(stored)  # the expiry time
            held.append(zlib.decompress(stored.read()))
    return b"\n".join(held)


@pytest.fixture(autouse=True)
def cache_dir(settings, tmp_path):
    """Each test counts in a cache of its own, of the kind the server uses, so that no other test run sharing
    SURAGH_HOME (and its cache folder) shares its counts."""
    settings.CACHES = {"default": file_cache(tmp_path / "cache")}
    return tmp_path / "cache"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def photo_bytes(fmt: str = "JPEG", size=(64, 48), exif=None) -> bytes:
    from PIL import Image

    buffer = BytesIO()
    image = Image.new("RGB", size, (150, 110, 60))
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def photo_upload(content: bytes | None = None, name: str = "IMG_2041.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content if content is not None else photo_bytes(), content_type=content_type)


def submit(**fields):
    """A tip as the public sends it, with whatever fields a test needs to change."""
    from suragh.tips.actions import do_submit_tip

    values = {"kind": "drug_dealing", "description": "Charas sold behind the bus stand after dark.", **fields}
    return do_submit_tip(**values)
