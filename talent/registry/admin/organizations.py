"""Organizations, memberships, AX graduate schools and programmes."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from talent.common.errors import DomainError
from talent.common.users import signed_in_user
from talent.registry import services
from talent.registry.admin.base import RegistryForm, ServiceAdmin, multiple_choice, service_fields
from talent.registry.models import GraduateSchool, Membership, Organization, Programme
from talent.registry.services.organizations import ORGANIZATION_FIELDS, PROGRAMME_FIELDS, SCHOOL_FIELDS
from talent.registry.vocabulary import ConvergenceField


@admin.register(Organization)
class OrganizationAdmin(ServiceAdmin):
    list_display = ("name_ko", "name_en", "kind", "region", "business_registration_number", "ksic_section")
    list_filter = ("kind", "region", "ksic_section")
    search_fields = ("name_ko", "name_en", "business_registration_number")
    ordering = ("kind", "name_ko")

    def create(self, request: HttpRequest, form: forms.ModelForm) -> Organization:
        return services.organization_create(
            actor=signed_in_user(request), **service_fields(form.cleaned_data, ORGANIZATION_FIELDS)
        )

    def can_update(self, obj: Organization) -> bool:
        return False  # the registry has no service to edit an organization yet


@admin.register(Membership)
class MembershipAdmin(ServiceAdmin):
    list_display = ("user", "organization", "organization_kind", "role", "updated_at")
    list_filter = ("role", "organization__kind")
    search_fields = ("user__username", "user__email", "organization__name_ko", "organization__name_en")
    list_select_related = ("user", "organization")
    autocomplete_fields = ("user", "organization")
    ordering = ("organization__name_ko", "user__username")

    @admin.display(description=_("kind of organization"), ordering="organization__kind")
    def organization_kind(self, membership: Membership) -> str:
        return membership.organization.get_kind_display()

    def get_readonly_fields(self, request: HttpRequest, obj: Membership | None = None) -> tuple[str, ...]:
        return ("user",) if obj else ()

    def create(self, request: HttpRequest, form: forms.ModelForm) -> Membership:
        data = form.cleaned_data
        return services.membership_set(
            actor=signed_in_user(request), user=data["user"], organization=data["organization"], role=data["role"]
        )

    def update(self, request: HttpRequest, obj: Membership, form: forms.ModelForm) -> Membership:
        data = form.cleaned_data
        return services.membership_set(
            actor=signed_in_user(request), user=obj.user, organization=data["organization"], role=data["role"]
        )


class GraduateSchoolForm(RegistryForm):
    convergence_fields = multiple_choice(GraduateSchool, "convergence_fields", ConvergenceField.choices)


@admin.register(GraduateSchool)
class GraduateSchoolAdmin(ServiceAdmin):
    form = GraduateSchoolForm
    list_display = (
        "name_ko",
        "university",
        "track",
        "selection_year",
        "convergence_field_names",
        "support_start",
        "support_end",
    )
    list_filter = ("track", "selection_year", "university")
    search_fields = ("name_ko", "name_en", "university__name_ko", "university__name_en")
    list_select_related = ("university",)
    autocomplete_fields = ("university", "consortium_companies")
    ordering = ("university__name_ko", "name_ko")

    @admin.display(description=_("convergence fields"))
    def convergence_field_names(self, school: GraduateSchool) -> str:
        return ", ".join(str(ConvergenceField(code).label) for code in school.convergence_fields)

    def create(self, request: HttpRequest, form: forms.ModelForm) -> GraduateSchool:
        data = form.cleaned_data
        return services.graduate_school_create(
            actor=signed_in_user(request),
            consortium_companies=data.get("consortium_companies", ()),
            **service_fields(data, SCHOOL_FIELDS),
        )

    def can_update(self, obj: GraduateSchool) -> bool:
        return False  # the registry has no service to edit a graduate school yet


@admin.register(Programme)
class ProgrammeAdmin(ServiceAdmin):
    list_display = (
        "name_ko",
        "school",
        "university",
        "degree_level",
        "normal_duration_months",
        "counts_toward_target",
    )
    list_filter = ("counts_toward_target", "degree_level", "school__track", "school")
    search_fields = ("name_ko", "name_en", "school__name_ko", "school__university__name_ko")
    list_select_related = ("school__university",)
    autocomplete_fields = ("school",)
    ordering = ("school__name_ko", "degree_level", "name_ko")
    actions = ("count_toward_target", "stop_counting_toward_target")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Programme]:
        return super().get_queryset(request).select_related("school")  # its name shows the school's

    @admin.display(description=_("university"), ordering="school__university__name_ko")
    def university(self, programme: Programme) -> str:
        return str(programme.school.university)

    def get_readonly_fields(self, request: HttpRequest, obj: Programme | None = None) -> tuple[str, ...]:
        # Once created, only whether it counts toward the target can change (the ministry's decision).
        return PROGRAMME_FIELDS if obj else ()

    def create(self, request: HttpRequest, form: forms.ModelForm) -> Programme:
        data = form.cleaned_data
        programme = services.programme_create(actor=signed_in_user(request), **service_fields(data, PROGRAMME_FIELDS))
        if data.get("counts_toward_target"):
            programme = services.programme_set_counting(
                actor=signed_in_user(request), programme=programme, counts_toward_target=True
            )
        return programme

    def update(self, request: HttpRequest, obj: Programme, form: forms.ModelForm) -> Programme:
        if "counts_toward_target" in form.changed_data:
            return services.programme_set_counting(
                actor=signed_in_user(request),
                programme=obj,
                counts_toward_target=form.cleaned_data["counts_toward_target"],
            )
        return obj

    @admin.action(description=_("Count the selected programmes toward the target"), permissions=["change"])
    def count_toward_target(self, request: HttpRequest, queryset: QuerySet[Programme]) -> None:
        self._set_counting(request, queryset, counts=True)

    @admin.action(description=_("Stop counting the selected programmes toward the target"), permissions=["change"])
    def stop_counting_toward_target(self, request: HttpRequest, queryset: QuerySet[Programme]) -> None:
        self._set_counting(request, queryset, counts=False)

    def _set_counting(self, request: HttpRequest, queryset: QuerySet[Programme], *, counts: bool) -> None:
        changed = 0
        for programme in queryset:
            try:
                services.programme_set_counting(
                    actor=signed_in_user(request), programme=programme, counts_toward_target=counts
                )
            except DomainError as refusal:
                self.message_user(request, f"{programme}: {refusal}", messages.ERROR)
            else:
                changed += 1
        if changed:
            message = ngettext("%(count)d programme updated.", "%(count)d programmes updated.", changed)
            self.message_user(request, message % {"count": changed}, messages.SUCCESS)
