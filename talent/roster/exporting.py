"""The roster out: the template (headers only) and a university's roster, in CSV or XLSX, in the very shape
the import reads, so that an export imports back to no change.

Row 1 holds the Korean headers, row 2 their English aliases (the import recognises and skips it); the template adds an
example row, which the import skips too. Text that
a spreadsheet would take for a formula (starting with =, +, -, @) is escaped with a leading apostrophe.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talent.common.errors import InvalidInput, NotAllowed
from talent.registry import roles, selectors, vocabulary
from talent.registry.models import Enrollment, Organization, Programme
from talent.registry.services._base import Actor
from talent.registry.vocabulary import CompletionRoute, EnrollmentStatus, Gender
from talent.roster.columns import BY_KEY, COLUMNS
from talent.roster.rows import EXAMPLE_MARK, FORMULA_STARTS, GENDER_WORDS, ROUTE_WORDS, STATUS_WORDS, export_word

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


def roster_template(fmt: RosterFormat | str, *, university: Organization | None = None) -> bytes:
    """An empty roster: the Korean headers, the English alias row and one example row (its student number starts
    with EXAMPLE_MARK, so the import skips it). The workbook also lists the allowed values on a second sheet and
    offers them as drop-downs for 과정 (the university's programmes, when it is named), 학적상태, 성별 and 국적."""
    fmt = RosterFormat.of(fmt)
    programmes = _programme_names(university)
    example = _example_row(programmes)
    if fmt == RosterFormat.CSV:
        return _write_csv([example])
    return _template_xlsx(example, programmes)


#: The example row: a student admitted and enrolled on 2 March 2026, in the words the pages show.
EXAMPLE: dict[str, ExportCell] = {
    "student_number": f"{EXAMPLE_MARK}-2026-0001",
    "family_name_ko": "김",
    "given_name_ko": "하늘",
    "family_name_latin": "Kim",
    "given_name_latin": "Haneul",
    "birth_date": datetime.date(2001, 3, 15),
    "gender": export_word(GENDER_WORDS, Gender.FEMALE),
    "nationality": "KR",
    "email": "haneul.kim@example.ac.kr",
    "orcid": "",
    "national_researcher_number": "",
    "school": "",
    "programme": "AX 융합 석사",
    "admission_date": datetime.date(2026, 3, 2),
    "expected_completion": datetime.date(2028, 2, 29),
    "status": export_word(STATUS_WORDS, EnrollmentStatus.ENROLLED),
    "status_date": datetime.date(2026, 3, 2),
    "completion_route": export_word(ROUTE_WORDS, CompletionRoute.THESIS),
    "correction_reason": "",  # only to void or cancel a recorded change: CORRECTION_HELP
}
#: What the template tells about the correction reason column (정정사유), on its header in the workbook; the roster
#: page says the same.
CORRECTION_HELP = gettext_lazy(
    "Only to void a status change recorded by mistake, or cancel a scheduled one: give the status as it stood "
    "before that change (학적상태, 상태변경일) and the reason here. Leave it empty otherwise."
)
#: The columns whose cells offer a drop-down of allowed values in the workbook template.
CHOICE_COLUMNS = ("programme", "status", "gender", "nationality")


def _programme_names(university: Organization | None) -> list[str]:
    if university is None:
        return []
    programmes = Programme.objects.filter(school__university=university).order_by("name_ko")
    return list(dict.fromkeys(programmes.values_list("name_ko", flat=True)))


def _example_row(programmes: list[str]) -> list[ExportCell]:
    values = dict(EXAMPLE)
    if programmes:
        values["programme"] = programmes[0]
    return [values[column.key] for column in COLUMNS]


def allowed_values(programmes: list[str]) -> dict[str, list[str]]:
    """Per choice column, the values the template offers: the words the pages show, country codes."""
    return {
        "programme": programmes,
        "status": [words[0] for words in STATUS_WORDS.values()],
        "gender": [words[0] for words in GENDER_WORDS.values()],
        "nationality": sorted(vocabulary.countries()),
    }


def _template_xlsx(example: list[ExportCell], programmes: list[str]) -> bytes:
    """A normal (not write-only) workbook: data validation needs it. The roster is the first sheet (the import reads
    only that one); the allowed values are on the second, one column per choice column, countries with their names."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Roster")
    sheet.freeze_panes = "A3"
    bold = Font(bold=True)
    for header in _header_rows():
        sheet.append(header)
    sheet.append([escape(value) for value in example])
    for header_row in sheet.iter_rows(min_row=1, max_row=2):
        for header_cell in header_row:
            header_cell.font = bold
    reason_header = sheet.cell(row=1, column=[column.key for column in COLUMNS].index("correction_reason") + 1)
    reason_header.comment = Comment(str(CORRECTION_HELP), "AX Talent Registry")
    for cell in sheet[3]:
        cell.font = Font(italic=True, color="666666")
        if isinstance(cell.value, datetime.date):
            cell.number_format = "yyyy-mm-dd"
    allowed = workbook.create_sheet(_("Allowed values"))
    values = allowed_values(programmes)
    names = vocabulary.countries()
    keys = [key for key in CHOICE_COLUMNS if values[key]]
    allowed.append([BY_KEY[key].header_ko for key in keys] + [_("Country name")])
    for index in range(max(len(values[key]) for key in keys)):
        row: list[ExportCell] = [values[key][index] if index < len(values[key]) else None for key in keys]
        country = values["nationality"][index] if index < len(values["nationality"]) else None
        allowed.append([*row, names[country]["ko"] if country else None])
    positions = {column.key: position for position, column in enumerate(COLUMNS, start=1)}
    last_row = 2 + settings.ROSTER_MAX_ROWS + 1
    for offset, key in enumerate(keys, start=1):
        source = get_column_letter(offset)
        validation = DataValidation(
            type="list",
            formula1=f"'{allowed.title}'!${source}$2:${source}${len(values[key]) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=str(BY_KEY[key].header_ko),
            error=_("Choose one of the allowed values (sheet “%(sheet)s”).") % {"sheet": allowed.title},
        )
        target = get_column_letter(positions[key])
        validation.add(f"{target}3:{target}{last_row}")
        sheet.add_data_validation(validation)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


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
    rows = selectors.enrollment_reads_logged(rows, user=actor, action=action, request=request)
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
        "correction_reason": "",  # the roster as recorded: nothing to correct
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
