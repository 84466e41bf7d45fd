"""The change history (django-pghistory's events admin) in the reader's language: when, which record, what
changed (field names and values as the forms show them) and by whom, instead of raw column names and JSON."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db.models import Field, Model
from django.http import HttpRequest, HttpResponse
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pghistory.admin import EventsAdmin
from pghistory.admin import core as pghistory_admin

from talent.registry.models import ChangeEvent

#: What pghistory's trackers record, as a person says it.
KIND_LABELS = {"insert": _("Created"), "update": _("Changed"), "delete": _("Deleted"), "snapshot": _("Recorded")}
SHOWN_FIELDS = 6
SHOWN_VALUE = 60


class KindFilter(pghistory_admin.LabelFilter):
    title = _("kind of change")  # type: ignore[assignment]  # lazy: translated when shown

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(label, str(KIND_LABELS.get(label, label))) for label, _ in super().lookups(request, model_admin)]


class RecordTypeFilter(pghistory_admin.EventModelFilter):
    title = _("kind of record")  # type: ignore[assignment]  # lazy: translated when shown

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        named = [
            (label, str(capfirst(apps.get_model(label)._meta.verbose_name)))
            for label, _ in super().lookups(request, model_admin)
        ]
        return sorted(named, key=lambda choice: choice[1])


class MethodFilter(pghistory_admin.MethodFilter):
    title = _("which changes")  # type: ignore[assignment]  # lazy: translated when shown

    def lookups(self, request: HttpRequest, model_admin: Any) -> tuple[tuple[str, Any], ...]:
        return (("tracks", _("of this record")), ("references", _("referring to this record")))


class RecordFilter(pghistory_admin.ObjFilter):
    title = _("record")  # type: ignore[assignment]  # lazy: translated when shown


def _tracked_model(event: Any) -> type[Model] | None:
    try:
        return apps.get_model(event.pgh_obj_model)
    except (LookupError, ValueError):
        return None


def _field(model: type[Model] | None, name: str) -> Field | None:
    if model is None:
        return None
    for field in model._meta.concrete_fields:
        if name in (field.name, field.attname):
            return field
    return None


def _value(field: Field | None, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    choice_field = getattr(field, "base_field", field)  # an ArrayField's choices are its items'
    if choice_field is not None and choice_field.choices:
        choices = dict(choice_field.flatchoices)
        if isinstance(value, list):
            return ", ".join(str(choices.get(item, item)) for item in value)
        return str(choices.get(value, value))
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= SHOWN_VALUE else f"{text[: SHOWN_VALUE - 1]}…"


def describe_change(event: Any) -> str:
    """ "상태: 합격 → 재학; 비고: – → …": each changed field by its label, values as the forms show them."""
    model = _tracked_model(event)
    diff = event.pgh_diff or {}
    parts = []
    for name, (before, after) in diff.items():
        field = _field(model, name)
        if field is None or name in ("id", "pk"):
            continue
        parts.append(f"{capfirst(field.verbose_name)}: {_value(field, before)} → {_value(field, after)}")
    shown = parts[:SHOWN_FIELDS]
    if len(parts) > SHOWN_FIELDS:
        shown.append(gettext("and %(count)d more") % {"count": len(parts) - SHOWN_FIELDS})
    return "; ".join(shown)


@admin.display(description=_("recorded at"), ordering="pgh_created_at")
def recorded_at(event: Any) -> str:
    return date_format(localtime(event.pgh_created_at), "Y-m-d H:i")


@admin.display(description=_("record"))
def record(event: Any) -> str:
    model = _tracked_model(event)
    name = capfirst(model._meta.verbose_name) if model is not None else event.pgh_obj_model
    return f"{name} #{event.pgh_obj_id}"


@admin.display(description=_("change"))
def change(event: Any) -> str:
    kind = str(KIND_LABELS.get(event.pgh_label, event.pgh_label))
    described = describe_change(event)
    return f"{kind}: {described}" if described else kind


@admin.display(description=_("changed by"))
def changed_by(event: Any) -> str:
    return str(event.user) if event.user_id else "–"


class ChangeHistoryAdmin(EventsAdmin):
    """pghistory's events admin (PGHISTORY_ADMIN_CLASS) with readable columns and filters in Korean."""

    change_list_template = "admin/registry/change_history.html"

    def get_list_display(self, request: HttpRequest) -> tuple[Any, ...]:
        return (recorded_at, record, change, changed_by)

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        filters: list[Any] = [KindFilter, RecordTypeFilter]
        if "obj" in request.GET:
            filters += [MethodFilter, RecordFilter, pghistory_admin.BackFilter]
        elif "model" in request.GET:
            filters += [pghistory_admin.ModelFilter, pghistory_admin.BackFilter]
        return filters

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if context is not None:
            # pghistory titles the page "Events" and "Tracks <record>" in English.
            context["title"] = capfirst(ChangeEvent._meta.verbose_name_plural)
            obj = pghistory_admin._get_obj(request.GET.get("obj"))
            found = type(obj)._default_manager.filter(pk=obj.pk).first() if obj is not None else None
            context["subtitle"] = str(found) if found is not None else None
        return response
