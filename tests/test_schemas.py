"""The dataset types: API, web forms, pages, search facets, licences."""
from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
import yaml
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.logic.dbfixtures import fresh_db  # noqa: F401 (fixture)
from tests.logic.scdl_csv import make_siret

pytestmark = pytest.mark.usefixtures("fresh_db")

BLOIS = make_siret("21410018", "0001")
ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "ckanext" / "loiretcher" / "schemas"
TYPES = {
    "subvention": ("scdl/subventions", "2.1.1"),
    "deliberation": ("scdl/deliberations", "2.1.5"),
    "budget": ("scdl/budget", "0.8.3"),
}


@pytest.fixture
def sysadmin():
    return factories.SysadminWithToken()


@pytest.fixture
def org():
    return factories.Organization(title="Département de Loir-et-Cher")


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def full_dataset(org, dataset_type: str) -> dict:
    from ckanext.loiretcher import themes

    data = {
        "type": dataset_type,
        "name": unique(dataset_type),
        "title": f"Jeu {dataset_type}",
        "notes": "Données publiées par le Département.",
        "owner_org": org["id"],
        "tags": [{"name": "finances"}],
        "license_id": "odc-odbl",
        "frequency": "quarterly",
        "temporal_start": "2024-01-01",
        "temporal_end": "2024-12-31",
        "spatial_zones": ["fr:departement:41", "fr:commune:41018"],
        "contact_name": "Direction des finances",
        "contact_email": "finances@departement41.fr",
        "theme": [themes.theme_names()[0]],
        "resources": [{"url": "http://example.org/notice.pdf", "format": "PDF",
                       "resource_type": "documentation"}],
    }
    if dataset_type != "dataset":
        data.update(
            publisher_name="Commune de Blois",
            publisher_siret=BLOIS,
            year="2024",
        )
    return data


# API ------------------------------------------------------------------------


@pytest.mark.parametrize("dataset_type", ["dataset", *TYPES])
def test_each_type_stores_every_field_through_the_api(sysadmin, org, dataset_type):
    data = full_dataset(org, dataset_type)
    created = call_action("package_create", {"user": sysadmin["name"]}, **data)
    shown = call_action("package_show", id=created["id"])
    for key in ("license_id", "frequency", "temporal_start", "temporal_end",
                "spatial_zones", "contact_name", "contact_email", "theme", "notes"):
        assert shown[key] == data[key], key
    assert shown["type"] == dataset_type
    assert shown["resources"][0]["resource_type"] == "documentation"
    if dataset_type == "dataset":
        assert "scdl_schema" not in shown
    else:
        schema = (shown["scdl_schema"], shown["scdl_schema_version"])
        assert schema == TYPES[dataset_type]
        assert (shown["publisher_name"], shown["publisher_siret"], shown["year"]) == (
            "Commune de Blois", BLOIS, "2024",
        )


@pytest.mark.parametrize("dataset_type", list(TYPES))
def test_scdl_defaults(sysadmin, org, dataset_type):
    created = call_action(
        "package_create", {"user": sysadmin["name"]}, type=dataset_type,
        name=unique(dataset_type), owner_org=org["id"], year="2025",
    )
    assert created["license_id"] == "lov2"
    assert created["spatial_zones"] == ["fr:departement:41"]
    assert created["publisher_name"] == "Département de Loir-et-Cher"
    assert created["publisher_siret"] == "22410001600019"
    schema = (created["scdl_schema"], created["scdl_schema_version"])
    assert schema == TYPES[dataset_type]


def test_messages_follow_the_request_language(app, sysadmin, org):
    payload = {"type": "subvention", "name": unique("s"), "owner_org": org["id"],
               "year": "20x5", "publisher_siret": "12345678901234"}
    headers = {"Authorization": sysadmin["token"]}
    french = app.post("/api/3/action/package_create", json=payload, headers=headers)
    assert french.status_code == 409
    errors = french.json["error"]
    assert errors["year"] == ["Écrivez l'année avec 4 chiffres, par exemple 2025."]
    assert "clé de contrôle" in errors["publisher_siret"][0]
    english = app.post("/en/api/3/action/package_create", json=payload,
                       headers=headers)
    errors = english.json["error"]
    assert errors["year"] == ["Write the year with 4 digits, e.g. 2025."]
    assert model.Package.get(payload["name"]) is None


# Web forms ----------------------------------------------------------------


@pytest.mark.parametrize("dataset_type", list(TYPES))
def test_the_new_form_has_french_labels_and_defaults(app, sysadmin, dataset_type):
    body = app.get(f"/{dataset_type}/new",
                   headers={"Authorization": sysadmin["token"]}).get_data(as_text=True)
    for label in ("SIRET de la collectivité", "Année couverte", "Schéma SCDL",
                  "Fréquence de mise à jour", "Territoire couvert", "Thématiques",
                  "Point de contact (e-mail)", "Licence"):
        assert label in body, label
    assert 'value="Département de Loir-et-Cher"' in body
    assert 'value="22410001600019"' in body
    assert re.search(r'<option value="lov2"\s+selected', body)
    assert f'value="{TYPES[dataset_type][0]}" readonly' in body
    assert 'value="fr:departement:41"' in body
    # Harvest and validation fields are not in the form.
    for hidden in ("harvest_url", "guid", "datagouv_id", "original_license",
                   "issued", "modified", "validation_status", "hash"):
        assert f'name="{hidden}"' not in body, hidden


def test_the_standard_form_has_the_dcat_fields(app, sysadmin):
    body = app.get("/dataset/new",
                   headers={"Authorization": sysadmin["token"]}).get_data(as_text=True)
    assert "Fréquence de mise à jour" in body
    assert "SIRET" not in body


@pytest.mark.parametrize("dataset_type", list(TYPES))
def test_the_form_creates_each_type(app, sysadmin, org, dataset_type):
    from ckanext.loiretcher import themes

    name = unique(f"{dataset_type}-web")
    theme = themes.theme_names()[0]
    schema, version = TYPES[dataset_type]
    response = app.post(
        f"/{dataset_type}/new",
        headers={"Authorization": sysadmin["token"]},
        data={
            "title": "Subventions 2025", "name": name, "notes": "", "owner_org":
            org["id"], "publisher_name": "Département de Loir-et-Cher",
            "publisher_siret": "22410001600019", "year": "2025",
            "scdl_schema": schema, "scdl_schema_version": version,
            "license_id": "lov2", "frequency": "annual",
            "temporal_start": "2025-01-01", "temporal_end": "2025-12-31",
            "spatial_zones": "fr:departement:41, fr:commune:41018",
            "contact_name": "", "contact_email": "", "theme": theme,
            "save": "continue", "_ckan_phase": "dataset_new_1", "pkg_name": "",
        },
    )
    assert response.status_code == 200
    shown = call_action("package_show", id=name)
    assert shown["type"] == dataset_type
    assert (shown["scdl_schema"], shown["scdl_schema_version"]) == (schema, version)
    assert shown["spatial_zones"] == ["fr:departement:41", "fr:commune:41018"]
    assert shown["theme"] == [theme]
    assert shown["year"] == "2025"


def test_the_form_shows_the_errors_in_french_and_stores_nothing(app, sysadmin, org):
    name = unique("subventions-web")
    response = app.post(
        "/subvention/new",
        headers={"Authorization": sysadmin["token"]},
        data={
            "title": "Subventions", "name": name, "owner_org": org["id"],
            "publisher_siret": "22410001600018", "year": "2025",
            "temporal_start": "2025-12-31", "temporal_end": "2025-01-01",
            "license_id": "lov2", "frequency": "annual",
            "save": "continue", "_ckan_phase": "dataset_new_1", "pkg_name": "",
        },
    )
    body = response.get_data(as_text=True)
    assert "Le SIRET a une clé de contrôle erronée" in body
    assert "La date de fin (2025-01-01) est antérieure" in body
    assert model.Package.get(name) is None


def test_editing_in_the_form_keeps_the_harvest_fields(app, sysadmin, org):
    data = full_dataset(org, "dataset")
    data.update(harvest_url="https://www.data.gouv.fr/fr/datasets/routes/",
                guid="abc123", datagouv_id="65ab")
    created = call_action("package_create", {"user": sysadmin["name"]}, **data)
    response = app.post(
        f"/dataset/edit/{created['name']}",
        headers={"Authorization": sysadmin["token"]},
        data={
            "title": "Nouveau titre", "name": created["name"], "owner_org": org["id"],
            "license_id": "lov2", "frequency": "annual",
            "spatial_zones": "fr:departement:41", "save": "",
        },
    )
    assert response.status_code == 200
    shown = call_action("package_show", id=created["id"])
    assert shown["title"] == "Nouveau titre"
    assert (shown["harvest_url"], shown["guid"], shown["datagouv_id"]) == (
        "https://www.data.gouv.fr/fr/datasets/routes/", "abc123", "65ab",
    )


# Pages and search -----------------------------------------------------------


def test_a_subvention_has_its_own_url_and_french_page(app, sysadmin, org):
    created = call_action(
        "package_create", {"user": sysadmin["name"]}, **full_dataset(org, "subvention")
    )
    body = app.get(f"/subvention/{created['name']}").get_data(as_text=True)
    assert "Collectivité attribuante" in body
    assert "Commune de Blois" in body
    assert "scdl/subventions" in body
    assert "Trimestrielle" in body
    assert "Loir-et-Cher (41)" in body and "Commune 41018" in body
    assert "Open Data Commons Open Database License (ODbL)" in body
    # Fields without a value (here the harvest ones) get no empty row.
    assert "Page d&#39;origine" not in body and "Page d'origine" not in body
    assert "Créé à la source le" not in body


def test_every_type_is_in_the_main_search_with_facets(app, sysadmin, org):
    names = {}
    for dataset_type in ("dataset", *TYPES):
        data = full_dataset(org, dataset_type)
        names[dataset_type] = call_action(
            "package_create", {"user": sysadmin["name"]}, **data)["name"]
    found = call_action(
        "package_search", fq=f"owner_org:{org['id']}",
        **{"facet.field": '["dataset_type", "scdl_schema", "year"]'},
    )
    assert {d["name"] for d in found["results"]} == set(names.values())
    assert found["facets"]["dataset_type"] == {
        "dataset": 1, "subvention": 1, "deliberation": 1, "budget": 1,
    }
    assert found["facets"]["scdl_schema"] == {
        "scdl/subventions": 1, "scdl/deliberations": 1, "scdl/budget": 1,
    }
    assert found["facets"]["year"] == {"2024": 3}

    body = app.get("/dataset/", query_string={"q": f"owner_org:{org['id']}"}).get_data(
        as_text=True)
    for name in names.values():
        assert name in body
    assert f'href="/subvention/{names["subvention"]}"' in body
    for label in ("Type de jeu de données", "Schéma SCDL", "Année",
                  "Subventions", "Délibérations", "SCDL subventions"):
        assert label in body, label
    filtered = app.get("/dataset/", query_string={"dataset_type": "subvention"})
    assert names["subvention"] in filtered.get_data(as_text=True)
    assert names["budget"] not in filtered.get_data(as_text=True)


def test_zones_are_indexed_as_a_list(sysadmin, org):
    data = full_dataset(org, "dataset")
    created = call_action("package_create", {"user": sysadmin["name"]}, **data)
    for zone in ("fr:commune:41018", "fr:departement:41"):
        found = call_action(
            "package_search", fq=f'vocab_loiretcher_spatial_zones:"{zone}"')
        assert created["id"] in [d["id"] for d in found["results"]]
    found = call_action(
        "package_search", fq='vocab_loiretcher_spatial_zones:"fr:commune:41019"')
    assert created["id"] not in [d["id"] for d in found["results"]]


# Licences -------------------------------------------------------------------


def test_the_licence_list_is_datagouv_s():
    licences = {lic["id"]: lic for lic in call_action("license_list")}
    assert set(licences) == {
        "lov2", "fr-lo", "odc-odbl", "odc-by", "odc-pddl", "cc-by", "cc-by-sa",
        "cc-zero", "other-open", "other-pd", "other-at", "notspecified",
    }
    assert licences["lov2"]["url"] == (
        "https://www.etalab.gouv.fr/licence-ouverte-open-licence")
    assert licences["cc-by"]["url"].startswith("https://creativecommons.org/")
    for lic in licences.values():
        assert lic["title_fr"] and lic["title_en"]


def test_licence_titles_follow_the_language(app, sysadmin, org):
    data = full_dataset(org, "dataset")
    data["license_id"] = "other-pd"
    created = call_action("package_create", {"user": sysadmin["name"]}, **data)
    french = app.get(f"/dataset/{created['name']}").get_data(as_text=True)
    assert "Autre (domaine public)" in french
    english = app.get(f"/en/dataset/{created['name']}").get_data(as_text=True)
    assert "Other (Public Domain)" in english
    assert "Autre (domaine public)" not in english
    form = app.get(f"/en/dataset/edit/{created['name']}",
                   headers={"Authorization": sysadmin["token"]}).get_data(as_text=True)
    assert ">Open Licence version 2.0 (Etalab)</option>" in form


# The schemas and docs/fields.rst ------------------------------------------


def _documented_fields(title: str) -> set[str]:
    """Field names in the first column of the table under ``title``."""
    text = (ROOT / "docs" / "fields.rst").read_text()
    lines = text.split(title + "\n", 1)[1].splitlines()[1:]
    borders = [i for i, line in enumerate(lines) if re.match(r"^=+ +=+$", line)]
    start, end = borders[0], borders[1]
    width = len(lines[start].split(" ")[0])
    names: set[str] = set()
    for line in lines[start + 1:end]:
        names |= set(re.findall(r"``([a-z_]+)``", line[:width]))
    return names


def _schema(name: str) -> dict:
    return yaml.safe_load((SCHEMAS / f"{name}.yaml").read_text())


CORE = {"title", "name", "notes", "tag_string", "owner_org"}


def test_dataset_fields_are_documented():
    documented = _documented_fields("Dataset fields (every type)")
    fields = {f["field_name"] for f in _schema("dataset")["dataset_fields"]}
    assert fields - CORE - {"license_id"} == documented - {
        "title", "name", "notes", "tags", "owner_org", "license_id"}


def test_scdl_fields_are_documented_and_common_fields_identical():
    scdl_documented = _documented_fields(
        "SCDL dataset fields (``subvention``, ``deliberation``, ``budget``)")
    common = _schema("dataset")
    for dataset_type in TYPES:
        schema = _schema(dataset_type)
        fields = {f["field_name"]: f for f in schema["dataset_fields"]}
        extra = set(fields) - {f["field_name"] for f in common["dataset_fields"]}
        assert extra == scdl_documented
        for field in common["dataset_fields"]:
            if field["field_name"] not in ("title", "name", "frequency"):
                assert fields[field["field_name"]] == field, field["field_name"]
        assert fields["scdl_schema"]["default"] == TYPES[dataset_type][0]
        assert fields["scdl_schema_version"]["default"] == TYPES[dataset_type][1]
        resources = schema["resource_fields"]
        assert [f["field_name"] for f in resources] == [
            f["field_name"] for f in common["resource_fields"]]


def test_resource_fields_are_documented():
    documented = _documented_fields("Resource fields")
    fields = {f["field_name"] for f in _schema("dataset")["resource_fields"]}
    core = {"url", "name", "description", "format", "resource_type"}
    assert fields - core == documented - core - {
        "mimetype", "size", "last_modified"}


def test_every_label_is_french_and_english():
    for name in ("dataset", *TYPES):
        schema = _schema(name)
        for field in schema["dataset_fields"] + schema["resource_fields"]:
            assert set(field["label"]) == {"fr", "en"}, (name, field["field_name"])
