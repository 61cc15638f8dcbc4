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
