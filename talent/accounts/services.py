"""Logins of their own: a returning researcher registers, scripts get a token, a student claims their university
record with a code, anyone may take their data with them or close their account.

Closing an account removes what belongs to that person alone (login, token, researcher and expert profiles,
consent), with the history copies of that data and the login's sign-in records. Enrollment records are the
university's: a person who has one stays in the registry, without a login.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Unpack

import pgtrigger
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as AxesAccessLog
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from talent.accounts import signals
from talent.accounts.credentials import auth_token_issue, auth_token_revoke
from talent.common.db import database_refusals, model_field, validate
from talent.common.errors import Conflict, InvalidInput, NotAllowed
from talent.matching.selectors import near_misses_of_person_for_export, proposals_of_person_for_export
from talent.registry import roles, selectors
from talent.registry.models import (
    AccessLog,
    AdvisorAppointment,
    ClaimCode,
    Enrollment,
    ExpertProfile,
    MergeReason,
    OverseasPosition,
    Person,
    PersonAsRecorded,
    PersonMerge,
    ResearcherProfile,
)
from talent.registry.privacy import OPTIONAL_FIELDS
from talent.registry.services._base import acting, save
from talent.registry.services.claims import hash_claim_code
from talent.registry.services.merges import person_merge, person_merge_forget
from talent.registry.services.people import (
    EXPERT_FIELDS,
    PERSON_FIELDS,
    POSITION_FIELDS,
    RESEARCHER_FIELDS,
    SelfDescribedFields,
    person_create,
    researcher_profile_save,
)
from talent.registry.services.privacy import privacy_consent_check, privacy_consent_give
from talent.registry.validators import reject_resident_registration_number

REGISTRATION_PERSON_FIELDS = tuple(SelfDescribedFields.__annotations__)


@dataclass(frozen=True)
class Registration:
    user: User
    person: Person
    token: Token


def account_register(
    *,
    email: str,
    password: str,
    consent_required: bool,
    consent_optional: bool = False,
    username: str = "",
    researcher: bool = True,
    **person_fields: Unpack[SelfDescribedFields],
) -> Registration:
    """Create a login (username: the given one, else the email), its person record with its consent to the
    privacy notice (refused without the required part; optional items only with the optional part), optionally
    an empty returning-researcher profile, and an API token. The password must pass the configured validators."""
    email = email.strip().lower()
    username = username.strip() or email
    unknown = set(person_fields) - set(REGISTRATION_PERSON_FIELDS)
    if unknown:
        raise InvalidInput(_("These fields cannot be set here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    user = get_user_model()(username=username, email=email)
    consent = {"required": consent_required, "optional": consent_optional}
    _check_new_login(
        user, password, username_field="username" if username != email else "email", **consent, **person_fields
    )
    user.set_password(password)
    with acting(None, "account_register"):
        with database_refusals(get_user_model()):
            user.save()
        person = person_create(actor=user, user=user, email=email, **person_fields)
        privacy_consent_give(actor=user, person=person, **consent)
        if researcher:
            researcher_profile_save(actor=user, person=person)
        token = auth_token_issue(user=user)
    return Registration(user=user, person=person, token=token)


def _check_new_login(
    user: Any,
    password: str,
    *,
    username_field: str,
    required: bool,
    optional: bool,
    **person_fields: Unpack[SelfDescribedFields],
) -> None:
    """Every problem with the username, the password and the consent at once, as field errors."""
    errors: dict[str, list[str]] = {}

    def add(field: str, messages: Any) -> None:
        errors.setdefault(field, []).extend(str(m) for m in messages)

    optional_data = any(person_fields.get(name) for name in OPTIONAL_FIELDS)
    try:
        privacy_consent_check(required=required, optional=optional, optional_data=optional_data)
    except InvalidInput as exc:
        for key, messages in exc.as_dict().items():
            add(key, messages)

    if type(user).objects.filter(username__iexact=user.username).exists():
        add(username_field, [_("An account with this username already exists. Sign in instead.")])
    else:
        try:
            validate(user, exclude=["password"])
        except InvalidInput as exc:
            for key, messages in exc.as_dict().items():
                add(username_field if key == "username" else key, messages)
    try:
        reject_resident_registration_number(user.username)
    except ValidationError as exc:
        add(username_field, exc.messages)
    # The similarity check compares the password with the Latin names too; this probe is never saved.
    probe = type(user)(
        username=user.username,
        email=user.email,
        first_name=person_fields.get("given_name_latin", ""),
        last_name=person_fields.get("family_name_latin", ""),
    )
    try:
        password_validation.validate_password(password, user=probe)
    except ValidationError as exc:
        add("password", exc.messages)
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], errors=errors)


def account_delete(*, user: User, password: str) -> bool:
    """Close a login after checking its password: the login, its token, researcher and expert profiles
    (with consent) go. The person stays, unlinked, while a university's enrollment refers to them; otherwise
    it goes too. Returns whether the person record was kept."""
    if not user.check_password(password):
        raise InvalidInput(_("The password is not correct."), field="password")
    kept = False
    try:
        with acting(user, "account_delete"):
            person = Person.objects.select_for_update().filter(user=user).first()
            if person is not None:
                erased = _owned_records(person)
                ExpertProfile.objects.filter(person=person).delete()
                ResearcherProfile.objects.filter(person=person).delete()  # and its positions
                kept = _universities_keep(person)
                for model, pks in _erase_absorbed_records(person, everything=not kept).items():
                    erased.setdefault(model, []).extend(pks)
                if kept:
                    person.user = None
                    save(person, update_fields=["user"])
                else:
                    erased[Person].append(person.pk)
                    person.delete()
                _erase_history(erased)
            _erase_login_attempts(user.get_username())
            auth_token_revoke(user=user)
            user.delete()
    except ProtectedError as exc:
        raise Conflict(
            _(
                "Records the registry must keep (such as enrollment status changes this login recorded) refer "
                "to this account, so it cannot be closed here: ask an operator."
            ),
            code="account_in_use",
        ) from exc
    return kept


def _owned_records(person: Person) -> dict[type[models.Model], list[Any]]:
    """The person's own records that closing the account removes, by model (the person is added if it goes)."""
    return {
        Person: [],
        ResearcherProfile: list(ResearcherProfile.objects.filter(person=person).values_list("pk", flat=True)),
        OverseasPosition: list(OverseasPosition.objects.filter(profile__person=person).values_list("pk", flat=True)),
        ExpertProfile: list(ExpertProfile.objects.filter(person=person).values_list("pk", flat=True)),
    }


def _erase_absorbed_records(person: Person, *, everything: bool) -> dict[type[models.Model], list[Any]]:
    """Erase what merges folded into the person that was the person's own: the self-made record a claim absorbed
    and, when the person itself goes, every record merged into it. Returns the erased persons and merge records,
    whose history the caller erases."""
    merges = PersonMerge.objects.select_for_update().filter(survivor=person, undone_at__isnull=True)
    if not everything:
        merges = merges.filter(reason=MergeReason.CLAIM)
    erased: dict[type[models.Model], list[Any]] = {Person: [], PersonMerge: []}
    for merge in merges:
        erased[Person].append(merge.merged_id)
        erased[PersonMerge].append(merge.pk)
        given_back = person_merge_forget(merge=merge)
        _erase_values_from_history(person, {name: value for name, value in given_back.items() if name != "user"})
    return erased


def _erase_values_from_history(person: Person, values: dict[str, Any]) -> None:
    """Blank, in the history of a record that stays, the values the person entered and takes back: the copies go
    with the data (the same exception to append-only history as `_erase_history`)."""
    history = Person.history.field.model  # type: ignore[attr-defined]  # made by pghistory at run time
    with pgtrigger.ignore(f"{history._meta.label}:append_only"):
        for name, value in values.items():
            empty = None if model_field(Person, name).null else ""
            history.objects.filter(pgh_obj_id=person.pk, **{name: value}).update(**{name: empty})


def _erase_history(records: dict[type[models.Model], list[Any]]) -> None:
    """Erase the history copies of removed records. History is append-only against edits; erasure on the
    owner's request is the one exception, so the copies of their data go with the data. Who closed the
    account, and when, stays in the history context."""
    for model, pks in records.items():
        # The pghistory event model, by the ObjForeignKey's related_name (made at run time: mypy cannot see it).
        history = model.history.field.model  # type: ignore[attr-defined]
        with pgtrigger.ignore(f"{history._meta.label}:append_only"):
            history.objects.filter(pgh_obj_id__in=pks).delete()


def _erase_login_attempts(username: str) -> None:
    """django-axes keeps the usernames of failed and successful logins; they go with the login."""
    AccessAttempt.objects.filter(username=username).delete()
    AxesAccessLog.objects.filter(username=username).delete()
    AccessFailureLog.objects.filter(username=username).delete()


def _universities_keep(person: Person) -> bool:
    """Whether a university's records refer to the person: an enrollment (as student, advisor or co-advisor) or an
    advisor appointment."""
    enrolled = Enrollment.objects.filter(Q(person=person) | Q(advisor=person) | Q(co_advisor=person)).exists()
    return enrolled or AdvisorAppointment.objects.filter(person=person).exists()


# --- Personal data export (read only) -----------------------------------------------------------------


def personal_data_export(*, user: User) -> dict[str, Any]:
    """Everything held about the signed-in person, as plain data for a JSON download: the login, the person,
    profiles and consent, enrollments with their status histories and each university's own record of the person,
    who read the record (organization, action, when), and what matching holds (proposals and near misses). Nothing
    about anyone else."""
    person = selectors.own_person(user=user)
    return {
        "exported_at": timezone.now(),
        "account": {
            "username": user.get_username(),
            "email": getattr(user, "email", ""),
            "date_joined": getattr(user, "date_joined", None),
            "last_login": user.last_login,
        },
        "person": _person_data(person) if person else None,
        "privacy_consents": _consents_data(person) if person else [],
        "researcher_profile": _researcher_data(person) if person else None,
        "expert_profile": _expert_data(person) if person else None,
        "enrollments": _enrollments_data(person) if person else [],
        "record_reads": _reads_data(person) if person else [],
        **_matching_data(person),
    }


def _matching_data(person: Person | None) -> dict[str, Any]:
    """What matching holds about the person: the proposals made to them, and the near misses kept for them."""
    return {
        "match_proposals": proposals_of_person_for_export(person=person) if person else [],
        "match_near_misses": near_misses_of_person_for_export(person=person) if person else [],
    }


def _values(instance: Any, names: tuple[str, ...] | list[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in names}


def _consents_data(person: Person) -> list[dict[str, Any]]:
    return [
        _values(consent, ("notice_version", "scope", "given_at", "withdrawn_at"))
        for consent in selectors.privacy_consent_list(person=person)
    ]


def _person_data(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk,
        **_values(person, (*PERSON_FIELDS, "created_at", "updated_at")),
    }


def _researcher_data(person: Person) -> dict[str, Any] | None:
    profile = (
        ResearcherProfile.objects.filter(person=person)
        .select_related("korean_affiliation", "person")
        .prefetch_related("positions")
        .first()
    )
    if profile is None:
        return None
    affiliation = profile.korean_affiliation
    return {
        **_values(
            profile,
            [name for name in RESEARCHER_FIELDS if name != "korean_affiliation"],
        ),
        "korean_affiliation": affiliation.name_ko if affiliation else None,
        "years_abroad": round(profile.years_abroad(), 2),
        "eligible_for_return_track": profile.eligible_for_return_track(),
        "positions": [_values(position, POSITION_FIELDS) for position in profile.positions.all()],
    }


def _expert_data(person: Person) -> dict[str, Any] | None:
    profile = ExpertProfile.objects.filter(person=person).first()
    if profile is None:
        return None
    return _values(profile, (*EXPERT_FIELDS, "consent_to_matching", "shared_fields", "consent_updated_at"))


def _enrollments_data(person: Person) -> list[dict[str, Any]]:
    enrollments = (
        Enrollment.objects.filter(person=person)
        .select_related("university", "programme__school", "recorded")
        .prefetch_related("events")
        .order_by("admission_date", "id")
    )
    return [
        {
            "university": e.university.name_ko,
            "graduate_school": e.programme.school.name_ko,
            "programme": e.programme.name_ko,
            "degree_level": e.programme.degree_level,
            **_values(
                e,
                (
                    "student_number",
                    "admission_date",
                    "expected_completion",
                    "status",
                    "status_since",
                    "completion_route",
                ),
            ),
            # What the university keeps of the person as its own record, once the person is shared (None before).
            "recorded_details": _recorded_data(e),
            # Who recorded a change is another person's data: the university named above recorded it.
            "history": [
                _values(ev, ("sequence", "status", "previous_status", "effective_date", "reason", "recorded_at"))
                for ev in sorted(e.events.all(), key=lambda ev: (ev.effective_date, ev.sequence))
            ],
        }
        for e in enrollments
    ]


def _recorded_data(enrollment: Enrollment) -> dict[str, Any] | None:
    try:
        return _values(enrollment.recorded, PERSON_FIELDS)
    except PersonAsRecorded.DoesNotExist:
        return None


def _reads_data(person: Person) -> list[dict[str, Any]]:
    """Who read the record: the reader's organization, never the reader's name."""
    entries = AccessLog.objects.filter(person=person).select_related("user__membership__organization")
    return [{"organization": _reader_organization(entry), "action": entry.action, "at": entry.at} for entry in entries]


def _reader_organization(entry: AccessLog) -> str:
    reader = entry.user
    if reader is None:
        return _("(a closed account)")
    organization = roles.organization_of(reader)
    if organization is not None:
        return organization.name_ko
    return _("Registry operator") if roles.is_operator(reader) else _("(no organization)")


def claim_refusal(user: User | AnonymousUser) -> str | None:
    """Why this login may not claim a student record, or None when it may: a staff login never does; a login whose
    record a university keeps (it is enrolled, or advises) already has its university record. A record the login
    made itself at sign-up does not stand in the way: claiming absorbs it (`claim_code_redeem`)."""
    if not user.is_authenticated:
        return _("Sign in first, then enter your claim code.")
    if roles.is_operator(user) or roles.organization_of(user) is not None:
        return _("A staff login cannot claim a student record: sign up with your own personal login first.")
    own = selectors.own_person(user=user)
    if own is not None and _universities_keep(own):
        return _("This login is already linked to a university's record.")
    return None


def claim_code_redeem(*, user: User, code: str) -> Person:
    """Link `user` to the person a valid, unused, unexpired code was issued for; the code is then spent. A record
    the login made itself at sign-up is absorbed into the university's record in the same transaction (its
    profiles, consent and access log move; its history stays, under the claim). A wrong, expired or spent code is
    refused with InvalidInput; a login that may not claim (`claim_refusal`) with NotAllowed or Conflict."""
    refusal = claim_refusal(user)
    if refusal is not None:
        if user.is_authenticated and selectors.own_person(user=user) is not None:
            raise Conflict(refusal, code="already_linked")
        raise NotAllowed(refusal)
    with acting(user, "claim_code_redeem"):
        claim = (
            ClaimCode.objects.select_for_update()
            .select_related("person")
            .filter(code_hash=hash_claim_code(code))
            .first()
        )
        now = timezone.now()
        if claim is None:
            raise InvalidInput(_("This claim code is not valid: check it for typos."), field="code")
        if claim.used_at is not None:
            raise InvalidInput(_("This claim code has already been used."), field="code")
        if claim.expires_at <= now:
            raise InvalidInput(_("This claim code has expired: ask your university for a new one."), field="code")
        person = Person.objects.select_for_update().get(pk=claim.person_id)
        if person.user_id is not None:
            raise Conflict(_("This record is already linked to a login."), code="already_claimed")
        own = Person.objects.select_for_update().filter(user=user).first()
        if own is not None:
            if _universities_keep(own):  # enrolled meanwhile: checked again under the lock
                raise Conflict(_("This login is already linked to a university's record."), code="already_linked")
            _absorb(own, into=person, user=user)
        if person.user_id is None:
            person.user = user
            with database_refusals(Person):
                save(person, update_fields=["user"])
        claim.used_at = now
        claim.save(update_fields=["used_at"])
        signals.claim_code_used.send(sender=ClaimCode, claim=claim)
    return person


def _absorb(own: Person, *, into: Person, user: User) -> None:
    """Fold the login's self-made record into the university's with the registry's merge (`person_merge`, reason
    claim): its profiles (with consent, positions and what matching holds for them), claim codes, access log and the
    login move; the university's record keeps its own details and takes the self-made record's where it has none
    (email, Latin names, identifiers). The self-made record stays, marked merged, so an operator can undo it."""
    both: dict[type[ResearcherProfile] | type[ExpertProfile], str] = {
        ResearcherProfile: _(
            "Both your own record and your university's have a returning-researcher profile: ask an operator to "
            "merge them."
        ),
        ExpertProfile: _(
            "Both your own record and your university's have an expert profile: ask an operator to merge them."
        ),
    }
    for model, refusal in both.items():
        if model.objects.filter(person=own).exists() and model.objects.filter(person=into).exists():
            raise Conflict(refusal, code="profiles_on_both")
    person_merge(
        actor=user,
        survivor=into,
        merged=own,
        reason=MergeReason.CLAIM,
        evidence={"claim_code": True},
    )
    into.refresh_from_db()
