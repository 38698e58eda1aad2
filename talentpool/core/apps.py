from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "talentpool.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models import Field

        from . import checks  # noqa: F401  (registers system checks)
        from .audit_api import AuditLogViewSet
        from .lookups import AnyOf
        from .models import LEGACY_AUDIT_NAMES, AuditAction
        from .registry import MenuItem, register_api, register_audit_events, register_menu
        from .roles import Role

        Field.register_lookup(AnyOf)

        register_audit_events({event.value: event.label for event in AuditAction}, legacy=LEGACY_AUDIT_NAMES)
        register_api("audit", AuditLogViewSet, basename="audit")

        from .imports import jobs as import_jobs  # noqa: F401  (registers the import job's handler)
        from .imports import may_import

        # The navigation bar (core.registry): core's own tabs, after the registry's (orders 5-40).
        register_menu(
            # the apps' import kinds (core.imports), for whoever may import one of them
            MenuItem(key="core.import", label=_("Import"), url_name="core:import_start",
                     roles=(Role.ADMIN, Role.OPERATOR), order=50, visible=may_import),
            MenuItem(key="core.jobs", label=_("Jobs"), url_name="core:job_list",
                     roles=(Role.ADMIN, Role.OPERATOR), order=60),
            MenuItem(key="core.audit", label=_("Audit log"), url_name="core:audit_log", roles=(Role.ADMIN,), order=70),
        )

        # 系统管理 (core.views_sysadmin): its tab, its pages, its events; the finance bureau's start page.
        from . import accounts, programme
        from . import calendar as work_calendar
        from .registry import AdminLink, StartPage, register_admin_link, register_audit_events, register_start_page

        register_menu(MenuItem(key="core.sysadmin", label=_("System"), url_name="sysadmin:index",
                               roles=(Role.ADMIN,), order=90, active_for=("sysadmin:",)))
        register_admin_link(
            AdminLink("core.accounts", _("Accounts"), "sysadmin:account_list", 10,
                      _("Create accounts for operators, experts, leaders and the finance bureau; reset passwords; "
                        "deactivate.")),
            AdminLink("core.sessions", _("Signed-in users"), "sysadmin:session_list", 20,
                      _("Who is signed in now, from where; sign a session out.")),
            AdminLink("core.login_log", _("Login log"), "sysadmin:login_log", 30,
                      _("Every sign-in and failed attempt: who, when, from which address, and why it failed.")),
            AdminLink("core.calendar", _("Working-day calendar"), "sysadmin:calendar", 40,
                      _("Statutory holidays and make-up working days, year by year, for public-notice periods.")),
            AdminLink("core.settings", _("Programme settings"), "sysadmin:settings", 50,
                      _("The district's and the programme's names and the honour tiers.")),
            AdminLink("core.audit", _("Audit log"), "core:audit_log", 90,
                      _("Every change and every view of personal data, tamper-evident.")),
        )
        register_audit_events({**accounts.AUDIT_EVENTS, **work_calendar.AUDIT_EVENTS, **programme.AUDIT_EVENTS})
        register_start_page(StartPage(role=Role.FINANCE, url_name="core:finance_home"))
