"""Forms of the web pages. They parse what a person typed; the services validate it and write it.

`submit` runs a service with a valid form's data and puts a refusal (`DomainError`) next to the field it names,
so the page re-renders the bound form with nothing the person typed lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages as page_messages
from django.db import models
from django.http import HttpRequest, QueryDict
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from talent.common.db import model_field
from talent.common.errors import DomainError
from talent.common.forms import add_domain_error

T = TypeVar("T")


class ServiceForm(forms.ModelForm):
    """A model's fields (labels, choices, widgets) for a write that a service does: the model's own validation
    runs in the service, which reports each problem under the field it concerns."""

    def _post_clean(self) -> None:
        """The service validates the row; the form only parses."""


def posted(request: HttpRequest) -> QueryDict | None:
    """A form's data: what was posted, or None (an unbound form) on a GET."""
    return request.POST if request.method == "POST" else None


def submit(form: forms.BaseForm, write: Callable[[dict[str, Any]], T]) -> T | None:
    """`write(cleaned_data)` when the form is valid; None otherwise: the errors are on the form, and an unbound
    form (a GET) is never valid."""
    if not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except DomainError as error:
        add_domain_error(form, error)
        return None


def perform(request: HttpRequest, write: Callable[[], object], *, saved: str) -> bool:
    """A button's write (no form to re-render): `write()`, then its refusal (`DomainError`) or `saved` goes to the
    messages shown on the next page. True when it was done."""
    try:
        write()
    except DomainError as error:
        page_messages.error(request, str(error))
        return False
    page_messages.success(request, saved)
    return True


def model_label(model: type[models.Model], name: str) -> Any:
    """A model field's label (its verbose name, translated when shown), for a form field declared by hand."""
    return capfirst(model_field(model, name).verbose_name)


#: A date field as the browser's date picker; the value in ISO form, which the picker needs.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

SKILLS_HELP = _("One per line, or separated by commas.")


class SkillsField(forms.CharField):
    """A list of skills typed one per line or separated by commas."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [part.strip() for line in text.splitlines() for part in line.split(",") if part.strip()]
