"""Fixtures for the tips tests: a clean rate-limit cache and a throwaway media folder for each test."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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
