"""Roster import and export: universities upload the student roster their office keeps (CSV or XLSX) and
download it again in the same shape.

The entry points (services: they check who acts, and every write happens inside them):

- `roster_import(*, actor, university, filename, content, dry_run)` -> `ImportResult`: a dry run says, row
  by row, what would be created, updated or left unchanged and every problem; a real import stores the
  whole file in one transaction, or nothing when any row has an error. Either way an `ImportBatch` records
  the attempt. A file that cannot be read at all (size or row limit, unknown format or encoding, a resident
  registration number anywhere) raises `InvalidInput` before anything is stored.
- `roster_export(*, actor, university, fmt)` -> bytes: the university's roster, which imports back to no change.
- `roster_template(fmt, university=None)` -> bytes: an empty roster with the Korean headers, the English alias row
  and an example row the import skips; the workbook adds the allowed values and drop-downs for them.

`fmt` is `RosterFormat.CSV` or `RosterFormat.XLSX` (or the strings "csv" / "xlsx").
"""

from talent.roster.exporting import RosterFormat, content_type, export_filename, roster_export, roster_template
from talent.roster.importing import roster_import, stored_file_name
from talent.roster.results import ImportResult, RowAction, RowMessage, RowOutcome

__all__ = [
    "ImportResult",
    "RosterFormat",
    "RowAction",
    "RowMessage",
    "RowOutcome",
    "content_type",
    "export_filename",
    "roster_export",
    "roster_import",
    "roster_template",
    "stored_file_name",
]
