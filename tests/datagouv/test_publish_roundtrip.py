"""Harvested from one udata, published to another: the same dataset comes out."""
# ruff: noqa: F811 - pytest fixtures imported from publish_support
from __future__ import annotations

import json
from typing import Any

from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.harvest import queue

from ckanext.loiretcher.datagouv.client import UdataClient
from ckanext.loiretcher.datagouv.publisher import Publisher
from tests.datagouv.publish_support import KEY, create, publishing, udata  # noqa: F401
from tests.fakes.udata import FakeUdata
from tests.harvesters.conftest import run_harvest


def _harvest(fake: FakeUdata, config: dict[str, Any]) -> dict[str, Any]:
    """Run the portal's datagouvfr harvester once on ``fake``; the dataset it
    made, as ``package_show`` gives it."""
    sysadmin = factories.Sysadmin()
    source = call_action(
        "harvest_source_create", {"user": sysadmin["name"]},
        name="udata-source", title="Source udata", url=fake.url,
        source_type="datagouvfr", config=json.dumps(config),
    )
    queue.purge_queues()
    try:
        job = run_harvest(source["id"], sysadmin["name"])
    finally:
        queue.purge_queues()
    assert job["stats"]["added"] == 1, call_action("harvest_job_report", id=job["id"])
    (found,) = call_action(
        "package_search", fq=f'harvest_source_id:"{source["id"]}"'
    )["results"]
    return call_action("package_show", id=found["id"])


def test_harvested_dataset_published_elsewhere_keeps_its_metadata(
    publishing, fake_udata
):
    target = publishing
    organization = fake_udata.add_organization("ville-de-blois", name="Ville de Blois")
    record = fake_udata.add_dataset(
        organization,
        title="Subventions versées en 2024",
        description="Les **subventions** de l'année.",
        tags=["subventions", "associations", "finances-publiques"],
        license="odc-odbl",
        frequency="monthly",
        temporal_coverage={"start": "2024-01-01", "end": "2024-12-31"},
        spatial={"geom": None, "granularity": "fr:commune",
                 "zones": ["fr:commune:41018", "fr:departement:41"]},
        resources=[
            fake_udata.make_resource(
                1, title="Subventions 2024", format="csv",
                schema={"name": "scdl/subventions", "version": "2.1.1"},
            ),
            fake_udata.make_resource(
                2, title="Notice", format="pdf", type="documentation",
                url="https://static.example.org/notice.pdf", mime="application/pdf",
            ),
        ],
    )
    remote = fake_udata.public(record)
    # Kept a ``dataset`` (not a ``subvention``, whose files the portal would
    # check itself): its file's schema is the one the source declared.
    local = _harvest(fake_udata, {
        "organization": "ville-de-blois",
        "dataset_type_rules": {"scdl/subventions": "dataset"},
    })
    assert local["type"] == "dataset"
    assert local["spatial_zones"] == ["fr:commune:41018", "fr:departement:41"]
    assert local["resources"][0]["schema_name"] == "scdl/subventions"

    client = UdataClient(target.url, api_key=KEY, backoff=0.0)
    report = Publisher(client, target.org["id"], publish_harvested=True).run()
    assert report.ok, report.lines()

    (published,) = target.published(local["id"])
    for key in ("title", "description", "license", "frequency", "temporal_coverage"):
        assert published[key] == remote[key], key
    assert sorted(published["tags"]) == sorted(remote["tags"])
    assert published["spatial"]["zones"] == remote["spatial"]["zones"]
    assert len(published["resources"]) == len(remote["resources"])
    for mine, theirs in zip(published["resources"], remote["resources"], strict=True):
        for key in ("title", "description", "url", "format", "type", "mime",
                    "filesize", "checksum"):
            assert mine[key] == theirs[key], key
        assert (mine["schema"] or {}).get("name") == (theirs["schema"] or {}).get(
            "name"
        )
        assert (mine["schema"] or {}).get("version") == (
            theirs["schema"] or {}
        ).get("version")


def test_harvested_datasets_stay_home_by_default(publishing):
    target = publishing
    local = create("dataset", name="moissonne", harvest_url="https://www.data.gouv.fr/x/")
    client = UdataClient(target.url, api_key=KEY, backoff=0.0)
    report = Publisher(client, target.org["id"]).run()
    assert [o.action for o in report.outcomes] == ["skip"]
    assert target.published(local["id"]) == []
