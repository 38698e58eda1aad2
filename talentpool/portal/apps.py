from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The public pages (门户): the campaign's public notice with its objections, the verification
    of a certificate, and the honour roll (光荣榜). Nobody signs in; nothing personal beyond what a
    nominee consented to publish is shown. It reads selection and titles and plugs into core by
    declaring (declarations.py)."""

    name = "talentpool.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        from . import declarations

        declarations.declare_all()
