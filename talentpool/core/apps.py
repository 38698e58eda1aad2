from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "talentpool.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models import Field

        from . import checks  # noqa: F401  (registers system checks)
        from .imports import jobs as import_jobs  # noqa: F401  (registers the import job's handler)
        from .imports import may_import
        from .lookups import AnyOf
        from .registry import MenuItem, register_menu
        from .roles import Role

        Field.register_lookup(AnyOf)

        register_menu(
            # the apps' import kinds (core.imports), for whoever may import one of them
            MenuItem(key="core.import", label=_("Import"), url_name="core:import_start",
                     roles=(Role.ADMIN, Role.OPERATOR), order=50, visible=may_import),
        )
