"""The harvester with the portal's own scheming schemas (dataset, subvention,
deliberation, budget): every field lands in its schema field, SCDL datasets
get their type, the schemas' validation is reported per dataset."""
from __future__ import annotations

from typing import Any

import pytest
from ckan import model
from ckan.tests.helpers import call_action

from tests.fakes.udata import FakeUdata

SCHEMAS = " ".join(
    f"ckanext.loiretcher:schemas/{name}.yaml"
    for name in ("dataset", "subvention", "deliberation", "budget")
)
PRESETS = "ckanext.scheming:presets.json ckanext.loiretcher:schemas/presets.yaml"

pytestmark = [
    pytest.mark.ckan_config("scheming.dataset_schemas", SCHEMAS),
    pytest.mark.ckan_config("scheming.presets", PRESETS),
    pytest.mark.ckan_config("ckanext.loiretcher.harvest.backoff", "0.01"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def org41(fake_udata: FakeUdata) -> dict[str, Any]:
    return fake_udata.add_organization(
        "departement-de-loir-et-cher", "Département de Loir-et-Cher",
        business_number_id="21410000000006",
    )


def harvested(source: dict[str, Any]) -> dict[str, dict[str, Any]]:
    result = call_action(
        "package_search", fq=f'harvest_source_id:"{source["id"]}"', rows=1000,
    )
    return {
        p["guid"]: call_action("package_show", id=p["id"])
        for p in result["results"]
    }


def scdl_resource(fake_udata: FakeUdata, schema: str, version: str) -> dict[str, Any]:
    return fake_udata.make_resource(
        1, title="donnees.csv", schema={"name": schema, "version": version},
    )


def test_fields_are_schema_fields(fake_udata, org41, make_source, harvest):
    record = fake_udata.add_dataset(
        org41, title="Routes départementales", license="lov2",
        frequency="annual", contact_points=[
            {"name": "SIG", "email": "sig@departement41.fr"}],
        spatial={"zones": ["fr:departement:41"], "granularity": "other"},
    )
    source = make_source({"organization": org41["slug"]})
    job = harvest(source)

    assert job["stats"]["added"] == 1
    dataset = harvested(source)[record["id"]]
    assert dataset["type"] == "dataset"
    # Only ckanext-harvest's own extras: every field of ours is a schema field.
    assert {e["key"] for e in dataset.get("extras", [])} <= {
        "harvest_object_id", "harvest_source_id", "harvest_source_title"}
    assert dataset["guid"] == record["id"]
    assert dataset["frequency"] == "annual"
    assert dataset["spatial_zones"] == ["fr:departement:41"]
    assert dataset["contact_email"] == "sig@departement41.fr"
    assert dataset["harvest_url"].endswith(f"/fr/datasets/{record['slug']}/")
    assert dataset["temporal_start"] == "2024-01-01"
    assert dataset["issued"].startswith(record["created_at"][:19])
    resource = dataset["resources"][0]
    assert resource["hash"] == record["resources"][0]["checksum"]["value"]
    assert resource["hash_algorithm"] == "sha1"

    second = harvest(source)
    assert {k: v for k, v in second["stats"].items() if v} == {"not modified": 1}


@pytest.mark.parametrize(("schema", "version", "dataset_type"), [
    ("scdl/subventions", "2.1.1", "subvention"),
    ("scdl/deliberations", "2.1.5", "deliberation"),
    ("scdl/budget", "0.8.3", "budget"),
])
def test_scdl_datasets_get_their_type(
    fake_udata, org41, make_source, harvest, schema, version, dataset_type
):
    record = fake_udata.add_dataset(
        org41, resources=[scdl_resource(fake_udata, schema, version)],
    )
    source = make_source({"organization": org41["slug"]})
    job = harvest(source)

    assert job["stats"]["added"] == 1, call_action(
        "harvest_job_report", id=job["id"])
    dataset = harvested(source)[record["id"]]
    assert dataset["type"] == dataset_type
    assert dataset["year"] == "2024"
    assert dataset["publisher_siret"] == "21410000000006"


def test_type_rules_override_the_defaults(fake_udata, org41, make_source, harvest):
    record = fake_udata.add_dataset(org41, resources=[
        scdl_resource(fake_udata, "scdl/subventions", "2.1.1")])
    source = make_source({"organization": org41["slug"],
                          "dataset_type_rules": {"scdl/subventions": "dataset"}})
    harvest(source)
    assert harvested(source)[record["id"]]["type"] == "dataset"


def test_a_dataset_the_schema_refuses_fails_alone(
    fake_udata, org41, make_source, harvest
):
    good = fake_udata.add_dataset(org41)
    bad = fake_udata.add_dataset(
        org41, title="Contact invalide",
        contact_points=[{"name": "X", "email": "pas-un-email"}],
    )
    source = make_source({"organization": org41["slug"]})
    job = harvest(source)

    assert job["status"] == "Finished"
    assert job["stats"]["added"] == 1
    assert job["stats"]["errored"] == 1
    report = call_action("harvest_job_report", id=job["id"])
    (messages,) = [
        [e["message"] for e in o["errors"]] for o in report["object_errors"].values()
    ]
    assert messages[0].startswith(
        f'Dataset "Contact invalide" ({bad["id"]}) was refused by this portal: '
        "contact_email:"
    )
    assert set(harvested(source)) == {good["id"]}
    assert model.Session.query(model.Package).filter_by(
        title="Contact invalide").count() == 0


def test_a_field_cleared_at_the_source_is_cleared_here(
    fake_udata, org41, make_source, harvest
):
    record = fake_udata.add_dataset(org41, contact_points=[
        {"name": "SIG", "email": "sig@departement41.fr"}], license="inconnue")
    source = make_source({"organization": org41["slug"]})
    harvest(source)
    assert harvested(source)[record["id"]]["original_license"] == "inconnue"

    fake_udata.update_dataset(record["id"], contact_points=[], license="lov2",
                              temporal_coverage=None)
    harvest(source)

    dataset = harvested(source)[record["id"]]
    assert not dataset.get("contact_email")
    assert not dataset.get("original_license")
    assert not dataset.get("temporal_start")
    assert dataset["license_id"] == "lov2"
