"""Plugin classes of the portal: each only wires CKAN interfaces to plain modules."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.loiretcher.harvesters import DatagouvfrHarvester

__all__ = [
    "DatagouvfrHarvesterPlugin",
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

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "loiretcher")


@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.validators
@tk.blanket.cli
@tk.blanket.config_declarations("validation/config_declaration.yaml")
class LoiretcherSchemasPlugin(_Translation, p.SingletonPlugin):
    """SCDL dataset types (subventions, délibérations, budgets) and file checks."""

    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
