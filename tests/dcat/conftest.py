"""Datasets of every type with the fields of docs/fields.rst, and RDF helpers."""
from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import urlsplit

import pytest
import rdflib
from ckan.tests import factories
from ckan.tests.helpers import call_action
from rdflib import Namespace

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
ADMS = Namespace("http://www.w3.org/ns/adms#")

# ckanext-scheming reads the schemas helper's schemas when they exist; until
# then the same fields travel as extras, which the profile reads the same way.
PLUGINS = (
    "activity harvest dcat loiretcher_theme loiretcher_schemas "
    "datagouvfr_harvester loiretcher_dcat"
)
PROFILES = "euro_dcat_ap_3 loiretcher_dcat_ap"

SIRET = "22410001700017"
FORMATS = {"ttl": "turtle", "xml": "xml", "jsonld": "json-ld"}

SCDL = {
    "subvention": ("scdl/subventions", "2.1.1"),
    "deliberation": ("scdl/deliberations", "2.1.5"),
    "budget": ("scdl/budget", "0.8.3"),
}



def pytest_configure(config: pytest.Config) -> None:
    # CKAN's pytest plugin does not declare its marks; --strict-markers is on.
    for mark in ("ckan_config", "with_plugins", "provide_plugin"):
        config.addinivalue_line("markers", f"{mark}: CKAN test mark")


catalog_marks = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.dcat.rdf.profiles", PROFILES),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def _as_extras(fields: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {"key": key, "value": value if isinstance(value, str) else json.dumps(value)}
        for key, value in fields.items()
    ]


def dataset_fields(dataset_type: str = "dataset", **overrides: Any) -> dict[str, Any]:
    """Contract fields (docs/fields.rst) of a dataset of ``dataset_type``."""
    custom: dict[str, Any] = {
        "frequency": "annual",
        "temporal_start": "2025-01-01",
        "temporal_end": "2025-12-31",
        "spatial_zones": ["fr:departement:41"],
        "theme": ["economie-emploi"],
        "contact_name": "Service open data",
        "contact_email": "opendata@example.org",
    }
    resource: dict[str, Any] = {
        "name": "Données 2025",
        "url": "http://test.ckan.net/files/donnees-2025.csv",
        "format": "CSV",
        "mimetype": "text/csv",
        "size": 1234,
        "hash": "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",
        "hash_algorithm": "sha256",
        "resource_type": "main",
    }
    resources = [resource]
    if dataset_type in SCDL:
        name, version = SCDL[dataset_type]
        custom.update(
            publisher_name="Département de Loir-et-Cher",
            publisher_siret=SIRET,
            year="2025",
            scdl_schema=name,
            scdl_schema_version=version,
        )
        resource.update(
            schema_name=name, schema_version=version, validation_status="valid"
        )
        resources.append(
            {
                "name": "Fichier refusé",
                "url": "http://test.ckan.net/files/refuse.csv",
                "format": "CSV",
                "schema_name": name,
                "schema_version": version,
                "validation_status": "invalid",
            }
        )
    fields: dict[str, Any] = {
        "type": dataset_type,
        "name": f"{dataset_type}-{uuid.uuid4().hex[:10]}",
        "title": f"Jeu {dataset_type}",
        "notes": "Description du jeu de données.",
        "license_id": "lov2",
        "tags": [{"name": "finances"}, {"name": "département"}],
        "resources": resources,
    }
    custom.update(overrides.pop("extras_fields", {}))
    fields.update(overrides)
    fields["extras"] = _as_extras(custom)
    return fields


def create_dataset(dataset_type: str = "dataset", **overrides: Any) -> dict[str, Any]:
    sysadmin = overrides.pop("user", None) or factories.Sysadmin()
    return call_action(
        "package_create",
        {"user": sysadmin["name"]},
        **dataset_fields(dataset_type, **overrides),
    )


def parse(response: Any, fmt: str) -> rdflib.Graph:
    assert response.status_code == 200, response.body
    graph = rdflib.Graph()
    graph.parse(data=response.body, format=FORMATS[fmt])
    return graph


def dataset_node(graph: rdflib.Graph, dataset_id: str) -> Any:
    nodes = [
        node
        for node in graph.subjects(DCT.identifier, rdflib.Literal(dataset_id))
        if (node, rdflib.RDF.type, DCAT.Dataset) in graph
    ]
    assert len(nodes) == 1, f"dataset {dataset_id} found {len(nodes)} times"
    return nodes[0]


def catalog_ids(graph: rdflib.Graph) -> set[str]:
    return {
        str(graph.value(node, DCT.identifier))
        for node in graph.subjects(rdflib.RDF.type, DCAT.Dataset)
    }


def local_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path
