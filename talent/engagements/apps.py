from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementsConfig(AppConfig):
    name = "talent.engagements"
    verbose_name = _("Engagements")

    def ready(self) -> None:
        from talent.engagements import receivers
        from talent.matching import signals

        signals.proposal_answered.connect(receivers.start_when_both_accept, dispatch_uid="engagements.start")
