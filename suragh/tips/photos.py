"""A tipster's photo, checked like every photo taken in (suragh/core/photos.py) and then re-encoded from its
pixels alone, so that whatever the camera wrote into it (GPS position, device make and serial number, the
owner's name, thumbnails) is never stored."""

from __future__ import annotations

from io import BytesIO

from django.core.files.uploadedfile import UploadedFile

from suragh.core.photos import PHOTO_MAX_BYTES, CheckedPhoto, check_photo
from suragh.core.validation import FieldErrors

# A public form must not be made to decode a picture that takes gigabytes of memory: 40 megapixels is more
# than any phone camera takes and far less than Pillow's own decompression-bomb limit.
PHOTO_MAX_PIXELS = 40_000_000


def too_many_pixels(upload: UploadedFile) -> str:
    """Read only the header: the picture's size is known before anything is decoded."""
    from PIL import Image, UnidentifiedImageError

    if upload.size is not None and upload.size > PHOTO_MAX_BYTES:
        return ""
    try:
        with Image.open(upload) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return ""
    finally:
        upload.seek(0)
    if width * height > PHOTO_MAX_PIXELS:
        return f"The photo is {width}×{height} pixels; at most 40 megapixels is accepted."
    return ""


def clean_photo(upload: UploadedFile, errors: FieldErrors) -> CheckedPhoto | None:
    """The photo as pixels only, or None with the reason added to `errors` under "photo"."""
    from PIL import Image, ImageOps

    if problem := too_many_pixels(upload):
        errors.add("photo", problem)
        return None
    checked = check_photo(upload, errors)
    if checked is None:
        return None
    try:
        with Image.open(BytesIO(checked.content)) as image:
            fmt = image.format
            upright = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, KeyError, TypeError):
        errors.add("photo", "The file is not a JPEG, PNG or WebP photo.")
        return None
    has_alpha = "A" in upright.getbands() or "transparency" in upright.info
    mode = "RGBA" if has_alpha and fmt != "JPEG" else ("L" if upright.mode in ("1", "L") else "RGB")
    pixels = upright.convert(mode)
    # A new image carries none of the original's metadata: only its pixels are copied into it.
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    buffer = BytesIO()
    options = {"quality": 90} if fmt in ("JPEG", "WEBP") else {"optimize": True}
    clean.save(buffer, format=fmt, **options)
    return CheckedPhoto(buffer.getvalue(), checked.content_type, checked.extension)
