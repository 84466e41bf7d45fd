"""University staff's roster import and export (included under university/roster/ by the university pages).

Upload -> dry run: the preview shows what each row would do and every problem, row by row. When no row has an
error the staff member confirms and the very same file is imported, without uploading it again: between the two
steps the file is kept in the cache (CACHE_URL) for an hour, under a key made of the uploader's id, the university
it was checked for and the file's SHA-256, and checked against that hash again before it is imported. Parsing and
every rule are the roster service's (talent.roster); this module only carries bytes and shows results.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talent.common.errors import DomainError
from talent.common.users import signed_in_user
from talent.registry import roles, selectors
from talent.registry.models import ImportBatch, Organization
from talent.roster.columns import BY_KEY
from talent.roster.results import batch_outcome
from talent.roster.services import (
    ImportResult,
    RosterFormat,
    RowAction,
    RowOutcome,
    export_filename,
    roster_export,
    roster_import,
    roster_template,
    stored_file_name,
)
from talent.web.forms import add_domain_error
from talent.web.forms.university import RosterConfirmForm, RosterUploadForm
from talent.web.views.university import roster_attachment, university_staff_only

KEEP_UPLOAD_SECONDS = 60 * 60
#: Rows without a problem shown in the preview; every row with a problem is always shown.
PREVIEW_ROWS = 200
RECENT_BATCHES = 10


def _university(request: HttpRequest) -> Organization:
    """The roster is one university's: its staff import and export it (an operator uses the API or admin)."""
    university = roles.university_of(request.user)
    if university is None:
        raise PermissionDenied(_("Roster import and export are for a university's staff."))
    return university


def _upload_key(request: HttpRequest, university: Organization, sha256: str) -> str:
    # The university too: a file checked for one university is never imported into another.
    return f"web:roster-upload:{request.user.pk}:{university.pk}:{sha256}"


def _keep(request: HttpRequest, university: Organization, filename: str, content: bytes) -> str:
    sha256 = hashlib.sha256(content).hexdigest()
    # The name as the batch will keep it: the cache is a side store too, and never holds a resident number.
    kept = {"filename": stored_file_name(filename), "content": content}
    cache.set(_upload_key(request, university, sha256), kept, KEEP_UPLOAD_SECONDS)
    return sha256


def _kept(request: HttpRequest, university: Organization, sha256: str) -> dict[str, Any] | None:
    kept = cache.get(_upload_key(request, university, sha256))
    if kept is None or hashlib.sha256(kept["content"]).hexdigest() != sha256:
        return None
    return kept


def _page(request: HttpRequest, university: Organization, form: RosterUploadForm, **extra: Any) -> HttpResponse:
    recent = selectors.import_batch_list(user=request.user).filter(university=university).defer("outcomes", "errors")
    batches = [_listed(batch) for batch in recent[:RECENT_BATCHES]]
    context = {"form": form, "university": university, "batches": batches, "formats": list(RosterFormat), **extra}
    return render(request, "web/university/roster.html", context)


def _listed(batch: ImportBatch) -> dict[str, Any]:
    outcome, label = batch_outcome(batch)
    return {"batch": batch, "outcome": str(outcome), "label": label}


def _labels(changes: list[str]) -> list[str]:
    return [str(BY_KEY[name].label) if name in BY_KEY else name for name in changes]


def _row(outcome: RowOutcome) -> dict[str, Any]:
    differences = [{**d, "label": _labels([d["field"]])[0]} for d in outcome.differences]
    return {**outcome.as_dict(), "changes": _labels(outcome.changes), "differences": differences}


def _preview(result: ImportResult) -> dict[str, Any]:
    """Every row with a problem, and the first rows without one, in the file's order."""
    problem_rows = [row for row in result.rows if row.action == RowAction.ERROR or row.messages or row.notices]
    other_rows = [row for row in result.rows if not (row.action == RowAction.ERROR or row.messages or row.notices)]
    shown = sorted([*problem_rows, *other_rows[:PREVIEW_ROWS]], key=lambda row: row.row)
    return {"result": result, "rows": [_row(row) for row in shown], "hidden_rows": len(result.rows) - len(shown)}


@university_staff_only
@require_http_methods(["GET", "HEAD", "POST"])
def roster_upload(request: HttpRequest) -> HttpResponse:
    university = _university(request)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, university, form)
    upload = form.cleaned_data["file"]
    content = upload.read(settings.ROSTER_MAX_BYTES + 1)  # one byte more than allowed: the service refuses it
    try:
        result = roster_import(
            actor=signed_in_user(request), university=university, filename=upload.name, content=content, dry_run=True
        )
    except DomainError as error:
        add_domain_error(form, error)
        return _page(request, university, form)
    confirm = (
        RosterConfirmForm(initial={"sha256": _keep(request, university, upload.name, content)}) if result.ok else None
    )
    return _page(request, university, RosterUploadForm(), confirm=confirm, **_preview(result))


@university_staff_only
@require_POST
def roster_confirm(request: HttpRequest) -> HttpResponse:
    university = _university(request)
    confirm = RosterConfirmForm(request.POST)
    kept = _kept(request, university, confirm.cleaned_data["sha256"]) if confirm.is_valid() else None
    if kept is None:
        messages.error(request, _("The checked file is no longer kept (it is kept for an hour): upload it again."))
        return redirect("web:university-roster-import")
    try:
        result = roster_import(actor=signed_in_user(request), university=university, dry_run=False, **kept)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("web:university-roster-import")
    if not result.applied:  # the records changed since the preview: show what is wrong now
        return _page(request, university, RosterUploadForm(), confirm=None, **_preview(result))
    cache.delete(_upload_key(request, university, result.sha256))
    messages.success(
        request,
        _("The roster is imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
        % result.totals(),
    )
    return redirect("web:university-roster-import")


@university_staff_only
@require_GET
def roster_download(request: HttpRequest, fmt: str) -> HttpResponse:
    university = _university(request)
    content = roster_export(actor=signed_in_user(request), university=university, fmt=fmt, request=request)
    return roster_attachment(content, fmt, export_filename(university, fmt))


@university_staff_only
@require_GET
def roster_batch(request: HttpRequest, pk: int) -> HttpResponse:
    """One past upload: what came of it, its counts and every problem found, by row and column."""
    _university(request)
    batch = selectors.import_batch_get_for_user(user=request.user, pk=pk)
    rows = [{**row, "changes": _labels(row["changes"])} for row in batch.outcomes]
    return render(request, "web/university/roster_batch.html", {**_listed(batch), "rows": rows})


@university_staff_only
@require_GET
def template_download(request: HttpRequest, fmt: str) -> HttpResponse:
    content = roster_template(fmt, university=roles.university_of(request.user))  # its programmes as choices
    return roster_attachment(content, fmt, export_filename(None, fmt))


urlpatterns = [
    path("", roster_upload, name="university-roster-import"),
    path("confirm/", roster_confirm, name="university-roster-confirm"),
    path("imports/<int:pk>/", roster_batch, name="university-roster-batch"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", roster_download, name="university-roster-export"),
    re_path(r"^template\.(?P<fmt>csv|xlsx)$", template_download, name="university-roster-template"),
]
