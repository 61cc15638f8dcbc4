"""Harvested from one udata, published to another: the same dataset comes out."""
# ruff: noqa: F811 - pytest fixtures imported from publish_support
from __future__ import annotations

from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.loiretcher.datagouv import mapping
from ckanext.loiretcher.datagouv.client import UdataClient
from ckanext.loiretcher.datagouv.publisher import Publisher
from tests.datagouv.publish_support import KEY, publishing, udata  # noqa: F401
from tests.fakes.udata import FakeUdata


def test_harvested_dataset_published_elsewhere_keeps_its_metadata(publishing):
    target = publishing
    with FakeUdata() as source:
        organization = source.add_organization("ville-de-blois", name="Ville de Blois")
        record = source.add_dataset(
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
                source.make_resource(
                    1, title="Subventions 2024", format="csv",
                    schema={"name": "scdl/subventions", "version": "2.1.1"},
                ),
                source.make_resource(
                    2, title="Notice", format="pdf", type="documentation",
                    url="https://static.example.org/notice.pdf", mime="application/pdf",
                ),
            ],
        )
        remote = source.public(record)

    package = mapping.map_dataset(
        remote,
        mapping.MappingOptions(
            base_url=source.url, available_types=frozenset({"dataset"})
        ),
    )
    package = mapping.fit_to_schema(package, None)
    package["owner_org"] = factories.Organization()["id"]
    sysadmin = factories.Sysadmin()
    local = call_action("package_create", {"user": sysadmin["name"]}, **package)

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
    sysadmin = factories.Sysadmin()
    local = call_action(
        "package_create", {"user": sysadmin["name"]}, name="moissonne",
        extras=[{"key": "harvest_url", "value": "https://www.data.gouv.fr/x/"}],
    )
    client = UdataClient(target.url, api_key=KEY, backoff=0.0)
    report = Publisher(client, target.org["id"]).run()
    assert [o.action for o in report.outcomes] == ["skip"]
    assert target.published(local["id"]) == []
