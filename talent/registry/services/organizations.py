"""Organizations, memberships, AX graduate schools and programmes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, TypedDict, Unpack

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from talent.common.errors import InvalidInput, NotAllowed
from talent.registry import counting_rules, roles, signals, validators
from talent.registry.models import (
    GraduateSchool,
    Membership,
    Organization,
    Programme,
    ProgrammeCountingRule,
)
from talent.registry.services._base import Actor, acting, assign, save
from talent.registry.vocabulary import (
    OrganizationKind,
)


class OrganizationFields(TypedDict, total=False):
    kind: str
    name_ko: str
    name_en: str
    region: str
    business_registration_number: str
    ksic_section: str


ORGANIZATION_FIELDS = tuple(OrganizationFields.__annotations__)


def organization_create(*, actor: Actor, **fields: Unpack[OrganizationFields]) -> Organization:
    """Create an organization (operators). A company needs a valid business registration number."""
    organization = Organization()
    values: dict[str, Any] = dict(fields)
    if "business_registration_number" in values:
        values["business_registration_number"] = values["business_registration_number"].replace("-", "").strip()
    assign(organization, values, ORGANIZATION_FIELDS)
    with acting(actor, "organization_create"):
        save(organization)
    return organization


def membership_set(*, actor: Actor, user: User, organization: Organization, role: str) -> Membership:
    """Put a login into one organization (replacing any earlier membership)."""
    with acting(actor, "membership_set"):
        membership = Membership.objects.filter(user=user).first() or Membership(user=user)
        membership.organization = organization
        membership.role = role
        save(membership)
    return membership


class SchoolDetails(TypedDict, total=False):
    """A graduate school's details that its university corrects (`graduate_school_update`)."""

    name_ko: str
    name_en: str
    track: str
    selection_year: int
    support_start: datetime.date
    support_end: datetime.date
    convergence_fields: list[str]


class SchoolFields(SchoolDetails, total=False):
    """A new graduate school: its university (fixed once created) and its details."""

    university: Organization


SCHOOL_FIELDS = ("university", *SchoolDetails.__annotations__)


def graduate_school_create(
    *, actor: Actor, consortium_companies: Iterable[Organization] = (), **fields: Unpack[SchoolFields]
) -> GraduateSchool:
    """Create an AX graduate school of a university with its one or two consortium companies."""
    school = GraduateSchool()
    assign(school, dict(fields), SCHOOL_FIELDS)
    companies = list(consortium_companies)
    _check_school(actor, school, companies)
    with acting(actor, "graduate_school_create"):
        save(school)
        school.consortium_companies.set(companies)
    return school


def _check_school(actor: Actor, school: GraduateSchool, companies: list[Organization]) -> None:
    if school.university_id and school.university.kind != OrganizationKind.UNIVERSITY:
        raise InvalidInput(_("A graduate school belongs to a university."), field="university")
    if school.university_id and actor is not None and not roles.may_manage_university(actor, school.university):
        raise NotAllowed(_("You may only manage your own university's graduate schools."))
    if len(companies) > 2:
        raise InvalidInput(_("A consortium has one or two companies."), field="consortium_companies")
    if any(c.kind != OrganizationKind.COMPANY for c in companies):
        raise InvalidInput(_("Consortium members must be companies."), field="consortium_companies")


class ProgrammeDetails(TypedDict, total=False):
    """A programme's details that its university corrects (`programme_update`)."""

    name_ko: str
    name_en: str
    degree_level: str
    normal_duration_months: int


class ProgrammeFields(ProgrammeDetails, total=False):
    """A new programme: its graduate school (fixed once created) and its details."""

    school: GraduateSchool


PROGRAMME_FIELDS = ("school", *ProgrammeDetails.__annotations__)


def programme_create(*, actor: Actor, **fields: Unpack[ProgrammeFields]) -> Programme:
    """Create a programme of a graduate school. Whether it counts toward the target is the ministry's call."""
    programme = Programme()
    assign(programme, dict(fields), PROGRAMME_FIELDS)
    if actor is not None and not roles.may_manage_university(actor, programme.school.university):
        raise NotAllowed(_("You may only manage your own university's programmes."))
    with acting(actor, "programme_create"):
        save(programme)
        _begin_counting_history([programme], actor=actor, today=timezone.localdate())
    return programme


def programme_set_counting(
    *,
    actor: Actor,
    programme: Programme,
    counts_toward_target: bool,
    effective_from: datetime.date | None = None,
    note: str = "",
) -> Programme:
    """Decide whether a programme's graduates count toward the AX target from a date (default today; ministry
    or operator only): a new counting rule, and a new version of the target from that date."""
    programmes_set_counting(
        actor=actor, programmes=[programme], counts=counts_toward_target, effective_from=effective_from, note=note
    )
    programme.refresh_from_db(fields=["counts_toward_target", "updated_at"])
    return programme


def programmes_set_counting(
    *,
    actor: Actor,
    programmes: Iterable[Programme],
    counts: bool,
    effective_from: datetime.date | None = None,
    note: str = "",
) -> list[Programme]:
    """Whether these programmes count from `effective_from` (today or later, within the horizon): one counting
    rule each (programmes already so from that date are left alone), and one new version of the target from
    that date (talent.reports, through `counting_rules_changed`). A past report keeps the rules it was
    computed under. Returns the programmes whose rule changed."""
    if actor is not None and not roles.may_set_counting(actor):
        raise NotAllowed(_("Only the ministry decides which programmes count toward the target."))
    today = timezone.localdate()
    day = effective_from or today
    if day < today:
        raise InvalidInput(
            _("A change of which programmes count takes effect today or later: reports for past dates stay as "
              "they were published."),
            field="counting_from",  # as the API and the admin name it
        )  # fmt: skip
    if day > validators.future_horizon(today):
        raise InvalidInput(
            _("A change of which programmes count is recorded at most until %(date)s.")
            % {"date": validators.future_horizon(today).isoformat()},
            field="counting_from",  # as the API and the admin name it
        )
    with acting(actor, "programme_set_counting"):
        counting_rules.serialise_changes()
        chosen = list(Programme.objects.select_for_update().filter(pk__in=[p.pk for p in programmes]).order_by("pk"))
        _begin_counting_history(chosen, actor=actor, today=today)
        rules = ProgrammeCountingRule.objects.filter(programme__in=chosen).order_by(
            "programme_id", "effective_from", "id"
        )
        before = counting_rules.in_force(rules.values_list("programme_id", "counts", "effective_from"), day)
        later = set(rules.filter(effective_from__gt=day).values_list("programme_id", flat=True))
        changed = [p for p in chosen if before.get(p.pk) != counts or p.pk in later]
        for programme in changed:
            save(ProgrammeCountingRule(
                programme=programme, counts=counts, effective_from=day, note=note.strip(), created_by=actor
            ))  # fmt: skip
            if day <= today:
                programme.counts_toward_target = counts
                save(programme, update_fields=["counts_toward_target"])
        if changed:
            # The reports app adds the target's version from this date in this transaction (a refusal undoes all).
            signals.counting_rules_changed.send(sender=Programme, actor=actor, effective_from=day, note=note.strip())
    return changed


def _begin_counting_history(programmes: list[Programme], *, actor: Actor, today: datetime.date) -> None:
    """A programme without a counting rule (one made before rules were kept) gets its first: its status now."""
    known = set(ProgrammeCountingRule.objects.filter(programme__in=programmes).values_list("programme_id", flat=True))
    for programme in programmes:
        if programme.pk not in known:
            save(ProgrammeCountingRule(
                programme=programme, counts=programme.counts_toward_target, effective_from=today, created_by=actor
            ))  # fmt: skip


def programmes_counting_refresh(*, today: datetime.date | None = None) -> int:
    """Counting rules dated ahead take effect: each programme's `counts_toward_target` becomes its rule in force
    today. Idempotent. Returns how many programmes changed."""
    today = today or timezone.localdate()
    with acting(None, "programmes_counting_refresh"):
        counting = counting_rules.counting_programme_ids(on=today)
        stale = Programme.objects.select_for_update().filter(
            (Q(pk__in=counting) & Q(counts_toward_target=False)) | (~Q(pk__in=counting) & Q(counts_toward_target=True))
        )
        changed = 0
        for programme in stale.order_by("pk"):
            programme.counts_toward_target = programme.pk in counting
            save(programme, update_fields=["counts_toward_target"])
            changed += 1
    return changed
