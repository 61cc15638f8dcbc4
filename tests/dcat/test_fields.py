"""How the catalogue and the publisher read the portal's stored fields."""
from __future__ import annotations

import json
import uuid

import pytest
from ckanext.dcat.processors import RDFSerializer
from rdflib import URIRef

from ckanext.loiretcher.dcat.fields import conformance, list_value
from tests.dcat.conftest import DCAT, DCT
from tests.dcat.portal import config_marks

EU = "http://publications.europa.eu/resource/authority/"
ZONES = ["fr:departement:41", "fr:commune:41018"]


@pytest.mark.parametrize(
    "value",
    [
        ZONES,
        json.dumps(ZONES),
        "fr:departement:41, fr:commune:41018",
        "fr:departement:41 fr:commune:41018",
        " fr:departement:41,fr:commune:41018,, fr:departement:41 ",
    ],
)
def test_list_fields_read_from_lists_json_and_text(value):
    assert list_value(value) == ZONES


@pytest.mark.parametrize("value", [None, "", "[]", [], {"a": 1}, [None, ""]])
def test_empty_list_fields(value):
    assert list_value(value) == []


@pytest.mark.parametrize(
    ("dataset_type", "resource", "expected"),
    [
        # SCDL datasets: only what the portal found valid.
        ("subvention", {"validation_status": "valid", "schema_name":
                        "scdl/subventions", "schema_version": "2.1.1"},
         ("scdl/subventions", "2.1.1")),
        ("budget", {"validation_status": "valid"}, ("scdl/budget", "0.8.3")),
        ("deliberation", {"validation_status": "invalid", "schema_name":
                          "scdl/deliberations", "schema_version": "2.1.5"}, None),
        ("subvention", {"validation_status": "pending"}, None),
        ("subvention", {"validation_status": "error"}, None),
        ("subvention", {"schema_name": "scdl/subventions"}, None),
        # Other datasets: what the source declared, unless found not valid.
        ("dataset", {"schema_name": "etalab/schema-irve", "schema_version": ""},
         ("etalab/schema-irve", "")),
        ("dataset", {"schema_name": "scdl/subventions", "schema_version": "2.1.1",
                     "validation_status": "invalid"}, None),
        ("dataset", {}, None),
    ],
)
def test_conformance_rule(dataset_type, resource, expected):
    dataset = {"type": dataset_type}
    if dataset_type == "budget":
        dataset.update(scdl_schema="scdl/budget", scdl_schema_version="0.8.3")
    assert conformance(resource, dataset) == expected


def _with_portal_plugins(test):
    for mark in config_marks():
        test = mark(test)
    return pytest.mark.usefixtures("with_plugins")(test)


@_with_portal_plugins
def test_profile_reads_plain_ckan_extras():
    # A dataset of CKAN's default schema: the same fields as extras, the lists
    # as JSON text.
    dataset = {
        "id": str(uuid.uuid4()),
        "name": "extras",
        "title": "Extras",
        "type": "subvention",
        "resources": [{"id": str(uuid.uuid4()), "url": "http://x/f.csv",
                       "format": "CSV", "validation_status": "valid"}],
        "extras": [
            {"key": "theme", "value": json.dumps(["economie-emploi"])},
            {"key": "spatial_zones", "value": json.dumps(ZONES)},
            {"key": "frequency", "value": "monthly"},
            {"key": "scdl_schema", "value": "scdl/subventions"},
            {"key": "scdl_schema_version", "value": "2.1.1"},
        ],
    }
    serializer = RDFSerializer(profiles=["euro_dcat_ap_3", "loiretcher_dcat_ap"])
    node = serializer.graph_from_dataset(dataset)
    graph = serializer.g
    assert list(graph.objects(node, DCAT.theme)) == [URIRef(EU + "data-theme/ECON")]
    assert set(graph.objects(node, DCT.spatial)) == {
        URIRef("https://geo.api.gouv.fr/departements/41"),
        URIRef("https://geo.api.gouv.fr/communes/41018"),
    }
    assert list(graph.objects(node, DCT.accrualPeriodicity)) == [
        URIRef(EU + "frequency/MONTHLY")
    ]
    (distribution,) = graph.objects(node, DCAT.distribution)
    assert list(graph.objects(distribution, DCT.conformsTo)) == [URIRef(
        "https://schema.data.gouv.fr/schemas/scdl/subventions/2.1.1/schema.json"
    )]
