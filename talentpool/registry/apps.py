from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "talentpool.registry"
    label = "registry"
    verbose_name = _("Talent registry")

    def ready(self) -> None:
        from .imports import kinds

        kinds.register()  # the import kinds (core.imports): enterprises, workers, certificates, honours
        self.declare_reference_pages()

    def declare_reference_pages(self) -> None:
        """The reference data admins keep (系统管理): industries, occupations, their aliases."""
        from talentpool.core.registry import AdminLink, register_admin_link

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
