"""Intake plans (모집 정원): every write and read of them, and the one place for their rules.

- A school's staff propose the planned intake of a year and degree level; the ministry approves the figure
  proposed, or sets its own (overrides). Each is a new version; the newest is the plan in force.
- A plan for a year whose intake has happened (its entry date, 1 March, is today or past) is refused: those
  students are in the registry now.
- An intake is 0 or more, and at most 10× the school's largest cohort (entrants of one admission year, all
  degree levels; a school without students yet is measured against the programme's minimum of 40).
- A sheet (CSV or XLSX, read by the roster's reader) is checked row by row and imported all or nothing;
  rows that change nothing are left as they are, so importing the same sheet twice adds nothing.
- A school, year and degree level without any version has no plan: shown as "no plan", never as 0.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from talent.common.db import database_refusals, validate
from talent.common.errors import Conflict, InvalidInput, NotAllowed, NotFound
from talent.registry import roles
from talent.registry.models import Enrollment, GraduateSchool
from talent.registry.vocabulary import DegreeLevel
from talent.reports import projection, scope
from talent.reports.models import IntakePlan, IntakePlanSource, IntakePlanState
from talent.roster.columns import normalize_header
from talent.roster.reading import read_table
from talent.roster.rows import text_of

if TYPE_CHECKING:
    from talent.registry.roles import User

#: An intake above this many times the school's largest cohort is taken for a typing error.
ABSURD_FACTOR = 10
#: The largest cohort of a school without students yet: an AX graduate school has at least 40 students.
SMALLEST_LARGEST_COHORT = 40
SHEET_ROW_LIMIT = 5_000
LEVEL_WORDS: dict[str, tuple[str, ...]] = {
    DegreeLevel.MS: ("석사", "석사과정", "master", "masters", "ms"),
    DegreeLevel.PHD: ("박사", "박사과정", "doctorate", "phd"),
    DegreeLevel.INTEGRATED: ("석박사통합", "통합", "석박통합", "integrated"),
    DegreeLevel.NON_DEGREE: ("비학위", "non-degree", "nondegree"),
}
SHEET_COLUMNS: dict[str, tuple[str, ...]] = {
    "school": ("대학원", "대학원명", "school", "graduate school"),
    "year": ("연도", "학년도", "모집연도", "year"),
    "degree_level": ("과정", "학위과정", "degree level", "level"),
    "intake": ("모집정원", "정원", "모집 인원", "intake", "planned intake"),
}


# --- Who may ------------------------------------------------------------------------------------------------


def may_plan_any(*, user: User) -> bool:
    """A university's staff plan their own schools' intake."""
    return roles.university_of(user) is not None


def may_propose(*, user: User, school: GraduateSchool) -> bool:
    return roles.may_manage_university(user, school.university)


def _schools_for(user: User) -> QuerySet[GraduateSchool]:
    """The schools whose plans `user` may read: all for the ministry and operators, their own for staff."""
    schools = GraduateSchool.objects.select_related("university").order_by("university__name_ko", "name_ko")
    if scope.may_manage_reports(user=user):
        return schools
    university = roles.university_of(user)
    if university is None:
        raise NotAllowed(_("Only the ministry, a school's staff or an operator may see intake plans."))
    return schools.filter(university=university)


def school_get_for_user(*, user: User, pk: int) -> GraduateSchool:
    school = _schools_for(user).filter(pk=pk).first()
    if school is None:
        raise NotFound(_("No such graduate school among those you may plan for."), field="school")
    return school


# --- The rules ----------------------------------------------------------------------------------------------


def largest_cohort(school: GraduateSchool) -> int:
    """Entrants of the school's largest admission year (all degree levels), at least SMALLEST_LARGEST_COHORT."""
    largest = (
        Enrollment.objects.filter(programme__school=school)
        .annotate(year=ExtractYear("admission_date"))
        .values("year")
        .annotate(n=Count("person", distinct=True))
        .aggregate(largest=Max("n"))["largest"]
    )
    return max(largest or 0, SMALLEST_LARGEST_COHORT)


def check_plan(*, school: GraduateSchool, year: int, intake: int, today: datetime.date) -> dict[str, list[str]]:
    """The refusals of one plan's figures, by field (empty: acceptable)."""
    errors: dict[str, list[str]] = {}
    entry = projection.entry_date(year) if 2020 <= year <= 2100 else None
    if entry is None:
        errors["year"] = [_("The year is between 2020 and 2100.")]
    elif entry <= today:
        errors["year"] = [
            _(
                "The intake of %(year)s happened on %(date)s: its plan can no longer change (those students are "
                "in the registry)."
            )
            % {"year": year, "date": entry.isoformat()}
        ]
    if intake < 0:
        errors["intake"] = [_("A planned intake cannot be negative.")]
    else:
        bound = ABSURD_FACTOR * largest_cohort(school)
        if intake > bound:
            errors["intake"] = [
                _(
                    "%(intake)s is more than %(factor)s times the school's largest cohort (%(bound)s at most): "
                    "check the figure."
                )
                % {"intake": f"{intake:,}", "factor": ABSURD_FACTOR, "bound": f"{bound:,}"}
            ]
    return errors


def _refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise InvalidInput(first, errors=errors)


def _in_force(school: GraduateSchool, year: int, level: str, *, lock: bool = False) -> IntakePlan | None:
    plans = IntakePlan.objects.filter(school=school, year=year, degree_level=level)
    if lock:
        plans = plans.select_for_update()
    return plans.order_by("-version").first()


def _new_version(
    *,
    actor: User,
    school: GraduateSchool,
    year: int,
    level: str,
    intake: int,
    state: str,
    source: str,
    note: str,
    current: IntakePlan | None,
) -> IntakePlan:
    plan = IntakePlan(
        school=school,
        year=year,
        degree_level=level,
        version=(current.version + 1) if current else 1,
        intake=intake,
        state=state,
        source=source,
        note=note.strip(),
        created_by=actor if actor.pk else None,
    )
    validate(plan)
    with database_refusals(IntakePlan):
        plan.save()
    return plan


def _state_for(actor: User, school: GraduateSchool) -> str:
    if scope.may_manage_reports(user=actor):
        return IntakePlanState.OVERRIDDEN
    if may_propose(user=actor, school=school):
        return IntakePlanState.PROPOSED
    raise NotAllowed(_("Only the school's staff or the ministry may plan its intake."))


# --- Writes -------------------------------------------------------------------------------------------------


def intake_plan_set(
    *,
    actor: User,
    school: GraduateSchool,
    year: int,
    degree_level: str,
    intake: int,
    note: str = "",
    source: str = IntakePlanSource.ENTERED,
) -> IntakePlan:
    """Record a school's planned intake: proposed when its staff enter it, set (overridden) when the ministry
    does. A figure equal to the plan in force, by the same side, changes nothing and returns that plan."""
    state = _state_for(actor, school)
    if degree_level not in DegreeLevel.values:
        raise InvalidInput(_("Choose a degree level."), field="degree_level")
    _refuse(check_plan(school=school, year=year, intake=intake, today=timezone.localdate()))
    with transaction.atomic():
        current = _in_force(school, year, degree_level, lock=True)
        if current is not None and current.intake == intake and _unchanged(current.state, state):
            return current
        return _new_version(
            actor=actor,
            school=school,
            year=year,
            level=degree_level,
            intake=intake,
            state=state,
            source=source,
            note=note,
            current=current,
        )


def _unchanged(standing: str, asked: str) -> bool:
    """The school proposing again what stands (even approved), or the ministry setting what it approved."""
    return asked == IntakePlanState.PROPOSED or standing != IntakePlanState.PROPOSED


def intake_plan_approve(*, actor: User, plan: IntakePlan, note: str = "") -> IntakePlan:
    """The ministry approves the school's proposed figure: a new version, approved, with the same intake."""
    if not scope.may_manage_reports(user=actor):
        raise NotAllowed(_("Only the ministry (or an operator) may approve an intake plan."))
    with transaction.atomic():
        current = _in_force(plan.school, plan.year, plan.degree_level, lock=True)
        if current is None or current.pk != plan.pk:
            raise Conflict(_("A newer version of this plan exists: approve the plan in force."), field="plan")
        if current.state != IntakePlanState.PROPOSED:
            raise Conflict(_("This plan is not waiting for approval: it is already the ministry's."), field="plan")
        _refuse(check_plan(school=plan.school, year=plan.year, intake=plan.intake, today=timezone.localdate()))
        return _new_version(
            actor=actor,
            school=plan.school,
            year=plan.year,
            level=plan.degree_level,
            intake=plan.intake,
            state=IntakePlanState.APPROVED,
            source=IntakePlanSource.ENTERED,
            note=note,
            current=current,
        )


@dataclass
class SheetRow:
    row: int
    school: GraduateSchool
    year: int
    degree_level: str
    intake: int


@dataclass
class SheetResult:
    rows: int = 0
    recorded: int = 0
    unchanged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)  # {"row", "column", "message"}


def intake_plan_import(*, actor: User, content: bytes) -> SheetResult:
    """Import a sheet of plans (columns: school, year, degree level, intake; the header row first, in Korean
    or English). Every row is checked first; with any problem nothing is written and every problem is listed."""
    if len(content) > settings.ROSTER_MAX_BYTES:
        raise InvalidInput(
            _("The sheet is larger than %(size)s MB.") % {"size": settings.ROSTER_MAX_BYTES // 1_000_000}, field="file"
        )
    table = read_table(content, row_limit=SHEET_ROW_LIMIT)
    result = SheetResult()
    if not table.rows:
        raise InvalidInput(_("The sheet is empty."), field="file")
    _header_row, header = table.rows[0]
    positions = _header_positions([text_of(cell) for cell in header])
    missing = [key for key in SHEET_COLUMNS if key not in positions]
    if missing:
        raise InvalidInput(
            _("The sheet's first row must name the columns: %(columns)s.")
            % {"columns": ", ".join(f"{SHEET_COLUMNS[key][0]} ({SHEET_COLUMNS[key][-1]})" for key in SHEET_COLUMNS)},
            field="file",
        )
    schools = {school.pk: school for school in _schools_for(actor)}
    parsed: list[SheetRow] = []
    today = timezone.localdate()
    for number, cells in table.rows[1:]:
        result.rows += 1
        values = {key: text_of(cells[i]) if i < len(cells) else "" for key, i in positions.items()}
        row_errors: dict[str, list[str]] = {}
        school = _sheet_school(values["school"], schools.values(), row_errors)
        year = _sheet_number(values["year"], "year", row_errors)
        level = _sheet_level(values["degree_level"], row_errors)
        intake = _sheet_number(values["intake"], "intake", row_errors)
        if school is not None and year is not None and intake is not None:
            if not scope.may_manage_reports(user=actor) and not may_propose(user=actor, school=school):
                row_errors.setdefault("school", []).append(_("You may not plan this school's intake."))
            row_errors.update(check_plan(school=school, year=year, intake=intake, today=today))
        for column, messages in row_errors.items():
            result.errors += [{"row": number, "column": column, "message": m} for m in messages]
        if not row_errors and school is not None and year is not None and level and intake is not None:
            parsed.append(SheetRow(number, school, year, level, intake))
    seen: dict[tuple[int, int, str], int] = {}
    for row in parsed:
        key = (row.school.pk, row.year, row.degree_level)
        if key in seen:
            message = _("The same school, year and degree level as row %(row)s.") % {"row": seen[key]}
            result.errors.append({"row": row.row, "column": "degree_level", "message": message})
        seen.setdefault(key, row.row)
    if result.errors:
        return result
    with transaction.atomic():
        for row in parsed:
            before = _in_force(row.school, row.year, row.degree_level)
            plan = intake_plan_set(
                actor=actor,
                school=row.school,
                year=row.year,
                degree_level=row.degree_level,
                intake=row.intake,
                source=IntakePlanSource.IMPORTED,
                note=_("Imported from a sheet, row %(row)s.") % {"row": row.row},
            )
            if before is not None and plan.pk == before.pk:
                result.unchanged += 1
            else:
                result.recorded += 1
    return result


def sheet_refusal(result: SheetResult) -> str:
    return _("Nothing was imported: %(count)s problems in the sheet.") % {"count": len(result.errors)}


def _header_positions(texts: list[str]) -> dict[str, int]:
    lookup = {normalize_header(spelling): key for key, spellings in SHEET_COLUMNS.items() for spelling in spellings}
    positions: dict[str, int] = {}
    for i, text in enumerate(texts):
        key = lookup.get(normalize_header(text))
        if key is not None:
            positions.setdefault(key, i)
    return positions


def _sheet_school(value: str, schools: Iterable[GraduateSchool], errors: dict[str, list[str]]) -> GraduateSchool | None:
    key = normalize_header(value)
    for school in schools:
        if value == str(school.pk) or key in (normalize_header(school.name_ko), normalize_header(school.name_en)):
            return school
    errors["school"] = [_("“%(value)s” is not a graduate school you may plan for.") % {"value": value[:60]}]
    return None


def _sheet_number(value: str, column: str, errors: dict[str, list[str]]) -> int | None:
    try:
        return int(value.replace(",", ""))
    except ValueError:
        errors[column] = [_("“%(value)s” is not a whole number.") % {"value": value[:40]}]
        return None


def _sheet_level(value: str, errors: dict[str, list[str]]) -> str:
    key = normalize_header(value)
    for code, label in DegreeLevel.choices:
        spellings = {code, *LEVEL_WORDS[code]}
        for language in ("ko", "en"):
            with translation.override(language):
                spellings.add(str(label))
        if key in {normalize_header(s) for s in spellings}:
            return code
    errors["degree_level"] = [
        _("“%(value)s” is not a degree level: %(expected)s.")
        % {"value": value[:40], "expected": ", ".join(words[0] for words in LEVEL_WORDS.values())}
    ]
    return ""


# --- Reads --------------------------------------------------------------------------------------------------


def plans_in_force(*, on: datetime.date | None = None, schools: Iterable[int] | None = None) -> list[IntakePlan]:
    """The newest version of each school's plan per year and degree level, as recorded by the end of `on`
    (default: now). No permissions: the projection reads every school's plans."""
    plans = IntakePlan.objects.select_related("school", "school__university", "created_by")
    if on is not None:
        plans = plans.filter(created_at__date__lte=on)
    if schools is not None:
        plans = plans.filter(school_id__in=list(schools))
    newest_first = plans.order_by("school_id", "year", "degree_level", "-version")
    return list(newest_first.distinct("school_id", "year", "degree_level"))


def intake_plan_list(*, user: User, year: int | None = None, school: int | None = None) -> list[IntakePlan]:
    """The plans in force that `user` may read (the ministry: all; staff: their university's schools)."""
    schools = _schools_for(user)
    if school is not None:
        schools = schools.filter(pk=school)
    plans = plans_in_force(schools=schools.values_list("pk", flat=True))
    return [plan for plan in plans if year is None or plan.year == year]


def intake_plan_get_for_user(*, user: User, pk: int) -> IntakePlan:
    plan = IntakePlan.objects.select_related("school", "school__university").filter(pk=pk).first()
    if plan is None or not _schools_for(user).filter(pk=plan.school_id).exists():
        raise NotFound(_("No such intake plan among those you may see."))
    return plan


def intake_plan_versions(*, user: User, plan: IntakePlan) -> QuerySet[IntakePlan]:
    """Every version of the plan's school, year and degree level, newest first."""
    intake_plan_get_for_user(user=user, pk=plan.pk)
    return (
        IntakePlan.objects.filter(school=plan.school, year=plan.year, degree_level=plan.degree_level)
        .select_related("created_by")
        .order_by("-version")
    )


@dataclass(frozen=True)
class GridCell:
    level: str
    plan: IntakePlan | None  # None: no plan


@dataclass(frozen=True)
class GridRow:
    school: GraduateSchool
    year: int
    cells: list[GridCell]
    editable: bool  # the year's intake has not happened

    @property
    def total(self) -> int | None:
        """The planned intake of the year, or None when no level has a plan."""
        planned = [cell.plan.intake for cell in self.cells if cell.plan is not None]
        return sum(planned) if planned else None


def intake_grid(*, user: User, years: Iterable[int], levels: Iterable[str] | None = None) -> list[GridRow]:
    """Each school the user may read × each year: the plan in force per degree level, or none."""
    levels = list(levels or (DegreeLevel.MS, DegreeLevel.PHD, DegreeLevel.INTEGRATED))
    years = list(years)
    schools = list(_schools_for(user))
    plans = {(p.school_id, p.year, p.degree_level): p for p in plans_in_force(schools=[s.pk for s in schools])}
    today = timezone.localdate()
    return [
        GridRow(
            school=school,
            year=year,
            cells=[GridCell(level, plans.get((school.pk, year, level))) for level in levels],
            editable=projection.entry_date(year) > today,
        )
        for school in schools
        for year in years
    ]


def schools_without_plan(*, year: int) -> list[GraduateSchool]:
    """Schools with no plan of any degree level for `year` (shown as "no plan", not as zero)."""
    planned = IntakePlan.objects.filter(year=year).values("school_id")
    return list(
        GraduateSchool.objects.exclude(pk__in=planned).filter(Q(support_end__year__gte=year)).order_by("name_ko")
    )
