"""The trends report written out: a self-contained HTML page (inline CSS, charts as inline SVG drawn here from the
numbers, no JavaScript), the same page as PDF through WeasyPrint, and an XLSX workbook with one sheet per table and
a sheet of definitions.

Every table is built once as a `Table` of `Shown` cells (the text a reader sees and the number a spreadsheet keeps),
so the page, the PDF and the workbook cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from io import BytesIO

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from . import narrative
from .query import Figure
from .trends import COUNT_CODES, RATE_CODES, ForceTrend, TrendsReport, figure_of

SUPPRESSED = "suppressed"
NOTHING = "—"
# One colour per year of the report, in order; more years than colours reuse them.
YEAR_COLOURS = ("#9fb7d4", "#1f4e79", "#c9783c", "#5b8c5a", "#8a5a9e", "#b8a135")
SHORT_NAMES = {
    "cases": "Cases",
    "arrests": "Arrests",
    "convicted": "Convictions",
    "acquitted": "Acquittals",
    "convictions_per_case": "Convictions per case",
    "conviction_rate": "Conviction rate (decided)",
    "convictions_per_arrest": "Convictions per arrest",
}


@dataclass
class Shown:
    """A cell: the text shown, the number kept in the workbook (None for text or a hidden figure)."""

    text: str
    value: Decimal | int | str | None = None
    numeric: bool = False


@dataclass
class Table:
    title: str
    head: list[str]
    rows: list[list[Shown]] = field(default_factory=list)
    sheet: str = ""  # the workbook sheet's name (at most 31 characters)


@dataclass
class ForceSection:
    force: ForceTrend
    tables: list[Table]
    sentences: list[str]
    charts: list[SafeString]


def _hidden(figure: Figure | None) -> Shown | None:
    if figure is None or figure.value is None:
        return Shown(NOTHING, None, True)
    if figure.suppressed:
        return Shown(SUPPRESSED, None, True)
    return None


def count_shown(figure: Figure | None) -> Shown:
    hidden = _hidden(figure)
    if hidden:
        return hidden
    assert figure is not None and figure.value is not None
    return Shown(narrative.format_count(figure.value), int(figure.value), True)


def rate_shown(figure: Figure | None) -> Shown:
    hidden = _hidden(figure)
    if hidden:
        return hidden
    assert figure is not None and figure.value is not None
    return Shown(narrative.format_percent(figure.value), figure.value, True)


def quantity_shown(figure: Figure | None, unit: str) -> Shown:
    hidden = _hidden(figure)
    if hidden:
        return hidden
    assert figure is not None and figure.value is not None
    return Shown(narrative.format_quantity(figure.value, unit), narrative.half_up(figure.value, "0.001"), True)


def figure_shown(code: str, figure: Figure | None) -> Shown:
    return rate_shown(figure) if code in RATE_CODES else count_shown(figure)


def change_shown(before: Figure | None, after: Figure | None, last_year: int) -> Shown:
    """The change from the first year to the last in a few words."""
    if any(f is not None and f.suppressed for f in (before, after)):
        return Shown(SUPPRESSED)
    found = narrative.change(before.value if before else None, after.value if after else None)
    words = {
        narrative.Trend.CONSISTENT: "no change",
        narrative.Trend.FIRST_RECORDED: "first recorded",
        narrative.Trend.NONE_LATER: f"none in {last_year}",
        narrative.Trend.NOTHING: NOTHING,
    }
    if found.trend in words:
        return Shown(words[found.trend])
    if found.trend == narrative.Trend.MULTIPLE:
        assert found.multiple is not None
        return Shown(f"{narrative.fold(found.multiple)} (up {found.percent}%)")
    assert found.percent is not None
    return Shown(f"{'up' if found.percent > 0 else 'down'} {abs(found.percent)}%")


def _source(row: dict[str, Figure]) -> str:
    sources = {f.source for f in row.values() if f.source}
    if len(sources) == 1:
        return sources.pop()
    return "records and returns" if sources else ""


# Tables ------------------------------------------------------------------------------------------------------------


def overview_table(report: TrendsReport) -> Table:
    """Every force and year in one table; where any figure comes from aggregate returns, a column says which."""
    codes = COUNT_CODES + RATE_CODES
    rows = [
        (force.name, year, force.figures.get(year, {}), [figure_of(force, year, c) for c in codes])
        for force in [*report.forces, report.police]
        for year in report.years
    ]
    sources = any(_source(row) not in ("records", "") for _, _, row, _ in rows)
    table = Table(
        "Cases, arrests and convictions by force",
        ["Force", "Year", *(SHORT_NAMES[c] for c in codes), *(["Counted from"] if sources else [])],
        sheet="Cases and convictions",
    )
    for name, year, row, found in rows:
        table.rows.append(
            [Shown(name), Shown(str(year), year, True)]
            + [figure_shown(c, f) for c, f in zip(codes, found, strict=True)]
            + ([Shown(_source(row))] if sources else [])
        )
    return table


def recoveries_table(report: TrendsReport) -> Table:
    years = report.years
    table = Table(
        "Recoveries by force and substance",
        ["Force", "Substance", "Unit", *(str(y) for y in years), f"{years[0]} to {years[-1]}"],
        sheet="Recoveries",
    )
    for name, recoveries in [(f.name, f.recoveries) for f in report.forces] + [
        (report.police.name, report.police.recoveries)
    ]:
        for code, per_year in recoveries.items():
            group = report.groups[code]
            table.rows.append(
                [Shown(name), Shown(group.label), Shown(group.unit)]
                + [quantity_shown(per_year.get(y), group.unit) for y in years]
                + [change_shown(per_year.get(years[0]), per_year.get(years[-1]), years[-1])]
            )
    return table


def anf_table(report: TrendsReport) -> Table:
    table = Table(
        "ANF domestic seizures by year (all substances weighed in kg)",
        ["Year", "Seized (kg)", "Seized (MT)", "Seizures"],
        sheet="ANF seizures",
    )
    for year in report.years:
        figure = report.anf_seizures.get(year)
        hidden = _hidden(figure)
        if hidden:
            table.rows.append([Shown(str(year), year, True), hidden, hidden, hidden])
            continue
        assert figure is not None and figure.value is not None
        seizures = figure.numerator.n
        table.rows.append(
            [
                Shown(str(year), year, True),
                quantity_shown(figure, "kg"),
                Shown(narrative.format_tonnes(figure.value), narrative.half_up(figure.value / 1000, "0.001"), True),
                Shown(NOTHING) if seizures is None else Shown(f"{seizures:,}", seizures, True),
            ]
        )
    return table


def national_table(report: TrendsReport) -> Table:
    table = Table(
        "Published national figures beside the sum of the police forces",
        ["Figure", "Period", "Published (seed 000)", "Sum of police forces", "Published − sum"],
        sheet="National figures",
    )
    for item in report.national:
        period = str(item.year_from) if item.year_from == item.year_to else f"{item.year_from}–{item.year_to}"
        if item.unit:
            published = Shown(narrative.format_quantity(item.published, item.unit), item.published, True)
            summed = quantity_shown(item.summed, item.unit)
        else:
            published = Shown(narrative.format_count(item.published), int(item.published), True)
            summed = count_shown(item.summed)
        difference = item.difference
        if difference is None:
            gap = Shown(SUPPRESSED if item.summed.suppressed else NOTHING)
        elif item.unit:
            sign = "+" if difference > 0 else "−" if difference < 0 else ""
            gap = Shown(f"{sign}{narrative.format_quantity(abs(difference), item.unit)}", difference, True)
        else:
            sign = "+" if difference > 0 else "−" if difference < 0 else ""
            gap = Shown(f"{sign}{narrative.format_count(abs(difference))}", int(difference), True)
        table.rows.append([Shown(item.label), Shown(period), published, summed, gap])
    return table


def sentences_table(report: TrendsReport) -> Table:
    table = Table("What changed", ["Force", "Sentence"], sheet="Sentences")
    if report.anf_sentence:
        table.rows.append([Shown("Anti-Narcotics Force"), Shown(report.anf_sentence.text)])
    for force in [report.police, *report.forces]:
        table.rows += [[Shown(force.name), Shown(s.text)] for s in force.sentences]
    return table


def force_tables(report: TrendsReport, force: ForceTrend) -> list[Table]:
    years = report.years
    several = len(years) > 1
    change_head = [f"{years[0]} to {years[-1]}"] if several else []
    counts = Table(f"{force.name}: cases, arrests and convictions", ["", *(str(y) for y in years), *change_head])
    for code in COUNT_CODES + RATE_CODES:
        row = [Shown(SHORT_NAMES[code])] + [figure_shown(code, figure_of(force, y, code)) for y in years]
        if several:
            row.append(change_shown(figure_of(force, years[0], code), figure_of(force, years[-1], code), years[-1]))
        counts.rows.append(row)
    tables = [counts]
    if force.recoveries:
        recoveries = Table(f"{force.name}: recoveries", ["Substance", *(str(y) for y in years), *change_head])
        for code, per_year in force.recoveries.items():
            group = report.groups[code]
            row = [Shown(f"{group.label} ({group.unit}{'s' if group.unit == 'tablet' else ''})")] + [
                quantity_shown(per_year.get(y), group.unit) for y in years
            ]
            if several:
                row.append(change_shown(per_year.get(years[0]), per_year.get(years[-1]), years[-1]))
            recoveries.rows.append(row)
        tables.append(recoveries)
    return tables


# Charts ------------------------------------------------------------------------------------------------------------


# Presentation attributes rather than CSS, which WeasyPrint does not apply inside SVG.
FONT = 'font-family="DejaVu Sans, Noto Sans, Arial, sans-serif"'
TITLE_STYLE = f'{FONT} font-size="12" font-weight="bold" fill="#12324f"'
LABEL_STYLE = f'{FONT} font-size="10" fill="#1d2733"'
VALUE_STYLE = f'{FONT} font-size="9" fill="#3a4550"'


def bar_chart(title: str, rows: list[tuple[str, list[tuple[Decimal | None, str]]]], series: list[str]) -> SafeString:
    """Horizontal bars, one group per row and one bar per series (year), each labelled with its value. A hidden or
    missing value has no bar, only its label."""
    width, label_width, value_width = 680, 210, 110
    bar_height, gap, group_gap, top = 11, 2, 10, 34
    plot = width - label_width - value_width
    largest = max((v for _, values in rows for v, _ in values if v is not None and v > 0), default=Decimal(1))
    group_height = len(series) * (bar_height + gap) + group_gap
    height = top + len(rows) * group_height + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}">',
        f'<text x="0" y="13" {TITLE_STYLE}>{escape(title)}</text>',
    ]
    for index, name in enumerate(series):
        x = label_width + index * 70
        colour = YEAR_COLOURS[index % len(YEAR_COLOURS)]
        parts.append(f'<rect x="{x}" y="20" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="29" {LABEL_STYLE}>{escape(name)}</text>')
    for row_index, (label, values) in enumerate(rows):
        y0 = top + row_index * group_height
        middle = y0 + (len(series) * (bar_height + gap)) / 2 + 3
        parts.append(
            f'<text x="{label_width - 8}" y="{middle:.1f}" text-anchor="end" {LABEL_STYLE}>{escape(label)}</text>'
        )
        for index, (value, text) in enumerate(values):
            y = y0 + index * (bar_height + gap)
            length = 0.0 if value is None or value <= 0 else max(1.0, float(value / largest) * plot)
            colour = YEAR_COLOURS[index % len(YEAR_COLOURS)]
            if length:
                parts.append(
                    f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="{colour}"/>'
                )
            parts.append(
                f'<text x="{label_width + length + 4:.1f}" y="{y + bar_height - 2}" {VALUE_STYLE}>{escape(text)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above


def _plotted(figure: Figure | None, shown: Shown) -> tuple[Decimal | None, str]:
    if figure is None or figure.value is None or figure.suppressed:
        return None, shown.text
    return figure.value, shown.text


def force_charts(report: TrendsReport, force: ForceTrend) -> list[SafeString]:
    years = report.years
    series = [str(y) for y in years]
    counts = [
        (
            SHORT_NAMES[code],
            [_plotted(figure_of(force, y, code), count_shown(figure_of(force, y, code))) for y in years],
        )
        for code in COUNT_CODES
    ]
    charts = [bar_chart(f"{force.name}: cases, arrests and convictions", counts, series)]
    weighed = [
        (
            report.groups[code].label,
            [_plotted(per_year.get(y), quantity_shown(per_year.get(y), "kg")) for y in years],
        )
        for code, per_year in force.recoveries.items()
        if report.groups[code].unit == "kg"
    ]
    if weighed:
        charts.append(bar_chart(f"{force.name}: recoveries (kg)", weighed, series))
    return charts


def overview_charts(report: TrendsReport) -> list[SafeString]:
    years = report.years
    series = [str(y) for y in years]
    cases = [
        (f.name, [_plotted(figure_of(f, y, "cases"), count_shown(figure_of(f, y, "cases"))) for y in years])
        for f in report.forces
    ]
    return [bar_chart("Cases registered by force", cases, series)] if cases else []


def anf_chart(report: TrendsReport) -> SafeString | None:
    if not report.anf_seizures:
        return None
    seized = [
        (str(y), [_plotted(report.anf_seizures.get(y), quantity_shown(report.anf_seizures.get(y), "kg"))])
        for y in report.years
    ]
    return bar_chart("ANF domestic seizures (kg)", seized, ["Seized"])


# Output ------------------------------------------------------------------------------------------------------------


def context(report: TrendsReport) -> dict:
    sections = [
        ForceSection(
            force,
            force_tables(report, force),
            [s.text for s in force.sentences],
            force_charts(report, force),
        )
        for force in report.forces
    ]
    return {
        "report": report,
        "overview": overview_table(report),
        "recoveries": recoveries_table(report),
        "anf": anf_table(report),
        "national": national_table(report) if report.national else None,
        "overview_charts": overview_charts(report),
        "anf_chart": anf_chart(report),
        "police": ForceSection(
            report.police,
            force_tables(report, report.police),
            [s.text for s in report.police.sentences],
            force_charts(report, report.police),
        ),
        "sections": sections,
        "definitions": report.definitions(),
        "notes": report.notes(),
    }


def render_body(report: TrendsReport) -> str:
    """The report's markup and its style, to sit inside a page of the application."""
    return render_to_string("stats/trends_body.html", context(report))


def render_html(report: TrendsReport) -> str:
    """A whole HTML document that needs nothing else: no stylesheet, script, font or image from anywhere."""
    return render_to_string("stats/trends_document.html", context(report))


def pdf_document(report: TrendsReport):
    """The report laid out in pages by WeasyPrint (its `Document`), from the same HTML."""
    from weasyprint import HTML

    return HTML(string=render_html(report)).render()


def render_pdf(report: TrendsReport) -> bytes:
    return pdf_document(report).write_pdf()


def render_xlsx(report: TrendsReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    tables = [overview_table(report), recoveries_table(report), anf_table(report)]
    if report.national:
        tables.append(national_table(report))
    tables.append(sentences_table(report))
    for table in tables:
        sheet = workbook.create_sheet(table.sheet[:31])
        sheet.append([report.title])
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append(table.head)
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([c.value if c.numeric and c.value is not None else c.text for c in row])
        sheet.freeze_panes = "A4"
        for column in sheet.columns:
            longest = max(len(str(c.value or "")) for c in list(column)[2:]) if len(list(column)) > 2 else 10
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, longest + 2))
    definitions = workbook.create_sheet("Definitions")
    definitions.append(["Figure", "Definition"])
    for cell in definitions[1]:
        cell.font = Font(bold=True)
    for name, text in report.definitions():
        definitions.append([name, text])
    definitions.append([])
    definitions.append(["Notes"])
    definitions.cell(definitions.max_row, 1).font = Font(bold=True)
    for note in report.notes():
        definitions.append(["", note])
    definitions.column_dimensions["A"].width = 36
    definitions.column_dimensions["B"].width = 110
    for row in definitions.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FORMATS = {
    "html": ("text/html; charset=utf-8", "html"),
    "pdf": ("application/pdf", "pdf"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def render(report: TrendsReport, kind: str) -> bytes:
    """The report as `kind` (html, pdf or xlsx), as bytes to write or send."""
    if kind == "html":
        return render_html(report).encode("utf-8")
    if kind == "pdf":
        return render_pdf(report)
    if kind == "xlsx":
        return render_xlsx(report)
    raise ValueError(f"unknown format '{kind}'; use html, pdf or xlsx")


def file_name(report: TrendsReport, kind: str) -> str:
    return f"trends-{report.year_from}-{report.year_to}.{FORMATS[kind][1]}"
