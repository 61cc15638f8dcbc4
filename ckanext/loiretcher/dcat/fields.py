"""The portal's stored fields (docs/fields.rst) as told to data.gouv.fr.

Pure functions shared by the DCAT-AP profile and the data.gouv.fr publisher,
so that both routes say the same thing: how list fields are read whatever
their storage, and when a file may be said to follow a Table Schema.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["SCDL_TYPES", "conformance", "list_value", "text_value"]

#: Dataset types whose CSV files the portal validates against an SCDL schema.
SCDL_TYPES = frozenset(("subvention", "deliberation", "budget"))

# States of a file on a non-SCDL dataset under which the schema its source
# declared is passed on: never checked here (""), or checked and valid.
_DECLARED_STATES = frozenset(("", "valid"))
_SEPARATORS = re.compile(r"[\s,]+")


def text_value(value: Any) -> str:
    """``value`` as stripped text; anything but text or a number is empty."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return value.strip() if isinstance(value, str) else ""


def list_value(value: Any) -> list[str]:
    """The items of a list field (``theme``, ``spatial_zones``).

    ``package_show`` gives a list; the extras of a plain CKAN dataset and some
    search results hold the same list as JSON text; the API also accepts a
    text separated by commas or spaces. Empty items and repeats are dropped.
    """
    if isinstance(value, str):
        text = value.strip()
        try:
            value = json.loads(text) if text.startswith(("[", '"')) else text
        except ValueError:
            value = text
        if isinstance(value, str):
            value = _SEPARATORS.split(value)
    if not isinstance(value, list | tuple):
        return []
    items: list[str] = []
    for item in value:
        text = text_value(item)
        if text and text not in items:
            items.append(text)
    return items


def conformance(
    resource: Mapping[str, Any], dataset: Mapping[str, Any] | None
) -> tuple[str, str] | None:
    """``(schema name, version)`` a file may be said to follow, or None.

    On an SCDL dataset, only a file the portal validated as ``valid`` (the
    portal sets ``schema_name``/``schema_version`` on exactly those; the
    dataset's ``scdl_schema`` fills a gap). On another dataset, the schema the
    file's source declared, unless the portal found the file not valid. The
    version is empty when the source gave none.
    """
    status = text_value(resource.get("validation_status"))
    name = text_value(resource.get("schema_name"))
    version = text_value(resource.get("schema_version"))
    dataset = dataset or {}
    if dataset.get("type") in SCDL_TYPES:
        if status != "valid":
            return None
        name = name or text_value(_dataset_value(dataset, "scdl_schema"))
        version = version or text_value(
            _dataset_value(dataset, "scdl_schema_version")
        )
    elif status not in _DECLARED_STATES:
        return None
    return (name, version) if name else None


def _dataset_value(dataset: Mapping[str, Any], key: str) -> Any:
    """A field at the root (scheming) or in the extras (plain CKAN)."""
    if key in dataset:
        return dataset[key]
    for extra in dataset.get("extras") or []:
        if isinstance(extra, Mapping) and extra.get("key") == key:
            return extra.get("value")
    return None
