"""Companies' field problems: draft, open, closed."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, TypedDict, Unpack

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talent.common.errors import Conflict, IllegalTransition, InvalidInput, NotAllowed
from talent.registry import roles, signals
from talent.registry.models import (
    FieldProblem,
    Organization,
)
from talent.registry.services._base import Actor, acting, assign, clean_skills, save
from talent.registry.vocabulary import (
    OrganizationKind,
    ProblemStatus,
)

logger = logging.getLogger(__name__)


class ProblemFields(TypedDict, total=False):
    title: str
    description: str
    ksic_section: str
    skills_wanted: Iterable[str]
    region: str
    remote: bool
    experts_wanted: int


PROBLEM_FIELDS = tuple(ProblemFields.__annotations__)


def _problem_values(fields: ProblemFields) -> dict[str, Any]:
    values: dict[str, Any] = dict(fields)
    if "skills_wanted" in values:
        values["skills_wanted"] = clean_skills(values["skills_wanted"])
    return values


def field_problem_create(*, actor: Actor, organization: Organization, **fields: Unpack[ProblemFields]) -> FieldProblem:
    """A company drafts a field problem; it is matched once opened."""
    if organization.kind != OrganizationKind.COMPANY:
        raise InvalidInput(_("Field problems are posted by companies."), field="organization")
    if actor is not None and not roles.may_manage_company(actor, organization):
        raise NotAllowed(_("You may only post field problems for your own company."))
    problem = FieldProblem(organization=organization, created_by=actor if actor and actor.pk else None)
    assign(problem, _problem_values(fields), PROBLEM_FIELDS)
    with acting(actor, "field_problem_create"):
        save(problem)
        announce_text_saved("field_problem", problem.pk)
    return problem


def field_problem_update(*, actor: Actor, problem: FieldProblem, **fields: Unpack[ProblemFields]) -> FieldProblem:
    if actor is not None and not roles.may_manage_company(actor, problem.organization):
        raise NotAllowed(_("You may only edit your own company's field problems."))
    if problem.status == ProblemStatus.CLOSED:
        raise Conflict(_("A closed field problem can no longer be edited."))
    assign(problem, _problem_values(fields), PROBLEM_FIELDS)
    with acting(actor, "field_problem_update"):
        save(problem)
        announce_text_saved("field_problem", problem.pk)
    return problem


def field_problem_open(*, actor: Actor, problem: FieldProblem) -> FieldProblem:
    """Open a draft problem to matching."""
    return _problem_status(actor, problem, ProblemStatus.OPEN, allowed_from={ProblemStatus.DRAFT})


def field_problem_close(*, actor: Actor, problem: FieldProblem) -> FieldProblem:
    return _problem_status(actor, problem, ProblemStatus.CLOSED, allowed_from={ProblemStatus.DRAFT, ProblemStatus.OPEN})


def _problem_status(actor: Actor, problem: FieldProblem, status: str, *, allowed_from: set[str]) -> FieldProblem:
    if actor is not None and not roles.may_manage_company(actor, problem.organization):
        raise NotAllowed(_("You may only manage your own company's field problems."))
    with acting(actor, f"field_problem_{status}"):
        locked = FieldProblem.objects.select_for_update().get(pk=problem.pk)
        if locked.status not in allowed_from:
            raise IllegalTransition(
                _("A field problem that is %(current)s cannot become %(new)s.")
                % {"current": ProblemStatus(locked.status).label, "new": ProblemStatus(status).label},
                field="status",
            )
        locked.status = status
        now = timezone.now()
        if status == ProblemStatus.OPEN:
            locked.opened_at = now
        else:
            locked.closed_at = now
        save(locked)
    problem.refresh_from_db()
    return problem


def field_problem_open_and_announce(*, actor: Actor, problem: FieldProblem) -> FieldProblem:
    """Open a draft problem and send `signals.problem_opened` (matching queues a run), in the same transaction.
    Bulk loaders (seed_demo) call `field_problem_open` and queue nothing."""
    with transaction.atomic():
        opened = field_problem_open(actor=actor, problem=problem)
        signals.problem_opened.send(sender=FieldProblem, actor=actor, problem=opened)
    return opened


def announce_text_saved(kind: str, pk: int) -> None:
    """Once the transaction commits, send `signals.matching_text_saved` for an expert profile or field problem
    (`kind`) that was saved (matching stores its index terms). The save never depends on it: a receiver that fails
    is logged with the kind and id only, and the next match run indexes the row. Bulk loaders (seed_demo, roster
    import) announce nothing."""

    def announce() -> None:
        for receiver, outcome in signals.matching_text_saved.send_robust(sender=None, kind=kind, pk=pk):
            if isinstance(outcome, Exception):
                name = f"{getattr(receiver, '__module__', '?')}.{getattr(receiver, '__qualname__', '?')}"
                logger.warning("%s %s saved, but %s failed (%s)", kind, pk, name, type(outcome).__name__)

    transaction.on_commit(announce)
