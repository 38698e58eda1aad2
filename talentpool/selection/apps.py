from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    """The annual selection campaign (年度选树): campaigns, nominations, the qualification review
    and, stage by stage, the rest of the process. It plugs into core, the registry and titles by
    declaring (declarations.py)."""

    name = "talentpool.selection"
    label = "selection"
    verbose_name = _("Selection")

    def ready(self) -> None:
        from . import declarations

        declarations.declare_all()
