"""Datasets of the four types created as the portal's users create them.

Top-level scheming fields (docs/fields.rst) through ``package_create``, then
the files of SCDL datasets uploaded through ``resource_create``: the portal
validates them itself, hashes them (``sha256``) and sets ``schema_name`` and
``schema_version`` only on the valid ones. Shared by the DCAT-AP catalogue
tests and the data.gouv.fr publisher tests.
"""
from __future__ import annotations

import hashlib
import io
import uuid
from typing import Any

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action
from werkzeug.datastructures import FileStorage

from tests.validation.builders import VALID_ROWS, csv_text, row

__all__ = [
    "DEFAULT_SIRET",
    "PLUGINS",
    "PRESETS",
    "PROFILES",
    "SCDL",
    "SCHEMAS",
    "SETTINGS",
    "TYPES",
    "config_marks",
    "create_dataset",
    "csv_file",
    "dataset_fields",
    "sha256",
    "upload",
]

# The portal's plugins and scheming schemas, as test.ini and production set
# them: the tests say so themselves rather than inherit them from the ini.
PLUGINS = (
    "activity scheming_datasets harvest dcat loiretcher_theme loiretcher_schemas "
    "datagouvfr_harvester loiretcher_dcat loiretcher_datagouv"
)
SCHEMAS = " ".join(
    f"ckanext.loiretcher:schemas/{name}.yaml"
    for name in ("dataset", "subvention", "deliberation", "budget")
)
PRESETS = "ckanext.scheming:presets.json ckanext.loiretcher:schemas/presets.yaml"
PROFILES = "euro_dcat_ap_3 loiretcher_dcat_ap"
SETTINGS = {
    "ckan.plugins": PLUGINS,
    "scheming.dataset_schemas": SCHEMAS,
    "scheming.presets": PRESETS,
    "ckanext.dcat.rdf.profiles": PROFILES,
}

TYPES = ("dataset", "subvention", "deliberation", "budget")
#: SCDL dataset type -> (schema name, version) the portal fixes for it.
SCDL = {
    "subvention": ("scdl/subventions", "2.1.1"),
    "deliberation": ("scdl/deliberations", "2.1.5"),
    "budget": ("scdl/budget", "0.8.3"),
}
_SHORT = {"subvention": "subventions", "deliberation": "deliberations",
          "budget": "budget"}
#: The schemas' default publisher_siret (the Département's, valid checksum).
DEFAULT_SIRET = "22410001600019"


def config_marks() -> list[pytest.MarkDecorator]:
    return [pytest.mark.ckan_config(key, value) for key, value in SETTINGS.items()]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def csv_file(dataset_type: str, valid: bool = True) -> bytes:
    """A CSV file of the SCDL schema of ``dataset_type``; an invalid one has
    a date the schema refuses in its first column of type date."""
    short = _SHORT[dataset_type]
    header = list(VALID_ROWS[short])
    changes = {}
    if not valid:
        date_column = {"subventions": "dateConvention",
                       "deliberations": "DELIB_DATE", "budget": "BGT_ANNEE"}[short]
        changes[date_column] = "31/02/bientôt"
    return csv_text(header, [row(short, **changes)]).encode("utf-8")


def upload(
    user: dict[str, Any], dataset_id: str, data: bytes, filename: str, **fields: Any
) -> dict[str, Any]:
    """``resource_create`` with a file, as the web form and the API send it."""
    stream = FileStorage(io.BytesIO(data), filename, "upload")
    return call_action(
        "resource_create", {"user": user["name"]},
        package_id=dataset_id, upload=stream, url=filename, **fields,
    )


def dataset_fields(dataset_type: str = "dataset", **overrides: Any) -> dict[str, Any]:
    """The ``package_create`` fields of a dataset of ``dataset_type``, with
    every contract field filled; ``overrides`` replace or add fields."""
    fields: dict[str, Any] = {
        "type": dataset_type,
        "name": f"{dataset_type}-{uuid.uuid4().hex[:10]}",
        "title": f"Jeu {dataset_type}",
        "notes": "Description du jeu de données.",
        "license_id": "lov2",
        "tags": [{"name": "finances"}, {"name": "département"}],
        "frequency": "annual",
        "temporal_start": "2025-01-01",
        "temporal_end": "2025-12-31",
        "spatial_zones": ["fr:departement:41"],
        "theme": ["economie-emploi"],
        "contact_name": "Service open data",
        "contact_email": "opendata@example.org",
    }
    if dataset_type in SCDL:
        # publisher_name, publisher_siret, scdl_schema and its version are
        # the schema's defaults, as in the web form.
        fields["year"] = "2025"
    else:
        # A linked file whose checksum, size and type the source gave.
        fields["resources"] = [{
            "name": "Données 2025",
            "url": "http://test.ckan.net/files/donnees-2025.csv",
            "format": "CSV",
            "mimetype": "text/csv",
            "size": 1234,
            "hash": "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",
            "hash_algorithm": "sha256",
            "resource_type": "main",
        }]
    fields.update(overrides)
    return fields


def create_dataset(
    dataset_type: str = "dataset", files: bool = True, **overrides: Any
) -> dict[str, Any]:
    """A dataset as ``package_show`` gives it. An SCDL dataset gets two
    uploaded files: ``Données 2025`` (valid) then ``Fichier refusé`` (invalid)."""
    user = overrides.pop("user", None) or factories.Sysadmin()
    dataset = call_action(
        "package_create", {"user": user["name"]},
        **dataset_fields(dataset_type, **overrides),
    )
    if dataset_type in SCDL and files:
        upload(user, dataset["id"], csv_file(dataset_type), "donnees-2025.csv",
               name="Données 2025", description="Le fichier.", format="CSV")
        upload(user, dataset["id"], csv_file(dataset_type, valid=False),
               "refuse.csv", name="Fichier refusé", format="CSV")
        dataset = call_action("package_show", id=dataset["id"])
    return dataset
