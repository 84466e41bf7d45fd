"""Merging two records of one human into one person, and undoing it.

A merge moves every row that points at the merged person (enrollments, advisor roles, profiles with their consent,
claim codes, the access log, and any other app's rows that point at a person) to the surviving person, the login
and the identifiers with them, in one transaction; the survivor keeps its own details and takes the merged
person's only where it has none. The merged person's row stays, emptied of its identifiers and marked
`merged_into`, and a PersonMerge keeps who, when, why, the evidence and exactly what moved, so that
`person_merge_undo` moves it all back. The counting tables of the reports follow the enrollments by trigger, so
every figure counts the human once from the merge on.

A claim (a signed-up person entering their university's code) is a merge too: `accounts.claim_code_redeem`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pghistory.models
from django.apps import apps
from django.db import models
from django.db.models import ForeignObjectRel
from django.utils import timezone
from django.utils.translation import gettext as _

from talent.common.db import database_refusals, model_field
from talent.common.errors import Conflict, InvalidInput, NotAllowed
from talent.registry import roles
from talent.registry.models import Enrollment, MergeReason, Person, PersonMerge
from talent.registry.services._base import Actor, acting, save
from talent.registry.services.identity import IDENTIFIERS, person_records_ensure
from talent.registry.services.people import PERSON_FIELDS

#: Unique on a person: the merged person gives them up (the survivor takes them when it has none).
UNIQUE_FIELDS = (*IDENTIFIERS, "user")


def person_pointers() -> Iterator[tuple[type[models.Model], str, bool]]:
    """Every model field that points at a person (model, field name, one-to-one), other apps' included: the
    history tables and rows that keep their person through a merge (`PERSON_MERGE_KEEPS`) excepted."""
    for relation in Person._meta.get_fields(include_hidden=True):
        if not isinstance(relation, ForeignObjectRel) or not (relation.one_to_many or relation.one_to_one):
            continue
        model = relation.related_model
        assert isinstance(model, type) and issubclass(model, models.Model)
        if model is Person or getattr(model, "PERSON_MERGE_KEEPS", False):
            continue
        if issubclass(model, pghistory.models.Event):  # the history stays as it was written
            continue
        yield model, relation.field.name, bool(relation.one_to_one)


def _empty_value(name: str) -> Any:
    return None if name in UNIQUE_FIELDS or name == "birth_date" else ""


def _value(person: Person, name: str) -> Any:
    return person.user_id if name == "user" else getattr(person, name)


def _set(person: Person, name: str, value: Any) -> None:
    if name == "user":
        person.user_id = value
    else:
        setattr(person, name, value)


def _check_mergeable(survivor: Person, merged: Person) -> None:
    for person in (survivor, merged):
        if person.merged_into_id is not None:
            raise Conflict(
                _("Person %(id)s is already merged into another person: merge with that person instead.")
                % {"id": person.pk},
                code="already_merged",
            )
    for name in IDENTIFIERS:
        one, other = getattr(survivor, name), getattr(merged, name)
        if one and other and one != other:
            raise Conflict(
                _("These records have two different %(what)s: they are two persons, or one of them is wrong.")
                % {"what": model_field(Person, name).verbose_name},
                code="conflicting_identifiers",
            )
    if survivor.user_id and merged.user_id:
        raise Conflict(_("Both records have their own login: only one login can stay."), code="two_logins")
    for model, field, one_to_one in person_pointers():
        if (
            one_to_one
            and model._default_manager.filter(**{field: survivor}).exists()
            and model._default_manager.filter(**{field: merged}).exists()
        ):
            raise Conflict(
                _("Both records have a %(what)s: merge or remove one of them first.")
                % {"what": model._meta.verbose_name},
                code="both_have_one",
            )


def person_merge(
    *,
    actor: Actor,
    survivor: Person,
    merged: Person,
    reason: str = MergeReason.OPERATOR,
    evidence: Mapping[str, Any] | None = None,
) -> PersonMerge:
    """Merge `merged` into `survivor` in one transaction (see the module). Operators merge (a claim merges as the
    claiming login); two different ORCID iDs or researcher numbers, two logins, a profile of the same kind on both,
    a person merged with themselves or one already merged are refused with a clear error."""
    if reason == MergeReason.OPERATOR and actor is not None and not roles.is_operator(actor):
        raise NotAllowed(_("Only an operator merges persons."))
    if survivor.pk == merged.pk:
        raise InvalidInput(_("A person cannot be merged with themselves."), field="merged")
    with acting(actor, "person_merge"), pghistory.context(merged_person=merged.pk, surviving_person=survivor.pk):
        locked = Person.objects.select_for_update().in_bulk([survivor.pk, merged.pk])
        survivor, merged = locked[survivor.pk], locked[merged.pk]
        _check_mergeable(survivor, merged)
        # Each university keeps reading the person as it recorded them, not the other record's details.
        person_records_ensure(survivor, merged)
        moved: dict[str, list[Any]] = {}
        with database_refusals(Enrollment, *(model for model, _f, _o in person_pointers())):
            for model, field, _one in person_pointers():
                pks = list(model._default_manager.filter(**{field: merged}).values_list("pk", flat=True))
                if pks:
                    model._default_manager.filter(pk__in=pks).update(**{field: survivor})
                    moved[f"{model._meta.label}.{field}"] = pks
        cleared = {name: _value(merged, name) for name in UNIQUE_FIELDS if _value(merged, name) not in (None, "")}
        taken = [
            name
            for name in (*PERSON_FIELDS, "user")
            if _value(survivor, name) in (None, "") and _value(merged, name) not in (None, "")
        ]
        values = {name: _value(merged, name) for name in taken}
        for name in cleared:
            _set(merged, name, None)
        merged.merged_into = survivor
        save(merged, update_fields=[*cleared, "merged_into"])  # first: the identifiers and login are unique
        for name, value in values.items():
            _set(survivor, name, value)
        if taken:
            save(survivor, update_fields=taken)
        record = PersonMerge(
            survivor=survivor,
            merged=merged,
            reason=reason,
            evidence=dict(evidence or {}),
            moved=moved,
            cleared=cleared,
            taken=taken,
            merged_by=actor if actor is not None and actor.pk else None,
        )
        save(record)
    return record


def person_merge_undo(*, actor: Actor, merge: PersonMerge) -> PersonMerge:
    """Undo a merge: the rows that moved go back (those still on the survivor), the merged person gets its
    identifiers and login back, the survivor gives up what it took. Operators only; a merge is undone once, and
    after any later merge of the survivor is undone."""
    if actor is not None and not roles.is_operator(actor):
        raise NotAllowed(_("Only an operator undoes a merge."))
    with acting(actor, "person_merge_undo"), pghistory.context(merge=merge.pk):
        record = PersonMerge.objects.select_for_update().get(pk=merge.pk)
        if record.undone_at is not None:
            raise Conflict(_("This merge is already undone."), code="already_undone")
        locked = Person.objects.select_for_update().in_bulk([record.survivor_id, record.merged_id])
        survivor, merged = locked[record.survivor_id], locked[record.merged_id]
        if survivor.merged_into_id is not None:
            raise Conflict(
                _("The surviving person was merged again since: undo that merge first."), code="merged_again"
            )
        with database_refusals(Enrollment, *(model for model, _f, _o in person_pointers())):
            for key, pks in record.moved.items():
                label, field = key.rsplit(".", 1)
                model = apps.get_model(label)
                model._default_manager.filter(pk__in=pks, **{field: survivor}).update(**{field: merged})
        _give_back(record, survivor=survivor, merged=merged)  # first: the identifiers and login are unique
        for name, value in record.cleared.items():
            _set(merged, name, value)
        merged.merged_into = None
        save(merged, update_fields=[*record.cleared, "merged_into"])
        record.undone_at = timezone.now()
        record.undone_by = actor if actor is not None and actor.pk else None
        record.save(update_fields=["undone_at", "undone_by"])
    return record


def _give_back(record: PersonMerge, *, survivor: Person, merged: Person) -> dict[str, Any]:
    """The survivor gives up the details it took from the merged person (those it still holds unchanged); returns
    them with the values given back."""
    given_back = {
        name: _value(survivor, name)
        for name in record.taken
        if _value(survivor, name) == (record.cleared[name] if name in record.cleared else _value(merged, name))
    }
    for name in given_back:
        _set(survivor, name, _empty_value(name))
    if given_back:
        save(survivor, update_fields=list(given_back))
    return given_back


def person_merge_forget(*, merge: PersonMerge) -> dict[str, Any]:
    """Erase a merge on the owner's request (closing their account): the survivor gives back what it took from the
    merged person, and the merged person and the merge record go, so nothing the person entered stays behind. Not
    an undo: nothing moves back. Returns what the survivor gave back (field: value); the caller erases the history
    copies and holds the transaction."""
    survivor = Person.objects.select_for_update().get(pk=merge.survivor_id)
    merged = Person.objects.select_for_update().get(pk=merge.merged_id)
    given_back = _give_back(merge, survivor=survivor, merged=merged)
    merge.delete()
    merged.delete()
    return given_back
