from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "talent.registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from talent.registry import checks  # noqa: F401  (registers the text-field check)
