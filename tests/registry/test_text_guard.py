"""One guard against resident registration numbers (주민등록번호), on every free text of every model: however the
number is spelled, it is refused; and a model text field declared without the guard or a bound fails the checks."""

from __future__ import annotations

import pytest
from django.apps import AppConfig, apps
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

import talent.registry as registry
from talent.registry import checks, validators
from talent.registry.fields import GuardedCharField, GuardedListField, GuardedTextField

# One number (a real birth date, 1990-01-01, sex digit 1), written as people and attackers write it.
SPELLINGS = {
    "hyphen": "900101-1234568",
    "no separator": "9001011234568",
    "en dash U+2013": "900101\u20131234568",
    "em dash U+2014": "900101\u20141234568",
    "full-width hyphen U+FF0D": "900101\uff0d1234568",
    "minus sign U+2212": "900101\u22121234568",
    "non-breaking hyphen U+2011": "900101\u20111234568",
    "zero-width space U+200B": "900101\u200b1234568",
    "soft hyphen U+00AD": "900101\u00ad1234568",
    "word joiner inside the digits": "9001\u206001-1234568",
    "dot": "900101.1234568",
    "space": "900101 1234568",
    "spaces around a hyphen": "900101 - 1234568",
    "ideographic space U+3000": "900101\u30001234568",
    "full-width digits": "\uff19\uff10\uff10\uff11\uff10\uff11-\uff11\uff12\uff13\uff14\uff15\uff16\uff18",
    "dotted birth date": "90.01.01-1234568",
    "inside a Korean sentence": "김철수900101\u20131234568입니다",
}


@pytest.mark.parametrize("text", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_every_spelling_of_a_resident_registration_number_is_refused(text):
    with pytest.raises(ValidationError) as excinfo:
        validators.reject_resident_registration_number(text)
    assert [e.code for e in excinfo.value.error_list] == ["resident_registration_number"]


def test_a_number_split_over_two_list_items_is_refused():
    with pytest.raises(ValidationError):
        validators.reject_resident_registration_number(["900101", "1234568"])


@pytest.mark.parametrize(
    "text",
    ["AI 비전검사 2024.01.15 도입", "010-1234-5678", "2026-03-02 ~ 2028-02-28", "ISBN 978-89-6626-095-9", "24 1234567"],
)
def test_dates_phone_numbers_and_other_numbers_pass(text):
    validators.reject_resident_registration_number(text)


@pytest.mark.parametrize(
    ("field", "missing"),
    [
        (models.CharField(max_length=200), ["the resident-registration-number guard"]),
        (models.TextField(), ["the resident-registration-number guard", "a max_length"]),
        (
            ArrayField(models.CharField(max_length=60)),
            ["a size (the most items a list may have)", "items: the resident-registration-number guard"],
        ),
        (GuardedCharField(max_length=200), []),
        (GuardedTextField(max_length=2000), []),
        (GuardedListField(GuardedCharField(max_length=60), size=50), []),
        (models.CharField(max_length=10, choices=[("a", "A")]), []),
        (ArrayField(models.CharField(max_length=1, choices=[("a", "A")])), ["a size (the most items a list may have)"]),
        (models.TextField(editable=False), []),
    ],
)
def test_the_check_names_what_a_text_field_lacks(field, missing):
    assert checks.text_field_problems(field) == missing


class _App(AppConfig):
    """An app of ours, as the check sees it, holding one model declared with Django's plain fields."""

    def __init__(self, model):
        super().__init__("talent.registry", registry)
        self.name = "talent.newapp"
        self.model = model

    def get_models(self, include_auto_created=False, include_swapped=False):
        return [self.model]


def test_a_new_model_with_an_unguarded_text_field_fails_the_check_with_what_to_use(settings):
    from django.test.utils import isolate_apps

    with isolate_apps("talent.registry"):

        class Note(models.Model):
            text = models.TextField()

            class Meta:
                app_label = "registry"

            def __str__(self):
                return self.text

        errors = checks.check_text_fields_are_guarded([_App(Note)])
    assert [e.id for e in errors] == ["registry.E001"]
    assert "registry.Note.text" in errors[0].msg
    assert "GuardedTextField(max_length=N)" in str(errors[0].hint)


def test_a_list_whose_size_the_database_does_not_hold_fails_the_check_and_one_bounded_by_it_passes(settings):
    from django.test.utils import isolate_apps

    with isolate_apps("talent.registry"):

        class Tags(models.Model):
            loose = GuardedListField(GuardedCharField(max_length=60), size=10)
            held = GuardedListField(GuardedCharField(max_length=60), size=10)
            wrong = GuardedListField(GuardedCharField(max_length=60), size=10)

            class Meta:
                app_label = "registry"
                constraints = [
                    models.CheckConstraint(
                        condition=Q(held__len__gte=1) & Q(held__len__lte=10) & Q(wrong__len__lte=11), name="tags_size"
                    )
                ]

            def __str__(self):
                return ", ".join(self.held)

        errors = checks.check_list_sizes_are_held_by_the_database([_App(Tags)])
    assert [(e.id, e.obj.name) for e in errors] == [("registry.E002", "loose"), ("registry.E002", "wrong")]
    assert "holds at most 10 items, but the database does not" in errors[0].msg
    assert "loose__len__lte" in str(errors[0].hint)


def test_every_model_of_the_project_passes_the_checks():
    ours = [config for config in apps.get_app_configs() if config.name.startswith("talent.")]
    assert checks.check_text_fields_are_guarded(ours) == []
    assert checks.check_list_sizes_are_held_by_the_database(ours) == []


def test_a_guarded_text_refuses_more_than_its_bound_with_the_bound_in_the_message():
    field = GuardedTextField(max_length=2000)
    with pytest.raises(ValidationError) as excinfo:
        field.run_validators("가" * 2001)
    assert "2000" in " ".join(excinfo.value.messages)
