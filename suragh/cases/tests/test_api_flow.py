"""A case from FIR to an appeal's decision through the API alone, as an Android client would take it: each officer
with their own bearer token, each step answered with the case as it now stands."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from suragh.core.choices import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def token_for(client, user) -> dict:
    response = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": "correct-horse-9"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def test_a_case_goes_from_fir_to_appeal_through_the_api(client, world):
    police = world.agencies["PUNJAB_POLICE"]
    io, supervisor, prosecutor, analyst = (
        police.users[r] for r in (Role.INVESTIGATING_OFFICER, Role.SUPERVISOR, Role.PROSECUTOR, Role.FORENSIC_ANALYST)
    )
    as_io, as_supervisor, as_prosecutor, as_lab = (token_for(client, u) for u in (io, supervisor, prosecutor, analyst))

    def post(url: str, body: dict, auth: dict, expect: int = 200) -> dict:
        response = client.post(url, body, content_type="application/json", **auth)
        assert response.status_code == expect, response.content
        return response.json()

    case = post(
        "/api/v1/cases",
        {
            "fir_number": "API-77/2024",
            "registered_on": "2024-03-01",
            "district": io.unit.district.pcode,
            "offences": ["CNSA-9(c)"],
        },
        as_io,
    )
    url = f"/api/v1/cases/{case['id']}"
    assert case["investigating_officer"] == io.username
    case = post(f"{url}/parties", {"role": "accused", "name_latin": "Api Accused", "age_years": 28, "sex": "M"}, as_io)
    accused = case["parties"][0]["id"]
    case = post(f"{url}/parties", {"role": "witness", "name_latin": "Api Witness", "sex": "M"}, as_io)
    witness = next(p["id"] for p in case["parties"] if p["role"] == "witness")
    case = post(
        f"{url}/seizures", {"substance": "heroin", "quantity": "1.5", "unit": "kg", "seized_on": "2024-03-01"}, as_io
    )
    post(f"{url}/status", {"status": "under_investigation", "on": "2024-03-01"}, as_io)
    post(f"{url}/custody", {"party_id": accused, "kind": "arrest", "on": "2024-03-01"}, as_io)
    post(
        f"{url}/custody",
        {
            "party_id": accused,
            "kind": "physical_remand",
            "on": "2024-03-02",
            "until": "2024-03-30",
            "order_reference": "JM-1/2024",
        },
        as_io,
        expect=422,
    )  # past the 15 days one order may give, without a justification

    parcel = post(
        f"/api/v1/evidence/cases/{case['id']}/items",
        {
            "label": "P-1",
            "description": "Heroin in a bag",
            "seal_number": "API-1",
            "sealed_at": "2024-03-01T10:00",
            "net_weight_g": "1500",
            "seizure_id": case["seizure_ids"][0],
        },
        as_io,
    )
    sample = post(
        f"/api/v1/evidence/cases/{case['id']}/items",
        {
            "label": "S-1",
            "description": "Sample of P-1",
            "seal_number": "API-2",
            "sealed_at": "2024-03-01T10:30",
            "net_weight_g": "10",
            "drawn_from_id": parcel["id"],
        },
        as_io,
    )
    holder = parcel["chain"][-1]
    post(
        f"/api/v1/evidence/items/{parcel['id']}/hand-overs",
        {
            "at": "2024-03-01T12:00",
            "purpose": "deposit",
            "from_unit": "NOT-A-UNIT",
            "from_name": holder["to_name"],
            "to_unit": io.unit.code,
            "to_name": "HC Api, Moharrir",
        },
        as_io,
        expect=422,
    )
    parcel = post(
        f"/api/v1/evidence/items/{parcel['id']}/hand-overs",
        {
            "at": "2024-03-01T12:00",
            "purpose": "deposit",
            "from_unit": holder["to_unit"],
            "from_name": holder["to_name"],
            "to_unit": io.unit.code,
            "to_name": "HC Api, Moharrir",
        },
        as_io,
    )
    assert parcel["chain_verifies"] and len(parcel["chain"]) == 2
    buffer = BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="JPEG")
    photo = client.post(
        f"/api/v1/evidence/items/{parcel['id']}/photos",
        {"photo": SimpleUploadedFile("p1.jpg", buffer.getvalue(), content_type="image/jpeg"), "caption": "P-1 sealed"},
        **as_io,
    )
    assert photo.status_code == 200 and photo.json()["photos"][0]["content_type"] == "image/jpeg"

    submission = post(
        f"/api/v1/evidence/items/{sample['id']}/lab-submissions",
        {
            "lab": analyst.unit.code,
            "test_memo_reference": "TM-API-1",
            "sent_at": "2024-03-02T09:00",
            "carrier_name": "Constable Api 9",
        },
        as_io,
    )
    lab_url = f"/api/v1/evidence/lab-submissions/{submission['id']}"
    post(
        f"{lab_url}/receipt",
        {"received_at": "2024-03-02T16:00", "seal_intact": True},
        as_io,
        expect=422,  # the IO sees the submission, but only the laboratory receives it
    )
    post(f"{lab_url}/receipt", {"received_at": "2024-03-02T16:00", "seal_intact": True}, as_lab)
    refused = post(
        f"{lab_url}/report",
        {"reported_at": "2024-03-01T08:00", "substance_confirmed": True, "substance_code": "heroin"},
        as_lab,
        expect=422,
    )
    assert "reported_at" in refused["errors"]
    report = post(
        f"{lab_url}/report",
        {
            "reported_at": "2024-03-08T12:00",
            "substance_confirmed": True,
            "substance_code": "heroin",
            "purity_percent": "58.5",
        },
        as_lab,
    )
    assert report["turnaround_hours"] == pytest.approx(5 * 24 + 20)
    assert client.get(url, **as_lab).status_code == 404  # the laboratory never sees the case

    post(
        f"{url}/challans",
        {
            "kind": "final",
            "submitted_on": "2024-03-10",
            "court": "CNS_SPECIAL_COURTS-LAHORE",
            "accused_party_ids": [accused],
        },
        as_io,
    )
    post(f"{url}/assignment", {"investigating_officer": io.username, "prosecutor": prosecutor.username}, as_supervisor)
    post(f"{url}/status", {"status": "on_trial", "on": "2024-03-12"}, as_prosecutor)
    case = post(f"{url}/hearings", {"on": "2024-03-20", "purpose": "prosecution_evidence"}, as_prosecutor)
    hearing = case["hearings"][0]["id"]
    post(
        f"{url}/hearing-outcomes",
        {"hearing_id": hearing, "outcome": "proceeded", "next_on": "2024-04-02", "next_purpose": "arguments"},
        as_prosecutor,
    )
    post(
        f"{url}/witness-examinations",
        {"party_id": witness, "examined_on": "2024-03-20", "called_by": "state", "turned_hostile": True},
        as_prosecutor,
    )
    post(
        f"{url}/verdicts",
        {"party_id": witness, "outcome": "convicted", "decided_on": "2024-04-10", "sentence": "Life"},
        as_prosecutor,
        expect=422,
    )  # a witness is not accused
    post(
        f"{url}/verdicts",
        {
            "party_id": accused,
            "outcome": "acquitted",
            "decided_on": "2024-04-10",
            "acquittal_reasons": ["contradictory_witnesses"],
        },
        as_prosecutor,
    )
    post(f"{url}/status", {"status": "decided", "on": "2024-04-10"}, as_prosecutor)
    post(
        f"{url}/appeals",
        {"party_id": accused, "appellant": "state", "forum": "Lahore High Court", "filed_on": "2024-05-01"},
        as_prosecutor,
    )
    case = client.get(url, **as_prosecutor).json()
    assert case["status"] == "appeal"
    appeal = case["parties"][0]["verdict"]["appeals"][0]["id"]
    case = post(
        f"{url}/appeal-decisions", {"appeal_id": appeal, "outcome": "upheld", "decided_on": "2024-09-01"}, as_prosecutor
    )
    kinds = [moment["kind"] for moment in case["timeline"]]
    for kind in ("status", "custody", "evidence", "chain", "lab", "challan", "hearing", "witness", "verdict", "appeal"):
        assert kind in kinds, kind
    assert case["flags"] == []
