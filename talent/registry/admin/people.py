"""Persons, returning researchers (with their overseas positions) and experts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from talent.common.users import signed_in_user
from talent.registry import services, vocabulary
from talent.registry.admin.base import (
    PersonNameSearch,
    RegistryForm,
    ServiceAdmin,
    country_filter,
    multiple_choice,
    service_fields,
)
from talent.registry.models import AdvisorAppointment, ExpertProfile, OverseasPosition, Person, ResearcherProfile
from talent.registry.services.people import (
    EXPERT_FIELDS,
    PERSON_FIELDS,
    POSITION_FIELDS,
    RESEARCHER_FIELDS,
)
from talent.registry.vocabulary import ShareableField

PERSON_SEARCH = ("family_name_ko", "given_name_ko", "family_name_latin", "given_name_latin", "email")


def through_person(path: str) -> tuple[str, ...]:
    return tuple(f"{path}{field}" for field in PERSON_SEARCH)


class PersonForm(RegistryForm):
    def clean_orcid(self) -> str | None:
        # Validated as the service will store it: an ORCID iD's check character is a capital X.
        orcid = self.cleaned_data.get("orcid")
        return orcid.strip().upper() if orcid else None


@admin.register(Person)
class PersonAdmin(PersonNameSearch, ServiceAdmin):
    form = PersonForm
    list_display = ("name", "latin_name", "birth_date", "gender", "nationality", "email", "orcid", "user")
    list_filter = ("gender", country_filter(Person, "nationality"), ("user", admin.EmptyFieldListFilter))
    search_fields = (*PERSON_SEARCH, "orcid", "national_researcher_number")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    ordering = ("family_name_ko", "given_name_ko", "id")
    fieldsets = (
        (None, {"fields": ("family_name_ko", "given_name_ko", "family_name_latin", "given_name_latin")}),
        (_("About"), {"fields": ("birth_date", "gender", "nationality", "email")}),
        (_("Identifiers"), {"fields": ("orcid", "national_researcher_number", "user")}),
    )

    @admin.display(description=_("name"), ordering="family_name_ko")
    def name(self, person: Person) -> str:
        return str(person)

    @admin.display(description=_("name (Latin)"), ordering="family_name_latin")
    def latin_name(self, person: Person) -> str:
        return f"{person.given_name_latin} {person.family_name_latin}".strip()

    def get_readonly_fields(self, request: HttpRequest, obj: Person | None = None) -> tuple[str, ...]:
        return ("user",) if obj else ()  # a login is linked when the person is registered or claims the record

    def create(self, request: HttpRequest, form: forms.ModelForm) -> Person:
        data = form.cleaned_data
        return services.person_create(
            actor=signed_in_user(request), user=data.get("user"), **service_fields(data, PERSON_FIELDS)
        )

    def update(self, request: HttpRequest, obj: Person, form: forms.ModelForm) -> Person:
        return services.person_update(
            actor=signed_in_user(request), person=obj, **service_fields(form.cleaned_data, PERSON_FIELDS)
        )


class OverseasPositionInline(admin.TabularInline):
    """Positions are added through the service; once recorded they are read-only (no update service)."""

    model = OverseasPosition
    fields = ("country", "institution", "title", "start_date", "end_date")
    ordering = ("start_date",)
    extra = 1
    can_delete = False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ResearcherProfile)
class ResearcherProfileAdmin(PersonNameSearch, ServiceAdmin):
    person_path = "person__"
    list_display = (
        "person",
        "phd_field",
        "phd_year",
        "phd_country",
        "return_date",
        "return_planned",
        "return_programme",
        "korean_affiliation",
    )
    list_filter = ("return_programme", "return_planned", "phd_field", country_filter(ResearcherProfile, "phd_country"))
    search_fields = (*through_person("person__"), "phd_subject", "korean_affiliation__name_ko")
    list_select_related = ("person", "korean_affiliation")
    autocomplete_fields = ("person", "korean_affiliation")
    ordering = ("person__family_name_ko", "person__given_name_ko")
    inlines = (OverseasPositionInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ResearcherProfile]:
        return super().get_queryset(request).select_related("person")  # named by its person (autocomplete)

    def get_readonly_fields(self, request: HttpRequest, obj: ResearcherProfile | None = None) -> tuple[str, ...]:
        return ("person", "years_abroad", "return_track_eligibility") if obj else ()

    @admin.display(description=_("years abroad"))
    def years_abroad(self, profile: ResearcherProfile) -> str:
        return f"{profile.years_abroad():.1f}"

    @admin.display(description=_("eligible for the return track"), boolean=True)
    def return_track_eligibility(self, profile: ResearcherProfile) -> bool:
        return profile.eligible_for_return_track()

    def create(self, request: HttpRequest, form: forms.ModelForm) -> ResearcherProfile:
        data = form.cleaned_data
        return services.researcher_profile_save(
            actor=signed_in_user(request), person=data["person"], **service_fields(data, RESEARCHER_FIELDS)
        )

    def update(self, request: HttpRequest, obj: ResearcherProfile, form: forms.ModelForm) -> ResearcherProfile:
        return services.researcher_profile_save(
            actor=signed_in_user(request), person=obj.person, **service_fields(form.cleaned_data, RESEARCHER_FIELDS)
        )

    def save_formset(self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool) -> None:
        for position in formset.extra_forms:
            if position.has_changed():
                added = services.overseas_position_add(
                    actor=signed_in_user(request),
                    person=form.instance.person,
                    **service_fields(position.cleaned_data, POSITION_FIELDS),
                )
                formset.new_objects.append(added)


@admin.register(OverseasPosition)
class OverseasPositionAdmin(PersonNameSearch, ServiceAdmin):
    person_path = "profile__person__"
    list_display = ("institution", "country", "title", "start_date", "end_date", "profile")
    list_filter = (country_filter(OverseasPosition, "country"),)
    search_fields = ("institution", "title", *through_person("profile__person__"))
    list_select_related = ("profile__person",)
    autocomplete_fields = ("profile",)
    ordering = ("profile__person__family_name_ko", "start_date")

    def create(self, request: HttpRequest, form: forms.ModelForm) -> OverseasPosition:
        data = form.cleaned_data
        return services.overseas_position_add(
            actor=signed_in_user(request), person=data["profile"].person, **service_fields(data, POSITION_FIELDS)
        )

    def can_update(self, obj: OverseasPosition) -> bool:
        return False  # the registry has no service to edit a position yet


class ExpertProfileForm(RegistryForm):
    ksic_sections = multiple_choice(ExpertProfile, "ksic_sections", vocabulary.ksic_choices)
    regions = multiple_choice(ExpertProfile, "regions", vocabulary.region_choices)
    shared_fields = multiple_choice(ExpertProfile, "shared_fields", ShareableField.choices)


@admin.register(ExpertProfile)
class ExpertProfileAdmin(PersonNameSearch, ServiceAdmin):
    form = ExpertProfileForm
    person_path = "person__"
    list_display = ("person", "skill_list", "capacity", "available", "remote_ok", "consent_to_matching")
    list_filter = ("consent_to_matching", "available", "remote_ok")
    search_fields = (*through_person("person__"), "skills__icontains", "summary_ko", "summary_en")
    list_select_related = ("person",)
    autocomplete_fields = ("person",)
    ordering = ("person__family_name_ko", "person__given_name_ko")
    fieldsets = (
        (None, {"fields": ("person",)}),
        (
            _("What the expert offers"),
            {"fields": ("skills", "summary_ko", "summary_en", "ksic_sections", "regions", "remote_ok", "capacity")},
        ),
        (_("Availability and consent"), {"fields": ("available", "consent_to_matching", "shared_fields")}),
    )

    @admin.display(description=_("skills"))
    def skill_list(self, profile: ExpertProfile) -> str:
        return ", ".join(profile.skills)

    def get_fieldsets(self, request: HttpRequest, obj: ExpertProfile | None = None) -> Any:
        if obj is None:
            return self.fieldsets
        *offer, (title, consent) = self.fieldsets
        return (*offer, (title, {"fields": (*consent["fields"], "consent_updated_at")}))

    def get_readonly_fields(self, request: HttpRequest, obj: ExpertProfile | None = None) -> tuple[str, ...]:
        return ("person", "consent_updated_at") if obj else ()

    def create(self, request: HttpRequest, form: forms.ModelForm) -> ExpertProfile:
        data = form.cleaned_data
        profile = services.expert_profile_save(
            actor=signed_in_user(request), person=data["person"], **service_fields(data, EXPERT_FIELDS)
        )
        if data.get("consent_to_matching"):
            profile = self._set_consent(request, profile, data)
        return profile

    def update(self, request: HttpRequest, obj: ExpertProfile, form: forms.ModelForm) -> ExpertProfile:
        data = form.cleaned_data
        profile = services.expert_profile_save(
            actor=signed_in_user(request), person=obj.person, **service_fields(data, EXPERT_FIELDS)
        )
        if {"consent_to_matching", "shared_fields"} & set(form.changed_data):
            profile = self._set_consent(request, profile, data)
        return profile

    def _set_consent(self, request: HttpRequest, profile: ExpertProfile, data: dict[str, Any]) -> ExpertProfile:
        return services.expert_consent_set(
            actor=signed_in_user(request),
            profile=profile,
            consent_to_matching=data.get("consent_to_matching", False),
            shared_fields=data.get("shared_fields", ()),
        )


@admin.register(AdvisorAppointment)
class AdvisorAppointmentAdmin(PersonNameSearch, ServiceAdmin):
    """Whom each university appoints as advisors and co-advisors: only they are named on its enrollments."""

    person_path = "person__"
    list_display = ("person", "role", "university", "created_at")
    list_filter = ("role", "university")
    search_fields = through_person("person__")
    list_select_related = ("person", "university")
    autocomplete_fields = ("person", "university")
    ordering = ("university__name_ko", "role", "person__family_name_ko")

    def create(self, request: HttpRequest, form: forms.ModelForm) -> AdvisorAppointment:
        data = form.cleaned_data
        return services.advisor_appoint(
            actor=signed_in_user(request), university=data["university"], role=data["role"], person=data["person"]
        )

    def can_update(self, obj: AdvisorAppointment) -> bool:
        return False  # an appointment is made or not; correcting one is appointing the right person
