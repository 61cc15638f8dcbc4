"""The plugins load in a real CKAN with PostgreSQL, Solr and Redis."""
from __future__ import annotations

import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action
from sqlalchemy import inspect

PLUGINS = ("loiretcher_theme", "loiretcher_schemas", "datagouvfr_harvester")


@pytest.mark.usefixtures("with_plugins")
def test_status_show_lists_the_plugins():
    extensions = call_action("status_show")["extensions"]
    for name in PLUGINS:
        assert name in extensions


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_dataset_is_found_through_solr_and_leaves_the_index_when_deleted():
    dataset = factories.Dataset(
        title="Subventions aux associations 2025", notes="Aides versées"
    )
    found = call_action("package_search", q="associations")
    assert [d["id"] for d in found["results"]] == [dataset["id"]]

    sysadmin = factories.Sysadmin()
    call_action("package_delete", {"user": sysadmin["name"]}, id=dataset["id"])
    assert call_action("package_search", q="associations")["count"] == 0


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_search_really_goes_through_solr():
    # A query only Solr's dismax parser understands: a field boost.
    factories.Dataset(name="budget-primitif-2026", title="Budget primitif 2026")
    result = call_action("package_search", q="name:budget-primitif-2026")
    assert result["count"] == 1


@pytest.mark.usefixtures("with_plugins", "clean_db")
@pytest.mark.parametrize("url", ["/", "/dataset/"])
def test_pages_render(app, url):
    response = app.get(url)
    assert response.status_code == 200


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_harvest_tables_exist_after_migrations():
    tables = set(inspect(model.meta.engine).get_table_names())
    assert {"harvest_source", "harvest_job", "harvest_object"} <= tables


@pytest.mark.usefixtures("with_plugins")
def test_cli_group_is_registered(cli):
    from ckan.cli.cli import ckan

    result = cli.invoke(ckan, ["loiretcher", "--help"])
    assert result.exit_code == 0, result.output
    assert "Loir-et-Cher" in result.output


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.ckan_config("ckan.plugins", "activity loiretcher_theme")
def test_the_theme_works_without_the_schemas_plugin(app):
    dataset = factories.Dataset(title="Routes départementales")
    assert app.get("/").status_code == 200
    response = app.get(f"/dataset/{dataset['name']}")
    assert response.status_code == 200
    assert "Routes départementales" in response.get_data(as_text=True)


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
@pytest.mark.ckan_config(
    "ckan.plugins", "activity scheming_datasets loiretcher_schemas"
)
def test_the_schemas_plugin_works_without_the_theme(app):
    organization = factories.Organization()
    dataset = call_action(
        "package_create",
        {"user": factories.Sysadmin()["name"]},
        type="subvention", name="subventions-2025", title="Subventions 2025",
        owner_org=organization["id"], year="2025",
    )
    response = app.get(f"/subvention/{dataset['name']}")
    assert response.status_code == 200
    assert "Subventions 2025" in response.get_data(as_text=True)
