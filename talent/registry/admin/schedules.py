"""django-celery-beat's admin with labels the admin can translate: its computed columns are titled from the
method's name ("Crontab translation", "Human readable") and its task field's name is not marked for translation
("Task Name"), so the admin showed them in English whatever the language."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, IntervalSchedule, PeriodicTask, SolarSchedule

for model in (PeriodicTask, CrontabSchedule, ClockedSchedule, IntervalSchedule, SolarSchedule):
    admin.site.unregister(model)


class PeriodicTaskInline(beat_admin.PeriodicTaskInline):
    fields = ("name", "task_name", "args", "kwargs")
    readonly_fields = fields

    @admin.display(description=_("Task"))
    def task_name(self, obj: PeriodicTask) -> str:
        return obj.task


@admin.register(ClockedSchedule)
class ClockedScheduleAdmin(beat_admin.ClockedScheduleAdmin):
    inlines = [PeriodicTaskInline]


@admin.register(IntervalSchedule)
class IntervalScheduleAdmin(beat_admin.IntervalScheduleAdmin):
    inlines = [PeriodicTaskInline]


@admin.register(SolarSchedule)
class SolarScheduleAdmin(beat_admin.SolarScheduleAdmin):
    inlines = [PeriodicTaskInline]


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
    list_display = ("name", "enabled", "schedule", "interval", "start_time", "last_run_at", "one_off")

    @admin.display(description=_("Schedule"))
    def schedule(self, obj: PeriodicTask) -> str:
        return str(obj.scheduler)

    @admin.display(description=_("Schedule in words"))
    def crontab_translation(self, obj: Any) -> str:
        return obj.crontab.human_readable if obj.crontab_id else "–"


@admin.register(CrontabSchedule)
class CrontabScheduleAdmin(beat_admin.CrontabScheduleAdmin):
    inlines = [PeriodicTaskInline]
    list_display = ("__str__", "schedule_in_words")
    fields = ("schedule_in_words", "minute", "hour", "day_of_month", "month_of_year", "day_of_week", "timezone")
    readonly_fields = ("schedule_in_words",)

    @admin.display(description=_("Schedule in words"))
    def schedule_in_words(self, obj: CrontabSchedule) -> str:
        return obj.human_readable if obj.pk else "–"
