"""The dataset types in search: facets, index fields and the licence list."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

__all__ = [
    "LICENSES_FILE",
    "SPATIAL_INDEX_FIELD",
    "add_facets",
    "enable_licenses",
    "index_fields",
    "label_facets",
]

LICENSES_FILE = Path(__file__).resolve().parent / "licenses.json"

#: Multi-valued string field of CKAN's Solr schema (only ``vocab_*`` is).
SPATIAL_INDEX_FIELD = "vocab_loiretcher_spatial_zones"

#: The theme plugin's facet, which stays first when present.
_THEME_FACET = "vocab_loiretcher_theme"


def N_(message: str) -> str:  # noqa: N802 - Babel's marker for deferred strings
    """Mark a string for extraction; it is translated where it is shown."""
    return message


_TYPE_LABELS = {
    "dataset": N_("Other datasets"),
    "subvention": N_("Subsidies"),
    "deliberation": N_("Deliberations"),
    "budget": N_("Budgets"),
}
_SCHEMA_LABELS = {
    "scdl/subventions": N_("SCDL subsidies"),
    "scdl/deliberations": N_("SCDL deliberations"),
    "scdl/budget": N_("SCDL budget"),
}


def enable_licenses(config: Any) -> None:
    """Use the portal's licence list unless the site sets its own."""
    if config.get("licenses_group_url"):
        return
    config["licenses_group_url"] = LICENSES_FILE.as_uri()
    # CKAN builds its licence register once, on first use: drop one built
    # before this option was set (plugins reloaded in the same process).
    if "_license_register" in vars(model.Package):
        del model.Package._license_register


def add_facets(facets_dict: dict[str, Any]) -> dict[str, Any]:
    """Dataset type, SCDL schema and year facets, after the themes."""
    ours = {
        "dataset_type": tk._("Dataset type"),
        "scdl_schema": tk._("SCDL schema"),
        "year": tk._("Year"),
    }
    out: dict[str, Any] = {}
    if _THEME_FACET in facets_dict:
        out[_THEME_FACET] = facets_dict[_THEME_FACET]
    out.update(ours)
    out.update((k, v) for k, v in facets_dict.items() if k not in out)
    return out


def label_facets(search_results: dict[str, Any]) -> dict[str, Any]:
    """Readable, translated names for the type and schema facet items."""
    facets = search_results.get("search_facets", {})
    for name, labels in (("dataset_type", _TYPE_LABELS),
                         ("scdl_schema", _SCHEMA_LABELS)):
        for item in facets.get(name, {}).get("items", []):
            label = labels.get(item["name"])
            if label:
                item["display_name"] = tk._(label)
    return search_results


def index_fields(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """Index ``spatial_zones`` (a JSON list in the extras) as a list field."""
    value = pkg_dict.pop("spatial_zones", None)
    zones: list[str] = []
    if isinstance(value, str) and value.startswith("["):
        try:
            loaded = json.loads(value)
        except ValueError:
            loaded = []
        zones = [str(z) for z in loaded] if isinstance(loaded, list) else []
    elif isinstance(value, list):
        zones = [str(z) for z in value]
    if zones:
        pkg_dict[SPATIAL_INDEX_FIELD] = zones
    return pkg_dict
