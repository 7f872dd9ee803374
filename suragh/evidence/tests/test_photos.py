"""Photos of case property: kept with their SHA-256 so that what is shown later is provably what was taken;
anything that is not a whole JPEG, PNG or WebP photo of at most 10 MB is refused and nothing is stored."""

from __future__ import annotations

import hashlib
from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from suragh.conftest import register_case
from suragh.core.choices import Role
from suragh.evidence.actions import do_attach_photo
from suragh.evidence.models import EvidencePhoto
from suragh.evidence.tests.test_chain import record_parcel, refused

pytestmark = pytest.mark.django_db


def image_bytes(fmt: str, size=(64, 48), colour=(150, 110, 60)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(content: bytes, name: str, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def parcel(world):
    police = world.agencies["PUNJAB_POLICE"]
    case = register_case(police, on=date(2024, 3, 1))
    return record_parcel(case, police.users[Role.INVESTIGATING_OFFICER])


@pytest.fixture
def io(world):
    return world.agencies["PUNJAB_POLICE"].users[Role.INVESTIGATING_OFFICER]


@pytest.mark.parametrize(("fmt", "content_type"), [("PNG", "image/png"), ("JPEG", "image/jpeg")])
def test_a_photo_is_stored_with_its_sha256_and_the_type_it_really_is(media, parcel, io, fmt, content_type):
    content = image_bytes(fmt)
    # The name and the browser's claim say JPEG; the content decides.
    photo = do_attach_photo(parcel, upload(content, "IMG_2041.jpg"), caption=" Parcel P-1 on recovery ", acting_user=io)

    photo.refresh_from_db()
    assert photo.sha256 == hashlib.sha256(content).hexdigest()
    assert (photo.content_type, photo.size_bytes, photo.caption) == (
        content_type,
        len(content),
        "Parcel P-1 on recovery",
    )
    with photo.file.open("rb") as stored:
        assert stored.read() == content
    assert stored_files(media) == [media / photo.file.name]


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_stored(media, parcel, io):
    errors = refused(
        do_attach_photo, parcel, upload(b"Statement of recovery witness\n" * 50, "scan.jpg"), acting_user=io
    )
    assert "not a JPEG, PNG or WebP photo" in errors["photo"][0]
    assert "photo" in refused(do_attach_photo, parcel, upload(b"", "empty.png"), acting_user=io)
    gif = image_bytes("GIF")
    assert "photo" in refused(do_attach_photo, parcel, upload(gif, "anim.gif", "image/gif"), acting_user=io)
    assert not EvidencePhoto.objects.exists() and stored_files(media) == []


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_truncated_photo_is_refused_and_nothing_is_stored(media, parcel, io, fmt):
    content = image_bytes(fmt, size=(400, 300), colour=(10, 200, 30))
    cut = content[: len(content) // 2]
    errors = refused(do_attach_photo, parcel, upload(cut, f"cut.{fmt.lower()}"), acting_user=io)
    assert "photo" in errors
    assert not EvidencePhoto.objects.exists() and stored_files(media) == []


def test_a_photo_over_10_mb_is_refused_and_nothing_is_stored(media, parcel, io):
    content = image_bytes("PNG")
    too_big = content + b"\0" * (10 * 1024 * 1024 + 1 - len(content))
    errors = refused(do_attach_photo, parcel, upload(too_big, "huge.png", "image/png"), acting_user=io)
    assert "at most 10 MB" in errors["photo"][0]
    assert not EvidencePhoto.objects.exists() and stored_files(media) == []


def test_the_same_photo_is_attached_to_an_item_once(media, parcel, io):
    content = image_bytes("JPEG")
    first = do_attach_photo(parcel, upload(content, "a.jpg"), acting_user=io)
    errors = refused(do_attach_photo, parcel, upload(content, "a (1).jpg"), acting_user=io)
    assert "already attached" in errors["photo"][0]
    assert list(parcel.photos.all()) == [first] and len(stored_files(media)) == 1

    other = record_parcel(parcel.case, io, label="P-2", seal_number="MS-2024-119")
    do_attach_photo(other, upload(content, "a.jpg"), acting_user=io)  # one photo may show two parcels
    assert EvidencePhoto.objects.count() == 2 and len(stored_files(media)) == 2


def test_only_whoever_handles_the_item_attaches_photos(world, media, parcel):
    police = world.agencies["PUNJAB_POLICE"]
    for user in (
        police.users[Role.PROSECUTOR],
        police.users[Role.ANALYST],
        world.agencies["ANF"].users[Role.SUPERVISOR],
    ):
        assert "item" in refused(do_attach_photo, parcel, upload(image_bytes("PNG"), "p.png"), acting_user=user)
    assert not EvidencePhoto.objects.exists() and stored_files(media) == []
    do_attach_photo(parcel, upload(image_bytes("PNG"), "p.png"), acting_user=police.users[Role.SUPERVISOR])
