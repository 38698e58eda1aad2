from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "talentpool.registry"
    label = "registry"
    verbose_name = _("Talent registry")

    def ready(self) -> None:
        from . import jobs  # noqa: F401  (registers import/export job handlers)
