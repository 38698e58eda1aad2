from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TitlesConfig(AppConfig):
    """Tiers and titles (称号): the base the selection campaign confers titles into and the title
    lifecycle builds on. It plugs into core and the registry by declaring (declarations.py)."""

    name = "talentpool.titles"
    label = "titles"
    verbose_name = _("Titles")

    def ready(self) -> None:
        from . import declarations

        declarations.declare_all()
