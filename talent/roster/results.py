"""What an import tells its caller: one outcome per row, every problem with its row and column, and totals."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from talent.registry.models import ImportBatch, ImportBatchStatus, RosterRefusal
from talent.registry.validators import redact_resident_registration_numbers
from talent.roster.columns import column_for

_QUOTED = re.compile(r"“[^”]*”|'[^']*'")


class RowAction(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    ERROR = "error"


@dataclass(frozen=True)
class RowMessage:
    """One problem: the spreadsheet row (1-based as Excel shows it; None for the file as a whole), the
    column as headed in the file (None when no single column is at fault) and a message in the active language."""

    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}

    def as_stored_dict(self) -> dict[str, Any]:
        """The problem as the import batch keeps it: no value of the file. A column the roster does not know is
        named by its position; a quoted value (every message quotes the cells it repeats) becomes “…"."""
        column = self.column if self.column is None or column_for(self.column) else "-"
        message = redact_resident_registration_numbers(_QUOTED.sub("“…”", self.message))
        return {"row": self.row, "column": column, "message": message}


@dataclass
class RowOutcome:
    """What the import did (or, in a dry run, would do) with one row of the file."""

    row: int
    action: RowAction
    student_number: str
    messages: list[RowMessage] = field(default_factory=list)
    #: Field names (model attnames or "status") that change; empty for created, unchanged and error rows.
    changes: list[str] = field(default_factory=list)
    #: Not errors: what the row's university should know (e.g. its details differ from the registry's record of a
    #: person it identified by ORCID iD); the row is stored.
    notices: list[RowMessage] = field(default_factory=list)
    #: The row's values as read, shown (rows.shown), by column key: what the preview shows staff to check.
    values: dict[str, str] = field(default_factory=dict)
    #: For a changed row, per changed field: {"field", "old", "new"} as shown (the status with its date).
    differences: list[dict[str, str]] = field(default_factory=list)

    def as_stored_dict(self) -> dict[str, Any]:
        """What the import batch keeps of the row: its number, what it did and the names of the fields it changed;
        no value of the file (its problems are kept apart, with the file's)."""
        return {"row": self.row, "action": str(self.action), "changes": list(self.changes)}

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "action": str(self.action),
            "student_number": self.student_number,
            "changes": list(self.changes),
            "messages": [m.as_dict() for m in self.messages],
            "notices": [m.as_dict() for m in self.notices],
            "values": dict(self.values),
            "differences": [dict(d) for d in self.differences],
        }


@dataclass
class ImportResult:
    """The outcome of `roster_import`.

    `applied` is True only for a real import that stored every row; a dry run, or a file with any error,
    stores no record (only the ImportBatch that documents the attempt, `batch_id`). `problems` lists every
    message, file-level ones (row None, e.g. an ignored extra column) first.
    """

    batch_id: int | None
    dry_run: bool
    applied: bool
    filename: str
    sha256: str
    rows: list[RowOutcome] = field(default_factory=list)
    notices: list[RowMessage] = field(default_factory=list)  # file-level, not errors (e.g. extra columns)

    def count(self, action: RowAction) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count(RowAction.CREATED)

    @property
    def updated(self) -> int:
        return self.count(RowAction.UPDATED)

    @property
    def unchanged(self) -> int:
        return self.count(RowAction.UNCHANGED)

    @property
    def errors(self) -> int:
        return self.count(RowAction.ERROR)

    @property
    def ok(self) -> bool:
        """No row has an error: a real import of this file would (or did) apply."""
        return self.errors == 0

    @property
    def problems(self) -> list[RowMessage]:
        return [*self.notices, *(m for row in self.rows for m in row.messages)]

    def totals(self) -> dict[str, int]:
        return {
            "rows": len(self.rows),
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": self.errors,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "batch": self.batch_id,
            "dry_run": self.dry_run,
            "applied": self.applied,
            "filename": self.filename,
            "sha256": self.sha256,
            "totals": self.totals(),
            "notices": [m.as_dict() for m in self.notices],
            "rows": [r.as_dict() for r in self.rows],
        }


class Outcome(StrEnum):
    """What came of an upload, as its record is listed: a file checked without an error is the only "checked" one."""

    APPLIED = "applied"
    CHECKED = "checked"
    ROW_ERRORS = "row_errors"
    REFUSED = "refused"


def batch_outcome(batch: ImportBatch) -> tuple[Outcome, str]:
    """The upload's outcome and its label in the active language: one label per refusal reason, and a checked file
    with row errors told apart from a clean one."""
    errors = batch.error_count
    if batch.status == ImportBatchStatus.APPLIED:
        return Outcome.APPLIED, _("Imported")
    if batch.refusal:
        reason = RosterRefusal(batch.refusal).label
        return Outcome.REFUSED, _("Refused: %(reason)s") % {"reason": reason}
    if batch.status == ImportBatchStatus.REJECTED:  # refused before the reason was kept
        return Outcome.REFUSED, _("Refused: the whole file")
    rows = ngettext("%(count)d row with errors", "%(count)d rows with errors", errors) % {"count": errors}
    if batch.status == ImportBatchStatus.DRY_RUN:
        if errors:
            return Outcome.ROW_ERRORS, _("Checked: %(rows)s") % {"rows": rows}
        return Outcome.CHECKED, _("Checked: no errors")
    return Outcome.ROW_ERRORS, _("Not imported: %(rows)s") % {"rows": rows}
