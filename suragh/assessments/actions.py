"""Creating assessments, scoring their indicators, adding the evidence behind a score, and importing scores from
CSV. Each change is validated here, made in one transaction and written to the audit trail."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from suragh.cases.access import cases_visible_to
from suragh.core.audit import record_event
from suragh.core.choices import AuditAction
from suragh.core.models import Province
from suragh.core.validation import FieldErrors
from suragh.imports.files import FORMULA_START
from suragh.seizures.access import seizures_visible_to

from .access import may_assess
from .choices import (
    CITATION_MAX_CHARS,
    COUNTRY_CODE,
    HALF_STEPS,
    RATIONALE_MAX_CHARS,
    TITLE_MAX_CHARS,
    YEAR_MAX,
    YEAR_MIN,
    EvidenceKind,
)
from .models import Assessment, Edition, Indicator, Score, ScoreChange, ScoreEvidence

SCORE_MESSAGE = "A score is 1 to 10 in half steps (1, 1.5, 2 … 10)."
NOT_AN_ASSESSOR = "Only analysts and system admins score assessments."


def parse_score(value: object) -> Decimal | None:
    """The score as one of the half steps, or None when it is not one."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    for step in HALF_STEPS:
        if number == step:
            return step
    return None


def parse_year(value: object) -> int | None:
    try:
        year = int(str(value).strip())
    except ValueError:
        return None
    return year if YEAR_MIN <= year <= YEAR_MAX else None


def place_for(code: str) -> tuple[bool, Province | None]:
    """(known, province): "PK" is Pakistan itself (no province); a P-code names a province or territory."""
    code = (code or "").strip().upper()
    if code == COUNTRY_CODE:
        return True, None
    province = Province.objects.filter(code=code).first()
    return province is not None, province


def place_message(code: str) -> str:
    codes = ", ".join(Province.objects.order_by("code").values_list("code", flat=True))
    return f"'{code}' is not a place: give {COUNTRY_CODE} for Pakistan or a province's code ({codes})."


def _require_assessor(acting_user, errors: FieldErrors) -> None:
    if not may_assess(acting_user):
        errors.add("__all__", NOT_AN_ASSESSOR)


@transaction.atomic
def do_create_assessment(*, edition_year: object, year: object, place_code: str, acting_user) -> Assessment:
    errors = FieldErrors()
    _require_assessor(acting_user, errors)
    edition = Edition.objects.filter(year=parse_year(edition_year) or 0).first()
    if edition is None:
        errors.add("edition", f"No edition of the index for '{edition_year}'.")
    assessed_year = parse_year(year)
    if assessed_year is None:
        errors.add("year", f"The year must be between {YEAR_MIN} and {YEAR_MAX}.")
    known, province = place_for(place_code)
    if not known:
        errors.add("place", place_message(place_code))
    errors.raise_if_any()
    existing = Assessment.objects.filter(edition=edition, year=assessed_year, province=province)
    if existing.exists():
        errors.add("place", f"{existing.first()} already exists; score it instead.")
        errors.raise_if_any()
    assessment = Assessment.objects.create(
        edition=edition, year=assessed_year, province=province, created_by=acting_user
    )
    record_event(
        acting_user,
        AuditAction.CREATE,
        assessment,
        fields={"edition": edition.year, "year": assessed_year, "place": assessment.place_code},
    )
    return assessment


def _indicator(assessment: Assessment, code: str, errors: FieldErrors) -> Indicator | None:
    indicator = Indicator.objects.filter(edition_id=assessment.edition_id, code=(code or "").strip()).first()
    if indicator is None:
        errors.add("indicator", f"The {assessment.edition.year} edition has no indicator '{code}'.")
    return indicator


@transaction.atomic
def do_score_indicator(
    assessment: Assessment, *, indicator_code: str, value: object, rationale: str, acting_user
) -> tuple[Score, bool]:
    """Give or change an indicator's score; (score, changed). The same score with the same rationale again (a
    retried submission) changes nothing and is not recorded twice."""
    errors = FieldErrors()
    _require_assessor(acting_user, errors)
    indicator = _indicator(assessment, indicator_code, errors)
    score_value = parse_score(value)
    if score_value is None:
        errors.add("value", f"'{value}' is not a score. {SCORE_MESSAGE}")
    rationale = (rationale or "").strip()
    if not rationale:
        errors.add("rationale", "Say why: every score needs a rationale.")
    elif len(rationale) > RATIONALE_MAX_CHARS:
        errors.add("rationale", f"Keep the rationale to {RATIONALE_MAX_CHARS} characters.")
    errors.raise_if_any()
    now = timezone.now()
    score = Score.objects.select_for_update().filter(assessment=assessment, indicator=indicator).first()
    created = False
    if score is None:
        try:
            with transaction.atomic():
                score = Score.objects.create(
                    assessment=assessment,
                    indicator=indicator,
                    value=score_value,
                    rationale=rationale,
                    scored_by=acting_user,
                    scored_at=now,
                )
            created = True
        except IntegrityError:
            # Another request scored it first: this one becomes a change to that score.
            score = Score.objects.select_for_update().get(assessment=assessment, indicator=indicator)
    previous = None
    if not created:
        if score.value == score_value and score.rationale == rationale:
            return score, False
        previous = score.value
        score.value, score.rationale, score.scored_by, score.scored_at = score_value, rationale, acting_user, now
        score.save(update_fields=["value", "rationale", "scored_by", "scored_at"])
    ScoreChange.objects.create(
        score=score,
        previous_value=previous,
        value=score_value,
        rationale=rationale,
        changed_by=acting_user,
        changed_at=now,
    )
    record_event(
        acting_user,
        AuditAction.CHANGE,
        assessment,
        fields={
            "indicator": indicator.code,
            "previous_score": str(previous) if previous is not None else None,
            "score": str(score_value),
            "rationale": rationale,
        },
    )
    return score, True


@transaction.atomic
def do_add_evidence(
    assessment: Assessment,
    *,
    indicator_code: str,
    kind: str,
    case_id: int | None = None,
    case_fir: str = "",
    seizure_id: int | None = None,
    title: str = "",
    url: str = "",
    citation: str = "",
    acting_user,
) -> ScoreEvidence:
    """Put a case, a seizure or a document behind a score. A case or seizure must be one the assessor may see
    now; one they may not answers exactly as one that does not exist."""
    errors = FieldErrors()
    _require_assessor(acting_user, errors)
    indicator = _indicator(assessment, indicator_code, errors)
    score = Score.objects.filter(assessment=assessment, indicator=indicator).first() if indicator else None
    if indicator and score is None:
        errors.add("indicator", f"Score {indicator.name} before adding evidence to it.")
    case = seizure = None
    title, url, citation = (title or "").strip(), (url or "").strip(), (citation or "").strip()
    if kind == EvidenceKind.CASE:
        cases = cases_visible_to(acting_user)
        if case_id:
            case = cases.filter(pk=case_id).first()
            if case is None:
                errors.add("case", f"No case you may see has the id {case_id}.")
        elif case_fir.strip():
            found = list(cases.filter(fir_number=case_fir.strip()).select_related("owning_unit")[:5])
            if not found:
                errors.add("case", f"No case you may see has the FIR number '{case_fir.strip()}'.")
            elif len(found) > 1:
                units = ", ".join(c.owning_unit.name for c in found)
                errors.add("case", f"Cases of several units have this FIR number ({units}); give the case's id.")
            else:
                case = found[0]
        else:
            errors.add("case", "Give the case's FIR number or id.")
    elif kind == EvidenceKind.SEIZURE:
        seizure = seizures_visible_to(acting_user).filter(pk=seizure_id).first() if seizure_id else None
        if seizure is None:
            errors.add("seizure", f"No seizure you may see has the id {seizure_id or '(none given)'}.")
    elif kind == EvidenceKind.DOCUMENT:
        if not title:
            errors.add("title", "Give the document's title.")
        elif len(title) > TITLE_MAX_CHARS:
            errors.add("title", f"Keep the title to {TITLE_MAX_CHARS} characters.")
        if not url and not citation:
            errors.add("url", "Give the document's URL or a citation.")
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                errors.add("url", f"'{url}' is not an http or https address.")
        if len(citation) > CITATION_MAX_CHARS:
            errors.add("citation", f"Keep the citation to {CITATION_MAX_CHARS} characters.")
    else:
        errors.add("kind", f"'{kind}' is not a kind of evidence: give case, seizure or document.")
    errors.raise_if_any()
    if case and score.evidence.filter(case=case).exists():
        errors.add("case", f"{case} is already evidence for this score.")
    if seizure and score.evidence.filter(seizure=seizure).exists():
        errors.add("seizure", "This seizure is already evidence for this score.")
    errors.raise_if_any()
    evidence = ScoreEvidence.objects.create(
        score=score,
        kind=kind,
        case=case,
        seizure=seizure,
        title=title if kind == EvidenceKind.DOCUMENT else "",
        url=url if kind == EvidenceKind.DOCUMENT else "",
        citation=citation if kind == EvidenceKind.DOCUMENT else "",
        added_by=acting_user,
        added_at=timezone.now(),
    )
    record_event(
        acting_user,
        AuditAction.CHANGE,
        assessment,
        fields={
            "indicator": indicator.code,
            "evidence": kind,
            "case": case.pk if case else None,
            "seizure": seizure.pk if seizure else None,
            "title": evidence.title or None,
        },
    )
    return evidence


# The scores file: what export writes and import reads back. Import needs the first six; the others are for
# the person reading the file and are ignored.
CSV_REQUIRED = ["edition", "year", "place", "indicator", "score", "rationale"]
CSV_INFORMATIONAL = ["place_name", "pillar", "indicator_name", "scored_by", "scored_at"]
CSV_COLUMNS = [
    "edition",
    "year",
    "place",
    "place_name",
    "pillar",
    "indicator",
    "indicator_name",
    "score",
    "rationale",
    "scored_by",
    "scored_at",
]
MAX_IMPORT_ROWS = 5000


def export_rows(assessments) -> list[list[object]]:
    """Every score of the given assessments, one row each, in the edition's order of indicators."""
    rows: list[list[object]] = [CSV_COLUMNS]
    scores = (
        Score.objects.filter(assessment__in=assessments)
        .select_related("assessment__edition", "assessment__province", "indicator", "scored_by")
        .order_by("assessment__edition__year", "assessment__year", "assessment__province__code", "indicator__position")
    )
    for score in scores:
        a = score.assessment
        rows.append(
            [
                a.edition.year,
                a.year,
                a.place_code,
                a.place_name,
                score.indicator.pillar,
                score.indicator.code,
                score.indicator.name,
                f"{score.value:.1f}",
                score.rationale,
                score.scored_by.get_username(),
                timezone.localtime(score.scored_at).isoformat(timespec="seconds"),
            ]
        )
    return rows


@dataclass
class ImportResult:
    """What an import did, or in a dry run would do."""

    dry_run: bool
    rows: int = 0
    new_assessments: list[str] = field(default_factory=list)
    new_scores: int = 0
    changed_scores: int = 0
    unchanged_scores: int = 0


def _unquoted(text: str) -> str:
    """Export quotes a cell a spreadsheet would run as a formula with an apostrophe; import takes it off again."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


class _DryRunDone(Exception):
    pass


def do_import_scores(content: bytes | str, *, dry_run: bool, acting_user) -> ImportResult:
    """Import a scores file all or nothing: every bad row and column is named at once (in `file`), and nothing is
    written unless every row is good. A dry run checks everything and writes nothing."""
    errors = FieldErrors()
    _require_assessor(acting_user, errors)
    errors.raise_if_any()
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError({"file": ["The file is not UTF-8 text: save it as CSV UTF-8."]}) from None
    reader = csv.reader(io.StringIO(content.lstrip("\ufeff")))
    header = [column.strip().lower() for column in next(reader, [])]
    problems: list[str] = []
    if not header:
        raise ValidationError({"file": ["The file is empty: the first line names the columns."]})
    if missing := [c for c in CSV_REQUIRED if c not in header]:
        problems.append(f"line 1: missing column(s) {', '.join(missing)}")
    if unknown := [c for c in header if c not in CSV_COLUMNS]:
        problems.append(f"line 1: unknown column(s) {', '.join(unknown)}; the columns are {', '.join(CSV_COLUMNS)}")
    if dupes := sorted({c for c in header if header.count(c) > 1}):
        problems.append(f"line 1: column(s) {', '.join(dupes)} given twice")
    if problems:
        raise ValidationError({"file": problems})

    editions = {e.year: e for e in Edition.objects.all()}
    indicators = {(i.edition.year, i.code): i for i in Indicator.objects.select_related("edition")}
    planned: list[tuple[int, Edition, int, str, str, Decimal, str]] = []
    seen: dict[tuple, int] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(planned) >= MAX_IMPORT_ROWS:
            problems.append(f"line {line}: more than {MAX_IMPORT_ROWS} rows; split the file")
            break
        if len(cells) != len(header):
            problems.append(f"line {line}: {len(cells)} cells where the header names {len(header)} columns")
            continue
        row = {column: _unquoted(cell.strip()) for column, cell in zip(header, cells, strict=True)}
        bad = len(problems)
        edition = editions.get(parse_year(row["edition"]) or 0)
        if edition is None:
            problems.append(f"line {line}, column edition: no edition of the index for '{row['edition']}'")
        year = parse_year(row["year"])
        if year is None:
            problems.append(f"line {line}, column year: '{row['year']}' is not a year from {YEAR_MIN} to {YEAR_MAX}")
        place = row["place"].upper()
        if not place_for(place)[0]:
            problems.append(f"line {line}, column place: {place_message(row['place'])}")
        if edition is not None and (edition.year, row["indicator"]) not in indicators:
            problems.append(
                f"line {line}, column indicator: the {edition.year} edition has no indicator '{row['indicator']}'"
            )
        value = parse_score(row["score"])
        if value is None:
            problems.append(f"line {line}, column score: '{row['score']}' is not a score; {SCORE_MESSAGE}")
        if not row["rationale"]:
            problems.append(f"line {line}, column rationale: every score needs a rationale")
        elif len(row["rationale"]) > RATIONALE_MAX_CHARS:
            problems.append(f"line {line}, column rationale: longer than {RATIONALE_MAX_CHARS} characters")
        if len(problems) > bad:
            continue
        key = (edition.year, year, place, row["indicator"])
        if key in seen:
            problems.append(f"line {line}: the same place, year, edition and indicator as line {seen[key]}")
            continue
        seen[key] = line
        planned.append((line, edition, year, place, row["indicator"], value, row["rationale"]))
    if problems:
        raise ValidationError({"file": problems})
    if not planned:
        raise ValidationError({"file": ["The file has no rows of scores."]})

    result = ImportResult(dry_run=dry_run, rows=len(planned))
    try:
        with transaction.atomic():
            assessments: dict[tuple, Assessment] = {}
            for _line, edition, year, place, code, value, rationale in planned:
                key = (edition.year, year, place)
                if key not in assessments:
                    province = place_for(place)[1]
                    found = Assessment.objects.filter(edition=edition, year=year, province=province).first()
                    if found is None:
                        found = do_create_assessment(
                            edition_year=edition.year, year=year, place_code=place, acting_user=acting_user
                        )
                        result.new_assessments.append(str(found))
                    assessments[key] = found
                existed = Score.objects.filter(assessment=assessments[key], indicator__code=code).exists()
                _, changed = do_score_indicator(
                    assessments[key], indicator_code=code, value=value, rationale=rationale, acting_user=acting_user
                )
                if not changed:
                    result.unchanged_scores += 1
                elif existed:
                    result.changed_scores += 1
                else:
                    result.new_scores += 1
            record_event(
                acting_user,
                AuditAction.CREATE,
                object_type="assessments.score_import",
                fields={"rows": result.rows, "new": result.new_scores, "changed": result.changed_scores},
            )
            if dry_run:
                raise _DryRunDone
    except _DryRunDone:
        pass
    return result
