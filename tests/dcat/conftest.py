"""Set-up of the catalogue tests: the portal's plugins and schemas, RDF helpers."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
import rdflib
from rdflib import Namespace

from tests.dcat.portal import config_marks

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")

FORMATS = {"ttl": "turtle", "xml": "xml", "jsonld": "json-ld"}


def pytest_configure(config: pytest.Config) -> None:
    # CKAN's pytest plugin does not declare its marks; --strict-markers is on.
    for mark in ("ckan_config", "with_plugins", "provide_plugin"):
        config.addinivalue_line("markers", f"{mark}: CKAN test mark")


catalog_marks = [
    *config_marks(),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


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
