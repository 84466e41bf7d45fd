"""The roster out: the template (headers only) and a university's roster, in CSV or XLSX, in the very shape
the import reads, so that an export imports back to no change.

Row 1 holds the Korean headers, row 2 their English aliases (the import recognises and skips it). Text that
a spreadsheet would take for a formula (starting with =, +, -, @) is escaped with a leading apostrophe.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from talent.common.errors import InvalidInput, NotAllowed
from talent.registry import roles, selectors
from talent.registry.models import Enrollment, Organization
from talent.registry.services._base import Actor
from talent.registry.services.access import access_log_record
from talent.roster.columns import COLUMNS
from talent.roster.rows import FORMULA_STARTS, GENDER_WORDS, ROUTE_WORDS, STATUS_WORDS, export_word

ExportCell = str | datetime.date | None


class RosterFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"

    @classmethod
    def of(cls, value: str) -> RosterFormat:
        try:
            return cls(str(value).lower().lstrip("."))
        except ValueError:
            raise InvalidInput(
                _("Unknown file format %(value)s: choose csv or xlsx.") % {"value": str(value)[:20]},
                field="file_format",
            ) from None


CONTENT_TYPES = {
    RosterFormat.CSV: "text/csv; charset=utf-8",
    RosterFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def content_type(fmt: RosterFormat | str) -> str:
    return CONTENT_TYPES[RosterFormat.of(fmt)]


def export_filename(university: Organization | None, fmt: RosterFormat | str) -> str:
    """roster-<university id>-<date>.xlsx, or roster-template.csv: ASCII, safe in any browser."""
    fmt = RosterFormat.of(fmt)
    if university is None:
        return f"roster-template.{fmt}"
    return f"roster-{university.pk}-{timezone.localdate():%Y%m%d}.{fmt}"


def escape(value: ExportCell) -> ExportCell:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP's CSV injection advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def roster_template(fmt: RosterFormat | str) -> bytes:
    """An empty roster: the Korean headers, then the English alias row."""
    return _write(RosterFormat.of(fmt), [])


def roster_export(
    *,
    actor: Actor,
    university: Organization,
    fmt: RosterFormat | str,
    within: QuerySet[Enrollment] | None = None,
    request: HttpRequest | None = None,
) -> bytes:
    """The university's roster (every enrollment, by student number) in the import's format; `within` narrows it to
    a filtered list (in that list's order). Staff export only their own university's (operators any); each
    exported person's record read is written to the access log."""
    fmt = RosterFormat.of(fmt)
    if actor is None or not roles.may_manage_university(actor, university):
        raise NotAllowed(_("You may only export your own university's roster."))
    enrollments = selectors.enrollment_list(user=actor).filter(university=university)
    if within is None:
        rows, action = list(enrollments.order_by("student_number")), "roster_export"
    else:
        # The caller's filter narrows what the actor may read; it never widens it.
        rows, action = list(within.filter(pk__in=enrollments.values("pk"))), "enrollment_list_export"
    access_log_record(actor=actor, person_ids=[e.person_id for e in rows], action=action, request=request)
    return _write(fmt, (export_row(e) for e in rows))


def export_row(enrollment: Enrollment) -> list[ExportCell]:
    """One enrollment as the roster's cells, in COLUMNS order."""
    person = enrollment.person
    values: dict[str, ExportCell] = {
        "student_number": enrollment.student_number,
        "family_name_ko": person.family_name_ko,
        "given_name_ko": person.given_name_ko,
        "family_name_latin": person.family_name_latin,
        "given_name_latin": person.given_name_latin,
        "birth_date": person.birth_date,
        "gender": export_word(GENDER_WORDS, person.gender),
        "nationality": person.nationality,
        "email": person.email,
        "orcid": person.orcid or "",
        "national_researcher_number": person.national_researcher_number or "",
        "school": enrollment.programme.school.name_ko,
        "programme": enrollment.programme.name_ko,
        "admission_date": enrollment.admission_date,
        "expected_completion": enrollment.expected_completion,
        "status": export_word(STATUS_WORDS, enrollment.status),
        "status_date": enrollment.status_since,
        "completion_route": export_word(ROUTE_WORDS, enrollment.completion_route),
    }
    return [values[column.key] for column in COLUMNS]


def _header_rows() -> list[list[ExportCell]]:
    return [[c.header_ko for c in COLUMNS], [c.header_en for c in COLUMNS]]


def _write(fmt: RosterFormat, rows: Iterable[Sequence[ExportCell]]) -> bytes:
    return _write_xlsx(rows) if fmt == RosterFormat.XLSX else _write_csv(rows)


def _write_csv(rows: Iterable[Sequence[ExportCell]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(_header_rows())
    for row in rows:
        writer.writerow(
            ["" if v is None else v.isoformat() if isinstance(v, datetime.date) else escape(v) for v in row]
        )
    # With a BOM, Korean Excel opens UTF-8 as UTF-8 (without it, it guesses CP949 and garbles the text).
    return out.getvalue().encode("utf-8-sig")


def _write_xlsx(rows: Iterable[Sequence[ExportCell]]) -> bytes:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Roster"))
    sheet.freeze_panes = "A3"
    bold = Font(bold=True)
    for header in _header_rows():
        sheet.append([_cell(sheet, WriteOnlyCell, value, font=bold) for value in header])
    for row in rows:
        sheet.append([_cell(sheet, WriteOnlyCell, value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell(sheet: Any, cell_class: Any, value: ExportCell, font: Any = None) -> Any:
    cell = cell_class(sheet, value=escape(value))
    if isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, str):
        cell.data_type = "s"  # text, even when it looks like a number or a formula
    if font is not None:
        cell.font = font
    return cell
