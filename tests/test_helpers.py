"""Template helpers of the theme, the cached home figures and the theme groups."""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.lib.redis import connect_to_redis
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.loiretcher import home
from ckanext.loiretcher.theme_groups import init_theme_groups
from tests.theme_datasets import themed, typed

pytestmark = pytest.mark.usefixtures(
    "with_plugins", "clean_db", "clean_index", "clean_redis", "with_request_context"
)

COMPLIANCE = "ckanext.loiretcher.accessibility_compliance"


def counts():
    return {t["name"]: t["count"] for t in tk.h.loiretcher_themes()}


def test_theme_counts_count_public_datasets_per_theme():
    org = factories.Organization()
    themed(["environnement", "transports-mobilite"])
    themed(["environnement"])
    themed(["environnement"], owner_org=org["id"], private=True)
    factories.Dataset()
    found = counts()
    assert found["environnement"] == 2
    assert found["transports-mobilite"] == 1
    assert found["subventions"] == 0
    assert list(found) == home.themes.theme_names()


def test_counts_are_cached_and_dropped_when_a_dataset_changes():
    first = themed(["environnement"])
    assert counts()["environnement"] == 1
    assert connect_to_redis().get(home._cache_key()) is not None

    # Create, update and delete each drop the cache: no stale count.
    second = themed(["environnement"])
    assert counts()["environnement"] == 2
    sysadmin = factories.Sysadmin()
    call_action(
        "package_patch", {"user": sysadmin["name"]}, id=second["id"], title="Eau"
    )
    assert connect_to_redis().get(home._cache_key()) is None
    call_action("package_delete", {"user": sysadmin["name"]}, id=first["id"])
    assert counts()["environnement"] == 1


def test_cache_holds_until_invalidated():
    tk.h.loiretcher_home_data()
    # A change that bypasses the actions is only seen once the cache is dropped.
    cached = json.loads(connect_to_redis().get(home._cache_key()))
    cached["figures"]["datasets"] = 999
    connect_to_redis().set(home._cache_key(), json.dumps(cached))
    assert tk.h.loiretcher_home_data()["figures"]["datasets"] == 999
    home.invalidate()
    assert tk.h.loiretcher_home_data()["figures"]["datasets"] == 0


def test_a_zero_ttl_disables_the_cache(monkeypatch):
    # The ckan_config mark is not declared to --strict-markers at the top level.
    monkeypatch.setitem(tk.config, "ckanext.loiretcher.home_cache_ttl", 0)
    tk.h.loiretcher_home_data()
    assert connect_to_redis().get(home._cache_key()) is None


def test_key_figures_and_lists():
    org = factories.Organization(title="Département de Loir-et-Cher")
    factories.Organization()
    dataset = factories.Dataset(owner_org=org["id"], notes="mot " * 200)
    factories.Resource(package_id=dataset["id"])
    factories.Resource(package_id=dataset["id"])
    private = factories.Dataset(owner_org=org["id"], private=True)
    factories.Resource(package_id=private["id"])
    subsidy = typed("subvention", title="Subventions 2025")
    typed("deliberation", title="Délibérations 2025")

    data = tk.h.loiretcher_home_data()
    assert data["figures"] == {"datasets": 3, "organizations": 2, "resources": 2}
    assert data["latest"][0]["name"] != private["name"]
    assert {d["name"] for d in data["latest"]} == {
        dataset["name"], subsidy["name"], data["highlighted"]["deliberation"][0]["name"]
    }
    summary = next(d for d in data["latest"] if d["name"] == dataset["name"])
    assert summary["organization"] == "Département de Loir-et-Cher"
    assert len(summary["notes"]) <= 180 and summary["notes"].endswith("…")
    assert [d["title"] for d in data["highlighted"]["subvention"]] == [
        "Subventions 2025"
    ]
    # No tracking plugin: the second list is the recently updated datasets.
    assert data["popular_by_views"] is False
    assert len(data["popular"]) == 3


def test_theme_labels_follow_the_language():
    assert tk.h.loiretcher_theme_label("environnement") == "Environnement"
    assert tk.h.loiretcher_theme_label("unknown-theme") == "unknown-theme"
    theme = tk.h.loiretcher_theme("budgets-finances")
    assert theme["label"] == "Budgets et finances"
    assert theme["eu_theme_uri"].endswith("/GOVE")
    assert theme["icon_url"] == "/loiretcher/icons/budgets-finances.svg"
    assert tk.h.loiretcher_theme("nope") is None


def test_dataset_themes_from_the_field_or_the_extra():
    assert [t["name"] for t in tk.h.loiretcher_dataset_themes(
        {"theme": ["subventions", "environnement"]}
    )] == ["environnement", "subventions"]
    assert [t["label"] for t in tk.h.loiretcher_dataset_themes(
        {"extras": [{"key": "theme", "value": '["economie-emploi"]'}]}
    )] == ["Économie et emploi"]
    assert tk.h.loiretcher_dataset_themes({"theme": "not-a-theme"}) == []
    assert tk.h.loiretcher_dataset_themes({}) == []


@pytest.mark.parametrize(
    ("value", "names"),
    [
        (None, []),
        ("", []),
        ('["environnement", "nope"]', ["environnement"]),
        ("environnement,subventions", ["environnement", "subventions"]),
        ("{subventions,environnement}", ["environnement", "subventions"]),
        (["subventions", "subventions"], ["subventions"]),
        ("[not json", []),
        (42, []),
    ],
)
def test_parse_theme_value(value, names):
    assert home.parse_theme_value(value) == names


def test_theme_choices_for_scheming():
    choices = tk.h.loiretcher_theme_choices({"field_name": "theme"})
    assert len(choices) == 10
    assert choices[0] == {
        "value": "economie-emploi",
        "label": {"fr": "Économie et emploi", "en": "Economy and employment"},
    }


def test_type_helpers():
    assert tk.h.loiretcher_type_registered("dataset") is True
    assert tk.h.loiretcher_type_registered("no-such-type") is False
    assert tk.h.loiretcher_dataset_type_label("subvention") == "Subvention"
    assert tk.h.loiretcher_dataset_type_label("budget", plural=True) == "budgets"
    assert tk.h.loiretcher_theme_field() == "vocab_loiretcher_theme"


@pytest.mark.parametrize(
    ("status", "text"),
    [
        ("partial", "partiellement conforme"),
        ("full", "totalement conforme"),
        ("none", "non conforme"),
    ],
)
def test_accessibility_status(status, text, monkeypatch):
    monkeypatch.setitem(tk.config, COMPLIANCE, status)
    assert text in tk.h.loiretcher_accessibility_status()


def test_links(monkeypatch):
    monkeypatch.setitem(
        tk.config, "ckanext.loiretcher.contact_email", "opendata@example.org"
    )
    links = tk.h.loiretcher_links()
    assert links["department"] == "https://www.departement41.fr"
    assert links["contact_email"] == "opendata@example.org"
    assert links["datagouv"].startswith("https://www.data.gouv.fr")
    assert tk.h.loiretcher_portal_name() == "Open Data Loir-et-Cher"


def test_theme_groups_mirror_the_theme_field():
    init_theme_groups()
    dataset = themed(["environnement", "subventions"])
    shown = call_action("package_show", id=dataset["id"])
    groups = {g["name"] for g in shown["groups"]}
    assert groups == {"environnement", "subventions"}
    other = factories.Group(name="une-autre-collection")
    call_action(
        "member_create", id=other["id"], object=dataset["id"],
        object_type="package", capacity="public",
    )

    sysadmin = factories.Sysadmin()
    call_action(
        "package_patch", {"user": sysadmin["name"]}, id=dataset["id"],
        **_theme_patch(["economie-emploi"]),
    )
    shown = call_action("package_show", id=dataset["id"])
    # Theme groups follow the field; other groups are left alone.
    assert {g["name"] for g in shown["groups"]} == {
        "economie-emploi", "une-autre-collection"
    }
    found = call_action("package_search", fq="groups:economie-emploi")
    assert found["count"] == 1
    member = model.Session.query(model.Member).filter_by(
        table_id=dataset["id"], group_id=model.Group.get("environnement").id
    ).one()
    assert member.state == "deleted"


def _theme_patch(names):
    schema = tk.h.scheming_get_dataset_schema("dataset")
    if schema and any(f["field_name"] == "theme" for f in schema["dataset_fields"]):
        return {"theme": names}
    return {"extras": [{"key": "theme", "value": json.dumps(names)}]}


def test_search_facet_is_labelled():
    themed(["culture-tourisme"])
    result = call_action(
        "package_search", **{"facet.field": json.dumps([home.THEME_FIELD])}
    )
    (item,) = result["search_facets"][home.THEME_FIELD]["items"]
    assert item == {"name": "culture-tourisme", "display_name": "Culture et tourisme",
                    "count": 1}
    assert call_action(
        "package_search", fq=f'{home.THEME_FIELD}:"culture-tourisme"'
    )["count"] == 1
