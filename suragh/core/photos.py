"""Photos taken in: evidence, field reports and tips all accept the same kinds, checked the same way."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

from .validation import FieldErrors

PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}


@dataclass(frozen=True)
class CheckedPhoto:
    content: bytes
    content_type: str
    extension: str


def check_photo(upload: UploadedFile, errors: FieldErrors, field: str = "photo") -> CheckedPhoto | None:
    """Read and fully decode an uploaded photo; a file that is too large or not an image adds an error."""
    from PIL import Image, UnidentifiedImageError

    if upload.size is not None and upload.size > PHOTO_MAX_BYTES:
        errors.add(field, f"The photo is {upload.size / 1048576:.1f} MB; at most 10 MB is accepted.")
        return None
    content = upload.read(PHOTO_MAX_BYTES + 1)
    if len(content) > PHOTO_MAX_BYTES:
        errors.add(field, "The photo is larger than 10 MB; at most 10 MB is accepted.")
        return None
    kind = None
    try:
        with Image.open(ContentFile(content)) as image:
            image.verify()
            kind = PHOTO_FORMATS.get(image.format or "")
        # verify() checks a PNG's chunks but not a JPEG's data: decoding it finds a truncated file.
        with Image.open(ContentFile(content)) as image:
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        kind = None
    if kind is None:
        errors.add(field, "The file is not a JPEG, PNG or WebP photo.")
        return None
    return CheckedPhoto(content, *kind)


def read_unchanged(stored, sha256: str) -> bytes | None:
    """A stored photo's bytes, or None when they no longer match the SHA-256 taken when it was received."""
    with stored.open("rb") as handle:
        content = handle.read()
    return content if hashlib.sha256(content).hexdigest() == sha256 else None


def photo_response(content: bytes, content_type: str, filename: str = ""):
    """The photo for the browser alone: never cached, never sniffed as another type."""
    from django.http import FileResponse

    response = FileResponse(iter([content]), content_type=content_type)
    response["Content-Length"] = str(len(content))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    if filename:
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
