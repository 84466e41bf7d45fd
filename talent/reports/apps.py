from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "talent.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from talent.registry import signals
        from talent.reports import services

        # A change of which programmes count adds the target's version from its date (same transaction).
        signals.counting_rules_changed.connect(services.counting_rules_changed, dispatch_uid="reports-counting-rules")
