"""The pure CKAN -> udata mapping of the publisher."""
from __future__ import annotations

from ckanext.loiretcher.datagouv import publish_mapping as pm

OPTIONS = pm.PublishOptions(organization="6" * 24, site_url="https://data.example.org")
PACKAGE = {
    "id": "1c6b0a4e-0000-4000-8000-000000000001",
    "name": "subventions-2025",
    "type": "subvention",
    "title": "Subventions 2025",
    "notes": "Texte.",
    "tags": [{"name": "finances"}, {"name": "associations"}],
    "license_id": "lov2",
    "extras": [
        {"key": "frequency", "value": "annual"},
        {"key": "temporal_start", "value": "2025-01-01"},
        {"key": "temporal_end", "value": "2025-12-31"},
        {"key": "spatial_zones", "value": '["fr:departement:41"]'},
    ],
}
RESOURCE = {
    "id": "2c6b0a4e-0000-4000-8000-000000000002",
    "name": "Fichier",
    "url": "https://data.example.org/f.csv",
    "format": "CSV",
    "size": "12",
    "hash": "abc",
    "hash_algorithm": "SHA-256",
    "schema_name": "scdl/subventions",
    "schema_version": "2.1.1",
    "validation_status": "valid",
}


def test_dataset_payload_reads_root_fields_and_extras_alike():
    payload = pm.dataset_payload(PACKAGE, OPTIONS)
    assert payload == {
        "title": "Subventions 2025",
        "description": "Texte.",
        "tags": ["finances", "associations"],
        "license": "lov2",
        "frequency": "annual",
        "organization": "6" * 24,
        "private": False,
        "extras": {
            pm.MARKER_KEY: PACKAGE["id"],
            "loiretcher:source_url": "https://data.example.org/subvention/subventions-2025",
        },
        "temporal_coverage": {"start": "2025-01-01", "end": "2025-12-31"},
        "spatial": {"zones": ["fr:departement:41"]},
    }
    scheming = {k: v for k, v in PACKAGE.items() if k != "extras"}
    scheming.update(frequency="annual", temporal_start="2025-01-01",
                    temporal_end="2025-12-31", spatial_zones=["fr:departement:41"])
    assert pm.dataset_payload(scheming, OPTIONS) == payload


def test_minimal_dataset_gets_udata_defaults():
    payload = pm.dataset_payload({"id": "x", "name": "n", "title": "T"}, OPTIONS)
    assert payload["description"] == "T"  # required by udata
    assert payload["license"] == "notspecified"
    assert payload["frequency"] == "unknown"
    assert "temporal_coverage" not in payload and "spatial" not in payload


def test_resource_payload():
    payload = pm.resource_payload(RESOURCE)
    assert payload["filetype"] == "remote"
    assert payload["type"] == "main"
    assert payload["format"] == "csv"
    assert payload["filesize"] == 12
    assert payload["checksum"] == {"type": "sha256", "value": "abc"}
    assert payload["schema"] == {"name": "scdl/subventions", "version": "2.1.1"}
    invalid = pm.resource_payload(dict(RESOURCE, validation_status="invalid"))
    assert "schema" not in invalid
    odd = pm.resource_payload(dict(RESOURCE, hash_algorithm="blake3"))
    assert "checksum" not in odd


def test_changes_of_an_up_to_date_record_are_empty():
    payload = pm.dataset_payload(PACKAGE, OPTIONS)
    remote = dict(payload, id="r", organization={"id": "6" * 24},
                  tags=["associations", "finances"], archived=None, deleted=None,
                  extras=dict(payload["extras"], other="kept"),
                  spatial={"zones": ["fr:departement:41"], "granularity": "other"},
                  temporal_coverage={"start": "2025-01-01T00:00:00",
                                     "end": "2025-12-31"})
    assert pm.dataset_changes(payload, remote) == []
    assert pm.dataset_changes(payload, dict(remote, title="Autre")) == ["title"]
    assert "archived" in pm.dataset_changes(payload, dict(remote, archived="2025"))


def test_remote_resources_are_matched_by_id_marker_then_url():
    remotes = [
        {"id": "a", "url": "https://x/1", "extras": {}},
        {"id": "b", "url": "https://x/2",
         "extras": {pm.RESOURCE_MARKER_KEY: RESOURCE["id"]}},
        {"id": "c", "url": RESOURCE["url"], "extras": {}},
    ]
    assert pm.find_remote_resource(dict(RESOURCE, datagouv_id="a"), remotes, set())[
        "id"] == "a"
    assert pm.find_remote_resource(RESOURCE, remotes, set())["id"] == "b"
    assert pm.find_remote_resource(RESOURCE, remotes, {"b"})["id"] == "c"
    assert pm.find_remote_resource(RESOURCE, remotes, {"b", "c"}) is None


def test_resource_schema_follows_the_conformance_rule():
    scdl = dict(PACKAGE)
    # SCDL dataset: only a file the portal found valid.
    assert pm.resource_payload(RESOURCE, scdl)["schema"] == {
        "name": "scdl/subventions", "version": "2.1.1"
    }
    for status in ("invalid", "pending", "error", ""):
        unchecked = dict(RESOURCE, validation_status=status)
        assert "schema" not in pm.resource_payload(unchecked, scdl), status
    # Any other dataset: the schema its source declared, version or not.
    other = dict(PACKAGE, type="dataset")
    declared = {k: v for k, v in RESOURCE.items() if k != "validation_status"}
    assert pm.resource_payload(declared, other)["schema"] == {
        "name": "scdl/subventions", "version": "2.1.1"
    }
    assert pm.resource_payload(dict(declared, schema_version=""), other)[
        "schema"] == {"name": "scdl/subventions"}


def test_zones_read_from_every_stored_form():
    expected = {"zones": ["fr:departement:41", "fr:commune:41018"]}
    for value in (
        ["fr:departement:41", "fr:commune:41018"],
        '["fr:departement:41", "fr:commune:41018"]',
        "fr:departement:41, fr:commune:41018",
        "fr:departement:41 fr:commune:41018",
    ):
        package = dict(PACKAGE, extras=[], spatial_zones=value)
        assert pm.dataset_payload(package, OPTIONS)["spatial"] == expected, value
    assert "spatial" not in pm.dataset_payload(
        dict(PACKAGE, extras=[], spatial_zones="[]"), OPTIONS
    )
