"""The schemas plugin's actions: the SCDL summary of a dataset."""
from __future__ import annotations

import json
import uuid

import pytest
from ckan.lib.redis import connect_to_redis
from ckan.plugins import toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from .dbfixtures import fresh_db  # noqa: F401 (fixture)
from .scdl_csv import (
    COMPAGNIE,
    INVALID_SUBVENTIONS,
    deliberation,
    deliberations_csv,
    subvention,
    subventions_csv,
)

pytestmark = pytest.mark.usefixtures("fresh_db")


@pytest.fixture
def sysadmin():
    return factories.SysadminWithToken()


@pytest.fixture
def make_dataset(sysadmin):
    def make(dataset_type: str, **fields):
        return call_action(
            "package_create", {"user": sysadmin["name"]}, type=dataset_type,
            name=f"{dataset_type}-{uuid.uuid4().hex[:10]}", year="2024",
            owner_org=factories.Organization()["id"], **fields,
        )

    return make


@pytest.fixture
def add_file(create_with_upload, sysadmin):
    def add(dataset, data: bytes, filename: str = "data.csv"):
        return create_with_upload(
            data, filename, context={"user": sysadmin["name"]},
            package_id=dataset["id"],
        )

    return add


def subsidies_2023_2024(make_dataset, add_file):
    dataset = make_dataset("subvention")
    add_file(dataset, subventions_csv([
        subvention(dateConvention="2023-05-02", montant="1000"),
        subvention(dateConvention="2023-09-10", montant="250.25",
                   nature="aide en nature"),
    ]), "2023.csv")
    add_file(dataset, subventions_csv([
        subvention(dateConvention="2024-01-15", montant="5000",
                   nomBeneficiaire="Compagnie du Hasard", idBeneficiaire=COMPAGNIE),
        subvention(dateConvention="2024-02-01", montant="300"),
    ]), "2024.csv")
    add_file(dataset, INVALID_SUBVENTIONS, "draft.csv")
    return dataset


class TestSubsidiesSummary:
    def test_figures_come_from_the_valid_files_only(self, make_dataset, add_file):
        dataset = subsidies_2023_2024(make_dataset, add_file)
        summary = call_action("loiretcher_scdl_summary", id=dataset["name"])
        assert (summary["type"], summary["files"], summary["rows"]) == (
            "subvention", 2, 4)
        assert summary["total_amount"] == 6550.25
        assert summary["amount_by_year"] == [
            {"year": "2023", "amount": 1250.25, "count": 2},
            {"year": "2024", "amount": 5300.0, "count": 2},
        ]
        assert summary["top_beneficiaries"] == [
            {"id": COMPAGNIE, "name": "Compagnie du Hasard", "amount": 5000.0,
             "count": 1},
            {"id": subvention()["idBeneficiaire"], "name": "Club nautique de Blois",
             "amount": 1550.25, "count": 3},
        ]
        assert summary["beneficiary_count"] == 2
        assert summary["by_nature"] == [
            {"nature": "aide en numéraire", "amount": 6300.0, "count": 3},
            {"nature": "aide en nature", "amount": 250.25, "count": 1},
        ]

    def test_top_beneficiaries_are_limited(self, make_dataset, add_file, ckan_config,
                                           monkeypatch):
        monkeypatch.setitem(
            ckan_config, "ckanext.loiretcher.summary.top_beneficiaries", 1)
        dataset = subsidies_2023_2024(make_dataset, add_file)
        summary = call_action("loiretcher_scdl_summary", id=dataset["id"])
        assert [b["name"] for b in summary["top_beneficiaries"]] == [
            "Compagnie du Hasard"]

    def test_each_file_is_cached_per_validation(self, make_dataset, add_file,
                                                create_with_upload, sysadmin):
        dataset = make_dataset("subvention")
        resource = add_file(dataset, subventions_csv([subvention(montant="10")]))
        site = tk.config["ckan.site_id"]
        key = (f"loiretcher:{site}:scdl_summary:{resource['id']}:"
               f"{resource['validated_at']}")
        assert call_action("loiretcher_scdl_summary", id=dataset["id"])[
            "total_amount"] == 10
        redis = connect_to_redis()
        cached = json.loads(redis.get(key))
        assert cached["rows"] == 1
        assert 0 < redis.ttl(key) <= 604800
        # The cached figures are what the action serves...
        cached["amount_by_year"]["2024"][0] = 99
        redis.set(key, json.dumps(cached))
        assert call_action("loiretcher_scdl_summary", id=dataset["id"])[
            "total_amount"] == 99
        # ...until the file is validated again.
        updated = create_with_upload(
            subventions_csv([subvention(montant="20")]), "data.csv",
            context={"user": sysadmin["name"]}, action="resource_update",
            id=resource["id"],
        )
        assert updated["validated_at"] != resource["validated_at"]
        assert call_action("loiretcher_scdl_summary", id=dataset["id"])[
            "total_amount"] == 20

    def test_a_dataset_without_valid_file_has_an_empty_summary(self, make_dataset,
                                                               add_file):
        dataset = make_dataset("subvention")
        add_file(dataset, INVALID_SUBVENTIONS)
        summary = call_action("loiretcher_scdl_summary", id=dataset["id"])
        assert (summary["files"], summary["amount_by_year"]) == (0, [])


class TestDeliberationsSummary:
    def test_sessions_matters_and_votes(self, make_dataset, add_file):
        dataset = make_dataset("deliberation")
        add_file(dataset, deliberations_csv([
            deliberation(),
            deliberation(DELIB_ID="CD-2024-002", DELIB_MATIERE_CODE="7.5",
                         DELIB_MATIERE_NOM="Finances locales/Subventions",
                         VOTE_POUR="20", VOTE_CONTRE="6", VOTE_ABSTENTION="4"),
            deliberation(DELIB_ID="CD-2024-003", DELIB_DATE="2024-06-24",
                         DELIB_MATIERE_CODE="1.1",
                         DELIB_MATIERE_NOM="Commande publique/Marchés publics",
                         VOTE_POUR="10", VOTE_CONTRE="15", VOTE_ABSTENTION="5"),
            deliberation(DELIB_ID="CD-2024-004", DELIB_DATE="2024-06-24",
                         VOTE_EFFECTIF="", VOTE_REEL="", VOTE_POUR="",
                         VOTE_CONTRE="", VOTE_ABSTENTION=""),
        ]))
        summary = call_action("loiretcher_scdl_summary", id=dataset["id"])
        assert summary["rows"] == 4
        assert [(s["date"], s["count"]) for s in summary["by_session"]] == [
            ("2024-03-25", 2), ("2024-06-24", 2)]
        assert summary["by_session"][0]["label"] == "25/03/2024"
        assert [(m["code"], m["count"]) for m in summary["by_matter"]] == [
            ("1", 1), ("7", 3)]
        assert {v["outcome"]: v["count"] for v in summary["votes"]} == {
            "unanimous": 1, "majority": 1, "rejected": 1, "not_recorded": 1}


class TestSummaryAccess:
    def test_budgets_have_no_summary(self, make_dataset):
        dataset = make_dataset("budget")
        with pytest.raises(tk.ValidationError):
            call_action("loiretcher_scdl_summary", id=dataset["id"])

    def test_unknown_dataset(self):
        with pytest.raises(tk.ObjectNotFound):
            call_action("loiretcher_scdl_summary", id="nope")

    def test_private_dataset_summary_needs_read_access(self, app, make_dataset,
                                                       sysadmin):
        org = factories.Organization()
        private = call_action(
            "package_create", {"user": sysadmin["name"]}, type="subvention",
            name=f"private-{uuid.uuid4().hex[:8]}", year="2024",
            owner_org=org["id"], private=True,
        )
        url = "/api/3/action/loiretcher_scdl_summary"
        assert app.get(url, query_string={"id": private["id"]}).status_code == 403
        response = app.get(url, query_string={"id": private["id"]},
                           headers={"Authorization": sysadmin["token"]})
        assert response.status_code == 200


class TestDatasetPage:
    def test_subsidies_page_has_charts_with_a_table_fallback(self, app, make_dataset,
                                                             add_file):
        dataset = subsidies_2023_2024(make_dataset, add_file)
        body = app.get(f"/subvention/{dataset['name']}").get_data(as_text=True)
        assert "Ce que disent les fichiers" in body
        assert body.count('data-module="loiretcher-scdl-chart"') == 3
        assert "Montant attribué par année" in body
        assert '<th scope="row">Compagnie du Hasard</th>' in body
        assert "_chart.umd.min.js" in body
        assert "_loiretcher_scdl_charts.js" in body
        figure = body.split('id="loiretcher-chart-amount-by-year"')[1].split(
            "</figure>")[0]
        spec = json.loads(
            figure.split('data-module-chart="')[1].split('"')[0].replace("&#34;", '"')
        )
        assert spec["labels"] == ["2023", "2024"]
        assert spec["values"] == [1250.25, 5300.0]
        assert '<canvas' not in figure  # drawn by the script, not the server

    def test_deliberations_page_has_its_charts(self, app, make_dataset, add_file):
        dataset = make_dataset("deliberation")
        add_file(dataset, deliberations_csv())
        body = app.get(f"/deliberation/{dataset['name']}").get_data(as_text=True)
        assert "Délibérations par matière ACTES" in body
        assert "7. Finances locales" in body
        assert "Adoptée à l&#39;unanimité" in body

    def test_no_chart_without_a_valid_file(self, app, make_dataset, add_file):
        dataset = make_dataset("subvention")
        add_file(dataset, INVALID_SUBVENTIONS)
        body = app.get(f"/subvention/{dataset['name']}").get_data(as_text=True)
        assert "loiretcher-scdl-summary" not in body
