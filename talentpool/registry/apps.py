from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "talentpool.registry"
    label = "registry"
    verbose_name = _("Talent registry")

    def ready(self) -> None:
        from .imports import kinds

        kinds.register()  # the import kinds (core.imports): enterprises, workers, certificates, honours
