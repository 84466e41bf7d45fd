"""Errors raised by services. Each carries a message a person understands, in their language."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy

#: What a person sees when the server fails: the API handler and the /api/ error view share it.
SERVER_ERROR_MESSAGE = gettext_lazy("Something went wrong on our side; nothing was saved. Please try again.")


class DomainError(Exception):
    """A rule of the domain refused the request.

    `field` names the input at fault when there is one; `errors` carries several field messages at once
    (as from model validation).
    """

    default_code = "domain_error"

    def __init__(
        self,
        message: Any,
        *,
        field: str | None = None,
        code: str | None = None,
        errors: dict[str, list[Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code or self.default_code
        self.errors = errors

    def __str__(self) -> str:
        return str(self.message)

    def as_dict(self) -> dict[str, list[str]]:
        if self.errors:
            return {key: [str(m) for m in messages] for key, messages in self.errors.items()}
        return {self.field or "non_field_errors": [str(self.message)]}


class InvalidInput(DomainError):
    """The input is malformed or fails a validation rule (maps to HTTP 400)."""

    default_code = "invalid"


class Conflict(DomainError):
    """The input is well-formed but conflicts with the current state or another record (HTTP 409)."""

    default_code = "conflict"


class IllegalTransition(Conflict):
    default_code = "illegal_transition"


class NotAllowed(DomainError):
    """The acting user may not do this (HTTP 403)."""

    default_code = "permission_denied"


class NotFound(DomainError, Http404):
    """No such object among those the acting user may reach (HTTP 404): another organization's object is simply
    not found. A Django 404 too, so a page that asks a getter needs no handler of its own."""

    default_code = "not_found"


class TooManyAttempts(DomainError):
    """Too many attempts from here for now (HTTP 429); `wait` is the seconds until the next may succeed, None when
    only an operator can lift the block."""

    default_code = "too_many_attempts"
    wait: int | None = None
