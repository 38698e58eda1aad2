from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "talentpool.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models import Field

        from . import checks  # noqa: F401  (registers system checks)
        from .lookups import AnyOf

        Field.register_lookup(AnyOf)
