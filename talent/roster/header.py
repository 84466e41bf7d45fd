"""Finding the roster in a file: the size and row limits, the header row (any order, loose spellings, a title
row above it allowed, the template's English alias row under it skipped), extra columns reported, and the
refusal of any file that holds a resident registration number (주민등록번호), in any cell or column."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import NoReturn

from django.conf import settings
from django.utils.translation import gettext as _
from stdnum.kr import rrn

from talent.common.errors import InvalidInput
from talent.registry import validators
from talent.roster.columns import BY_KEY, column_for, names_resident_registration_number
from talent.roster.reading import Table, read_table
from talent.roster.results import RowMessage
from talent.roster.rows import is_number, text_of

#: The header row is looked for among the first rows (offices often put a title above it).
HEADER_SEARCH_ROWS = 10


@dataclass
class FileHeader:
    row: int  # index in table.rows of the header row
    positions: dict[str, int]  # column key -> cell index
    headers: dict[str, str]  # column key -> the header as the file writes it
    first_data: int  # index in table.rows of the first data row
    notices: list[RowMessage] = field(default_factory=list)

    def label(self, key: str | None) -> str | None:
        if key is None:
            return None
        return self.headers.get(key) or (BY_KEY[key].header_ko if key in BY_KEY else key)


def read_file(content: bytes) -> tuple[Table, FileHeader]:
    """The table and its header, or InvalidInput for a file refused as a whole."""
    if len(content) > settings.ROSTER_MAX_BYTES:
        raise InvalidInput(
            _("The file is %(size)s bytes; at most %(limit)s are accepted. Split the roster into several files.")
            % {"size": f"{len(content):,}", "limit": f"{settings.ROSTER_MAX_BYTES:,}"},
            field="file",
            code="roster_too_large",
        )
    if not content.strip():
        raise InvalidInput(_("The file is empty."), field="file", code="roster_empty")
    table = read_table(content, row_limit=settings.ROSTER_MAX_ROWS + HEADER_SEARCH_ROWS)
    header = _find_header(table)
    _refuse_resident_registration_numbers(table, header)
    data_rows = len(table.rows) - header.first_data
    if data_rows > settings.ROSTER_MAX_ROWS:
        raise InvalidInput(
            _("The file has more than %(limit)s rows; split the roster into several files.")
            % {"limit": f"{settings.ROSTER_MAX_ROWS:,}"},
            field="file",
            code="roster_too_many_rows",
        )
    return table, header


def _find_header(table: Table) -> FileHeader:
    for index, (_number, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        texts = [text_of(cell) for cell in cells]
        for text in texts:
            if text and names_resident_registration_number(text):
                raise InvalidInput(
                    _("Column %(column)s holds resident registration numbers (주민등록번호). %(why)s")
                    % {
                        "column": f"“{validators.redact_resident_registration_numbers(text[:40])}”",
                        "why": validators.RRN_MESSAGE,
                    },
                    field="file",
                    code="resident_registration_number",
                )
        keys = [column_for(text) if text else None for text in texts]
        if "student_number" in keys:
            return _header_from(table, index, texts, keys)
    raise InvalidInput(
        _("No header row naming the student number (학번) was found in the first %(rows)s rows. Start from the "
          "template: its first row holds the column headers.") % {"rows": HEADER_SEARCH_ROWS},
        field="file",
        code="roster_no_header",
    )  # fmt: skip


def _header_from(table: Table, index: int, texts: list[str], keys: list[str | None]) -> FileHeader:
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    notices: list[RowMessage] = []
    row_number = table.rows[index][0]
    for position, (text, key) in enumerate(zip(texts, keys, strict=True)):
        if key is None:
            if text:
                notices.append(
                    RowMessage(row_number, text, _("This column is not part of the roster: it was ignored."))
                )
            continue
        if key in positions:
            raise InvalidInput(
                _("Columns %(first)s and %(second)s both give the %(what)s: keep one of them.")
                % {"first": f"“{headers[key]}”", "second": f"“{text}”", "what": BY_KEY[key].label},
                field="file",
                code="roster_duplicate_column",
            )
        positions[key], headers[key] = position, text
    first_data = index + 1
    if first_data < len(table.rows):  # the template's English alias row under the Korean headers
        alias = [text_of(cell) for cell in table.rows[first_data][1]]
        named = [(column_for(text), position) for position, text in enumerate(alias) if text]
        if named and all(key is not None and positions.get(key) == position for key, position in named):
            first_data += 1
    return FileHeader(index, positions, headers, first_data, notices)


def _refuse_resident_registration_numbers(table: Table, header: FileHeader) -> None:
    """Any cell, in any column (ignored ones too), that looks like a 주민등록번호 refuses the whole file."""
    header_cells = [text_of(cell) for cell in table.rows[header.row][1]]
    for number, cells in table.rows:
        for position, cell in enumerate(cells):
            if cell is None or isinstance(cell, datetime.date):
                continue
            text = cell if isinstance(cell, str) else text_of(cell)
            if len(text) >= 13 and validators.looks_like_resident_registration_number(text):
                _refuse_at(number, position, header_cells)
            # A number cell drops the leading zeros of a 2000s birth date (0101014… is kept as 101014…). Such a
            # number is refused when its check digit holds too, so that other long numbers rarely are.
            if is_number(cell) and 11 <= len(text) <= 12 and rrn.is_valid(text.zfill(13)):
                _refuse_at(number, position, header_cells)


def spreadsheet_column(position: int) -> str:
    """A, B, ..., Z, AA, ...: the column as the spreadsheet names it (0-based position)."""
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _refuse_at(row: int, position: int, header_cells: list[str]) -> NoReturn:
    """Refuse the file, naming the cell by its row and its column's header, or the column's letter when the header
    is empty or itself a number; the import batch keeps the refusal without the header (RowMessage.as_stored_dict).
    """
    header = header_cells[position] if position < len(header_cells) else ""
    shown = header and not validators.looks_like_resident_registration_number(header)
    column = f"“{header[:40]}”" if shown else spreadsheet_column(position)
    raise InvalidInput(
        _("Row %(row)s, column %(column)s looks like a resident registration number (주민등록번호); "
          "the file was refused and nothing was stored. %(why)s")
        % {"row": row, "column": column, "why": validators.RRN_MESSAGE},
        field="file",
        code="resident_registration_number",
    )  # fmt: skip
