"""Reading an uploaded CSV or XLSX file as rows of text, refusing what is neither, and writing cells back out so
that no spreadsheet ever runs one as a formula."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from django.conf import settings

FORMATS = ("csv", "xlsx")
# Spreadsheets run a cell starting with one of these as a formula (CSV injection, OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# An XLSX is a zip; one that inflates to more than this is refused before it is parsed.
MAX_XLSX_INFLATED_BYTES = 200 * 1024 * 1024
CSV_SNIFF_BYTES = 64 * 1024


class UnreadableFile(ValueError):
    """The file as a whole cannot be imported; the message says why, for the `file` field."""


@dataclass(frozen=True)
class StoredFile:
    path: Path
    relative: str
    sha256: str
    size: int
    file_format: str


def format_of(name: str) -> str:
    suffix = Path(name or "").suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise UnreadableFile(f"'{name}' is not a CSV or XLSX file: name it .csv or .xlsx, saved from the template.")
    return suffix


def store_upload(chunks: Iterator[bytes], name: str) -> StoredFile:
    """Keep the file under MEDIA_ROOT/imports/ named by its SHA-256, so the same file is stored once, and check that
    its content is what its name says."""
    file_format = format_of(name)
    root = Path(settings.MEDIA_ROOT) / "imports"
    root.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with tempfile.NamedTemporaryFile(dir=root, prefix=".upload-", delete=False) as out:
        partial = Path(out.name)
        try:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        except BaseException:
            out.close()
            partial.unlink(missing_ok=True)
            raise
    sha = digest.hexdigest()
    relative = f"imports/{sha}.{file_format}"
    final = Path(settings.MEDIA_ROOT) / relative
    try:
        check_content(partial, file_format)
    except UnreadableFile:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(final)
    return StoredFile(final, relative, sha, size, file_format)


def check_content(path: Path, file_format: str) -> None:
    head = path.read_bytes()[:CSV_SNIFF_BYTES] if path.stat().st_size else b""
    if not head:
        raise UnreadableFile("The file is empty.")
    if file_format == "xlsx":
        if not zipfile.is_zipfile(path):
            raise UnreadableFile("The file is named .xlsx but is not an Excel workbook.")
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/worksheets/") for n in names):
                raise UnreadableFile("The file is named .xlsx but is not an Excel workbook.")
            if any(n.startswith("xl/vbaProject") for n in names):
                raise UnreadableFile("The workbook contains macros; save it as a plain .xlsx without them.")
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_INFLATED_BYTES:
                raise UnreadableFile("The workbook unpacks to more than 200 MB; split it or save it as CSV.")
        return
    if head.startswith(b"PK\x03\x04"):
        raise UnreadableFile("The file is named .csv but is a zip or Excel workbook; name it .xlsx.")
    if b"\x00" in head:
        raise UnreadableFile("The file is named .csv but holds binary data, not text.")
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError as exc:
        raise UnreadableFile('The CSV is not UTF-8 text; save it as "CSV UTF-8".') from exc


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text the row checks read: dates as YYYY-MM-DD, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    return str(value).strip()


def read_rows(path: Path, file_format: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header (column names) and the data rows, each with its row number as a spreadsheet shows it. Entirely
    empty rows are skipped."""
    if file_format == "xlsx":
        return _read_xlsx(path)
    return _read_csv(path)


def _read_csv(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 (closed by the generator)
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        handle.close()
        raise UnreadableFile("The file is empty.") from None
    except (csv.Error, UnicodeDecodeError) as exc:
        handle.close()
        raise UnreadableFile(f"The CSV cannot be read: {exc}.") from None

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, row in enumerate(reader, start=2):
                if any(row):
                    yield number, row
        except (csv.Error, UnicodeDecodeError) as exc:
            raise UnreadableFile(f"The CSV cannot be read after row {reader.line_num - 1}: {exc}.") from None
        finally:
            handle.close()

    return [h.strip().lower() for h in header], rows()


def _read_xlsx(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise UnreadableFile(f"The workbook cannot be read: {exc}.") from None
    sheet = workbook.worksheets[0]
    cells = sheet.iter_rows()
    try:
        header = [cell_text(c.value).lower() for c in next(cells)]
    except StopIteration:
        workbook.close()
        raise UnreadableFile("The first sheet is empty.") from None
    while header and not header[-1]:
        header.pop()

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, row in enumerate(cells, start=2):
                values = []
                for cell in row:
                    # A formula is kept as written ("=…") so the row check refuses it by name.
                    values.append(cell_text(cell.value))
                if any(values):
                    yield number, values
        finally:
            workbook.close()

    return header, rows()


def safe_cell(value: object) -> str:
    """A value written into a CSV or XLSX a person will open: text that a spreadsheet would run as a formula is
    quoted with a leading apostrophe."""
    text = cell_text(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def csv_bytes(rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
