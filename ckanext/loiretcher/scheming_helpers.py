"""Template helpers of the SCDL schemas plugin, all prefixed ``loiretcher_``.

The theme plugin's helpers live in ``helpers.py``; these are registered by
``LoiretcherSchemasPlugin`` so that the dataset types work on their own.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.loiretcher import themes
from ckanext.loiretcher.logic import resource_validation as rv

__all__ = [
    "loiretcher_license_options",
    "loiretcher_license_title",
    "loiretcher_resource_for_display",
    "loiretcher_scdl_summary",
    "loiretcher_scdl_type",
    "loiretcher_schema_for_display",
    "loiretcher_scheming_theme_choices",
    "loiretcher_validation",
    "loiretcher_zone_label",
]

log = logging.getLogger(__name__)

LICENSES_FILE = Path(__file__).resolve().parent / "licenses.json"


def _lang() -> str:
    try:
        return str(tk.h.lang() or "fr")
    except (RuntimeError, TypeError, AttributeError):
        return "fr"


def loiretcher_scheming_theme_choices(
    field: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Choices of the ``theme`` field (``choices_helper``), from themes.yaml."""
    return [
        {"value": theme.name, "label": {"fr": theme.label_fr, "en": theme.label_en}}
        for theme in themes.load_themes()
    ]


def _license_title(license: Any, lang: str) -> str:
    key = "title_en" if lang.startswith("en") else "title_fr"
    return getattr(license, key, None) or license.title


def loiretcher_license_title(license_id: str | None) -> str:
    """Title of a licence of the portal's list in the current language."""
    if not license_id:
        return ""
    license = model.Package.get_license_register().get(license_id)
    return _license_title(license, _lang()) if license else license_id


def loiretcher_license_options() -> list[tuple[str, str]]:
    """(title in the current language, id) of every licence, in list order."""
    lang = _lang()
    register = model.Package.get_license_register()
    return [(_license_title(lic, lang), lic.id) for lic in register.values()]


def N_(message: str) -> str:  # noqa: N802 - Babel's marker for deferred strings
    """Mark a string for extraction; it is translated where it is shown."""
    return message


_ZONE_LEVELS = {
    "pays": N_("Country"),
    "region": N_("Region"),
    "departement": N_("Département"),
    "epci": N_("EPCI"),
    "commune": N_("Commune"),
}


def loiretcher_zone_label(zone: str) -> str:
    """A readable label for a udata zone id (``fr:departement:41``)."""
    parts = str(zone).split(":")
    if len(parts) != 3 or parts[1] not in _ZONE_LEVELS:
        return str(zone)
    if zone == "fr:departement:41":
        return "Loir-et-Cher (41)"
    if zone == "fr:pays:fr":
        return tk._("France")
    level = tk._(_ZONE_LEVELS[parts[1]])
    return f"{level} {parts[2]}"


def loiretcher_scdl_type(dataset_type: str | None) -> bool:
    """Whether datasets of this type hold SCDL files that the portal checks."""
    return rv.scdl_schema_for_type(dataset_type) is not None


def loiretcher_validation(resource: dict[str, Any]) -> dict[str, Any] | None:
    """What the resource page shows about the validation of a file, or None.

    ``{"status", "css", "icon", "errors", "error_count", "rows",
    "truncated", "message", "validated_at", "schema", "schema_version"}``.
    """
    status = resource.get("validation_status")
    if not status:
        return None
    return rv.display_state(resource)


def loiretcher_resource_for_display(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource without the fields the validation section shows itself.

    The resource page lists every field it does not know in its "additional
    information" table; the raw report and the fields only the portal sets
    have no readable form there.
    """
    hidden = {*rv.VALIDATION_FIELDS, "hash_algorithm", "datagouv_id"}
    return {key: value for key, value in resource.items() if key not in hidden}


def loiretcher_schema_for_display(
    schema: dict[str, Any], pkg_dict: dict[str, Any]
) -> dict[str, Any]:
    """The dataset schema without the fields this dataset has no value for.

    scheming's "additional information" table prints a row for every field
    of the schema; a harvested field left empty would show as a blank row.
    """
    def has_value(field: dict[str, Any]) -> bool:
        value = pkg_dict.get(field["field_name"])
        return value not in (None, "", [], {})

    fields = [f for f in schema.get("dataset_fields", []) if has_value(f)]
    return dict(schema, dataset_fields=fields)


def loiretcher_scdl_summary(pkg_dict: dict[str, Any]) -> dict[str, Any] | None:
    """The SCDL summary of a dataset (its valid files), or None if there is none."""
    if not rv.summary_supported(pkg_dict.get("type")):
        return None
    try:
        summary = tk.get_action("loiretcher_scdl_summary")({}, {"id": pkg_dict["id"]})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None
    return summary if summary.get("files") else None
