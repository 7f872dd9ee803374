"""The provincial trends report: its figures come from the statistics engine and equal seed 000's per force, its
sentences agree with the seed's, small cells are hidden from viewers of aggregates only, and the page, the PDF, the
workbook and the command line all carry the same figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from suragh.cli import main as suragh_command
from suragh.conftest import World, register_case
from suragh.core.choices import Distribution, Role
from suragh.core.models import AuditEvent, Substance
from suragh.demo import figures as demo_figures
from suragh.demo.generate import load_demo
from suragh.seizures.actions import do_record_seizure
from suragh.stats.facts import refresh_facts
from suragh.stats.narrative import Trend
from suragh.stats.trends import ReportYearsError, TrendsReport, build_report, figure_of
from suragh.stats.trends_render import pdf_document, render_html, render_xlsx

pytestmark = pytest.mark.django_db

MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AS_OF = date(2026, 3, 16)
COUNT_NAMES = {"cases": "cases", "arrests": "arrests", "convictions": "convicted", "acquittals": "acquitted"}


def quiet(line: str) -> None:
    pass


def all_users(world: World):
    for aw in world.agencies.values():
        yield from aw.users.values()


def cases_in(world: World, code: str, year: int, count: int, distribution: str = Distribution.AGENCY) -> None:
    for index in range(count):
        register_case(
            world.agencies[code], distribution, fir=f"T-{code[:3]}-{year}-{index}/{year}", on=date(year, 3, 1)
        )


@pytest.fixture
def recorded(world: World) -> World:
    """Punjab Police: 6 cases in 2022 and 9 in 2023 and a heroin recovery each year; Sindh Police: 2 and 3 cases
    (small enough to be hidden from viewers of aggregates only)."""
    cases_in(world, "PUNJAB_POLICE", 2022, 6)
    cases_in(world, "PUNJAB_POLICE", 2023, 9)
    cases_in(world, "SINDH_POLICE", 2022, 2)
    cases_in(world, "SINDH_POLICE", 2023, 3)
    punjab = world.agencies["PUNJAB_POLICE"]
    for year, grams in ((2022, "59.719"), (2023, "298.599")):
        do_record_seizure(
            owning_unit=punjab.child_unit,
            seized_on=date(year, 5, 1),
            substance_code="heroin",
            quantity=grams,
            unit="kg",
            district_pcode=punjab.child_unit.district.pcode,
            acting_user=punjab.users[Role.INVESTIGATING_OFFICER],
        )
    refresh_facts()
    return world


def force(report: TrendsReport, code: str):
    return next(f for f in report.forces if f.code == code)


# The report from a few records ------------------------------------------------------------------------------------


def test_figures_come_from_the_records_for_any_years(recorded: World):
    report = build_report(2022, 2023)
    punjab = force(report, "PUNJAB_POLICE")
    assert [figure_of(punjab, y, "cases").value for y in (2022, 2023)] == [6, 9]
    assert punjab.recoveries["heroin"][2023].value == Decimal("298.599")
    assert report.police.figures[2023]["cases"].value == 12  # Punjab 9 + Sindh 3; ANF is not police
    texts = [s.text for s in punjab.sentences]
    assert "Cases registered by the Punjab Police rose sharply, from 6 in 2022 to 9 in 2023 (up 50.0%)." in texts
    assert (
        "Recoveries of heroin by the Punjab Police rose fivefold, from 59.719 kg in 2022 to 298.599 kg in 2023."
        in texts
    )
    only_2023 = build_report(2023, 2023)
    assert [f.code for f in only_2023.forces] == ["PUNJAB_POLICE", "SINDH_POLICE"]
    assert force(only_2023, "PUNJAB_POLICE").sentences == []
    assert [(n.label, n.year_from, n.published) for n in only_2023.national] == [("Convictions", 2023, 15785)]


def test_forces_follow_the_seeds_order_and_others_come_after(recorded: World):
    cases_in(recorded, "ANF", 2023, 1)
    refresh_facts()
    report = build_report(2022, 2023)
    assert [f.code for f in report.forces] == ["ANF", "PUNJAB_POLICE", "SINDH_POLICE"]
    assert report.forces[0].name == "Anti-Narcotics Force" and not report.forces[0].police


def test_the_seeds_national_figures_stand_beside_the_sum_of_the_police_forces(recorded: World):
    national = {(n.label, n.year_from, n.year_to): n for n in build_report(2022, 2023).national}
    cases = national[("Cases registered", 2022, 2023)]
    assert cases.published == 163468 and cases.summed.value == 20 and cases.difference == 163448
    assert national[("Convictions", 2022, 2022)].published == 10537
    heroin = national[("Recoveries of heroin", 2022, 2023)]
    assert heroin.published == Decimal("565.455") and heroin.summed.value == Decimal("358.318")
    assert build_report(2024, 2025).national == []


def test_small_cells_are_hidden_from_viewers_of_aggregates_only(recorded: World):
    policy = recorded.agencies["ANF"].users[Role.POLICY_VIEWER]
    analyst = recorded.agencies["ANF"].users[Role.ANALYST]
    hidden = build_report(2022, 2023, viewer=policy)
    sindh = force(hidden, "SINDH_POLICE")
    assert hidden.suppressed and sindh.figures[2022]["cases"].suppressed and sindh.sentences == []
    assert not force(hidden, "PUNJAB_POLICE").figures[2023]["cases"].suppressed
    shown = build_report(2022, 2023, viewer=analyst)
    assert not shown.suppressed and force(shown, "SINDH_POLICE").figures[2022]["cases"].value == 2
    html = render_html(hidden)
    assert "suppressed" in html and "Cases registered by the Sindh Police" not in html
    operator = build_report(2022, 2023)
    assert any("Not suppressed" in note for note in operator.notes())


def test_the_years_must_make_a_report():
    with pytest.raises(ReportYearsError) as error:
        build_report(2023, 2022)
    assert error.value.field_name == "to"


def test_the_html_needs_nothing_from_elsewhere(recorded: World):
    html = render_html(build_report(2022, 2023))
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html and "<style>" in html
    assert "<script" not in html and 'src="' not in html and "<link" not in html
    assert "Convictions per case registered" in html and "Counted from the analytics table" in html


def test_the_pdf_carries_a_forces_figures(recorded: World):
    document = pdf_document(build_report(2022, 2023))
    texts: list[str] = []

    def walk(box) -> None:
        if getattr(box, "text", None):
            texts.append(box.text)
        for child in getattr(box, "children", None) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    text = " ".join(texts)
    assert "Punjab Police" in text and "298.599 kg" in text
    assert document.write_pdf().startswith(b"%PDF")


def test_the_workbook_has_a_sheet_per_table_and_the_definitions(recorded: World):
    from openpyxl import load_workbook

    book = load_workbook(BytesIO(render_xlsx(build_report(2022, 2023))))
    assert {"Cases and convictions", "Recoveries", "ANF seizures", "National figures", "Definitions"} <= set(
        book.sheetnames
    )
    rows = list(book["Cases and convictions"].iter_rows(min_row=4, values_only=True))
    assert rows[[r[:2] for r in rows].index(("Punjab Police", 2023))][:3] == ("Punjab Police", 2023, 9)
    definitions = [r[0] for r in book["Definitions"].iter_rows(values_only=True)]
    assert "Convictions per case registered" in definitions


def test_the_command_writes_the_report_unsuppressed(recorded: World, tmp_path, capsys):
    target = tmp_path / "trends.html"
    assert (
        suragh_command(["report", "trends", "--from", "2022", "--to", "2023", "--format", "html", "-o", str(target)])
        == 0
    )
    html = target.read_text(encoding="utf-8")
    assert "Cases registered by the Sindh Police rose sharply, from 2 in 2022 to 3 in 2023" in html
    assert "Not suppressed" in html
    xlsx = tmp_path / "trends.xlsx"
    assert (
        suragh_command(["report", "trends", "--from", "2022", "--to", "2023", "--format", "xlsx", "-o", str(xlsx)]) == 0
    )
    assert xlsx.read_bytes().startswith(b"PK")
    assert suragh_command(["report", "trends", "--from", "2023", "--to", "2022", "-o", str(target)]) == 2
    assert "--to" in capsys.readouterr().err


# The page ----------------------------------------------------------------------------------------------------------


def test_every_signed_in_user_gets_the_report_and_the_signed_out_are_sent_to_sign_in(client, recorded: World):
    url = reverse("stats:trends")
    for user in all_users(recorded):
        client.force_login(user)
        assert client.get(url).status_code == 200, user.username
        response = client.get(url, {"from": 2022, "to": 2023})
        assert response.status_code == 200, user.username
        assert "Cases registered by force" in response.content.decode(), user.username
        response = client.get(url, {"from": 2022, "to": 2023, "format": "xlsx"})
        assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    client.logout()
    exports = AuditEvent.objects.filter(action="export", object_type="stats.trends").count()
    for query in ({}, {"from": 2022, "to": 2023}, {"from": 2022, "to": 2023, "format": "pdf"}):
        response = client.get(url, query)
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert AuditEvent.objects.filter(action="export", object_type="stats.trends").count() == exports


def test_policy_viewers_see_small_cells_suppressed_and_officers_see_them(client, recorded: World):
    url = reverse("stats:trends")
    client.force_login(recorded.agencies["ANF"].users[Role.POLICY_VIEWER])
    policy = client.get(url, {"from": 2022, "to": 2023}).content.decode()
    client.force_login(recorded.agencies["ANF"].users[Role.INVESTIGATING_OFFICER])
    officer = client.get(url, {"from": 2022, "to": 2023}).content.decode()
    sentence = "Cases registered by the Sindh Police rose sharply, from 2 in 2022 to 3 in 2023"
    assert sentence not in policy and "suppressed" in policy
    assert sentence in officer


def test_downloads_are_audited_as_exports(client, recorded: World):
    analyst = recorded.agencies["PUNJAB_POLICE"].users[Role.ANALYST]
    client.force_login(analyst)
    url = reverse("stats:trends")
    pdf = client.get(url, {"from": 2022, "to": 2023, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == 'attachment; filename="trends-2022-2023.pdf"'
    client.get(url, {"from": 2022, "to": 2023})  # shown in the page: not an export
    events = AuditEvent.objects.filter(action="export", object_type="stats.trends")
    assert events.count() == 1
    event = events.get()
    assert event.actor_id == analyst.pk
    assert event.fields == {"from": 2022, "to": 2023, "format": "pdf", "suppressed": False}


def test_years_that_make_no_report_are_refused_with_the_field_named(client, world: World):
    client.force_login(world.agencies["ANF"].users[Role.ANALYST])
    url = reverse("stats:trends")
    content = client.get(url, {"from": 2023, "to": 2022}).content.decode()
    assert "To year (2022) cannot be before the from year (2023)." in content
    next_year = timezone.localdate().year + 1
    content = client.get(url, {"from": 2022, "to": next_year}).content.decode()
    assert f"To year cannot be after {next_year - 1}." in content
    assert "Enter a whole number." in client.get(url, {"from": "last", "to": 2023}).content.decode()
    assert not AuditEvent.objects.filter(object_type="stats.trends").exists()


# The demo: seed 000's figures, force by force -----------------------------------------------------------------------


def report_as_targets(report: TrendsReport, scale: str) -> dict:
    """The report's figures in the shape of `demo.figures.targets(scale)`, for the figures the targets state."""
    groups = dict(Substance.objects.values_list("code", "aggregate_in"))
    wanted = demo_figures.targets(scale)
    shown: dict = {}
    for code, years in wanted.items():
        section = force(report, code)
        shown[code] = {}
        for year, target in years.items():
            got: dict = {}
            for name, indicator in COUNT_NAMES.items():
                if name in target:
                    got[name] = int(figure_of(section, year, indicator).value or 0)
            if "recoveries_total_kg" in target:
                got["recoveries_kg"] = {}
                got["recoveries_total_kg"] = demo_figures.kg(report.anf_seizures[year].value)
            else:
                got["recoveries_kg"] = {
                    substance: demo_figures.kg(section.recoveries[group][year].value)
                    for substance in demo_figures.checked_substances()
                    if (group := groups.get(substance, substance)) in section.recoveries
                    and year in section.recoveries[group]
                    and section.recoveries[group][year].value
                }
            shown[code][year] = got
    return shown


@pytest.fixture(scope="module")
def small_demo(django_db_setup, django_db_blocker):
    """The small demo, loaded once for these tests and rolled back after them."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=MD5), transaction.atomic():
        yield load_demo(scale="small", password="demo-password-1", progress=quiet, as_of=AS_OF)
        transaction.set_rollback(True)


def test_the_small_demos_report_shows_seed_000s_figures_at_a_hundredth(small_demo):
    report = build_report(2022, 2023)
    assert demo_figures.differences(report_as_targets(report, "small"), demo_figures.targets("small")) == []
    seed_forces = list(demo_figures.load_figures()["forces"])
    assert [f.code for f in report.forces][: len(seed_forces)] == seed_forces
    others = [f.code for f in report.forces[len(seed_forces) :]]
    assert {"FIA", "CUSTOMS"} <= set(others) and not set(others) & set(seed_forces)
    balochistan = {s.topic: s.change for s in force(report, "BALOCHISTAN_POLICE").sentences}
    assert (balochistan["heroin"].multiple, balochistan["ice"].multiple) == (5, 4)
    assert report.anf_sentence is not None
    assert report.anf_sentence.text == (
        "Domestic seizures by the Anti-Narcotics Force rose sharply, from 2.459 MT in 2022 to 3.965 MT in 2023 "
        "(up 61.2%)."
    )


# What the seed says of each pair of years, as (force, topic, what the seed says, the trend or multiple it means).
# "up"/"down" where the seed names only the direction.
SEED_SAYS = [
    ("PUNJAB_POLICE", "cases", "recording a slight increase in 2023", Trend.SLIGHT_RISE),
    ("PUNJAB_POLICE", "convictions_per_case", "improved marginally from 10.6% in 2022 to 11.2% in 2023", "up"),
    ("PUNJAB_POLICE", "charas", "Recoveries of charas remained consistent", Trend.CONSISTENT),
    ("PUNJAB_POLICE", "cannabis", "cannabis seizures saw a slight decline", Trend.SLIGHT_FALL),
    ("PUNJAB_POLICE", "heroin", "marginal increases in heroin", "up"),
    ("PUNJAB_POLICE", "opium", "marginal increases in … opium", "up"),
    ("PUNJAB_POLICE", "ice", "marginal increases in … ICE", "up"),
    ("SINDH_POLICE", "cases", "Cases registered by the Sindh Police decreased", "down"),
    ("SINDH_POLICE", "convictions_per_case", "marginal improvement … from 0.55% in 2022 to 0.6%", "up"),
    ("SINDH_POLICE", "charas", "recoveries of charas increased", "up"),
    ("SINDH_POLICE", "heroin", "heroin to 630 kg", "up"),
    ("SINDH_POLICE", "ice", "ICE to 160 kg", "up"),
    ("SINDH_POLICE", "opium", "opium to 91 kg", "up"),
    ("SINDH_POLICE", "cocaine", "and cocaine to 20 kg", Trend.FIRST_RECORDED),
    ("BALOCHISTAN_POLICE", "cases", "Cases registered by Balochistan Police rose", "up"),
    ("BALOCHISTAN_POLICE", "convictions_per_case", "fell sharply from 57% in 2022 to 18% in 2023", Trend.SHARP_FALL),
    ("BALOCHISTAN_POLICE", "heroin", "a fivefold increase in heroin seizures", 5),
    ("BALOCHISTAN_POLICE", "ice", "a fourfold increase in ICE", 4),
    ("KP_POLICE", "cases", "a 5.7% increase from 2022", Trend.RISE),
    ("KP_POLICE", "convicted", "improved slightly, from 7,895 convictions in 2022 to 8,036", Trend.SLIGHT_RISE),
    ("KP_POLICE", "charas", "The consistent increase in recoveries", "up"),
    ("KP_POLICE", "heroin", "The consistent increase in recoveries", "up"),
    ("KP_POLICE", "ice", "The consistent increase in recoveries", "up"),
    ("KP_POLICE", "opium", "The consistent increase in recoveries", "up"),
    ("ICT_POLICE", "cases", "1,168 cases … increased to 1,912 cases", "up"),
    ("ICT_POLICE", "arrests", "1,230 arrests … increased to … 2,000 arrests", "up"),
    ("ICT_POLICE", "convicted", "convictions dropped from 321 in 2022 to 280 in 2023", "down"),
    ("ICT_POLICE", "acquitted", "with acquittals rising from 84 to 124", "up"),
    ("ICT_POLICE", "charas", "The drop in charas … recoveries", "down"),
    ("ICT_POLICE", "opium", "The drop in … opium recoveries", "down"),
    ("RAILWAYS_POLICE", "cases", "Registered cases increased from 167 in 2022 to 201 in 2023", "up"),
    ("RAILWAYS_POLICE", "convicted", "Convictions improved slightly, rising from 22 in 2022 to 27", "up"),
    ("GB_POLICE", "cases", "Registration of narcotics cases rose by 6.4%", Trend.RISE),
    ("GB_POLICE", "convicted", "convictions dropped significantly from 113 in 2022 to just 61", Trend.SHARP_FALL),
    ("GB_POLICE", "charas", "The increase in charas … recoveries", "up"),
    ("GB_POLICE", "ice", "The increase in … ICE recoveries", 2),
    ("GB_POLICE", "heroin", "3 g of heroin … 9 g heroin", 3),
    ("GB_POLICE", "opium", "the decline in opium recoveries", "down"),
    ("AJK_POLICE", "cases", "a slight decrease in cases", Trend.SLIGHT_FALL),
    ("AJK_POLICE", "arrests", "a notable rise in arrests", "up"),
    ("AJK_POLICE", "convicted", "Convictions … dropped from 164 in 2022 to 131 in 2023", "down"),
]


def agrees(change, says) -> bool:
    if isinstance(says, int):
        return change.trend == Trend.MULTIPLE and change.multiple == says
    if says in ("up", "down"):
        return change.direction == says
    return change.trend == says


def check_the_full_demos_report() -> None:
    """The trends report of the full-scale demo shows seed 000's figures and agrees with its sentences. Called by
    the demo's full-scale test (suragh/demo/tests/test_demo.py), so that the full demo is loaded once."""
    report = build_report(2022, 2023)
    wanted = demo_figures.targets("full")
    shown = report_as_targets(report, "full")
    assert demo_figures.differences(shown, wanted) == []
    disagreements = []
    for code, topic, words, says in SEED_SAYS:
        found = next((s for s in force(report, code).sentences if s.topic == topic), None)
        if found is None or not agrees(found.change, says):
            disagreements.append(f"{code} {topic}: seed says '{words}', report says {found.text if found else None}")
    assert disagreements == []
    anf = report.anf_sentence
    assert anf is not None and anf.change.direction == "up" and "from 245.942 MT in 2022 to 396.516 MT" in anf.text
    published = {(n.label, n.year_from, n.year_to): n.published for n in report.national}
    assert published[("Cases registered", 2022, 2023)] == 163468
    assert published[("Convictions", 2023, 2023)] == 15785
