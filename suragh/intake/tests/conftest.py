from __future__ import annotations

import io
import json
import uuid

import pytest
from PIL import Image


def jpeg(colour: str = "red", size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def report_data(**overrides) -> dict:
    data = {
        "client_id": str(uuid.uuid4()),
        "kind": "seizure",
        "occurred_at": "2026-11-20T14:30:00+05:00",
        "district_pcode": "PK630",
        "latitude": 33.5651,
        "longitude": 73.0169,
        "accuracy_m": 12,
        "place": "Faizabad interchange picket",
        "substance_code": "heroin",
        "quantity": "1.2",
        "unit": "kg",
        "conveyance": "vehicle",
        "concealment": "vehicle_cavity",
        "narrative": "Car stopped at the picket; packets found under the rear seat.",
        "persons": [
            {
                "name_latin": "Muhammad Aslam",
                "father_or_husband_name": "Ghulam Rasool",
                "cnic": "35202-1234567-1",
                "age_years": 34,
                "sex": "M",
            }
        ],
    }
    data.update(overrides)
    return data


@pytest.fixture
def send(client):
    """POST a report as the signed-in user: JSON, or multipart when photos are given."""

    def send(data: dict, photos: list[tuple[str, bytes, str]] | None = None):
        if photos is None:
            return client.post("/api/v1/field-reports", json.dumps(data), content_type="application/json")
        from django.core.files.uploadedfile import SimpleUploadedFile

        files = [SimpleUploadedFile(name, content, content_type=kind) for name, content, kind in photos]
        return client.post("/api/v1/field-reports", {"report": json.dumps(data), "photos": files})

    return send
