from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CultivationConfig(AppConfig):
    """Cultivation records (培育): the first app that plugs into core and the registry by declaring
    (docs/adding-an-app.md); ``declarations`` holds what each kind of record declares."""

    name = "talentpool.cultivation"
    label = "cultivation"
    verbose_name = _("Cultivation")

    def ready(self) -> None:
        from . import declarations

        declarations.declare_all()
