"""Bytes in, rows of cells out: CSV (UTF-8 with or without BOM, CP949/EUC-KR as Korean Excel saves it,
UTF-16 "Unicode text") and XLSX. The format and encoding are detected, never asked.

Formulas are data: XLSX is read with `data_only=False`, so a formula cell arrives as its text ("=A1+1")
and is never evaluated. A number cell arrives as a number, even in a date column: the table carries the
workbook's date system so that the row parser can read such a cell as an Excel date serial. Entirely empty rows
(trailing ones, or blank lines between) are skipped.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from talent.common.errors import InvalidInput

logger = logging.getLogger(__name__)

#: A cell's value as read: text from a CSV; from a workbook whatever openpyxl gives (numbers, dates and times,
#: booleans, formulas, rich text). talent.roster.rows reads each with text_of / parse_*.
Cell = object

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls
#: A sheet whose "used range" runs on far past its data (formatted but empty rows) ends after this many.
EMPTY_ROWS_ENDING_A_SHEET = 1000
#: What one roster row may take in a workbook unpacked (its sheet XML and shared strings): a row with every column
#: at its longest measures 2.8 KB (tests/roster/test_malformed_files.py builds it), a typical one 1 KB.
UNPACKED_BYTES_PER_ROW = 3_000
#: The rest of a workbook (styles, theme, properties): Excel's own stay under 100 KB.
UNPACKED_BYTES_BESIDE_ROWS = 1_000_000
#: Markup a roster never needs and an XML parser should never see: a document type (where entities are declared).
_DECLARATIONS = tuple("<!DOCTYPE".encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be"))


@dataclass
class Table:
    """Non-empty rows as (spreadsheet row number, cells), and how the file was read."""

    rows: list[tuple[int, list[Cell]]]
    file_format: str  # "csv" or "xlsx"
    encoding: str  # the CSV's encoding; "" for XLSX
    #: The workbook's day 0 (openpyxl's WINDOWS_EPOCH for the 1900 date system, MAC_EPOCH for 1904); None for CSV.
    epoch: datetime.datetime | None = None


def read_table(content: bytes, *, row_limit: int) -> Table:
    """Read a roster file. More than `row_limit` non-empty rows stops the reading (the caller reports it)."""
    if content.startswith(XLSX_MAGIC):
        return _xlsx_table(content, row_limit=row_limit)
    if content.startswith(OLE_MAGIC):
        raise InvalidInput(
            _("This is an old Excel file (.xls). Save it as Excel Workbook (.xlsx) or CSV and upload it again."),
            field="file",
            code="roster_format",
        )
    text, encoding = decode(content)
    return Table(_limited(_csv_rows(text), row_limit), "csv", encoding)


def decode(content: bytes) -> tuple[str, str]:
    """Text and encoding name: a BOM decides; else strict UTF-8, then CP949 (a superset of EUC-KR)."""
    encodings = ["utf-8", "cp949"]
    if content.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif content.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    for encoding in encodings:
        try:
            return content.decode(encoding, errors="strict"), encoding
        except UnicodeDecodeError:
            continue
    raise InvalidInput(
        _("The file is neither UTF-8 nor CP949/EUC-KR text, nor an Excel workbook (.xlsx): it cannot be read."),
        field="file",
        code="roster_encoding",
    )


def _csv_rows(text: str) -> Iterator[tuple[int, list[Cell]]]:
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            yield number, list(cells)
    except csv.Error as exc:
        raise InvalidInput(
            _("The CSV file is malformed: %(problem)s") % {"problem": exc}, field="file", code="roster_format"
        ) from exc


def unpacked_limit() -> int:
    """The most a roster workbook may unpack to: what ROSTER_MAX_ROWS rows at their longest take, and the rest."""
    return settings.ROSTER_MAX_ROWS * UNPACKED_BYTES_PER_ROW + UNPACKED_BYTES_BESIDE_ROWS


def _unreadable() -> InvalidInput:
    return InvalidInput(
        _("This Excel file cannot be opened; save it again as .xlsx or CSV."), field="file", code="roster_format"
    )


def _xlsx_table(content: bytes, *, row_limit: int) -> Table:
    import openpyxl  # a second or so to import: only when a workbook comes

    _check_archive(content)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        try:
            sheet = workbook.worksheets[0]
            rows: Iterator[tuple[int, list[Cell]]] = enumerate(
                (list(row) for row in sheet.iter_rows(values_only=True)), start=1
            )
            return Table(_limited(rows, row_limit), "xlsx", "", epoch=workbook.epoch)
        finally:
            workbook.close()
    except InvalidInput:
        raise
    except Exception as exc:
        # The file is anyone's bytes and openpyxl's parser fails on broken ones in many ways (ParseError, KeyError,
        # ValueError for a 0000-00-00 date cell, IndexError, TypeError, zlib.error, EOFError, ...): each one is
        # this file's fault, answered as such; the kind is logged for us, never the content.
        logger.info("Unreadable workbook refused: %s", type(exc).__name__)
        raise _unreadable() from exc


def _check_archive(content: bytes) -> None:
    """A workbook is a zip: its size bounds the upload, not what it unpacks to. The sizes its entries declare are
    checked before anything is unpacked (zipfile never reads past them); then no part may declare a document type
    or entities (what billion-laughs and external-entity files need)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
            if sum(info.file_size for info in entries) > unpacked_limit():
                raise InvalidInput(
                    _("This Excel file unpacks to more than %(limit)s MB, more than a roster of %(rows)s rows needs; "
                      "save it again as .xlsx or CSV.")
                    % {"limit": f"{unpacked_limit() // 1_000_000:,}", "rows": f"{settings.ROSTER_MAX_ROWS:,}"},
                    field="file",
                    code="roster_too_large",
                )  # fmt: skip
            for info in entries:
                if _declares_a_document_type(archive, info):
                    raise InvalidInput(
                        _("This Excel file declares XML entities, which a roster never needs: it was refused. "
                          "Save it again from Excel as .xlsx or CSV."),
                        field="file",
                        code="roster_format",
                    )  # fmt: skip
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, zlib.error) as exc:
        raise _unreadable() from exc


def _declares_a_document_type(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether the part holds a document type declaration (entities are declared only inside one), read in chunks
    so that memory stays small whatever the part's size."""
    overlap = max(len(marker) for marker in _DECLARATIONS)
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(1 << 20):
            window = tail + chunk
            if any(marker in window for marker in _DECLARATIONS):
                return True
            tail = window[-overlap:]
    return False


def _is_empty(cells: Iterable[Cell]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _limited(rows: Iterator[tuple[int, list[Cell]]], row_limit: int) -> list[tuple[int, list[Cell]]]:
    kept: list[tuple[int, list[Cell]]] = []
    empty_run = 0
    for number, cells in rows:
        if _is_empty(cells):
            empty_run += 1
            if empty_run >= EMPTY_ROWS_ENDING_A_SHEET:
                break
            continue
        empty_run = 0
        kept.append((number, cells))
        if len(kept) > row_limit:
            break
    return kept
