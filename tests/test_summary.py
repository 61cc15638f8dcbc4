"""SCDL summaries as pure functions: counting, merging, rounding."""
from __future__ import annotations

from ckanext.loiretcher import summary


def test_vote_outcomes():
    outcome = summary.vote_outcome
    assert outcome({"VOTE_POUR": "12", "VOTE_CONTRE": "0", "VOTE_ABSTENTION": ""}) == (
        "unanimous")
    assert outcome({"VOTE_POUR": "12", "VOTE_CONTRE": "0",
                    "VOTE_ABSTENTION": "3"}) == "majority"
    assert outcome({"VOTE_POUR": "5", "VOTE_CONTRE": "5"}) == "rejected"
    assert outcome({"VOTE_POUR": "0", "VOTE_CONTRE": "0"}) == "rejected"
    assert outcome({"VOTE_POUR": ""}) == "not_recorded"
    assert outcome({}) == "not_recorded"


def test_files_add_up_and_amounts_are_rounded_to_cents():
    first = summary.summarise_rows("subvention", [
        {"dateConvention": "2024-01-01", "montant": "0.1", "nature": "aide en nature",
         "nomBeneficiaire": "A", "idBeneficiaire": "1"},
    ])
    second = summary.summarise_rows("subvention", [
        {"dateConvention": "2024-06-01", "montant": "0.2", "nature": "aide en nature",
         "nomBeneficiaire": "A", "idBeneficiaire": "1"},
        {"dateConvention": "", "montant": "", "nature": "",
         "nomBeneficiaire": "Sans identifiant"},
    ])
    total = summary.finalise(summary.merge("subvention", [first, second]))
    assert total["files"] == 2 and total["rows"] == 3
    assert total["amount_by_year"] == [
        {"year": "2024", "amount": 0.3, "count": 2},
        {"year": "?", "amount": 0.0, "count": 1},
    ]
    assert total["top_beneficiaries"][0] == {
        "id": "1", "name": "A", "amount": 0.3, "count": 2}
    # A beneficiary without SIRET or RNA is told apart by its name.
    assert total["top_beneficiaries"][1]["id"] == "sans identifiant"


def test_unknown_matter_codes_are_grouped():
    counts = summary.summarise_rows("deliberation", [
        {"DELIB_MATIERE_CODE": "7.1", "DELIB_DATE": "2024-01-01"},
        {"DELIB_MATIERE_CODE": "12.1", "DELIB_DATE": "2024-01-01"},
    ])
    assert counts["by_matter"] == {"7": 1, "?": 1}


def test_an_empty_dataset():
    total = summary.finalise(summary.merge("deliberation", []))
    assert total["files"] == 0
    assert [v["count"] for v in total["votes"]] == [0, 0, 0, 0]
