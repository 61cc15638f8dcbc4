"""The datagouvfr harvester end to end: fake udata -> Redis queues -> gather,
fetch, import -> PostgreSQL and Solr, as ckanext-harvest runs it."""
from __future__ import annotations

import json
import time
from typing import Any

import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.harvest.model import HarvestObject

from tests.fakes.udata import FakeUdata

pytestmark = [
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
    pytest.mark.ckan_config("ckanext.loiretcher.harvest.backoff", "0.01"),
]


def field(package: dict[str, Any], name: str) -> Any:
    """A dataset field, whether the schema has it or it sits in the extras."""
    if name in package:
        return package[name]
    for extra in package.get("extras", []):
        if extra["key"] == name:
            value = extra["value"]
            if value[:1] in "[{":
                return json.loads(value)
            return value
    return None


def harvested(source: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The active datasets of a source, by udata id, as the search sees them."""
    result = call_action(
        "package_search", fq=f'harvest_source_id:"{source["id"]}"', rows=1000
    )
    return {field(p, "guid"): p for p in result["results"]}


def stats(job: dict[str, Any]) -> dict[str, int]:
    return {k: v for k, v in job["stats"].items() if v}


def gather_errors(job: dict[str, Any]) -> list[str]:
    report = call_action("harvest_job_report", id=job["id"])
    return [e["message"] for e in report["gather_errors"]]


def object_errors(job: dict[str, Any]) -> list[str]:
    report = call_action("harvest_job_report", id=job["id"])
    return [
        e["message"] for obj in report["object_errors"].values()
        for e in obj["errors"]
    ]


def package_writes() -> tuple[Any, ...]:
    """What changes when any dataset is written."""
    rows = model.Session.execute(model.package_table.select().with_only_columns(
        model.package_table.c.id, model.package_table.c.metadata_modified,
        model.package_table.c.state,
    )).fetchall()
    activities = model.Session.execute(
        __import__("sqlalchemy").text("select count(*) from activity")
    ).scalar()
    return tuple(sorted(map(tuple, rows))), activities


@pytest.fixture
def org41(fake_udata: FakeUdata) -> dict[str, Any]:
    return fake_udata.add_organization(
        "departement-de-loir-et-cher", "Département de Loir-et-Cher",
    )


@pytest.fixture
def source(make_source, org41) -> dict[str, Any]:
    return make_source({"organization": org41["slug"], "page_size": 3})


class TestFirstHarvest:
    def test_every_field_reaches_the_dataset(self, fake_udata, org41, source, harvest):
        record = fake_udata.add_dataset(
            org41, title="Subventions aux associations 2024",
            description="Montants **versés** en 2024.",
            tags=["subventions", "associations"], license="odc-odbl",
            frequency="monthly",
            temporal_coverage={"start": "2024-01-01", "end": "2024-12-31"},
            spatial={"zones": ["fr:departement:41", "fr:commune:41018"],
                     "geom": None, "granularity": "fr:commune"},
            contact_points=[{"id": "c1", "name": "Service des données",
                             "email": "opendata@departement41.fr",
                             "role": "contact"}],
            resources=[fake_udata.make_resource(
                1, title="subventions-2024.csv", type="main", format="csv",
                mime="text/csv", filesize=2048,
                checksum={"type": "sha256", "value": "ab" * 32},
                schema={"name": "etalab/schema-irve-statique", "version": "2.3.0"},
                last_modified="2025-02-01T10:00:00+01:00",
            ), fake_udata.make_resource(2, title="Notice", type="documentation")],
        )
        job = harvest(source)

        assert job["status"] == "Finished"
        assert stats(job) == {"added": 1}
        dataset = harvested(source)[record["id"]]
        assert dataset["title"] == "Subventions aux associations 2024"
        assert dataset["name"] == record["slug"]
        assert dataset["notes"] == "Montants **versés** en 2024."
        assert sorted(t["name"] for t in dataset["tags"]) == [
            "associations", "subventions"]
        assert dataset["license_id"] == "odc-odbl"
        assert field(dataset, "frequency") == "monthly"
        assert field(dataset, "temporal_start") == "2024-01-01"
        assert field(dataset, "temporal_end") == "2024-12-31"
        assert field(dataset, "spatial_zones") == [
            "fr:departement:41", "fr:commune:41018"]
        assert field(dataset, "contact_name") == "Service des données"
        assert field(dataset, "contact_email") == "opendata@departement41.fr"
        assert field(dataset, "guid") == record["id"]
        assert field(dataset, "harvest_url") == (
            f"{fake_udata.url}/fr/datasets/{record['slug']}/")
        assert field(dataset, "issued") == record["created_at"][:19]
        assert field(dataset, "modified") == record["last_modified"][:19]
        # No organization mapping: the source's owner (none here) or the
        # remote organization created locally.
        assert dataset["organization"]["title"] == "Département de Loir-et-Cher"
        main, notice = dataset["resources"]
        assert main["name"] == "subventions-2024.csv"
        assert main["url"] == record["resources"][0]["url"]
        assert main["format"] == "CSV"
        assert main["mimetype"] == "text/csv"
        assert main["size"] == 2048
        assert main["hash"] == "ab" * 32
        assert main["hash_algorithm"] == "sha256"
        assert main["resource_type"] == "main"
        assert main["last_modified"] == "2025-02-01T09:00:00"
        assert main["schema_name"] == "etalab/schema-irve-statique"
        assert main["schema_version"] == "2.3.0"
        assert notice["resource_type"] == "documentation"

    def test_pages_are_followed_and_each_dataset_imported_once(
        self, fake_udata, org41, source, harvest
    ):
        records = fake_udata.add_datasets(7, org41)
        job = harvest(source)

        assert stats(job) == {"added": 7}
        assert set(harvested(source)) == {r["id"] for r in records}
        # page_size 3: three pages, each asked once, no dataset fetched again.
        assert fake_udata.count(r"/organizations/.+/datasets/$") == 3
        assert fake_udata.count(r"^/api/1/datasets/[0-9a-f]{24}/$") == 0

    def test_owner_is_the_source_organization(self, fake_udata, org41, make_source,
                                               harvest):
        local = factories.Organization(name="mon-departement")
        source = make_source({"organization": org41["id"]}, owner_org=local["id"])
        record = fake_udata.add_dataset(org41)
        harvest(source)
        assert harvested(source)[record["id"]]["owner_org"] == local["id"]

    def test_unknown_licence_is_kept_aside(self, fake_udata, org41, source, harvest):
        record = fake_udata.add_dataset(org41, license="licence-maison")
        harvest(source)
        dataset = harvested(source)[record["id"]]
        assert dataset["license_id"] == "notspecified"
        assert field(dataset, "original_license") == "licence-maison"


class TestIncremental:
    def test_second_run_writes_nothing(self, fake_udata, org41, source, harvest):
        fake_udata.add_datasets(5, org41)
        harvest(source)
        before = package_writes()

        job = harvest(source)

        assert job["status"] == "Finished"
        assert stats(job) == {"not modified": 5}
        assert package_writes() == before

    def test_a_change_updates_only_that_dataset_in_place(
        self, fake_udata, org41, source, harvest
    ):
        records = fake_udata.add_datasets(4, org41)
        harvest(source)
        first = harvested(source)
        changed = records[1]["id"]
        fake_udata.update_dataset(changed, title="Nouveau titre",
                                  description="Nouvelle description")
        fake_udata.update_resource(records[2]["id"], 0,
                                   checksum={"type": "sha1", "value": "f" * 40})

        job = harvest(source)

        assert stats(job) == {"updated": 2, "not modified": 2}
        second = harvested(source)
        assert second[changed]["id"] == first[changed]["id"]
        assert second[changed]["title"] == "Nouveau titre"
        assert second[changed]["notes"] == "Nouvelle description"
        resource = second[records[2]["id"]]["resources"][0]
        assert resource["hash"] == "f" * 40
        assert resource["id"] == first[records[2]["id"]]["resources"][0]["id"]
        untouched = records[0]["id"]
        assert (second[untouched]["metadata_modified"]
                == first[untouched]["metadata_modified"])

    def test_a_dataset_deleted_here_by_hand_comes_back(
        self, fake_udata, org41, source, harvest, sysadmin
    ):
        record = fake_udata.add_dataset(org41)
        harvest(source)
        local = harvested(source)[record["id"]]
        call_action("package_delete", {"user": sysadmin["name"]}, id=local["id"])

        job = harvest(source)

        assert stats(job) == {"updated": 1}
        assert harvested(source)[record["id"]]["id"] == local["id"]


class TestIdentity:
    def test_renamed_at_the_source_is_renamed_in_place(
        self, fake_udata, org41, source, harvest
    ):
        record = fake_udata.add_dataset(org41, slug="ancien-nom")
        harvest(source)
        before = harvested(source)[record["id"]]

        fake_udata.update_dataset(record["id"], slug="nouveau-nom")
        job = harvest(source)

        assert stats(job) == {"updated": 1}
        after = harvested(source)[record["id"]]
        assert after["id"] == before["id"]
        assert after["name"] == "nouveau-nom"
        assert call_action("package_search", q="*:*")["count"] == 1

    def test_a_local_dataset_with_the_same_name_is_never_overwritten(
        self, fake_udata, org41, source, harvest
    ):
        local = factories.Dataset(name="budget-2025", title="Budget local")
        record = fake_udata.add_dataset(org41, slug="budget-2025", title="Budget")

        harvest(source)

        dataset = harvested(source)[record["id"]]
        assert dataset["id"] != local["id"]
        assert dataset["name"] == "budget-20251"
        assert call_action("package_show", id=local["id"])["title"] == "Budget local"

    def test_two_sources_never_import_the_same_dataset_twice(
        self, fake_udata, org41, make_source, harvest
    ):
        record = fake_udata.add_dataset(org41, tags=["budget"])
        first = make_source({"organization": org41["slug"]})
        second = make_source({"tags": ["budget"]})
        harvest(first)

        job = harvest(second)

        assert stats(job) == {"errored": 1}
        assert "already harvested" in object_errors(job)[0]
        assert harvested(second) == {}
        assert set(harvested(first)) == {record["id"]}


class TestRemovals:
    @pytest.mark.parametrize("how", ["remove", "delete", "archive"])
    def test_removed_at_the_source_is_deleted_here(
        self, fake_udata, org41, source, harvest, how
    ):
        records = fake_udata.add_datasets(3, org41)
        harvest(source)
        gone = records[0]["id"]
        local_id = harvested(source)[gone]["id"]
        getattr(fake_udata, f"{how}_dataset")(gone)

        job = harvest(source)

        assert stats(job) == {"deleted": 1, "not modified": 2}
        assert set(harvested(source)) == {r["id"] for r in records[1:]}
        assert model.Package.get(local_id).state == "deleted"

    def test_kept_with_remote_deletion_keep(self, fake_udata, org41, make_source,
                                            harvest):
        source = make_source({"organization": org41["slug"],
                              "remote_deletion": "keep"})
        records = fake_udata.add_datasets(2, org41)
        harvest(source)
        fake_udata.remove_dataset(records[0]["id"])
        fake_udata.archive_dataset(records[1]["id"])

        job = harvest(source)

        assert "deleted" not in stats(job)
        assert set(harvested(source)) == {r["id"] for r in records}

    def test_a_dataset_back_at_the_source_is_restored(
        self, fake_udata, org41, source, harvest
    ):
        record = fake_udata.add_dataset(org41)
        harvest(source)
        local_id = harvested(source)[record["id"]]["id"]
        fake_udata.archive_dataset(record["id"])
        harvest(source)
        assert harvested(source) == {}

        fake_udata.update_dataset(record["id"], archived=None)
        job = harvest(source)

        assert stats(job) == {"updated": 1}
        assert harvested(source)[record["id"]]["id"] == local_id

    @pytest.mark.parametrize("fault", [
        {"status": 500, "times": None},
        {"html": True},
        {"truncate": True},
        {"drop": True, "times": None},
    ], ids=["500-forever", "html", "truncated-json", "connection-dropped"])
    def test_a_failed_listing_deletes_nothing(
        self, fake_udata, org41, source, harvest, fault
    ):
        records = fake_udata.add_datasets(7, org41)
        harvest(source)
        fake_udata.remove_dataset(records[0]["id"])
        fake_udata.fail(r"datasets/\?page=2", **fault)

        job = harvest(source)

        assert job["status"] == "Finished"
        errors = gather_errors(job)
        assert len(errors) == 1
        assert "no dataset was deleted" in errors[0]
        assert "page=2" in errors[0]
        assert "deleted" not in stats(job)
        assert set(harvested(source)) == {r["id"] for r in records}

    def test_a_listing_whose_total_disagrees_deletes_nothing(
        self, fake_udata, org41, source, harvest
    ):
        records = fake_udata.add_datasets(4, org41)
        harvest(source)
        fake_udata.remove_dataset(records[0]["id"])
        fake_udata.total_offset = 1

        job = harvest(source)

        assert "announced 4 items but 3 were listed" in gather_errors(job)[0]
        assert "deleted" not in stats(job)
        assert len(harvested(source)) == 4

    def test_a_repeated_page_deletes_nothing(self, fake_udata, org41, source,
                                             harvest):
        records = fake_udata.add_datasets(7, org41)
        harvest(source)
        fake_udata.remove_dataset(records[-1]["id"])
        fake_udata.repeat_page = 2

        job = harvest(source)

        assert "repeats itself" in gather_errors(job)[0]
        assert "deleted" not in stats(job)
        assert len(harvested(source)) == 7


class TestFaults:
    def test_server_errors_are_retried(self, fake_udata, org41, source, harvest):
        records = fake_udata.add_datasets(4, org41)
        fake_udata.fail(r"page=2", status=503, times=2)
        fake_udata.fail(r"page=1", status=500, times=1)

        job = harvest(source)

        assert stats(job) == {"added": 4}
        assert gather_errors(job) == []
        assert set(harvested(source)) == {r["id"] for r in records}

    def test_rate_limit_waits_for_retry_after(self, fake_udata, org41, source,
                                              harvest):
        fake_udata.add_datasets(2, org41)
        fake_udata.fail(r"page=1", status=429, retry_after=1)

        started = time.monotonic()
        job = harvest(source)

        assert time.monotonic() - started >= 1
        assert stats(job) == {"added": 2}

    def test_a_timeout_is_retried(self, fake_udata, org41, make_source, harvest):
        source = make_source({"organization": org41["slug"], "timeout": 1})
        fake_udata.add_datasets(2, org41)
        fake_udata.fail(r"page=1", delay=2)

        job = harvest(source)

        assert stats(job) == {"added": 2}
        assert fake_udata.count(r"/datasets/$") == 2

    def test_retries_give_up_after_max_retries(self, fake_udata, org41,
                                               make_source, harvest):
        source = make_source({"organization": org41["slug"], "max_retries": 2})
        fake_udata.add_datasets(2, org41)
        fake_udata.fail(r"page=1", status=502, times=None)

        job = harvest(source)

        assert job["status"] == "Finished"
        assert fake_udata.count(r"/datasets/$") == 3
        (error,) = gather_errors(job)
        assert "HTTP 502, 3 attempts" in error
        assert harvested(source) == {}

    def test_a_source_that_is_down_fails_the_job_readably(
        self, fake_udata, org41, source, harvest
    ):
        fake_udata.stop()
        job = harvest(source)
        assert job["status"] == "Finished"
        (error,) = gather_errors(job)
        assert "connection refused" in error

    def test_a_malformed_dataset_fails_alone(self, fake_udata, org41, source,
                                             harvest):
        good = fake_udata.add_datasets(3, org41)
        bad = fake_udata.add_dataset(org41, resources="not a list")
        untitled = fake_udata.add_dataset(org41, title="")
        fake_udata.update_dataset(untitled["id"], title="")

        job = harvest(source)

        assert job["status"] == "Finished"
        assert stats(job) == {"added": 3, "errored": 2}
        errors = sorted(object_errors(job))
        assert errors == sorted([
            f'Dataset {bad["id"]}: "resources" is not a list.',
            f"Dataset {untitled['id']} has no title.",
        ])
        assert set(harvested(source)) == {r["id"] for r in good}

    def test_a_failing_dataset_page_fails_that_object_only(
        self, fake_udata, org41, source, harvest
    ):
        fake_udata.inline_resources = False
        records = fake_udata.add_datasets(3, org41)
        fake_udata.fail(rf"/api/1/datasets/{records[1]['id']}/", status=500,
                        times=None)

        job = harvest(source)

        assert stats(job) == {"added": 2, "errored": 1}
        (error,) = object_errors(job)
        assert error.startswith(f"Could not fetch dataset {records[1]['id']}")
        assert "HTTP 500" in error
        dataset = harvested(source)[records[0]["id"]]
        assert len(dataset["resources"]) == 2


class TestTwoOrganizations:
    def test_each_source_gets_its_organization_only(self, fake_udata, make_source,
                                                    harvest):
        dept = fake_udata.add_organization("departement-41", "Département 41")
        blois = fake_udata.add_organization("ville-de-blois", "Ville de Blois")
        dept_records = fake_udata.add_datasets(3, dept, tags=["budget"])
        blois_records = fake_udata.add_datasets(2, blois, tags=["budget"])
        factories.Organization(name="cd41")
        dept_source = make_source({
            "organization": dept["slug"], "organization_mapping": {
                dept["slug"]: "cd41"}})
        # The search endpoint, filtered on the organization's id.
        blois_source = make_source({"organization": blois["slug"],
                                    "tags": ["budget"],
                                    "create_organizations": True})

        assert stats(harvest(dept_source)) == {"added": 3}
        assert stats(harvest(blois_source)) == {"added": 2}

        dept_local = harvested(dept_source)
        blois_local = harvested(blois_source)
        assert set(dept_local) == {r["id"] for r in dept_records}
        assert set(blois_local) == {r["id"] for r in blois_records}
        assert {d["organization"]["name"] for d in dept_local.values()} == {"cd41"}
        assert {d["organization"]["name"] for d in blois_local.values()} == {
            "ville-de-blois"}
        assert fake_udata.count(r"/api/1/datasets/$") == 1
        search = [r for r in fake_udata.requests if r.path == "/api/1/datasets/"]
        assert search[0].query["organization"] == [blois["id"]]

        # A removal in one organization never touches the other's datasets.
        fake_udata.remove_dataset(dept_records[0]["id"])
        assert stats(harvest(dept_source)) == {"deleted": 1, "not modified": 2}
        assert stats(harvest(blois_source)) == {"not modified": 2}
        assert set(harvested(blois_source)) == {r["id"] for r in blois_records}


class TestDescriptions:
    def test_a_hostile_description_renders_harmless(
        self, app, fake_udata, org41, source, harvest
    ):
        from bs4 import BeautifulSoup

        record = fake_udata.add_dataset(org41, description=(
            "Intro <script>alert('x')</script> **gras**\n\n"
            "[clic](javascript:alert(1)) [ok](https://www.data.gouv.fr)\n\n"
            "<img src=x onerror=alert(1)> <a href=\"#\" onclick=\"alert(1)\">a</a>"
            "\n\n[ref]: jav&#x61;script:alert(2)"
        ))
        harvest(source)
        dataset = harvested(source)[record["id"]]
        assert "script" not in dataset["notes"].replace("javascript :", "")

        page = app.get(f"/dataset/{dataset['name']}")
        assert page.status_code == 200
        notes = BeautifulSoup(page.body, "html.parser").select_one(".notes")
        assert notes is not None
        assert "gras" in notes.text
        assert notes.find("script") is None
        assert notes.find("img") is None
        for tag in notes.find_all(True):
            assert not [a for a in tag.attrs if a.lower().startswith("on")]
            assert not tag.get("href", "").strip().lower().startswith("javascript")
        assert [a["href"] for a in notes.find_all("a")] == [
            "https://www.data.gouv.fr"]


class TestConfig:
    def test_a_bad_configuration_is_refused_and_nothing_saved(
        self, make_source
    ):
        with pytest.raises(Exception) as error:
            make_source({"q": "", "page_size": 0, "remote_deletion": "never",
                         "timeout": "10", "orgnization": "x"})
        message = str(error.value)
        assert '"q" must be a non-empty string.' in message
        assert '"page_size" must be a whole number from 1 to 1000.' in message
        assert '"remote_deletion" must be "delete"' in message
        assert '"timeout" must be a number of seconds from 1 to 600.' in message
        assert 'Unknown option "orgnization".' in message
        assert model.Session.query(model.Package).filter_by(type="harvest").count() == 0

    def test_organization_or_a_filter_is_required(self, make_source):
        with pytest.raises(Exception, match='"organization" is required'):
            make_source({})

    def test_unknown_groups_types_and_organizations_are_refused(self, make_source):
        with pytest.raises(Exception) as error:
            make_source({"organization": "x", "default_groups": ["nope"],
                         "dataset_type_rules": {"scdl/budget": "missing"},
                         "organization_mapping": {"x": "absent"}})
        message = str(error.value)
        assert '"default_groups": the group "nope" does not exist.' in message
        assert 'the dataset type "missing" (for scdl/budget) does not exist' in message
        assert 'the organization "absent" does not exist' in message

    def test_the_configuration_is_stored_normalised(self, make_source):
        source = make_source({"organization": " dept ", "tags": "budget"})
        assert json.loads(source["config"]) == {
            "organization": "dept", "tags": ["budget"], "remote_deletion": "delete"}


def test_gather_returns_a_lazy_list_of_ids(fake_udata, org41, source, harvest_queues):
    from ckanext.harvest.model import HarvestJob
    from ckanext.harvest.queue import get_harvester

    fake_udata.add_datasets(5, org41)
    job_dict = call_action("harvest_job_create", source_id=source["id"], run=False)
    job = HarvestJob.get(job_dict["id"])
    ids = get_harvester("datagouvfr").gather_stage(job)
    assert isinstance(ids, list)
    assert len(ids) == 5
    assert ids[:1] == [sorted(ids)[0]]
    assert ids[-1:] == [sorted(ids)[-1]]
    waiting = model.Session.query(HarvestObject.id).filter_by(
        harvest_job_id=job.id, state="WAITING")
    assert sorted(ids) == sorted(r.id for r in waiting)


@pytest.mark.parametrize(("prefix", "expected"), [
    ("", "« page_size » doit être un nombre entier de 1 à 1000."),
    ("/en", '"page_size" must be a whole number from 1 to 1000.'),
])
def test_configuration_errors_speak_the_users_language(app, prefix, expected):
    user = factories.SysadminWithToken()
    response = app.post(
        f"{prefix}/api/3/action/harvest_source_create",
        json={"name": "bad-source", "url": "https://www.data.gouv.fr",
              "source_type": "datagouvfr",
              "config": json.dumps({"organization": "x", "page_size": 5000})},
        headers={"Authorization": user["token"]}, status=409,
    )
    assert expected in " ".join(response.json["error"]["config"])
    assert model.Session.query(model.Package).filter_by(type="harvest").count() == 0


def test_the_command_line_refuses_a_bad_configuration(cli, fake_udata):
    from ckan.cli.cli import ckan

    result = cli.invoke(ckan, [
        "harvester", "source", "create", "cli-source", fake_udata.url,
        "datagouvfr", "Source", "true", "", "MANUAL", '{"page_size": "big"}',
    ])
    assert result.exit_code != 0
    assert "page_size" in result.output
    assert "organization" in result.output
    assert model.Session.query(model.Package).filter_by(type="harvest").count() == 0


def test_the_command_line_creates_and_runs_a_source(cli, fake_udata, org41):
    from ckan.cli.cli import ckan

    record = fake_udata.add_dataset(org41)
    config = json.dumps({"organization": org41["slug"]})
    cli.invoke(ckan, [
        "harvester", "source", "create", "cli-source", fake_udata.url,
        "datagouvfr", "Source", "true", "", "MANUAL", config,
    ])
    # ckanext-harvest 1.6.3 creates the source, then fails to print it (its
    # "status" is missing right after creation): only the source is checked.
    source = call_action("harvest_source_show", id="cli-source")
    assert json.loads(source["config"])["organization"] == org41["slug"]
    result = cli.invoke(ckan, ["harvester", "run-test", "cli-source"])
    assert result.exit_code == 0, result.output
    assert call_action("package_search", q="*:*")["results"][0]["title"] == (
        record["title"])


def test_job_errors_show_on_the_job_page(app, fake_udata, org41, source, harvest):
    fake_udata.fail("/datasets/", status=500, times=None)
    job = harvest(source)
    user = factories.SysadminWithToken()
    page = app.get(f"/harvest/{source['name']}/job/{job['id']}",
                   headers={"Authorization": user["token"]})
    assert page.status_code == 200
    assert "HTTP 500" in page.body


def test_default_groups_and_themes(fake_udata, org41, make_source, harvest):
    factories.Group(name="donnees-departementales")
    source = make_source({
        "organization": org41["slug"], "default_groups": ["donnees-departementales"],
        "themes": {"subventions": ["subventions"], "routes": ["voirie"]},
    })
    record = fake_udata.add_dataset(org41, tags=["subventions", "budget"])
    harvest(source)
    dataset = harvested(source)[record["id"]]
    assert [g["name"] for g in dataset["groups"]] == ["donnees-departementales"]
    assert field(dataset, "theme") == ["subventions"]
