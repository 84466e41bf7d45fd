"""The fields every free text of every model is declared with: bounded, and guarded against resident registration
numbers (주민등록번호) by the registry's one check (`validators.reject_resident_registration_number`).

Every write goes through a service that runs the model's validators (`talent.common.db.validate`), DRF's model
serializers and Django's model forms (the pages, the admin) copy them, and the database column holds at most
`max_length` characters: so a refused value never reaches a table, nor the history tables the triggers fill.
`talent/registry/checks.py` fails `manage.py check` (and so the tests) for a model text field declared otherwise.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxLengthValidator, validate_slug
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

from talent.registry.validators import reject_resident_registration_number


class GuardedCharField(models.CharField):
    """One line of free text (a name, a title): `max_length` characters at most, never an RRN."""

    default_validators = [reject_resident_registration_number]


class GuardedSlugField(models.SlugField):
    """A slug a person writes (a key): letters, digits, hyphens, underscores, never an RRN."""

    default_validators = [validate_slug, reject_resident_registration_number]


class GuardedTextField(models.TextField):
    """Free prose (a description, a summary, a note): `max_length` characters at most (in the column too, unlike
    Django's TextField), never an RRN."""

    default_validators = [reject_resident_registration_number]

    def __init__(self, *args: Any, max_length: int, **kwargs: Any) -> None:
        kwargs["max_length"] = max_length
        super().__init__(*args, **kwargs)
        self.validators.append(MaxLengthValidator(max_length))

    def db_type(self, connection: BaseDatabaseWrapper) -> str:
        return f"varchar({self.max_length})"


class GuardedListField(ArrayField):
    """A list of short texts (skills, terms): at most `size` items, each a GuardedCharField, and no RRN in any
    item nor split over several."""

    default_validators = [reject_resident_registration_number]

    def __init__(self, base_field: GuardedCharField, *, size: int, **kwargs: Any) -> None:
        super().__init__(base_field, size=size, **kwargs)
