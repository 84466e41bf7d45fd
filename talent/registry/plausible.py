"""Plausible dates: the bounds each kind of date in the registry must fall within, in one place.

The models' `clean()` calls these (so every service, form, admin page and roster row does), and so does the rule of
every status change (`services.enrollments.check_transition`). Each refusal names its bound. A date outside them is
a typo or a probe (0001-01-01, 9999-12-31), never a career: the return-track eligibility ignores such periods.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from talent.registry import validators

#: The oldest birth date the registry takes (the database refuses earlier ones too: person_birth_date_plausible).
EARLIEST_BIRTH = datetime.date(1900, 1, 1)
#: Whoever is in the registry (a student, a researcher, an expert) is at least this old.
YOUNGEST_AGE_YEARS = 14
#: The earliest admission, status change, overseas position or return the registry records.
EARLIEST_RECORD = datetime.date(1950, 1, 1)
#: How far ahead an overseas position may be planned to end, and a planned return be dated.
PLANNED_CAREER_YEARS = 10
#: How far ahead a student's expected completion may be (an admission a year ahead, then the longest programme).
PLANNED_STUDY_YEARS = 10
#: How far ahead a graduate school's support period may be planned to start or end (a selection, then its years).
PLANNED_SUPPORT_YEARS = 15
#: The latest date of any kind the registry takes, whatever the relative bounds above allow. The database refuses
#: dates outside [EARLIEST_RECORD (EARLIEST_BIRTH for births), LATEST_RECORD] too (the models' `*_within_bounds`
#: constraints), so a write that goes around validation still cannot store 0001-01-01 or 9999-12-31.
LATEST_RECORD = datetime.date(2100, 12, 31)


def _years_ago(years: int, today: datetime.date) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def latest_birth() -> datetime.date:
    return _years_ago(YOUNGEST_AGE_YEARS, timezone.localdate())


def latest_planned_career_date() -> datetime.date:
    return _years_ago(-PLANNED_CAREER_YEARS, timezone.localdate())


def latest_expected_completion() -> datetime.date:
    return _years_ago(-PLANNED_STUDY_YEARS, timezone.localdate())


def latest_support_date() -> datetime.date:
    return _years_ago(-PLANNED_SUPPORT_YEARS, timezone.localdate())


def _between(value: datetime.date | None, earliest: datetime.date, latest: datetime.date, message: str) -> None:
    latest = min(latest, LATEST_RECORD)  # never looser than the database's bound
    if value is not None and not earliest <= value <= latest:
        bounds = {"earliest": earliest.isoformat(), "latest": latest.isoformat(), "value": value.isoformat()}
        raise ValidationError(message % {**bounds, "years": YOUNGEST_AGE_YEARS}, code="implausible_date")


def check_birth_date(value: datetime.date | None) -> None:
    _between(
        value,
        EARLIEST_BIRTH,
        latest_birth(),
        _("A birth date must be between %(earliest)s and %(latest)s (at least %(years)s years ago): %(value)s is not."),
    )


def check_admission_date(value: datetime.date | None) -> None:
    _between(
        value,
        EARLIEST_RECORD,
        validators.future_horizon(),
        _("An admission date must be between %(earliest)s and %(latest)s: %(value)s is not."),
    )


def check_status_date(value: datetime.date | None) -> None:
    _between(
        value,
        EARLIEST_RECORD,
        validators.future_horizon(),
        _("A status change must take effect between %(earliest)s and %(latest)s: %(value)s is not."),
    )


def check_expected_completion(value: datetime.date | None) -> None:
    _between(
        value,
        EARLIEST_RECORD,
        latest_expected_completion(),
        _("An expected completion must be between %(earliest)s and %(latest)s: %(value)s is not."),
    )


def check_support_start(value: datetime.date | None) -> None:
    _between(
        value,
        EARLIEST_RECORD,
        latest_support_date(),
        _("A support period must start between %(earliest)s and %(latest)s: %(value)s is not."),
    )


def check_support_end(value: datetime.date | None) -> None:
    _between(
        value,
        EARLIEST_RECORD,
        latest_support_date(),
        _("A support period must end between %(earliest)s and %(latest)s: %(value)s is not."),
    )


def check_position_start(value: datetime.date | None) -> None:
    _between(
        value,
        EARLIEST_RECORD,
        timezone.localdate(),
        _("An overseas position must start between %(earliest)s and %(latest)s (today): %(value)s is not."),
    )


def check_position_end(value: datetime.date | None) -> None:
    _between(
        value,
        EARLIEST_RECORD,
        latest_planned_career_date(),
        _("An overseas position must end between %(earliest)s and %(latest)s: %(value)s is not."),
    )


def check_return_date(value: datetime.date | None, *, planned: bool) -> None:
    if planned:
        _between(
            value,
            EARLIEST_RECORD,
            latest_planned_career_date(),
            _("A planned return must be between %(earliest)s and %(latest)s: %(value)s is not."),
        )
    else:
        _between(
            value,
            EARLIEST_RECORD,
            timezone.localdate(),
            _(
                "A return date must be between %(earliest)s and %(latest)s (today; a later one is a plan: "
                "mark it planned): %(value)s is not."
            ),
        )


def plausible_period(start: datetime.date, end: datetime.date | None, *, today: datetime.date) -> bool:
    """Whether a period abroad could be part of a career: it starts within the bounds a position's start has, and
    ends (if it does) within a position end's. Pure: `today` is given."""
    latest_end = _years_ago(-PLANNED_CAREER_YEARS, today)
    return EARLIEST_RECORD <= start <= today and (end is None or EARLIEST_RECORD <= end <= latest_end)
