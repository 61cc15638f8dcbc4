# ruff: noqa: F811 - pytest fixtures imported from publish_support
"""The publisher against a fake data.gouv.fr: plan, writes, failures, the key."""
from __future__ import annotations

import logging

import pytest
from ckan import model
from ckan.cli.cli import ckan
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.loiretcher.datagouv.client import UdataClient
from ckanext.loiretcher.datagouv.publisher import Publisher
from tests.datagouv.publish_support import (  # noqa: F401 - fixtures
    KEY,
    create,
    publishing,
    udata,
)
from tests.dcat.portal import SCDL, TYPES, csv_file, sha256
from tests.fakes.udata import FakeResponse

MARKER = "loiretcher:ckan_id"
RESOURCE_MARKER = "loiretcher:ckan_resource_id"
# The plan is printed in the portal's default language (French, test.ini).
LABELS = {
    "create": "créer", "update": "mettre à jour", "delete": "supprimer",
    "unchanged": "inchangé", "skip": "ignoré",
}
DRY_RUN = "Simulation : rien n'est modifié, ni ici ni sur data.gouv.fr."


def publish(cli, *args: str):
    return cli.invoke(ckan, ["loiretcher", "publish-datagouv", *args])


def plan(output: str) -> list[tuple[str, str]]:
    """(action, dataset name) of each dataset line of the command's output."""
    found = []
    for line in output.splitlines():
        for action, label in LABELS.items():
            if line.startswith(label + " "):
                found.append((action, line[len(label):].split()[0]))
    return found


def remote_of(fake, dataset):
    records = fake.published(dataset["id"])
    assert len(records) == 1, f"{len(records)} copies of {dataset['name']}"
    return records[0]


def local_datagouv_id(dataset_id):
    return model.Package.get(dataset_id).extras.get("datagouv_id")


def quick_publisher(fake, **client_options):
    options = {"backoff": 0.0, "timeout": 2.0, "max_retries": 3, **client_options}
    client = UdataClient(fake.url, api_key=KEY, **options)
    return Publisher(client, fake.org["id"], site_url="http://test.ckan.net")


def test_dry_run_prints_the_plan_and_changes_nothing(cli, publishing):
    fake = publishing
    public = create("dataset", name="jeu-public")
    scdl = create("subvention", name="subventions-2025")
    create("dataset", name="jeu-prive", private=True,
           owner_org=factories.Organization()["id"])

    result = publish(cli, "--dry-run")

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == DRY_RUN
    assert plan(result.output) == [
        ("skip", "jeu-prive"), ("create", "jeu-public"),
        ("create", "subventions-2025"),
    ]
    assert "jeu-prive (privé)" in result.output
    assert "subventions-2025 (ressources : 2)" in result.output
    assert result.output.splitlines()[-1] == (
        "2 à créer, 0 à mettre à jour, 0 à supprimer, 0 inchangé(s), "
        "1 ignoré(s), 0 en échec."
    )
    assert fake.writes() == []
    assert fake.datasets == {}
    assert local_datagouv_id(public["id"]) is None
    assert local_datagouv_id(scdl["id"]) is None


def test_plan_is_in_the_portal_language(cli, publishing, ckan_config, monkeypatch):
    create("dataset", name="jeu-public")
    monkeypatch.setitem(ckan_config, "ckan.locale_default", "en")

    result = publish(cli, "--dry-run")

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Dry run: nothing is changed, here or on data.gouv.fr.",
        "create    jeu-public (resources: 1)",
        "1 to create, 0 to update, 0 to delete, 0 unchanged, 0 skipped, 0 failed.",
    ]


def test_first_publication_creates_datasets_and_remote_resources(cli, publishing):
    fake = publishing
    scdl = create("subvention", name="subventions-2025")
    local_valid, local_refused = scdl["resources"]
    assert local_valid["validation_status"] == "valid"
    assert local_refused["validation_status"] == "invalid"

    result = publish(cli)

    assert result.exit_code == 0, result.output
    record = remote_of(fake, scdl)
    assert record["title"] == "Jeu subvention"
    assert record["description"] == "Description du jeu de données."
    assert sorted(record["tags"]) == ["département", "finances"]
    assert record["license"] == "lov2"
    assert record["frequency"] == "annual"
    assert record["temporal_coverage"] == {"start": "2025-01-01", "end": "2025-12-31"}
    assert record["spatial"]["zones"] == ["fr:departement:41"]
    assert record["organization"]["id"] == fake.org["id"]
    assert record["private"] is False
    assert record["extras"][MARKER] == scdl["id"]

    valid, refused = record["resources"]
    assert valid["filetype"] == "remote"
    # The portal's download URL of the uploaded file.
    assert valid["url"] == local_valid["url"]
    assert valid["url"].startswith(f"http://test.ckan.net/subvention/{scdl['id']}/")
    assert valid["description"] == "Le fichier."
    assert valid["schema"] == {"name": "scdl/subventions", "version": "2.1.1"}
    data = csv_file("subvention")
    assert valid["checksum"] == {"type": "sha256", "value": sha256(data)}
    assert valid["filesize"] == len(data)
    assert valid["mime"] == "text/csv"
    assert refused["schema"] == {}  # the portal found it invalid
    assert refused["checksum"]["value"] == local_refused["hash"]

    # The ids are kept here, dataset and resources.
    assert local_datagouv_id(scdl["id"]) == record["id"]
    shown = call_action("package_show", id=scdl["id"])
    assert shown["datagouv_id"] == record["id"]
    assert [r.get("datagouv_id") for r in shown["resources"]] == [
        valid["id"], refused["id"]
    ]
    # Every write carried the key.
    assert fake.writes()
    assert all(w.headers.get("X-API-KEY") == KEY for w in fake.writes())


@pytest.mark.parametrize("dataset_type", TYPES)
def test_stored_values_of_every_type_reach_data_gouv_fr(cli, publishing,
                                                        dataset_type):
    fake = publishing
    # The API's other input forms: texts for the lists, a legacy udata
    # frequency id, a start date alone.
    dataset = create(
        dataset_type, spatial_zones="fr:commune:41018, fr:epci:200030385",
        theme="environnement", frequency="biannual", temporal_start="2024-07-01",
        temporal_end="", license_id="odc-odbl",
    )
    assert dataset["spatial_zones"] == ["fr:commune:41018", "fr:epci:200030385"]

    result = publish(cli)

    assert result.exit_code == 0, result.output
    record = remote_of(fake, dataset)
    assert record["spatial"]["zones"] == ["fr:commune:41018", "fr:epci:200030385"]
    assert record["frequency"] == "semiannual"
    assert record["license"] == "odc-odbl"
    assert record["temporal_coverage"] == {"start": "2024-07-01", "end": "2024-07-01"}
    assert record["extras"]["loiretcher:source_url"] == (
        f"http://test.ckan.net/{dataset_type}/{dataset['name']}"
    )
    remote_resources = {r["extras"][RESOURCE_MARKER]: r for r in record["resources"]}
    assert set(remote_resources) == {r["id"] for r in dataset["resources"]}
    for resource in dataset["resources"]:
        remote = remote_resources[resource["id"]]
        assert remote["url"] == resource["url"]
        assert remote["filesize"] == resource["size"]
        assert remote["mime"] == resource["mimetype"] == "text/csv"
        assert remote["checksum"] == {
            "type": resource["hash_algorithm"], "value": resource["hash"]
        }
    if dataset_type in SCDL:
        valid, refused = dataset["resources"]
        name, version = SCDL[dataset_type]
        assert remote_resources[valid["id"]]["schema"] == {
            "name": name, "version": version
        }
        assert valid["hash"] == sha256(csv_file(dataset_type))
        assert refused["validation_status"] == "invalid"
        assert remote_resources[refused["id"]]["schema"] == {}
    else:
        (resource,) = dataset["resources"]
        assert remote_resources[resource["id"]]["schema"] == {}
    # Nothing differs on a second look.
    assert plan(publish(cli, "--dry-run").output) == [
        ("unchanged", dataset["name"])
    ]


def test_second_run_finds_everything_unchanged(cli, publishing):
    fake = publishing
    create("subvention")
    create("dataset")
    assert publish(cli).exit_code == 0
    writes = len(fake.writes())

    result = publish(cli)

    assert result.exit_code == 0, result.output
    assert len(fake.writes()) == writes
    assert [action for action, _ in plan(result.output)] == [
        "unchanged", "unchanged"
    ]
    dry = publish(cli, "--dry-run").output
    assert [action for action, _ in plan(dry)] == ["unchanged", "unchanged"]


def test_changes_are_updates_not_new_datasets(cli, publishing):
    fake = publishing
    dataset = create("subvention")
    assert publish(cli).exit_code == 0
    first = remote_of(fake, dataset)
    shown = call_action("package_show", id=dataset["id"])
    kept, dropped = shown["resources"]
    kept["description"] = "Nouvelle description."
    sysadmin = factories.Sysadmin()
    call_action(
        "package_patch", {"user": sysadmin["name"]}, id=dataset["id"],
        title="Subventions 2025 (révisé)",
        resources=[kept, {"name": "Annexe", "url": "http://test.ckan.net/annexe.pdf",
                          "format": "PDF", "resource_type": "documentation"}],
    )

    dry = publish(cli, "--dry-run").output
    assert plan(dry) == [("update", dataset["name"])], dry
    assert "ressources à créer : 1" in dry
    assert "ressources à mettre à jour : 1" in dry
    assert "ressources à supprimer : 1" in dry
    assert len(remote_of(fake, dataset)["resources"]) == 2  # nothing done yet
    result = publish(cli)

    assert result.exit_code == 0, result.output
    record = remote_of(fake, dataset)
    assert record["id"] == first["id"]
    assert record["title"] == "Subventions 2025 (révisé)"
    titles = {r["title"]: r for r in record["resources"]}
    assert set(titles) == {"Données 2025", "Annexe"}
    assert titles["Données 2025"]["description"] == "Nouvelle description."
    assert titles["Annexe"]["type"] == "documentation"
    assert dropped["datagouv_id"] not in {r["id"] for r in record["resources"]}
    assert fake.count(r"^/api/1/datasets/$", "POST") == 1
    assert plan(publish(cli).output) == [("unchanged", dataset["name"])]


@pytest.mark.parametrize("how", ["delete", "private", "purge"])
def test_local_removal_deletes_remotely(cli, publishing, how):
    fake = publishing
    organization = factories.Organization()
    dataset = create("dataset", owner_org=organization["id"])
    assert publish(cli).exit_code == 0
    remote_id = remote_of(fake, dataset)["id"]
    sysadmin = {"user": factories.Sysadmin()["name"]}
    if how == "delete":
        call_action("package_delete", dict(sysadmin), id=dataset["id"])
    elif how == "private":
        call_action("package_patch", dict(sysadmin), id=dataset["id"], private=True)
    else:
        call_action("dataset_purge", dict(sysadmin), id=dataset["id"])

    result = publish(cli)

    assert result.exit_code == 0, result.output
    # A purged dataset is known by its id only.
    name = dataset["id"] if how == "purge" else dataset["name"]
    assert plan(result.output) == [("delete", name)], result.output
    assert fake.dataset(remote_id)["deleted"]
    assert fake.published(dataset["id"]) == []
    assert "delete" not in dict(plan(publish(cli).output))


def test_archive_mode_archives_instead(cli, publishing, ckan_config, monkeypatch):
    fake = publishing
    monkeypatch.setitem(ckan_config, "ckanext.loiretcher.datagouv.deletion", "archive")
    dataset = create("dataset")
    assert publish(cli).exit_code == 0
    sysadmin = {"user": factories.Sysadmin()["name"]}
    call_action("package_delete", dict(sysadmin), id=dataset["id"])

    assert publish(cli).exit_code == 0
    record = remote_of(fake, dataset)
    assert record["archived"] and not record["deleted"]
    # Archived already: nothing more to do.
    assert fake.count("/api/1/datasets/", "PUT") == 1
    assert publish(cli).exit_code == 0
    assert fake.count("/api/1/datasets/", "PUT") == 1

    # Back in the catalogue: the same record comes back from the archive.
    call_action("package_patch", dict(sysadmin), id=dataset["id"], state="active")
    assert publish(cli).exit_code == 0
    record = remote_of(fake, dataset)
    assert record["archived"] is None


def test_harvested_and_private_datasets_are_never_published(cli, publishing):
    fake = publishing
    organization = factories.Organization()
    create("dataset", private=True, owner_org=organization["id"])
    create("dataset", guid="6" * 24)

    result = publish(cli)

    assert result.exit_code == 0
    assert fake.writes() == []
    assert [action for action, _ in plan(result.output)] == ["skip", "skip"]
    assert "(privé)" in result.output
    assert "(moissonné ailleurs)" in result.output


@pytest.mark.parametrize(("key", "status"), [("wrong-key", 401), (KEY, 403)])
def test_refused_key_stops_everything(cli, publishing, ckan_config, monkeypatch,
                                      key, status):
    fake = publishing
    if status == 403:
        fake.member_of.clear()
    monkeypatch.setitem(ckan_config, "ckanext.loiretcher.datagouv.api_key", key)
    for _ in range(3):
        create("dataset")

    result = publish(cli)

    assert result.exit_code == 2
    assert f"HTTP {status}" in result.output
    assert "ckanext.loiretcher.datagouv.api_key" in result.output
    assert fake.org["id"] in result.output
    assert len(fake.writes()) == 1  # nothing else attempted
    assert key not in result.output


def test_refused_dataset_is_reported_with_its_field_errors(cli, publishing):
    fake = publishing
    # On a ``dataset``, a file's schema is what its provider declared (through
    # the API): the portal passes it on, data.gouv.fr checks the name.
    bad = create("dataset", name="a-refuse")
    call_action(
        "resource_patch", {"user": factories.Sysadmin()["name"]},
        id=bad["resources"][0]["id"], schema_name="scdl/inconnu",
        schema_version="1.0.0",
    )
    good = create("dataset", name="b-accepte")

    result = publish(cli)

    assert result.exit_code == 1
    assert "a-refuse" in result.output
    assert 'schema: Schema name "scdl/inconnu" is not an allowed value.' in (
        result.output
    )
    assert remote_of(fake, good)["title"] == "Jeu dataset"


def test_server_errors_rate_limits_and_timeouts_are_retried(publishing):
    fake = publishing
    dataset = create("dataset")
    fake.fail(r"^/api/1/datasets/$", status=503, times=2, methods=("POST",))
    fake.fail(r"/resources/$", status=429, retry_after=0, times=1)
    publisher = quick_publisher(fake, timeout=0.5)

    report = publisher.run()
    assert report.ok, report.lines()
    assert len(remote_of(fake, dataset)["resources"]) == 1

    call_action("package_patch", {"user": factories.Sysadmin()["name"]},
                id=dataset["id"], title="Nouveau titre")
    fake.fail(r"^/api/1/datasets/[^/]+/$", delay=1.0, times=1, methods=("PUT",))
    fake.fail(r"^/api/1/datasets/[^/]+/$", status=502, times=1, methods=("PUT",))
    report = quick_publisher(fake, timeout=0.5).run()
    assert report.ok, report.lines()
    assert remote_of(fake, dataset)["title"] == "Nouveau titre"


def test_interrupted_runs_converge_without_duplicates(publishing):
    fake = publishing
    first = create("subvention", name="a-first")
    second = create("dataset", name="b-second")
    # The dataset is created there but the answer is lost: no id here.
    fake.fail(r"^/api/1/datasets/$", drop=True, times=1, methods=("POST",))
    report = quick_publisher(fake, max_retries=0).run()
    assert not report.ok
    assert local_datagouv_id(first["id"]) is None
    # The second dataset's second resource fails half-way.
    report = quick_publisher(fake, max_retries=0).run()
    assert report.ok, report.lines()

    fake.fail(r"/resources/$", status=500, times=1, methods=("POST",))
    third = create("subvention", name="c-third")
    report = quick_publisher(fake, max_retries=0).run()
    assert [o.name for o in report.failed] == ["c-third"]
    assert local_datagouv_id(third["id"]) is not None

    report = quick_publisher(fake).run()
    assert report.ok, report.lines()
    for dataset in (first, second, third):
        record = remote_of(fake, dataset)  # exactly one copy each
        assert local_datagouv_id(dataset["id"]) == record["id"]
    assert len(remote_of(fake, third)["resources"]) == 2
    assert len(remote_of(fake, first)["resources"]) == 2
    assert {o.action for o in quick_publisher(fake).run().outcomes} == {"unchanged"}


def test_the_key_never_leaks(cli, publishing, caplog):
    fake = publishing
    caplog.set_level(logging.DEBUG)
    create("dataset", name="a-echo", title="Echo")
    create("dataset", name="b-down")

    # A server that echoes the key in its errors, or is down.
    def echo(request):
        if request.json()["title"] == "Echo":
            return FakeResponse(400, {"errors": {"title": [f"bad key {KEY}"]},
                                      "message": f"Validation error for {KEY}"})
        return FakeResponse(500, {"message": f"Internal error with {KEY}"})

    fake.route("POST", r"/api/1/datasets/", echo)

    result = publish(cli)
    report = quick_publisher(fake, max_retries=1).run()

    assert result.exit_code == 1
    assert "***" in result.output  # the echoed key was scrubbed
    texts = [result.output, *report.lines(), caplog.text]
    texts += [r.getMessage() for r in caplog.records]
    for text in texts:
        assert KEY not in text
    # ... while it was really sent.
    assert any(w.headers.get("X-API-KEY") == KEY for w in fake.writes())


def test_missing_settings_are_clear_errors(cli, publishing, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.loiretcher.datagouv.api_key", "")
    monkeypatch.delenv("CKANEXT__LOIRETCHER__DATAGOUV__API_KEY", raising=False)
    result = publish(cli)
    assert result.exit_code == 2
    assert "CKANEXT__LOIRETCHER__DATAGOUV__API_KEY" in result.output
    # A dry run needs no key.
    assert publish(cli, "--dry-run").exit_code == 0

    monkeypatch.setenv("CKANEXT__LOIRETCHER__DATAGOUV__API_KEY", KEY)
    create("dataset")
    assert publish(cli).exit_code == 0

    monkeypatch.setitem(ckan_config, "ckanext.loiretcher.datagouv.organization", "")
    result = publish(cli)
    assert result.exit_code == 2
    assert "ckanext.loiretcher.datagouv.organization" in result.output


def test_one_dataset_only(cli, publishing):
    fake = publishing
    wanted = create("dataset", name="a-wanted")
    other = create("dataset", name="b-other")

    result = publish(cli, "--dataset", "a-wanted")

    assert result.exit_code == 0, result.output
    assert remote_of(fake, wanted)
    assert fake.published(other["id"]) == []
    result = publish(cli, "--dataset", "nothing-here")
    assert result.exit_code == 1
    assert "nothing-here" in result.output


def test_background_job_follows_create_update_delete(publishing, ckan_config,
                                                     monkeypatch):
    from ckan.lib import jobs

    fake = publishing
    monkeypatch.setitem(ckan_config, "ckanext.loiretcher.datagouv.publish", True)
    queue = jobs.get_queue()
    queue.empty()

    def run_jobs():
        pending = queue.jobs
        assert pending, "no job was queued"
        for job in pending:
            job.perform()
            queue.remove(job)

    dataset = create("dataset")
    run_jobs()
    assert remote_of(fake, dataset)["title"] == "Jeu dataset"

    sysadmin = {"user": factories.Sysadmin()["name"]}
    call_action("package_patch", dict(sysadmin), id=dataset["id"], title="Renommé")
    run_jobs()
    assert remote_of(fake, dataset)["title"] == "Renommé"

    call_action("package_delete", dict(sysadmin), id=dataset["id"])
    run_jobs()
    assert fake.published(dataset["id"]) == []

    monkeypatch.setitem(ckan_config, "ckanext.loiretcher.datagouv.publish", False)
    create("dataset")
    assert queue.jobs == []
