from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "talentpool.registry"
    label = "registry"
    verbose_name = _("Talent registry")

    def ready(self) -> None:
        from talentpool.core.audit_display import register_change_labels
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

        from . import api, demo, events
        from .imports import kinds

        demo.declare_demo_steps()
        kinds.register()  # the import kinds (core.imports): enterprises, workers, certificates, honours

        register_audit_events(events.EVENTS, legacy=events.LEGACY)
        register_change_labels(events.CHANGE_LABELS)

        register_urls("registry/", "talentpool.registry.urls")
        register_api("enterprises", api.EnterpriseViewSet, basename="enterprise")
        register_api("workers", api.WorkerViewSet, basename="worker")
        register_api("certificates", api.CertificateViewSet, basename="certificate")
        register_api("honours", api.HonourViewSet, basename="honour")
        register_api("industries", api.IndustryViewSet, basename="industry")

        everyone_but_workers = (Role.ADMIN, Role.LEADER, Role.OPERATOR)
        register_menu(
            MenuItem(key="registry.my_enterprise", label=_("My enterprise"), url_name="registry:enterprise_home",
                     roles=(Role.OPERATOR,), order=5, active_for=("registry:enterprise_",)),
            MenuItem(key="registry.my_profile", label=_("My profile"), url_name="registry:my_profile",
                     roles=(Role.WORKER,), order=5, active_for=("registry:my_profile", "registry:worker_")),
            MenuItem(key="registry.workers", label=_("Workers"), url_name="registry:worker_list",
                     roles=everyone_but_workers, order=10),
            MenuItem(key="registry.enterprises", label=_("Enterprises"), url_name="registry:enterprise_list",
                     roles=(Role.ADMIN, Role.LEADER), order=20),
            MenuItem(key="registry.certificates", label=_("Certificates"), url_name="registry:certificate_list",
                     roles=everyone_but_workers, order=30),
            MenuItem(key="registry.honours", label=_("Honours"), url_name="registry:honour_list",
                     roles=everyone_but_workers, order=40),
        )
        register_start_page(StartPage(role=Role.ADMIN, url_name="registry:worker_list"))
        register_start_page(StartPage(role=Role.LEADER, url_name="registry:worker_list"))
        register_start_page(StartPage(role=Role.OPERATOR, url_name="registry:enterprise_home"))
        register_start_page(StartPage(role=Role.WORKER, url_name="registry:my_profile"))
        self.declare_reference_pages()

    def declare_reference_pages(self) -> None:
        """The reference data admins keep (系统管理): industries, occupations, their aliases."""
        from talentpool.core.registry import AdminLink, register_admin_link, register_picker

        # the type-ahead search other apps' forms use to choose an enterprise (core.widgets)
        register_picker("registry.Enterprise", "registry:enterprise_search")
        register_picker("registry.Occupation", "registry:occupation_search")

        register_admin_link(
            AdminLink(key="registry.industries", label=_("Industries"), url_name="registry:industry_list", order=70,
                      description=_("The district's industries enterprises belong to.")),
            AdminLink(key="registry.occupations", label=_("Occupations"), url_name="registry:occupation_list",
                      order=71, description=_("The occupational classification (2022): add an occupation under "
                                              "its minor group.")),
            AdminLink(key="registry.occupation_aliases", label=_("Occupation aliases"),
                      url_name="registry:alias_list", order=72,
                      description=_("Names offices write for an occupation, such as 维修电工 for 电工.")),
        )
