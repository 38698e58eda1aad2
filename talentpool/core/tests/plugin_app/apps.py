from django.apps import AppConfig


class NoticeboardConfig(AppConfig):
    name = "talentpool.core.tests.plugin_app"
    label = "noticeboard"
    verbose_name = "Noticeboard"

    def ready(self) -> None:
        from talentpool.core.demo import DemoStep, register_demo_step
        from talentpool.core.registry import (
            MenuItem,
            StartPage,
            register_api,
            register_audit_events,
            register_menu,
            register_start_page,
            register_urls,
        )
        from talentpool.core.roles import Role

        from . import api, notices

        register_urls("noticeboard/", "talentpool.core.tests.plugin_app.urls")
        register_menu(MenuItem(key="noticeboard.board", label="Noticeboard", url_name="noticeboard:board",
                               roles=(Role.EXPERT, Role.LEADER), order=80))
        register_start_page(StartPage(role=Role.EXPERT, url_name="noticeboard:board"))
        register_api("notices", api.NoticeViewSet, basename="notice")
        register_audit_events({notices.POSTED: "posted a notice"})
        register_demo_step(DemoStep("noticeboard.notices", notices.demo_notices, order=90,
                                    after=("registry.users",), is_loaded=notices.exist, wipe=notices.wipe))
