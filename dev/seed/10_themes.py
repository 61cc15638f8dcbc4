"""Demo seed step: the theme groups (``init-themes``) and the demo datasets in themes.

Run by ``dev/seed_demo.py`` with ``site`` a ``ckanapi.LocalCKAN`` acting as the
sysadmin. Idempotent: a second run changes nothing.
"""
from __future__ import annotations

import json
from typing import Any

# Themes of the datasets dev/seed_demo.py creates, and of the SCDL types.
DATASET_THEMES = {
    "budget-primitif-2026": ["budgets-finances"],
    "lignes-de-transport-remi-41": ["transports-mobilite"],
    "routes-departementales": ["transports-mobilite", "geographie-cadastre"],
}
TYPE_THEMES = {
    "subvention": ["subventions"],
    "deliberation": ["deliberations-vie-institutionnelle"],
    "budget": ["budgets-finances"],
}


def _current(dataset: dict[str, Any]) -> list[str]:
    from ckanext.loiretcher.home import dataset_theme_names

    return dataset_theme_names(dataset)


def _has_theme_field(site: Any, dataset_type: str) -> bool:
    try:
        schema = site.action.scheming_dataset_schema_show(type=dataset_type)
    except Exception:  # no scheming, or no schema for this type
        return False
    return any(f["field_name"] == "theme" for f in schema["dataset_fields"])


def _patch(site: Any, dataset: dict[str, Any], names: list[str]) -> dict[str, Any]:
    if _has_theme_field(site, dataset["type"]):  # the field of docs/fields.rst
        return {"theme": names}
    extras = [e for e in dataset.get("extras") or [] if e["key"].lower() != "theme"]
    return {"extras": [*extras, {"key": "theme", "value": json.dumps(names)}]}


def seed(site: Any) -> None:
    from ckanext.loiretcher.theme_groups import init_theme_groups

    result = init_theme_groups()
    print(
        f"  themes: {len(result.created)} created, {len(result.updated)} updated, "
        f"{len(result.unchanged)} unchanged"
    )
    found = site.action.package_search(q="*:*", rows=1000, include_private=True)
    for dataset in found["results"]:
        wanted = DATASET_THEMES.get(dataset["name"]) or TYPE_THEMES.get(dataset["type"])
        if not wanted or set(_current(dataset)) >= set(wanted):
            continue
        names = sorted(set(_current(dataset)) | set(wanted))
        try:
            site.action.package_patch(id=dataset["id"], **_patch(site, dataset, names))
        except Exception as error:  # a demo step: say what failed, go on
            print(f"  could not put {dataset['name']} in {names}: {error}")
        else:
            print(f"  {dataset['name']} in themes {', '.join(names)}")
