"""The report pages built on a seeded target (the intake plans, the scenarios) show a page that says the target is
missing and who restores it, instead of failing, when `selectors.TargetMissing` is raised."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from talent.registry import roles
from talent.reports.selectors import TargetMissing

View = Callable[..., HttpResponse]


def shows_missing_target(view: View) -> View:
    """Render reports/target_missing.html (HTTP 409) when the view meets a missing seeded target."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except TargetMissing as missing:
            context = {
                "message": missing.message,
                "code": missing.target_code,
                "operator": roles.is_operator(request.user),
            }
            return render(request, "reports/target_missing.html", context, status=409)

    return wrapped
