"""The SCDL Table Schemas shipped with the package, by short and full name."""
from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from ckanext.loiretcher.validation.messages import N_, usage_error

__all__ = ["SCHEMAS", "load_schema", "resolve_schema", "schema_path"]

_UNKNOWN_SCHEMA = N_("Unknown schema {schema}: use one of {choices}.")
_DIRECTORY = Path(__file__).resolve().parent / "tableschemas"

# Short name -> what a dataset, a resource or a report says about the schema.
SCHEMAS: dict[str, dict[str, str]] = {
    "subventions": {
        "name": "scdl/subventions",
        "version": "2.1.1",
        "url": "https://schema.data.gouv.fr/schemas/scdl/subventions/2.1.1/schema.json",
        "title": "Subventions",
    },
    "deliberations": {
        "name": "scdl/deliberations",
        "version": "2.1.5",
        "url": (
            "https://schema.data.gouv.fr/schemas/scdl/deliberations/2.1.5/"
            "schema.json"
        ),
        "title": "Délibérations",
    },
    "budget": {
        "name": "scdl/budget",
        "version": "0.8.3",
        "url": "https://schema.data.gouv.fr/schemas/scdl/budget/0.8.3/schema.json",
        "title": "Budget des collectivités et établissements publics locaux",
    },
}


def resolve_schema(schema: str) -> str:
    """Return the short name of ``schema`` (short name or ``scdl/...`` name).

    Raises ValidationUsageError for a schema we do not ship.
    """
    key = (schema or "").strip()
    if key in SCHEMAS:
        return key
    for short, info in SCHEMAS.items():
        if key in (info["name"], info["url"]):
            return short
    raise usage_error(
        _UNKNOWN_SCHEMA, schema=repr(schema), choices=", ".join(sorted(SCHEMAS))
    )


def schema_path(schema: str) -> Path:
    """Path of the JSON Table Schema of ``schema`` inside the package."""
    short = resolve_schema(schema)
    return _DIRECTORY / f"{short}-{SCHEMAS[short]['version']}.json"


@functools.cache
def _load(short: str) -> str:
    return schema_path(short).read_text(encoding="utf-8")


def load_schema(schema: str) -> dict[str, Any]:
    """A fresh copy of the Table Schema descriptor of ``schema``."""
    return json.loads(_load(resolve_schema(schema)))
