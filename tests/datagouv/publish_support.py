"""Shared set-up of the publisher tests: plugins, options, a fake data.gouv.fr."""
from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import ckan.plugins
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.fakes.udata_write import FakeUdataWrite

KEY = "udata_s3cr3t-key-0123456789abcdef"
PLUGINS = "activity harvest loiretcher_theme loiretcher_datagouv"


@pytest.fixture
def udata() -> Iterator[FakeUdataWrite]:
    server = FakeUdataWrite(api_key=KEY).start()
    server.org = server.add_member_organization(  # type: ignore[attr-defined]
        "departement-de-loir-et-cher", name="Département de Loir-et-Cher"
    )
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def publishing(
    ckan_config: Any, monkeypatch: pytest.MonkeyPatch, udata: FakeUdataWrite,
    reset_db: Any, migrate_db_for: Any, clean_index: Any,
) -> Iterator[FakeUdataWrite]:
    """The portal with the publisher on, pointed at the fake instance."""
    for key, value in {
        "ckan.plugins": PLUGINS,
        "ckanext.loiretcher.datagouv.url": udata.url,
        "ckanext.loiretcher.datagouv.organization": udata.org["id"],  # type: ignore[attr-defined]
        "ckanext.loiretcher.datagouv.api_key": KEY,
        "ckanext.loiretcher.datagouv.publish": False,
    }.items():
        monkeypatch.setitem(ckan_config, key, value)
    ckan.plugins.load_all()
    # As the project's clean_db, once the harvest plugin is loaded.
    reset_db()
    migrate_db_for("harvest")
    migrate_db_for("activity")
    try:
        yield udata
    finally:
        ckan.plugins.unload_all()


def extras(**fields: Any) -> list[dict[str, str]]:
    return [
        {"key": k, "value": v if isinstance(v, str) else json.dumps(v)}
        for k, v in fields.items()
    ]


def create(dataset_type: str = "dataset", **overrides: Any) -> dict[str, Any]:
    """A dataset of the portal with the fields of docs/fields.rst."""
    sysadmin = overrides.pop("user", None) or factories.Sysadmin()
    fields: dict[str, Any] = {
        "frequency": "annual",
        "temporal_start": "2025-01-01",
        "temporal_end": "2025-12-31",
        "spatial_zones": ["fr:departement:41"],
        "theme": ["economie-emploi"],
    }
    resources: list[dict[str, Any]] = [{
        "name": "Données 2025",
        "description": "Le fichier.",
        "url": "http://test.ckan.net/files/donnees-2025.csv",
        "format": "CSV",
        "mimetype": "text/csv",
        "size": 2048,
        "hash": "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        "hash_algorithm": "sha1",
        "resource_type": "main",
    }]
    if dataset_type == "subvention":
        fields.update(
            publisher_name="Département de Loir-et-Cher",
            publisher_siret="22410001700017",
            scdl_schema="scdl/subventions",
            scdl_schema_version="2.1.1",
        )
        resources[0].update(
            schema_name="scdl/subventions", schema_version="2.1.1",
            validation_status="valid",
        )
        resources.append({
            "name": "Fichier refusé",
            "url": "http://test.ckan.net/files/refuse.csv",
            "format": "CSV",
            "schema_name": "scdl/subventions",
            "schema_version": "2.1.1",
            "validation_status": "invalid",
        })
    fields.update(overrides.pop("fields", {}))
    data = {
        "type": dataset_type,
        "name": overrides.pop("name", f"{dataset_type}-{uuid.uuid4().hex[:8]}"),
        "title": f"Jeu {dataset_type}",
        "notes": "Description **markdown**.",
        "license_id": "lov2",
        "tags": [{"name": "finances"}, {"name": "loir-et-cher"}],
        "resources": resources,
        "extras": extras(**fields),
    }
    data.update(overrides)
    return call_action("package_create", {"user": sysadmin["name"]}, **data)
