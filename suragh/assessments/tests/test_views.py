"""The pages and the API: figures, chart data, scoring from the form and the API, import and export; and no
record detail behind a score reaching a reader who may not open it, nor ever a policy viewer."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suragh.assessments.actions import do_add_evidence, do_create_assessment
from suragh.assessments.editions import PUBLISHED_SCORES
from suragh.assessments.models import Assessment, Score, ScoreChange
from suragh.conftest import register_case
from suragh.core.choices import Distribution, Role
from suragh.core.models import AuditEvent
from suragh.seizures.actions import do_record_seizure

pytestmark = pytest.mark.django_db


def test_the_assessment_page_shows_the_figures_the_scores_and_the_chart_data(client, pakistan, analyst):
    client.force_login(analyst)
    response = client.get(reverse("assessments:detail", args=[pakistan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for figure_id, value in (("criminality", "6.28"), ("criminal-markets", "6.30"), ("resilience", "4.00")):
        assert f'id="{figure_id}">{value}<' in html
    assert "/static/vendor/echarts/echarts.min.js" in html and "cdn" not in html.lower()
    assert '<script id="assessment-chart-data" type="application/json">' in html
    chart = json.loads(html.split('type="application/json">')[1].split("</script>")[0])
    assert chart["figures"]["criminality"] == "6.28"
    assert [p["label"] for p in chart["pillars"]] == ["Criminal markets", "Criminal actors", "Resilience"]
    assert chart["pillars"][0]["indicators"][6] == {"name": "Heroin trade", "score": 8.5}
    assert 'name="value"' in html and '<option value="10.0">' in html and '<option value="1.5">' in html


def test_the_list_and_the_ranking_show_the_published_figures(client, pakistan, world):
    client.force_login(world.agencies["SINDH_POLICE"].users[Role.POLICY_VIEWER])
    listing = client.get(reverse("assessments:list")).content.decode()
    assert "6.28" in listing and "New assessment" not in listing
    ranking = client.get(reverse("assessments:ranking"), {"edition": 2021, "year": 2021}).content.decode()
    assert "Pakistan" in ranking and "6.28" in ranking and "4.00" in ranking
    chart = json.loads(ranking.split('id="ranking-chart-data" type="application/json">')[1].split("</script>")[0])
    assert chart == [{"place": "Pakistan", "criminality": 6.28, "resilience": 4.0}]


def test_a_score_from_the_form_is_recorded_once_however_often_it_is_sent(client, punjab, analyst):
    client.force_login(analyst)
    url = reverse("assessments:score", args=[punjab.pk])
    form = {"indicator": "heroin_trade", "value": "8.5", "rationale": "Seizures at Torkham"}
    for _ in range(3):
        response = client.post(url, form)
        assert response.status_code == 302 and response["Location"].endswith("#heroin_trade")
    assert Score.objects.filter(assessment=punjab).count() == 1 and ScoreChange.objects.count() == 1
    assert client.get(url, {"indicator": "heroin_trade"}).status_code == 200

    bad = client.post(url, {"indicator": "heroin_trade", "value": "8.25", "rationale": ""})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Select a valid choice. 8.25 is not one of the available choices." in html
    assert "This field is required." in html


def test_the_api_scores_validates_by_field_and_ignores_a_retry(client, punjab, analyst):
    client.force_login(analyst)
    url = f"/api/v1/assessments/{punjab.pk}/scores"
    body = {"indicator": "cannabis_trade", "score": "7", "rationale": "Eradication reports"}
    first = client.post(url, body, content_type="application/json")
    retry = client.post(url, body, content_type="application/json")
    assert first.status_code == retry.status_code == 200
    assert first.json()["changed"] is True and retry.json()["changed"] is False
    assert Score.objects.filter(assessment=punjab).count() == 1

    bad = client.post(url, {**body, "score": "0.5", "rationale": " "}, content_type="application/json")
    assert bad.status_code == 422
    errors = bad.json()["errors"]
    assert set(errors) == {"value", "rationale"} and "half steps" in errors["value"][0]
    extra = client.post(url, {**body, "assessor": "me"}, content_type="application/json")
    assert extra.status_code == 422


def test_the_api_creates_lists_and_details_assessments(client, pakistan, analyst, world):
    client.force_login(analyst)
    created = client.post("/api/v1/assessments", {"edition": 2021, "year": 2021, "place": "PK2"}, "application/json")
    assert created.status_code == 201 and created.json()["place_name"] == "Balochistan"
    again = client.post("/api/v1/assessments", {"edition": 2021, "year": 2021, "place": "PK2"}, "application/json")
    assert again.status_code == 422 and "already exists" in again.json()["errors"]["place"][0]
    listing = client.get("/api/v1/assessments").json()
    assert listing["count"] == 2
    detail = client.get(f"/api/v1/assessments/{pakistan.pk}").json()
    assert detail["figures"] == {
        "criminality": "6.28",
        "criminal_markets": "6.30",
        "criminal_actors": "6.25",
        "resilience": "4.00",
    }
    assert len(detail["scores"]) == 26 and detail["scores"][0]["score"] == "8.0"
    export = client.get(f"/api/v1/assessments/{pakistan.pk}/scores.csv")
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    assert export.content.decode("utf-8-sig").count("\n") == 27
    assert AuditEvent.objects.filter(action="export", object_type="assessments.score").exists()

    client.force_login(world.agencies["ANF"].users[Role.SUPERVISOR])
    body = {"indicator": "heroin_trade", "score": "1", "rationale": "Not mine to give"}
    refused = client.post(f"/api/v1/assessments/{pakistan.pk}/scores", body, "application/json")
    assert refused.status_code == 403


def test_the_import_page_checks_first_then_imports(client, analyst):
    client.force_login(analyst)
    url = reverse("assessments:import")
    upload = SimpleUploadedFile("scores.csv", PUBLISHED_SCORES.read_bytes(), content_type="text/csv")
    dry = client.post(url, {"file": upload, "dry_run": "on"})
    assert dry.status_code == 200 and "Dry run: nothing was changed." in dry.content.decode()
    assert not Assessment.objects.exists()
    bad = SimpleUploadedFile("scores.csv", b"edition,year,place,indicator,score,rationale\n2021,2021,PK,x,3,y\n")
    refused = client.post(url, {"file": bad})
    assert refused.status_code == 400
    assert "line 2, column indicator: the 2021 edition has no indicator &#x27;x&#x27;" in refused.content.decode()
    upload.seek(0)
    done = client.post(url, {"file": upload})
    assert done.status_code == 302 and Assessment.objects.count() == 1


@pytest.fixture
def evidence(world, pakistan, analyst):
    """Behind Pakistan's heroin score: an ANF case shared within ANF, an ANF case shared with all agencies, an
    ANF seizure and a document; all linked by ANF's analyst."""
    anf = world.agencies["ANF"]
    agency_case = register_case(anf, Distribution.AGENCY, fir="SECRET-FIR-1/2024")
    shared_case = register_case(anf, Distribution.ALL_AGENCIES, fir="SHARED-FIR-2/2024")
    seizure = do_record_seizure(
        owning_unit=anf.child_unit,
        seized_on=date(2024, 3, 1),
        substance_code="heroin",
        quantity="321",
        unit="kg",
        district_pcode=agency_case.district.pcode,
        case=agency_case,
        distribution=Distribution.AGENCY,
        acting_user=anf.users[Role.INVESTIGATING_OFFICER],
    )
    add = dict(indicator_code="heroin_trade", acting_user=analyst)
    do_add_evidence(pakistan, kind="case", case_id=agency_case.pk, **add)
    do_add_evidence(pakistan, kind="case", case_id=shared_case.pk, **add)
    do_add_evidence(pakistan, kind="seizure", seizure_id=seizure.pk, **add)
    do_add_evidence(pakistan, kind="document", title="World Drug Report 2021", citation="UNODC, Booklet 3", **add)
    return {"unit": anf.child_unit, "seizure": seizure}


SECRETS = ("SECRET-FIR-1/2024", "SHARED-FIR-2/2024", "321 kg", "/cases/", "/seizures/")


def pages(client, assessment) -> str:
    return (
        client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
        + client.get(f"/api/v1/assessments/{assessment.pk}").content.decode()
    )


def test_policy_viewers_see_that_evidence_exists_and_never_its_details(client, world, pakistan, evidence):
    for aw in world.agencies.values():
        client.force_login(aw.users[Role.POLICY_VIEWER])
        shown = pages(client, pakistan)
        assert [secret for secret in SECRETS if secret in shown] == []
        assert f"2 cases held by {evidence['unit'].name} (ANF)" in shown
        assert f"1 seizure held by {evidence['unit'].name} (ANF)" in shown
        assert "World Drug Report 2021" in shown and "UNODC, Booklet 3" in shown
        api = client.get(f"/api/v1/assessments/{pakistan.pk}").json()
        heroin = next(s for s in api["scores"] if s["indicator"] == "heroin_trade")
        assert {"kind": "case", "held_by": f"{evidence['unit'].name} (ANF)", "count": 2} in [
            {k: v for k, v in e.items() if v is not None} for e in heroin["evidence"]
        ]


def test_readers_see_only_the_records_the_rule_lets_them_open(client, world, pakistan, evidence):
    sindh = world.agencies["SINDH_POLICE"].users[Role.ANALYST]
    client.force_login(sindh)
    shown = pages(client, pakistan)
    # The case shared with all agencies is Sindh's to open; the ANF-only case and seizure are only counted.
    assert "SHARED-FIR-2/2024" in shown and "SECRET-FIR-1/2024" not in shown and "321 kg" not in shown
    assert f"1 case held by {evidence['unit'].name} (ANF)" in shown

    client.force_login(world.agencies["ANF"].users[Role.SUPERVISOR])
    shown = pages(client, pakistan)
    assert "SECRET-FIR-1/2024" in shown and "SHARED-FIR-2/2024" in shown and "Heroin 321 kg" in shown


def test_the_lists_take_as_many_queries_for_many_assessments_as_for_one(client, pakistan, analyst):
    client.force_login(analyst)
    urls = [reverse("assessments:list"), reverse("assessments:ranking"), "/api/v1/assessments"]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    counts()  # the first request of a session warms caches (content types, the menu)
    one = counts()
    for code in ("PK1", "PK2", "PK3", "PK5", "PK6"):
        do_create_assessment(edition_year=2021, year=2021, place_code=code, acting_user=analyst)
    assert counts() == one
