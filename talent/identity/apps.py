from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "talent.identity"
    verbose_name = _("Identity")

    def ready(self) -> None:
        from talent.identity import receivers
        from talent.registry import signals

        signals.persons_saved.connect(receivers.find_candidates_of_saved, dispatch_uid="identity.persons_saved")
