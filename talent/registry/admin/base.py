"""What every registry admin shares: writes go through the services, a service's refusal is shown on the
form it came from (nothing is saved), and every record links to its change history (django-pghistory)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import F, Model, QuerySet
from django.db.models.functions import Concat
from django.db.models.lookups import IContains
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from talent.common.db import model_field
from talent.common.errors import DomainError
from talent.common.forms import add_domain_error
from talent.registry import vocabulary

_REFUSAL = "_registry_service_refusal"


def service_fields(data: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """The cleaned form values a service accepts."""
    return {name: data[name] for name in names if name in data}


def field_label(model: type[Model], name: str) -> Any:
    """A form label from the model field's (translated) verbose name."""
    return capfirst(model_field(model, name).verbose_name)


def multiple_choice(model: type[Model], name: str, choices: Any) -> forms.MultipleChoiceField:
    """Checkboxes for an ArrayField of choices, labelled by the model field."""
    field = model_field(model, name)
    return forms.MultipleChoiceField(
        label=field_label(model, name),
        help_text=field.help_text,
        choices=choices,
        required=not field.blank,
        widget=forms.CheckboxSelectMultiple,
    )


class RegistryForm(forms.ModelForm):
    """A model form that shows the refusal of the service it was submitted to (see ServiceAdmin)."""

    service_refusal: DomainError | None = None

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if self.service_refusal is not None:
            add_domain_error(self, self.service_refusal)
        return cleaned


class ServiceAdmin(admin.ModelAdmin):
    """A model admin whose writes are services (`create`, `update`), never `save()`.

    The form first validates the model (fields, `clean()`, constraints). A refusal that only the service
    can see (a rule of the domain, a race on a unique constraint) rolls the request back and the same
    submission is shown again with the service's message. The registry has no delete services, so
    nothing is deleted here; records without an update service are read-only once created.
    """

    form = RegistryForm
    list_per_page = 50
    show_history = True

    def create(self, request: HttpRequest, form: forms.ModelForm) -> Model:
        raise NotImplementedError

    def update(self, request: HttpRequest, obj: Any, form: forms.ModelForm) -> Model:
        raise NotImplementedError

    def can_update(self, obj: Any) -> bool:
        return True

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and not self.can_update(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool) -> None:
        saved = self.update(request, obj, form) if change else self.create(request, form)
        if saved is not obj:
            # The admin goes on with the instance it built (messages, log, redirect): make it the saved row.
            obj.__dict__.update(saved.__dict__)

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool) -> None:
        # Many-to-many fields are saved by the services; inline rows only where an admin saves them.
        for formset in formsets:
            # What the admin's change message reads; `formset.save()`, which would set it, is never called.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            self.save_formset(request, form, formset, change)

    def save_formset(self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool) -> None:
        """Inline rows are read-only unless an admin saves them through a service (into `new_objects`)."""

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, _REFUSAL, None)
        if refusal is not None:
            form = type(form.__name__, (form,), {"service_refusal": refusal})
        return form

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as refusal:
            if request.method != "POST":
                raise
            # The view's transaction has been rolled back: validate the same submission again, this
            # time with the service's refusal on the form, so the operator sees why and can correct it.
            setattr(request, _REFUSAL, refusal)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        if obj is not None and obj.pk is not None:
            context["registry_object_tools"] = self.object_tools(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def object_tools(self, request: HttpRequest, obj: Any) -> list[dict[str, Any]]:
        """Links above the change form (see templates/admin/registry/change_form.html)."""
        return [{"label": _("Change history"), "url": history_url(obj)}] if self.show_history else []


def history_url(obj: Model) -> str:
    """The pghistory events admin, showing every recorded change of this object (who, when, what)."""
    opts = obj._meta
    back = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    query = urlencode({"method": "tracks", "obj": f"{opts.label}:{obj.pk}", "back": back})
    return f"{reverse('admin:registry_changeevent_changelist')}?{query}"


class PersonNameSearch:
    """Korean names are searched as written, family and given name together ("박지훈"), although they
    are stored apart; `person_path` leads from the admin's model to the person."""

    person_path = ""

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        results, may_have_duplicates = super().get_search_results(  # type: ignore[misc]
            request, queryset, search_term
        )
        written = "".join(search_term.split())
        if written:
            full_name = Concat(F(f"{self.person_path}family_name_ko"), F(f"{self.person_path}given_name_ko"))
            results = results | queryset.filter(IContains(full_name, written))
        return results, may_have_duplicates


class CountryFilter(admin.SimpleListFilter):
    """The countries present in a country field, by name (not all 249 of ISO 3166-1)."""

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        field = self.parameter_name
        present = model_admin.get_queryset(request).order_by().values_list(field, flat=True).distinct()
        names = dict(vocabulary.country_choices())
        return sorted(((code, names.get(code, code)) for code in present if code), key=lambda choice: choice[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(**{str(self.parameter_name): self.value()}) if self.value() else queryset


def country_filter(model: type[Model], field_name: str) -> type[CountryFilter]:
    title = model_field(model, field_name).verbose_name
    return type(f"{field_name.title()}Filter", (CountryFilter,), {"title": title, "parameter_name": field_name})


class ViewOnly:
    """Nothing can be added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(ViewOnly, admin.TabularInline):
    """An append-only history shown under its record."""

    extra = 0
    can_delete = False


class ReadOnlyAdmin(ViewOnly, admin.ModelAdmin):
    """For records nobody edits by hand (status events, proposals, the audit trail): view only."""
