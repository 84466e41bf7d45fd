"""`?version=` on the report pages that work under one target version (the intake plans, the scenarios), as on the
reports API: the version asked for, else the one in force on the page's date. selectors.target_current decides,
and refuses a version the target does not have; this form only reads the query and shows the refusal beside it."""

from __future__ import annotations

import datetime

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy

from talent.common.errors import InvalidInput
from talent.common.forms import add_domain_error
from talent.reports import selectors
from talent.reports.models import Target


class VersionForm(forms.Form):
    version = forms.IntegerField(
        label=gettext_lazy("Target version"),
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text=gettext_lazy("Empty: the version in force today."),
    )


def page_target(query: QueryDict, *, code: str, on: datetime.date | None = None) -> tuple[Target, VersionForm]:
    """The target version a page works under and the form that shows it: the one `?version=` asks for, else the
    one in force on `on` (default today). A refused version is on the form (the page answers 400 and does
    nothing it was asked to), and the page shows the version in force meanwhile."""
    form = VersionForm(query if query.get("version") else None)
    if form.is_bound and not form.is_valid():
        return selectors.target_current(code=code, on=on), form
    asked = form.cleaned_data["version"] if form.is_bound else None
    try:
        target = selectors.target_current(code=code, on=on, version=asked)
    except InvalidInput as refused:
        if refused.field != "version":
            raise
        add_domain_error(form, refused)
        target = selectors.target_current(code=code, on=on)
    form.fields["version"].initial = target.version
    return target, form
