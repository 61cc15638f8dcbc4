"""The pure udata -> CKAN mapping (no CKAN, no network)."""
from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from ckanext.loiretcher.datagouv import mapping
from ckanext.loiretcher.datagouv.mapping import (
    MappingError,
    MappingOptions,
    choose_dataset_type,
    fingerprint,
    fit_to_schema,
    map_dataset,
    sanitize_markdown,
)

OPTIONS = MappingOptions(base_url="https://www.data.gouv.fr")
ALL_TYPES = frozenset({"dataset", "subvention", "deliberation", "budget"})


def record(**changes: Any) -> dict[str, Any]:
    """A dataset as data.gouv.fr's API v1 returns it."""
    base = {
        "id": "5de8f397634f4164071119c5",
        "slug": "subventions-aux-associations-2024",
        "title": "Subventions aux associations 2024",
        "description": "Les **subventions** versées.",
        "created_at": "2024-03-01T10:15:00.123000+01:00",
        "last_modified": "2025-01-31T23:30:00+00:00",
        "deleted": None, "archived": None, "private": False,
        "tags": ["subventions", "associations", "x"],
        "license": "lov2", "frequency": "annual",
        "temporal_coverage": {"start": "2024-01-01T00:00:00", "end": "2024-12-31"},
        "spatial": {"zones": ["fr:departement:41", "fr:commune:41018"],
                    "granularity": "fr:commune", "geom": None},
        "organization": {"id": "534fff81a3a7292c64a77e5c",
                         "name": "Département de Loir-et-Cher",
                         "slug": "departement-de-loir-et-cher"},
        "contact_points": [{"name": "Service données",
                            "email": "opendata@departement41.fr"}],
        "page": "https://www.data.gouv.fr/fr/datasets/subventions-2024/",
        "metrics": {"views": 12},
        "resources": [{
            "id": "a9b7c3d4-0000-4000-8000-000000000001",
            "title": "subventions-2024.csv", "description": "Le fichier.",
            "type": "main", "format": "csv", "mime": "text/csv",
            "url": "https://static.data.gouv.fr/subventions-2024.csv",
            "filesize": 12345, "filetype": "remote",
            "checksum": {"type": "sha256", "value": "0f" * 32},
            "created_at": "2024-03-01T10:15:00+01:00",
            "last_modified": "2025-01-31T23:30:00+00:00",
            "schema": {"name": "scdl/subventions", "version": "2.1.1"},
        }],
    }
    base.update(changes)
    return base


class TestMapDataset:
    def test_every_field(self):
        package = map_dataset(record(), OPTIONS)
        resource = package.pop("resources")[0]
        assert package == {
            "type": "dataset",
            "name": "subventions-aux-associations-2024",
            "title": "Subventions aux associations 2024",
            "notes": "Les **subventions** versées.",
            "tags": [{"name": "subventions"}, {"name": "associations"}],
            "private": False,
            "guid": "5de8f397634f4164071119c5",
            "harvest_url": "https://www.data.gouv.fr/fr/datasets/subventions-2024/",
            "issued": "2024-03-01T09:15:00.123000",
            "modified": "2025-01-31T23:30:00",
            "license_id": "lov2", "original_license": "",
            "frequency": "annual",
            "temporal_start": "2024-01-01", "temporal_end": "2024-12-31",
            "spatial_zones": ["fr:departement:41", "fr:commune:41018"],
            "contact_name": "Service données",
            "contact_email": "opendata@departement41.fr",
            "theme": [],
        }
        assert resource == {
            "id": "a9b7c3d4-0000-4000-8000-000000000001",
            "name": "subventions-2024.csv", "description": "Le fichier.",
            "url": "https://static.data.gouv.fr/subventions-2024.csv",
            "format": "csv", "mimetype": "text/csv", "size": 12345,
            "hash": "0f" * 32, "hash_algorithm": "sha256",
            "resource_type": "main",
            "created": "2024-03-01T09:15:00",
            "last_modified": "2025-01-31T23:30:00",
            "schema_name": "scdl/subventions", "schema_version": "2.1.1",
        }

    def test_scdl_types_when_they_exist(self):
        options = MappingOptions(base_url="https://x.org", available_types=ALL_TYPES)
        package = map_dataset(record(), options)
        assert package["type"] == "subvention"
        assert package["scdl_schema"] == "scdl/subventions"
        assert package["scdl_schema_version"] == "2.1.1"
        assert package["publisher_name"] == "Département de Loir-et-Cher"
        assert package["year"] == "2024"

    def test_missing_values_are_explicitly_empty(self):
        package = map_dataset(record(
            description=None, contact_points=[], temporal_coverage=None,
            spatial=None, created_at=None, license=None, frequency="weird",
            page=None,
        ), OPTIONS)
        assert package["notes"] == ""
        assert package["contact_email"] == package["contact_name"] == ""
        assert package["temporal_start"] == package["temporal_end"] == ""
        assert package["spatial_zones"] == []
        assert package["issued"] == ""
        assert package["license_id"] == "notspecified"
        assert package["frequency"] == "unknown"
        assert package["harvest_url"] == (
            "https://www.data.gouv.fr/fr/datasets/subventions-aux-associations-2024/")

    @pytest.mark.parametrize(("remote", "local", "original"), [
        ("lov2", "lov2", ""), ("ODC-ODBL", "odc-odbl", ""),
        ("etalab-2.0", "lov2", ""), ("cc-by", "cc-by", ""),
        ("notspecified", "notspecified", ""),
        ("licence-maison", "notspecified", "licence-maison"),
    ])
    def test_licences(self, remote, local, original):
        package = map_dataset(record(license=remote), OPTIONS)
        assert (package["license_id"], package["original_license"]) == (
            local, original)

    @pytest.mark.parametrize(("remote", "local"), [
        ("realtime", "continuous"), ("biannual", "semiannual"),
        ("punctual", "punctual"), (None, "unknown"),
    ])
    def test_frequencies(self, remote, local):
        assert map_dataset(record(frequency=remote), OPTIONS)["frequency"] == local

    def test_themes_and_groups_from_the_source_config(self):
        options = MappingOptions(
            base_url="https://x.org", groups=("economie",),
            themes={"vie-associative": ["associations"], "routes": ["voirie"]},
        )
        package = map_dataset(record(), options)
        assert package["theme"] == ["vie-associative"]
        assert package["groups"] == [{"name": "economie"}]

    @pytest.mark.parametrize(("slug", "title", "expected"), [
        ("Budget_Primitif 2025!", "t", "budget_primitif-2025"),
        ("", "Délibérations du Conseil", "deliberations-du-conseil"),
        ("x" * 150, "t", "x" * 100),
        ("", "!", "dataset-5de8f397634f4164071119c5"),
    ])
    def test_names(self, slug, title, expected):
        package = map_dataset(record(slug=slug, title=title), OPTIONS)
        assert package["name"] == expected
        assert re.match(r"^[a-z0-9_-]{2,100}$", package["name"])

    def test_the_record_is_not_modified(self):
        original = record()
        kept = copy.deepcopy(original)
        map_dataset(original, OPTIONS)
        assert original == kept

    @pytest.mark.parametrize(("changes", "message"), [
        ({"id": None}, "The dataset record has no valid udata id: None."),
        ({"id": "../etc"}, "The dataset record has no valid udata id: ../etc."),
        ({"title": "  "}, "Dataset 5de8f397634f4164071119c5 has no title."),
        ({"resources": {"rel": "subsection"}},
         'Dataset 5de8f397634f4164071119c5: "resources" is not a list.'),
        ({"resources": ["x"]},
         "Dataset 5de8f397634f4164071119c5: resource 1 is not a JSON object."),
        ({"resources": [{"title": "f"}]},
         "Dataset 5de8f397634f4164071119c5: resource 1 (f) has no URL."),
        ({"resources": [{"url": "javascript:alert(1)"}]},
         "Dataset 5de8f397634f4164071119c5: resource 1 has an invalid URL: "
         "javascript:alert(1)."),
        ({"last_modified": "yesterday"},
         "Dataset 5de8f397634f4164071119c5: invalid date in last_modified: "
         "yesterday."),
    ])
    def test_malformed_records_are_refused_readably(self, changes, message):
        with pytest.raises(MappingError) as error:
            map_dataset(record(**changes), OPTIONS)
        assert error.value.message() == message

    def test_a_record_that_is_not_an_object(self):
        with pytest.raises(MappingError, match="not a JSON object"):
            map_dataset(["nope"], OPTIONS)

    def test_errors_are_translatable(self):
        with pytest.raises(MappingError) as error:
            map_dataset(record(title=""), OPTIONS)
        french = error.value.message(
            lambda s: s.replace("has no title", "n'a pas de titre"))
        assert french == "Dataset 5de8f397634f4164071119c5 n'a pas de titre."


class TestDatasetType:
    @pytest.mark.parametrize(("schemas", "available", "rules", "expected"), [
        (["scdl/subventions"], ALL_TYPES, {}, "subvention"),
        (["scdl/deliberations"], ALL_TYPES, {}, "deliberation"),
        (["scdl/budget"], ALL_TYPES, {}, "budget"),
        (["scdl/subventions"], {"dataset"}, {}, "dataset"),
        (["other/schema", "scdl/budget"], ALL_TYPES, {}, "budget"),
        (["scdl/budget", "scdl/subventions"], ALL_TYPES, {}, "budget"),
        (["scdl/subventions"], ALL_TYPES, {"scdl/subventions": "dataset"}, "dataset"),
        (["etalab/irve"], ALL_TYPES, {"etalab/irve": "budget"}, "budget"),
        ([], ALL_TYPES, {}, "dataset"),
    ])
    def test_rules(self, schemas, available, rules, expected):
        assert choose_dataset_type(schemas, rules, available) == expected

    def test_a_dataset_level_schema_counts_too(self):
        options = MappingOptions(base_url="https://x.org", available_types=ALL_TYPES)
        raw = record(schema={"name": "scdl/budget"})
        raw["resources"][0]["schema"] = {}
        assert map_dataset(raw, options)["type"] == "budget"


class TestSanitizeMarkdown:
    @pytest.mark.parametrize("hostile", [
        "<script>alert(1)</script>",
        "<SCRIPT src=//evil.js></SCRIPT>",
        "<scr<script>ipt>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)" onclick="x()">a</a>',
        "[a](javascript:alert(1))",
        "[a](  JaVaScRiPt:alert(1) \"t\")",
        "[a](jav&#x61;script:alert(1))",
        "[a](java\tscript:alert(1))",
        "![i](data:text/html;base64,PHNjcmlwdD4=)",
        "<javascript:alert(1)>",
        "[r]: vbscript:msgbox(1)\n\n[x][r]",
        "<iframe src=https://evil.example.org></iframe>",
        "<svg><script>alert(1)</script></svg>",
        "<style>body{display:none}</style>",
        "<!-- <script>alert(1)</script> -->",
        "<div onmouseover=alert(1)>text</div>",
    ])
    def test_nothing_executable_survives(self, hostile):
        clean = sanitize_markdown(f"Avant {hostile} après")
        lowered = clean.lower()
        assert "<script" not in lowered
        assert not re.search(r"<[a-z]", lowered)
        assert not re.search(r"on[a-z]+\s*=", lowered)
        assert not re.search(r"(java|vb)script:", lowered)
        assert "data:text" not in lowered
        assert clean.startswith("Avant")
        assert clean.endswith("après")

    @pytest.mark.parametrize("benign", [
        "# Titre\n\nDu **gras**, de l'*italique* et `du code`.",
        "- un\n- deux\n\n1. trois",
        "> une citation\n\na < b et c > d, 3<4",
        "[data.gouv.fr](https://www.data.gouv.fr) et [ancre](#section)",
        "[relatif](/dataset/budget) ![logo](https://x.org/logo.png \"Logo\")",
        "<https://www.data.gouv.fr> et <mailto:opendata@departement41.fr>",
        "[lien](https://fr.wikipedia.org/wiki/Loir-et-Cher_(département))",
    ])
    def test_ordinary_markdown_is_kept(self, benign):
        assert sanitize_markdown(benign) == benign

    def test_html_layout_becomes_text(self):
        assert sanitize_markdown("a<br>b<p>c</p><b>d</b>") == "a\nbc\nd"


def test_fingerprint_follows_what_would_be_written():
    package = map_dataset(record(), OPTIONS)
    same = map_dataset(record(metrics={"views": 9999}), OPTIONS)
    assert fingerprint(package, "ctx") == fingerprint(same, "ctx")
    changed = copy.deepcopy(package)
    changed["resources"][0]["hash"] = "00"
    assert fingerprint(changed, "ctx") != fingerprint(package, "ctx")
    assert fingerprint(package, "other") != fingerprint(package, "ctx")


def test_fit_to_schema_keeps_unknown_fields_as_extras():
    package = {"name": "n", "frequency": "annual", "spatial_zones": ["fr:x"],
               "contact_name": "", "extras": [{"key": "k", "value": "v"}]}
    assert fit_to_schema(package, {"frequency"}) == {
        "name": "n", "frequency": "annual",
        "extras": [{"key": "k", "value": "v"},
                   {"key": "spatial_zones", "value": '["fr:x"]'}],
    }


@pytest.mark.parametrize(("value", "expected"), [
    ("22410001600019", "22410001600019"),
    ("224 100 016 00019", "22410001600019"),
    ("22410001600018", None),
    ("35600000000001", "35600000000001"),
    ("1234", None), (None, None),
])
def test_organization_siret(value, expected):
    assert mapping.organization_siret({"business_number_id": value}) == expected


@pytest.mark.parametrize(("raw", "removed"), [
    ({"deleted": "2025-01-01"}, True), ({"archived": "2025-01-01"}, True),
    ({"deleted": None, "archived": None}, False), ("x", False),
])
def test_removed_at_source(raw, removed):
    assert mapping.is_removed_at_source(raw) is removed
