"""Plugin classes of the portal: each only wires CKAN interfaces to plain modules."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.loiretcher import helpers as theme_helpers
from ckanext.loiretcher import home as theme_home
from ckanext.loiretcher.datagouv import publisher as datagouv_publisher
from ckanext.loiretcher.dcat import actions as dcat_actions
from ckanext.loiretcher.harvesters import DatagouvfrHarvester

__all__ = [
    "DatagouvfrHarvesterPlugin",
    "LoiretcherDatagouvPlugin",
    "LoiretcherDcatPlugin",
    "LoiretcherSchemasPlugin",
    "LoiretcherThemePlugin",
]

DatagouvfrHarvesterPlugin = DatagouvfrHarvester


class _Translation(DefaultTranslation):
    """One translation domain, ``ckanext-loiretcher``, for every plugin."""

    def i18n_domain(self) -> str:
        return "ckanext-loiretcher"


@tk.blanket.helpers
@tk.blanket.blueprints
@tk.blanket.cli
@tk.blanket.config_declarations
class LoiretcherThemePlugin(_Translation, p.SingletonPlugin):
    """The departmental theme: branding, pages, themes, French-first portal."""

    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPackageController, inherit=True)

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "loiretcher")

    # IFacets: the themes come first; CKAN's "Groups" facet is dropped since
    # the theme groups mirror the theme field.

    def dataset_facets(self, facets_dict: Any, package_type: str) -> Any:
        facets = {theme_home.THEME_FIELD: tk._("Themes")}
        facets.update((k, v) for k, v in facets_dict.items() if k != "groups")
        return facets

    def organization_facets(
        self, facets_dict: Any, organization_type: str, package_type: str | None
    ) -> Any:
        return self.dataset_facets(facets_dict, package_type or "dataset")

    # IPackageController: index the themes, mirror them as groups, drop the
    # cached home page figures when a dataset changes.

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        names = theme_home.parse_theme_value(pkg_dict.get("theme"))
        pkg_dict[theme_home.THEME_FIELD] = names
        return pkg_dict

    def after_dataset_search(
        self, search_results: dict[str, Any], search_params: dict[str, Any]
    ) -> dict[str, Any]:
        facet = search_results.get("search_facets", {}).get(theme_home.THEME_FIELD)
        if facet:
            for item in facet.get("items", []):
                label = theme_helpers.loiretcher_theme_label(item["name"])
                item["display_name"] = label
        return search_results

    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        self._theme_changed(pkg_dict)

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        self._theme_changed(pkg_dict)

    def after_dataset_delete(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        theme_home.invalidate()

    def _theme_changed(self, pkg_dict: dict[str, Any]) -> None:
        if pkg_dict.get("id"):
            names = theme_home.dataset_theme_names(pkg_dict)
            theme_home.sync_theme_groups(pkg_dict["id"], names)
        theme_home.invalidate()


@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.validators
@tk.blanket.cli
@tk.blanket.config_declarations("validation/config_declaration.yaml")
class LoiretcherSchemasPlugin(_Translation, p.SingletonPlugin):
    """SCDL dataset types (subventions, délibérations, budgets) and file checks.

    Needs ``scheming_datasets`` with ``scheming.dataset_schemas`` and
    ``scheming.presets`` pointing at ``ckanext.loiretcher:schemas/*.yaml``.
    Actions, auth functions and validators come from ``logic/``; the chained
    resource actions validate the CSV files (``logic/resource_validation.py``).
    """

    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPackageController, inherit=True)

    def update_config(self, config: Any) -> None:
        from ckanext.loiretcher import dataset_types

        # Its own folder, so that the theme works without this plugin and this
        # plugin without the theme. Its name must not start with "templates":
        # ckan_extends finds a template's folder by string prefix.
        tk.add_template_directory(config, "scdl_templates")
        tk.add_resource("assets", "loiretcher")
        dataset_types.enable_licenses(config)

    # ITemplateHelpers: the helpers of scheming_helpers.py (the theme plugin
    # registers helpers.py).

    def get_helpers(self) -> dict[str, Any]:
        from ckanext.loiretcher import scheming_helpers

        names = scheming_helpers.__all__
        return {name: getattr(scheming_helpers, name) for name in names}

    # IFacets: dataset type, SCDL schema and year.

    def dataset_facets(self, facets_dict: Any, package_type: str) -> Any:
        from ckanext.loiretcher import dataset_types

        return dataset_types.add_facets(facets_dict)

    def organization_facets(
        self, facets_dict: Any, organization_type: str, package_type: str | None
    ) -> Any:
        return self.dataset_facets(facets_dict, package_type or "dataset")

    def group_facets(
        self, facets_dict: Any, group_type: str, package_type: str | None
    ) -> Any:
        return self.dataset_facets(facets_dict, package_type or "dataset")

    # IPackageController: list fields indexed as lists, facet labels.

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        from ckanext.loiretcher import dataset_types

        return dataset_types.index_fields(pkg_dict)

    def after_dataset_search(
        self, search_results: dict[str, Any], search_params: dict[str, Any]
    ) -> dict[str, Any]:
        from ckanext.loiretcher import dataset_types

        return dataset_types.label_facets(search_results)


@tk.blanket.actions(dcat_actions)
@tk.blanket.config_declarations("dcat/config_declaration.yaml")
class LoiretcherDcatPlugin(p.SingletonPlugin):
    """The DCAT-AP catalogue for data.gouv.fr: the ``loiretcher_dcat_ap`` profile
    (an ``ckan.rdf.profiles`` entry point) and what the catalogue leaves out.
    Load it after ``dcat``."""


@tk.blanket.config_declarations("datagouv/config_declaration.yaml")
class LoiretcherDatagouvPlugin(p.SingletonPlugin):
    """Publication to data.gouv.fr: a background job after each change of a
    dataset (``ckanext.loiretcher.datagouv.publish``); the command is
    ``ckan loiretcher publish-datagouv``."""

    p.implements(p.IPackageController, inherit=True)

    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        datagouv_publisher.enqueue_publication(pkg_dict)

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        datagouv_publisher.enqueue_publication(pkg_dict)

    def after_dataset_delete(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        datagouv_publisher.enqueue_publication(pkg_dict)
