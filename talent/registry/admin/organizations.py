"""Organizations, memberships, AX graduate schools and programmes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from talent.common.errors import DomainError
from talent.common.users import signed_in_user
from talent.registry import services
from talent.registry.admin.base import ReadOnlyInline, RegistryForm, ServiceAdmin, multiple_choice, service_fields
from talent.registry.models import GraduateSchool, Membership, Organization, Programme, ProgrammeCountingRule
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


class ProgrammeCountingForm(RegistryForm):
    """Whether a programme counts, and from which date (the ministry's decision: a counting rule)."""

    counting_from = forms.DateField(
        label=_("counts (or not) from"),
        required=False,
        help_text=_("Today if left empty; reports as of earlier dates keep the rules they were computed under."),
    )
    counting_note = forms.CharField(label=_("why"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = Programme
        fields = ["counts_toward_target"]


class ProgrammeCountingRuleInline(ReadOnlyInline):
    """The counting rules' history, oldest first (append-only)."""

    model = ProgrammeCountingRule
    fields = ("effective_from", "counts", "note", "created_by", "created_at")
    readonly_fields = fields
    ordering = ("effective_from", "id")
    verbose_name_plural = _("counting rules")


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

    def get_inlines(self, request: HttpRequest, obj: Programme | None) -> list[type[InlineModelAdmin[Any, Any]]]:
        return [ProgrammeCountingRuleInline] if obj else []

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is not None:
            kwargs["form"] = ProgrammeCountingForm
            kwargs["fields"] = ["counts_toward_target", "counting_from", "counting_note"]
        return super().get_form(request, obj, change, **kwargs)

    def create(self, request: HttpRequest, form: forms.ModelForm) -> Programme:
        data = form.cleaned_data
        programme = services.programme_create(actor=signed_in_user(request), **service_fields(data, PROGRAMME_FIELDS))
        if data.get("counts_toward_target"):
            programme = services.programme_set_counting(
                actor=signed_in_user(request), programme=programme, counts_toward_target=True
            )
        return programme

    def update(self, request: HttpRequest, obj: Programme, form: forms.ModelForm) -> Programme:
        if form.changed_data:
            return services.programme_set_counting(
                actor=signed_in_user(request),
                programme=obj,
                counts_toward_target=form.cleaned_data["counts_toward_target"],
                effective_from=form.cleaned_data.get("counting_from"),
                note=form.cleaned_data.get("counting_note") or "",
            )
        return obj

    @admin.action(description=_("Count the selected programmes toward the target"), permissions=["change"])
    def count_toward_target(self, request: HttpRequest, queryset: QuerySet[Programme]) -> None:
        self._set_counting(request, queryset, counts=True)

    @admin.action(description=_("Stop counting the selected programmes toward the target"), permissions=["change"])
    def stop_counting_toward_target(self, request: HttpRequest, queryset: QuerySet[Programme]) -> None:
        self._set_counting(request, queryset, counts=False)

    def _set_counting(self, request: HttpRequest, queryset: QuerySet[Programme], *, counts: bool) -> None:
        # One counting rule per programme from today, and one new target version for them all.
        try:
            changed = len(
                services.programmes_set_counting(actor=signed_in_user(request), programmes=queryset, counts=counts)
            )
        except DomainError as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return
        if changed:
            message = ngettext("%(count)d programme updated.", "%(count)d programmes updated.", changed)
            self.message_user(request, message % {"count": changed}, messages.SUCCESS)
