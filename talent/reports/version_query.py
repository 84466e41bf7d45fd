"""`?version=` on the report pages (the dashboard, the intake plans, the scenarios), as on the reports API: the
version asked for, else the one in force on the page's date. selectors.target_current decides, and refuses a
version the target does not have; the forms here only read the query and show the refusal beside the field."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy

from talent.common.errors import InvalidInput
from talent.common.forms import add_domain_error
from talent.reports import selectors
from talent.reports.models import Target

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


def version_field(*, help_text: str | _StrPromise) -> forms.IntegerField:
    """The `version` a page's form reads: a version number, empty for the version in force."""
    return forms.IntegerField(
        label=gettext_lazy("Target version"), required=False, min_value=1, max_value=2**31 - 1, help_text=help_text
    )


class VersionForm(forms.Form):
    version = version_field(help_text=gettext_lazy("Empty: the version in force today."))


def chosen_target(form: forms.Form, *, code: str, on: datetime.date | None, version: int | None) -> Target | None:
    """The version of `code` that `version` asks for, else the one in force on `on`, through the selector the API
    uses; its refusal (a version or a target there is not, a seeded target that is missing) goes on `form` beside the
    field it names, and the answer is None."""
    try:
        return selectors.target_current(code=code, on=on, version=version)
    except (InvalidInput, selectors.TargetMissing) as refused:
        if refused.field not in form.fields:
            raise
        add_domain_error(form, refused)
        return None


def page_target(query: QueryDict, *, code: str, on: datetime.date | None = None) -> tuple[Target, VersionForm]:
    """The target version a page works under and the form that shows it: the one `?version=` asks for, else the
    one in force on `on` (default today). A refused version is on the form (the page answers 400 and does
    nothing it was asked to), and the page shows the version in force meanwhile."""
    form = VersionForm(query if query.get("version") else None)
    asked = None
    if form.is_bound and form.is_valid():
        asked = chosen_target(form, code=code, on=on, version=form.cleaned_data["version"])
    target = asked or selectors.target_current(code=code, on=on)
    form.fields["version"].initial = target.version
    return target, form
