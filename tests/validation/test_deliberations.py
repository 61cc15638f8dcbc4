"""scdl/deliberations 2.1.5: every field, constraint and custom check."""
from __future__ import annotations

import pytest

from tests.validation.builders import (
    COLLECTIVITE,
    DELIBERATIONS,
    bad_checksum,
    codes,
    only_error,
    row,
    validate_rows,
)

D = "deliberations"
VOTES = ["VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION"]


def test_valid_file(tmp_path):
    rows = [
        row(D),
        # Optional columns empty: no budget, no prefecture, no vote counts.
        row(D, BUDGET_ANNEE="", BUDGET_NOM="", PREF_ID="", PREF_DATE="",
            DELIB_URL="", **dict.fromkeys(VOTES, "")),
        row(D, BUDGET_ANNEE="2023/2024", DELIB_MATIERE_CODE="7.10",
            DELIB_MATIERE_NOM="Finances locales/Décisions budgétaires",
            PREF_DATE="2023-06-26"),
        # Unanimity, everyone present.
        row(D, VOTE_EFFECTIF="40", VOTE_REEL="40", VOTE_POUR="40", VOTE_CONTRE="0",
            VOTE_ABSTENTION="0"),
    ]
    result = validate_rows(tmp_path, D, rows)
    assert result["errors"] == []
    assert result["valid"] is True
    assert result["schema"] == "scdl/deliberations"
    assert result["schema_version"] == "2.1.5"


@pytest.mark.parametrize(
    ("changes", "field", "code", "hint"),
    [
        ({"COLL_NOM": ""}, "COLL_NOM", "constraint-error", "required"),
        ({"COLL_SIRET": ""}, "COLL_SIRET", "constraint-error", "required"),
        ({"DELIB_ID": ""}, "DELIB_ID", "constraint-error", "required"),
        ({"DELIB_DATE": ""}, "DELIB_DATE", "constraint-error", "required"),
        ({"DELIB_MATIERE_CODE": ""}, "DELIB_MATIERE_CODE", "constraint-error",
         "required"),
        ({"DELIB_MATIERE_NOM": ""}, "DELIB_MATIERE_NOM", "constraint-error",
         "required"),
        ({"DELIB_OBJET": ""}, "DELIB_OBJET", "constraint-error", "required"),
        # COLL_SIRET: pattern ^\d{14}$.
        ({"COLL_SIRET": COLLECTIVITE[:9]}, "COLL_SIRET", "constraint-error",
         "is a SIREN"),
        # DELIB_DATE and PREF_DATE: ISO dates.
        ({"DELIB_DATE": "26/06/2023", "PREF_DATE": ""}, "DELIB_DATE", "type-error",
         "write 2023-06-26"),
        ({"PREF_DATE": "30.06.2023"}, "PREF_DATE", "type-error", "write 2023-06-30"),
        # DELIB_MATIERE_CODE: pattern ^\d\.\d{1,2}$.
        ({"DELIB_MATIERE_CODE": "8,4"}, "DELIB_MATIERE_CODE", "constraint-error",
         "e.g. 8.4"),
        ({"DELIB_MATIERE_CODE": "84"}, "DELIB_MATIERE_CODE", "constraint-error",
         "e.g. 8.4"),
        ({"DELIB_MATIERE_CODE": "8.4.1"}, "DELIB_MATIERE_CODE", "constraint-error",
         "e.g. 8.4"),
        # BUDGET_ANNEE: pattern ^[0-9]{4}(\/[0-9]{4})?$.
        ({"BUDGET_ANNEE": "2023-2024"}, "BUDGET_ANNEE", "constraint-error",
         "2017/2018"),
        ({"BUDGET_ANNEE": "23"}, "BUDGET_ANNEE", "constraint-error", "2017/2018"),
        # VOTE_*: integers.
        ({"VOTE_EFFECTIF": "42.5"}, "VOTE_EFFECTIF", "type-error", "whole number"),
        ({"VOTE_REEL": "quarante"}, "VOTE_REEL", "type-error", "whole number"),
        ({"VOTE_POUR": "30.0"}, "VOTE_POUR", "type-error", "write 30"),
        ({"VOTE_CONTRE": "six"}, "VOTE_CONTRE", "type-error", "whole number"),
        ({"VOTE_ABSTENTION": "4,0"}, "VOTE_ABSTENTION", "type-error", "write 4"),
        # DELIB_URL: string, format uri.
        ({"DELIB_URL": "www.departement41.fr/delib.pdf"}, "DELIB_URL", "type-error",
         "starting with https://"),
    ],
)
def test_invalid_cell(tmp_path, changes, field, code, hint):
    result = validate_rows(tmp_path, D, [row(D, **changes)])
    error = only_error(result)
    assert (error["row"], error["field"], error["code"]) == (2, field, code)
    assert hint in error["message"]


def test_free_text_fields(tmp_path):
    result = validate_rows(tmp_path, D, [row(
        D, DELIB_ID="n°41/2023 bis", PREF_ID="SPREF0412", BUDGET_NOM="Budget annexe"
    )])
    assert result["valid"] is True


# --- custom checks -----------------------------------------------------------


def test_french_siret_value(tmp_path):
    result = validate_rows(tmp_path, D, [row(D, COLL_SIRET=bad_checksum(COLLECTIVITE))])
    assert codes(result) == {(2, "COLL_SIRET", "french-siret-value")}


@pytest.mark.parametrize(
    "value",
    [
        "Domaines de compétences par thèmes/Aménagement du territoire",
        "domaines de competences par themes/aménagement du territoire",
        "DOMAINES DE COMPÉTENCES PAR THÈMES/Culture",
        "Commande publique/Marchés publics",
        "Urbanisme/Documents d'urbanisme",
        "Domaine et patrimoine/Acquisitions",
        "Fonction publique/Personnel titulaires et stagiaires de la F.P.T.",
        "Institutions et vie politique/Election exécutif",
        "Libertes publiques et pouvoirs de police/Police municipale",
        "Finances locales/Subventions",
        "Autres domaines de compétences/Autres domaines de compétences des communes",
    ],
)
def test_nomenclature_actes_value_accepts(tmp_path, value):
    result = validate_rows(tmp_path, D, [row(D, DELIB_MATIERE_NOM=value)])
    assert result["valid"] is True, result["errors"]


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("Aménagement du territoire", "separated by a slash"),
        ("Domaines de compétences par thèmes / Aménagement du territoire",
         "Remove the spaces around the slash: write Domaines de compétences par "
         "thèmes/Aménagement du territoire"),
        ("Culture/Musées", "Culture is not one of the nine ACTES matters"),
        ("Finances locales/", "separated by a slash"),
    ],
)
def test_nomenclature_actes_value_rejects(tmp_path, value, hint):
    result = validate_rows(tmp_path, D, [row(D, DELIB_MATIERE_NOM=value)])
    error = only_error(result)
    assert (error["field"], error["code"]) == (
        "DELIB_MATIERE_NOM", "nomenclature-actes-value"
    )
    assert hint in error["message"]


def test_year_interval_value(tmp_path):
    result = validate_rows(tmp_path, D, [
        row(D, BUDGET_ANNEE="2023"),
        row(D, BUDGET_ANNEE="2023/2024"),
        row(D, BUDGET_ANNEE="2024/2023"),
        row(D, BUDGET_ANNEE="2023/2023"),
    ])
    assert codes(result) == {
        (4, "BUDGET_ANNEE", "year-interval-value"),
        (5, "BUDGET_ANNEE", "year-interval-value"),
    }
    assert "write 2023/2024" in result["errors"][0]["message"]


def test_cohesive_columns_budget(tmp_path):
    result = validate_rows(tmp_path, D, [
        row(D, BUDGET_ANNEE="", BUDGET_NOM="Budget principal"),
        row(D, BUDGET_ANNEE="2023", BUDGET_NOM=""),
        row(D, BUDGET_ANNEE="", BUDGET_NOM=""),
    ])
    assert codes(result) == {
        (2, "BUDGET_ANNEE", "cohesive-columns-value"),
        (3, "BUDGET_ANNEE", "cohesive-columns-value"),
    }
    assert "BUDGET_ANNEE empty while BUDGET_NOM filled in" in result["errors"][0][
        "message"]


def test_cohesive_columns_votes(tmp_path):
    result = validate_rows(tmp_path, D, [
        row(D, VOTE_ABSTENTION=""),
        row(D, **{**dict.fromkeys(VOTES, ""), "VOTE_POUR": "12"}),
    ])
    assert codes(result) == {
        (2, "VOTE_EFFECTIF", "cohesive-columns-value"),
        (3, "VOTE_EFFECTIF", "cohesive-columns-value"),
    }


def test_cohesive_columns_with_a_missing_column(tmp_path):
    header = [name for name in DELIBERATIONS if name != "BUDGET_NOM"]
    result = validate_rows(tmp_path, D, [row(D)], header=header)
    assert (None, None, "cohesive-columns-value") in codes(result)


@pytest.mark.parametrize(
    ("changes", "field", "hint"),
    [
        ({"PREF_DATE": "2023-06-25"}, "PREF_DATE",
         "PREF_DATE (2023-06-25) must be greater than or equal to DELIB_DATE "
         "(2023-06-26)"),
        ({"VOTE_EFFECTIF": "39"}, "VOTE_EFFECTIF",
         "VOTE_EFFECTIF (39) must be greater than or equal to VOTE_REEL (40)"),
    ],
)
def test_compare_columns_value(tmp_path, changes, field, hint):
    result = validate_rows(tmp_path, D, [row(D, **changes)])
    error = only_error(result)
    assert (error["field"], error["code"]) == (field, "compare-columns-value")
    assert hint in error["message"]


def test_compare_and_sum_on_votes(tmp_path):
    # More votes for than voters: breaks VOTE_REEL >= VOTE_POUR and the sum.
    result = validate_rows(tmp_path, D, [row(D, VOTE_POUR="41")])
    assert codes(result) == {
        (2, "VOTE_REEL", "compare-columns-value"),
        (2, "VOTE_REEL", "sum-columns-value"),
    }
    result = validate_rows(tmp_path, D, [row(D, VOTE_CONTRE="41", VOTE_POUR="0")])
    assert (2, "VOTE_REEL", "compare-columns-value") in codes(result)
    result = validate_rows(tmp_path, D, [row(D, VOTE_ABSTENTION="41", VOTE_POUR="0")])
    assert (2, "VOTE_REEL", "compare-columns-value") in codes(result)


def test_sum_columns_value(tmp_path):
    result = validate_rows(tmp_path, D, [row(D, VOTE_POUR="29")])
    error = only_error(result)
    assert (error["field"], error["code"]) == ("VOTE_REEL", "sum-columns-value")
    assert "VOTE_REEL (40) must equal the sum of VOTE_POUR + VOTE_CONTRE + " \
        "VOTE_ABSTENTION (39)" in error["message"]


def test_custom_checks_skip_cells_already_in_error(tmp_path):
    # A vote count that is not an integer gets its type error only.
    result = validate_rows(tmp_path, D, [row(D, VOTE_POUR="trente")])
    assert codes(result) == {(2, "VOTE_POUR", "type-error")}
