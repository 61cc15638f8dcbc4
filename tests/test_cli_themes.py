"""``ckan loiretcher init-themes``: the themes as CKAN groups, idempotently."""
from __future__ import annotations

import json

import pytest
from ckan import model
from ckan.cli.cli import ckan
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.activity.model import Activity
from ckanext.scheming.helpers import scheming_get_dataset_schema

from ckanext.loiretcher import themes

pytestmark = pytest.mark.usefixtures(
    "with_plugins", "clean_db", "clean_index", "clean_redis"
)


def run(cli):
    result = cli.invoke(ckan, ["loiretcher", "init-themes"])
    assert result.exit_code == 0, result.output
    return result.output


def test_first_run_creates_the_groups_second_changes_nothing(cli):
    output = run(cli)
    assert "10 créés, 0 mis à jour, 0 inchangés" in output
    groups = call_action("group_list", all_fields=True, include_extras=True)
    assert sorted(g["name"] for g in groups) == sorted(themes.theme_names())
    economy = next(g for g in groups if g["name"] == "economie-emploi")
    assert economy["title"] == "Économie et emploi"
    extras = {e["key"]: e["value"] for e in economy["extras"]}
    assert extras == {
        "eu_theme": "ECON",
        "eu_theme_uri": "http://publications.europa.eu/resource/authority/data-theme/ECON",
        "datagouv_tag": "economie",
    }
    assert "Economy and employment" in economy["description"]
    activities = model.Session.query(Activity).count()

    output = run(cli)
    assert "0 créés, 0 mis à jour, 10 inchangés ; 0 jeux de données" in output
    # Nothing was written: no "changed group" activity either.
    assert model.Session.query(Activity).count() == activities


def test_a_changed_or_deleted_group_is_put_back(cli):
    run(cli)
    sysadmin = factories.Sysadmin()
    context = {"user": sysadmin["name"]}
    call_action("group_patch", context, id="environnement", title="Nature")
    call_action("group_delete", context, id="subventions")

    output = run(cli)
    assert "0 créés, 2 mis à jour, 8 inchangés" in output
    assert "environnement" in output and "subventions" in output
    assert call_action("group_show", id="environnement")["title"] == "Environnement"
    assert call_action("group_show", id="subventions")["state"] == "active"


def test_other_groups_and_their_members_are_kept(cli):
    other = factories.Group(name="collection-du-musee")
    dataset = factories.Dataset(groups=[{"name": other["name"]}])
    run(cli)
    shown = call_action("package_show", id=dataset["id"])
    assert [g["name"] for g in shown["groups"]] == ["collection-du-musee"]


def test_datasets_themed_before_the_groups_existed_join_them(cli):
    extras = [{"key": "theme", "value": json.dumps(["culture-tourisme"])}]
    schema = scheming_get_dataset_schema("dataset")
    if schema and any(f["field_name"] == "theme" for f in schema["dataset_fields"]):
        dataset = factories.Dataset(theme=["culture-tourisme"])
    else:
        dataset = factories.Dataset(extras=extras)
    assert call_action("package_show", id=dataset["id"])["groups"] == []

    output = run(cli)
    assert "1 jeux de données resynchronisés" in output
    shown = call_action("package_show", id=dataset["id"])
    assert [g["name"] for g in shown["groups"]] == ["culture-tourisme"]
    found = call_action("package_search", fq="groups:culture-tourisme")
    assert found["count"] == 1
    assert "0 jeux de données resynchronisés" in run(cli)


def test_an_organization_with_a_theme_name_is_a_clear_error(cli):
    factories.Organization(name="environnement")
    result = cli.invoke(ckan, ["loiretcher", "init-themes"])
    assert result.exit_code != 0
    assert "environnement" in result.output
    assert "rename it" in result.output or "renommez-la" in result.output
