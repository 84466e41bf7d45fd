"""Domain errors on forms, for every form that submits to a service: the pages' and the admin's."""

from __future__ import annotations

from django import forms

from talent.common.errors import DomainError


def add_domain_error(form: forms.BaseForm, error: DomainError, *others: forms.BaseForm) -> None:
    """Put a service's refusal on the form(s) of one submission: each message next to the field it names, on the
    form that shows that field; the others (a rule about the whole record) above the first form."""
    for field, messages in error.as_dict().items():
        target = next((f for f in (form, *others) if field in f.fields), None)
        for message in messages:
            if target is None:
                form.add_error(None, message)
            else:
                target.add_error(field, message)
