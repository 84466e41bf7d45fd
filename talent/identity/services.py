"""Finding probable duplicates and an operator's decisions on them.

`candidates_refresh` finds candidate pairs (talent/identity/linkage.py: blocking, comparison, a Fellegi–Sunter
score) among every person not merged away, or only around some persons (those just created or changed), and keeps
them as DuplicateCandidates; a pair an operator decided is never proposed again. `candidate_decide` merges a pair
(the registry's `person_merge`, with the candidate's evidence) or remembers "not the same"; `merge_undo` undoes a
merge and puts its pair back in the queue.
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from talent.common.errors import Conflict, InvalidInput, NotAllowed
from talent.identity import linkage
from talent.identity.models import CandidateStatus, DuplicateCandidate, LinkageFit
from talent.registry import roles
from talent.registry.models import DisagreementStatus, IdentityDisagreement, Person, PersonMerge
from talent.registry.services._base import Actor, acting
from talent.registry.services.merges import person_merge, person_merge_undo

#: A pair is shown to operators from this match probability on (docs/identity.md: chosen on the bench).
THRESHOLD = 0.9

_RECORD_FIELDS = (
    "pk",
    "family_name_ko",
    "given_name_ko",
    "family_name_latin",
    "given_name_latin",
    "birth_date",
    "email",
    "orcid",
    "national_researcher_number",
)


#: The person fields a university may give that identify a person, by linkage's name for them.
_GIVEN_IDENTIFIERS = {"orcid": "orcid", "national_researcher_number": "researcher_number", "email": "email"}


def _given(person_ids: set[int] | None = None) -> dict[int, list[tuple[str, str]]]:
    """Identifiers universities gave for persons that differ from the stored ones (open IdentityDisagreements: an
    ORCID iD another person holds, another email), by person: linkage pairs them with whoever holds them."""
    rows = IdentityDisagreement.objects.filter(status=DisagreementStatus.OPEN, field__in=_GIVEN_IDENTIFIERS)
    if person_ids is not None:
        rows = rows.filter(person_id__in=person_ids)
    given: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for person_id, name, value in rows.values_list("person_id", "field", "submitted"):
        if value:
            given[person_id].append((_GIVEN_IDENTIFIERS[name], value))
    return given


def _records(
    persons: Iterable[tuple[Any, ...]], given: dict[int, list[tuple[str, str]]] | None = None
) -> list[linkage.Record]:
    given = given or {}
    return [
        linkage.Record(pk, fko, gko, fl, gl, birth, email or "", orcid or "", nrn or "", tuple(given.get(pk, ())))
        for pk, fko, gko, fl, gl, birth, email, orcid, nrn in persons
    ]


def _active() -> QuerySet[Person, tuple[Any, ...]]:
    return Person.objects.filter(merged_into__isnull=True).values_list(*_RECORD_FIELDS)


def _everyone() -> list[linkage.Record]:
    return _records(_active(), _given())


def _neighbours(ids: set[int]) -> list[linkage.Record]:
    """The persons that may share a blocking key with these: the same birth date (or day and month swapped), or
    an identifier (their own, or one a university gave for them); a few queries."""
    own = _records(_active().filter(pk__in=ids), _given(ids))
    dates: set[datetime.date] = set()
    for record in own:
        if record.birth_date is not None:
            day = record.birth_date
            dates.add(day)
            if day.day <= 12:
                dates.add(day.replace(month=day.day, day=day.month))
    values: dict[str, set[str]] = defaultdict(set)
    for record in own:
        for kind, value in record.identifiers:
            values[kind].add(value)
    near = Q(birth_date__in=dates)
    for name, kind in _GIVEN_IDENTIFIERS.items():
        near |= Q(**{f"{name}__in": values[kind]})
    given_elsewhere = IdentityDisagreement.objects.filter(status=DisagreementStatus.OPEN).filter(
        Q(field="orcid", submitted__in=values["orcid"])
        | Q(field="national_researcher_number", submitted__in=values["researcher_number"])
        | Q(field="email", submitted__in=values["email"])
    )
    near |= Q(pk__in=given_elsewhere.values("person_id"))
    persons = list(_active().filter(near)) if dates or values else []
    records = _records(persons, _given({row[0] for row in persons}))
    return list({r.pk: r for r in [*own, *records]}.values())


def _newest_model() -> linkage.Model | None:
    fit = LinkageFit.objects.order_by("-fitted_at", "-id").first()
    if fit is None:
        return None
    p = fit.parameters
    return linkage.Model(m=p["m"], u=p["u"], prior=p["prior"])


@dataclass(frozen=True)
class Refresh:
    persons: int
    compared: int
    found: int
    created: int
    updated: int
    withdrawn: int
    seconds: float


def candidates_refresh(*, person_ids: Iterable[int] | None = None) -> Refresh:
    """Find candidates among everyone (`person_ids` None: the nightly run, which also fits the model and withdraws
    open candidates no longer found) or around these persons. Decided pairs are left as they are. Idempotent."""
    started = time.perf_counter()
    only = None if person_ids is None else set(person_ids)
    records = _everyone() if only is None else _neighbours(only)
    pairs = linkage.candidate_pairs(records)
    model = None if only is None else _newest_model()
    found, fitted = linkage.find_candidates(records, threshold=THRESHOLD, model=model, only=only)
    created = updated = withdrawn = 0
    with transaction.atomic():
        existing = {
            (c.person_a_id, c.person_b_id): c
            for c in DuplicateCandidate.objects.select_for_update().filter(
                person_a_id__in={c.one for c in found} | (only or set())
            )
        }
        if only is None:
            existing.update({(c.person_a_id, c.person_b_id): c for c in DuplicateCandidate.objects.select_for_update()})
        new, changed = [], []
        for candidate in found:
            evidence: dict[str, Any] = {"fields": linkage.evidence(candidate.vector)}
            if candidate.shared:
                evidence["shared"] = list(candidate.shared)
            row = existing.get((candidate.one, candidate.other))
            if row is None:
                new.append(
                    DuplicateCandidate(
                        person_a_id=candidate.one, person_b_id=candidate.other, score=candidate.score, evidence=evidence
                    )
                )
            elif row.status == CandidateStatus.OPEN and (row.score, row.evidence) != (candidate.score, evidence):
                row.score, row.evidence = candidate.score, evidence
                changed.append(row)
        DuplicateCandidate.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
        DuplicateCandidate.objects.bulk_update(changed, ["score", "evidence", "updated_at"], batch_size=2000)
        created, updated = len(new), len(changed)
        if only is None:
            kept = {(c.one, c.other) for c in found}
            stale = [c.pk for key, c in existing.items() if c.status == CandidateStatus.OPEN and key not in kept]
            withdrawn = DuplicateCandidate.objects.filter(pk__in=stale).delete()[0]
            seconds = time.perf_counter() - started
            LinkageFit.objects.create(
                pairs=len(pairs),
                parameters={"m": fitted.m, "u": fitted.u, "prior": fitted.prior},
                seconds=seconds,
            )
    return Refresh(
        persons=len(records),
        compared=len(pairs),
        found=len(found),
        created=created,
        updated=updated,
        withdrawn=withdrawn,
        seconds=time.perf_counter() - started,
    )


def _check_operator(actor: Actor) -> None:
    if actor is not None and not roles.is_operator(actor):
        raise NotAllowed(_("Only an operator decides on probable duplicates."))


def candidate_decide(
    *, actor: Actor, candidate: DuplicateCandidate, same: bool, survivor: Person | None = None
) -> DuplicateCandidate:
    """ "Same person": merge the pair (into `survivor`, default the older record) with the candidate's evidence.
    "Not the same": remembered, never proposed again. A pair is decided once."""
    _check_operator(actor)
    with acting(actor, "candidate_decide"):
        locked = (
            DuplicateCandidate.objects.select_for_update().select_related("person_a", "person_b").get(pk=candidate.pk)
        )
        if locked.status != CandidateStatus.OPEN:
            raise Conflict(_("This pair is already decided."), code="already_decided")
        if same:
            keep = survivor or locked.person_a
            if keep.pk not in (locked.person_a_id, locked.person_b_id):
                raise InvalidInput(_("The surviving person must be one of the pair."), field="survivor")
            gone = locked.person_b if keep.pk == locked.person_a_id else locked.person_a
            evidence = {"candidate": locked.pk, "score": locked.score, **locked.evidence}
            locked.merge = person_merge(actor=actor, survivor=keep, merged=gone, evidence=evidence)
        locked.status = CandidateStatus.MERGED if same else CandidateStatus.DISTINCT
        locked.decided_by = actor if actor is not None and actor.pk else None
        locked.decided_at = timezone.now()
        locked.save()
    return locked


def merge_undo(*, actor: Actor, merge: PersonMerge) -> PersonMerge:
    """Undo a merge (the registry's `person_merge_undo`); the pair it came from waits for a decision again."""
    _check_operator(actor)
    with acting(actor, "merge_undo"):
        undone = person_merge_undo(actor=actor, merge=merge)
        DuplicateCandidate.objects.filter(merge=merge).update(
            status=CandidateStatus.OPEN, merge=None, decided_by=None, decided_at=None, updated_at=timezone.now()
        )
    return undone
