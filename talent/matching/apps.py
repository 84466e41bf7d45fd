from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "talent.matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from celery import signals as celery_signals

        from talent.matching import receivers
        from talent.registry import signals

        signals.problem_opened.connect(receivers.queue_run_for_opened_problem, dispatch_uid="matching.problem_opened")
        signals.matching_text_saved.connect(receivers.index_saved_text, dispatch_uid="matching.text_saved")
        celery_signals.task_postrun.connect(receivers.record_run_phases, weak=False, dispatch_uid="matching.phases")
