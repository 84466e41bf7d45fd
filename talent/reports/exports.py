"""Downloads of every report table as CSV and XLSX, and the small-cell suppression of public exports.

- A public export shows every count below SMALL_CELL as "<5" (zero too: a public table never tells a 0 from a
  4), and, in a column whose total is shown, hides the next smallest cell as well when only one was hidden —
  otherwise the total minus the others would give it away. Sums of other columns ("active") are left out of
  public tables for the same reason, and figures derived from a hidden count (projection, paces) are blank.
- The ministry's own download is exact.
- Every table names what it was computed under after its rows, a blank row below them, one label and value a
  row (`Table.notes`): the target version of a target's tables, and the projection's assumptions.
- Text cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return)
  are prefixed with an apostrophe, in both formats.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.worksheet.worksheet import Worksheet

from talent.reports import projection
from talent.reports.arithmetic import Band, straight_path
from talent.reports.labels import BAND_LABELS, COLUMN_LABELS
from talent.reports.models import Target
from talent.reports.outlook import Outlook
from talent.reports.selectors import Headcount, TargetReport, Trajectory

SMALL_CELL = 5
SUPPRESSED = "<5"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

#: Columns that are sums of other columns: left out of public tables (they would reveal hidden cells).
SUM_COLUMNS = {"active"}

Cell = Any


@dataclass(frozen=True)
class Table:
    title: str
    filename: str  # without extension, ASCII
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    notes: list[tuple[str, Cell]] = field(default_factory=list)  # label and value, written after the rows


def version_notes(target: Target) -> list[tuple[str, Cell]]:
    """The target version a table was computed under (its value, deadline and counting rules), as every table
    of one target names it."""
    return [
        (_("Target"), target.label),
        (_("Version"), target.version),
        (_("Version in force from"), target.effective_from.isoformat()),
    ]


# --- Suppression (pure) ---------------------------------------------------------------------------------


def suppress_column(cells: Sequence[int], total: int | None) -> tuple[list[int | str], int | str | None]:
    """One column of a public table: small cells hidden, and one more when a lone hidden cell could be
    worked out from the shown total. Returns the cells and the total as shown."""
    hidden = {i for i, value in enumerate(cells) if value < SMALL_CELL}
    total_shown = total is not None and total >= SMALL_CELL
    if total_shown and len(hidden) == 1 and len(cells) > 1:
        others = [i for i in range(len(cells)) if i not in hidden]
        hidden.add(min(others, key=lambda i: (cells[i], i)))
    shown = [SUPPRESSED if i in hidden else value for i, value in enumerate(cells)]
    if total is None:
        return shown, None
    return shown, total if total_shown else SUPPRESSED


def suppress_count(value: int) -> int | str:
    return SUPPRESSED if value < SMALL_CELL else value


def escape_formula(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# --- Tables ---------------------------------------------------------------------------------------------


def public_counts(headcount: Headcount) -> tuple[list[dict[str, Cell]], dict[str, Cell]]:
    """The rows' counts and the total of a breakdown as a public table shows them (see the module)."""
    columns = [c for c in headcount.columns if c not in SUM_COLUMNS]
    rows: list[dict[str, Cell]] = [{} for _row in headcount.rows]
    total: dict[str, Cell] = {}
    for column in columns:
        cells, total[column] = suppress_column([row.counts[column] for row in headcount.rows], headcount.total[column])
        for shown, cell in zip(rows, cells, strict=True):
            shown[column] = cell
    return rows, total


def headcount_table(headcount: Headcount, *, public: bool) -> Table:
    """A breakdown: one row per group, then the total row."""
    if public:
        counts, total = public_counts(headcount)
    else:
        counts, total = [row.counts for row in headcount.rows], headcount.total
    columns = list(total)
    rows = [
        [row.key, row.label, *(shown[c] for c in columns)] for row, shown in zip(headcount.rows, counts, strict=True)
    ]
    rows.append(["", _("Total"), *(total[c] for c in columns)])
    return Table(
        title=_("%(target)s by %(by)s, as of %(date)s")
        % {"target": headcount.target.code, "by": headcount.by, "date": headcount.as_of.isoformat()},
        filename=f"{headcount.target.code}_{headcount.by}_{headcount.as_of.isoformat()}"
        + ("_public" if public else ""),
        headers=[_("Key"), _("Group"), *(str(COLUMN_LABELS[c]) for c in columns)],
        rows=rows,
        notes=version_notes(headcount.target),
    )


def targets_table(reports: list[TargetReport], *, public: bool) -> Table:
    """The targets report: one row per target."""
    headers = [
        _("Target"),
        _("Version"),
        _("Target value"),
        _("Deadline"),
        _("As of"),
        _("Scope"),
        str(COLUMN_LABELS["achieved"]),
        str(COLUMN_LABELS["entrants"]),
        str(COLUMN_LABELS["enrolled"]),
        str(COLUMN_LABELS["on_leave"]),
        str(COLUMN_LABELS["coursework_complete"]),
        str(COLUMN_LABELS["expected_to_finish"]),
        str(COLUMN_LABELS["planned"]),
        _("Completion rate used"),
        _("Projected by the deadline"),
        _("Required pace (per month)"),
        _("Observed pace (per month, last 12 months)"),
        _("Status"),
    ]
    return Table(
        title=_("Targets as of %(date)s") % {"date": reports[0].as_of.isoformat() if reports else ""},
        filename=f"targets_{reports[0].as_of.isoformat() if reports else 'none'}" + ("_public" if public else ""),
        headers=headers,
        rows=[_target_row(report, public=public) for report in reports],
    )


def _target_row(report: TargetReport, *, public: bool) -> list[Cell]:
    active = report.active or {}
    counts: list[int | None] = [
        report.achieved,
        report.entrants,
        active.get("enrolled"),
        active.get("on_leave"),
        active.get("coursework_complete"),
        report.expected_to_finish,
        report.planned_returns,
    ]
    derived: list[Cell] = [
        report.completion_rate.used if report.completion_rate else None,
        report.projected,
        report.pace.required,
        report.pace.observed,
    ]
    if public:
        # The projection and the paces are worked out from the achieved count and the pipeline.
        inputs_hidden = any(value is not None and value < SMALL_CELL for value in counts[:1] + counts[5:])
        counts = [None if value is None else suppress_count(value) for value in counts]  # type: ignore[misc]
        if inputs_hidden:
            derived = [derived[0], "", "", ""]
    target = report.target
    band = str(BAND_LABELS[Band(report.band)]) if report.band else ""
    return [
        f"{target.code} {target.name_ko}",
        target.version,
        target.value,
        target.deadline.isoformat(),
        report.as_of.isoformat(),
        report.scope,
        *("" if value is None else value for value in counts),
        *("" if value is None else value for value in derived),
        band,
    ]


def trajectory_table(path: Trajectory, *, public: bool) -> Table:
    """Achieved per month (or year), beside the straight path to the target at each period's end."""
    target = path.target
    rows = [
        [
            point.period.strftime("%Y-%m" if path.step == "month" else "%Y"),
            point.end.isoformat(),
            suppress_count(point.gained) if public else point.gained,
            suppress_count(point.achieved) if public else point.achieved,
            round(straight_path(start=target.start_date, deadline=target.deadline, target=target.value, on=point.end)),
        ]
        for point in path.points
    ]
    return Table(
        title=_("%(target)s trajectory as of %(date)s") % {"target": target.code, "date": path.as_of.isoformat()},
        filename=f"{target.code}_trajectory_{path.step}_{path.as_of.isoformat()}" + ("_public" if public else ""),
        headers=[_("Period"), _("Until"), _("Gained"), str(COLUMN_LABELS["achieved"]), _("Straight path to target")],
        rows=rows,
        notes=version_notes(target),
    )


def outlook_table(outlook: Outlook) -> Table:
    """The projection with the planned intake by year (expected, 10th and 90th percentile, planned entrants),
    then what it takes, the back-test and the assumptions, one per row. Ministry or university figures, exact."""
    target, result = outlook.target, outlook.projection
    rows: list[list[Cell]] = [
        [
            figure.year,
            figure.end.isoformat(),
            round(figure.expected, 1),
            figure.low,
            figure.high,
            outlook.planned_by_year.get(figure.year, ""),
        ]
        for figure in result.by_year
    ]
    requirement = outlook.requirement
    backtest = outlook.backtest
    notes: list[tuple[str, Cell]] = [
        *version_notes(target),
        (_("As of"), outlook.as_of.isoformat()),
        (_("Trained so far"), result.achieved),
        (_("Shortfall by the deadline"), outlook.shortfall),
        (_("Too little data for one figure"), _("yes") if not outlook.confident else _("no")),
        (_("What it takes (entrants a year)"), _blank_if_none(requirement.intake_per_year)),
        (_("From year"), requirement.from_year),
        (_("Band"), _("10th–90th percentile of %(paths)s simulated futures") % {"paths": f"{result.paths:,}"}),
        (_("Planned cohorts enter on"), _("1 March of their year")),
        (_("Prior completion rate"), float(target.prior_completion_rate)),
        (_("Weight of the prior (students)"), target.prior_weight),
        (_("Degree mix of a yearly intake"), ", ".join(f"{k} {v:.0%}" for k, v in sorted(outlook.mix.items()))),
        *(
            (_("Rates of %(level)s: graduate, fast track, leave; finished") % {"level": level}, _rates(rates))
            for level, rates in sorted(outlook.rates.items())
        ),
        *((_("No plan for %(year)s") % {"year": year}, ", ".join(names)) for year, names in outlook.unplanned.items()),
    ]
    if backtest is not None:
        notes += [
            (_("Back-test made on"), backtest.made_on.isoformat()),
            (_("Back-test: projected"), round(backtest.expected, 1)),
            (_("Back-test: 10th–90th percentile"), f"{backtest.low}–{backtest.high}"),
            (_("Back-test: actually trained"), backtest.actual),
            (_("Back-test: error"), round(backtest.error, 1)),
            (
                _("Back-test: relative error"),
                "" if backtest.relative_error is None else round(backtest.relative_error, 3),
            ),
            (_("Back-test: inside the band"), _("yes") if backtest.in_band else _("no")),
        ]
    return Table(
        title=_("%(target)s projection as of %(date)s") % {"target": target.code, "date": outlook.as_of.isoformat()},
        filename=f"{target.code}_projection_{outlook.as_of.isoformat()}",
        headers=[
            _("Year"),
            _("Until"),
            _("Expected trained (cumulative)"),
            _("10th percentile"),
            _("90th percentile"),
            _("Planned entrants"),
        ],
        rows=rows,
        notes=notes,
    )


def _blank_if_none(value: int | None) -> Cell:
    return "" if value is None else value


def _rates(rates: projection.LevelRates) -> str:
    graduate, fast_track, leave = rates.shares
    return f"{graduate:.3f}, {fast_track:.3f}, {leave:.3f}; {rates.observed_endings}"


# --- Files ----------------------------------------------------------------------------------------------


def _lines(table: Table) -> list[list[Cell]]:
    """The header, the rows, and the notes after a blank row: what both formats write."""
    notes = [[], *([label, value] for label, value in table.notes)] if table.notes else []
    return [table.headers, *table.rows, *notes]


def csv_bytes(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read the Korean text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in _lines(table):
        writer.writerow([escape_formula(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(table: Table) -> bytes:
    workbook = Workbook()
    sheet = cast(Worksheet, workbook.active)  # a new workbook opens on its one worksheet
    sheet.title = table.title[:31].replace("/", "-").replace(":", "-")
    for row in _lines(table):
        sheet.append([escape_formula(cell) for cell in row])
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING  # never a formula, whatever the text
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(table: Table, file_format: str) -> HttpResponse:
    content = csv_bytes(table) if file_format == "csv" else xlsx_bytes(table)
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{table.filename}.{file_format}"'
    return response
