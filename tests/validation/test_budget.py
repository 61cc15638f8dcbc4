"""scdl/budget 0.8.3: every field, constraint and custom check."""
from __future__ import annotations

import pytest

from tests.validation.builders import (
    COLLECTIVITE,
    bad_checksum,
    codes,
    only_error,
    row,
    validate_rows,
)

B = "budget"
AMOUNTS = ["BGT_MTREAL", "BGT_MTBUDGPREC", "BGT_MTRARPREC", "BGT_MTPROPNOUV",
           "BGT_MTPREV", "BGT_CREDOUV", "BGT_MTRAR3112"]
OPTIONAL = ["BGT_FONCTION", "BGT_FONCTION_LABEL", "BGT_OPERATION", "BGT_ARTSPE",
            *AMOUNTS]


def test_valid_file(tmp_path):
    rows = [
        row(B),
        row(B, **dict.fromkeys(OPTIONAL, "")),
        row(B, BGT_NATDEC="compte administratif", BGT_SECTION="investissement",
            BGT_OPBUDG="ordre", BGT_CODRD="recette", BGT_ARTSPE="spécialisé",
            BGT_MTREAL="-1500.25", BGT_OPERATION="Aménagement du parc, 4702",
            BGT_CONTNAT="2", BGT_NATURE="123456789"),
        row(B, BGT_NATDEC="budget supplémentaire"),
        row(B, BGT_NATDEC="décision modificative"),
    ]
    result = validate_rows(tmp_path, B, rows)
    assert result["errors"] == []
    assert result["valid"] is True
    assert result["schema"] == "scdl/budget"
    assert result["schema_version"] == "0.8.3"


REQUIRED = ["BGT_NATDEC", "BGT_ANNEE", "BGT_SIRET", "BGT_NOM", "BGT_CONTNAT",
            "BGT_CONTNAT_LABEL", "BGT_NATURE", "BGT_NATURE_LABEL", "BGT_SECTION",
            "BGT_OPBUDG", "BGT_CODRD"]


@pytest.mark.parametrize("field", REQUIRED)
def test_required(tmp_path, field):
    result = validate_rows(tmp_path, B, [row(B, **{field: ""})])
    error = only_error(result)
    assert (error["field"], error["code"]) == (field, "constraint-error")
    assert "is required" in error["message"]


@pytest.mark.parametrize(
    ("changes", "field", "code", "hint"),
    [
        ({"BGT_NATDEC": "budget prévisionnel"}, "BGT_NATDEC", "constraint-error",
         "write one of budget primitif, budget supplémentaire"),
        ({"BGT_NATDEC": "Budget Primitif"}, "BGT_NATDEC", "constraint-error",
         "Write budget primitif exactly"),
        ({"BGT_ANNEE": "24"}, "BGT_ANNEE", "type-error", "four digits"),
        ({"BGT_ANNEE": "2024.0"}, "BGT_ANNEE", "type-error", "four digits"),
        ({"BGT_ANNEE": "2024-01-01"}, "BGT_ANNEE", "type-error", "four digits"),
        ({"BGT_SIRET": "2141001800001"}, "BGT_SIRET", "constraint-error", "14 digits"),
        ({"BGT_CONTNAT": "1234567890"}, "BGT_CONTNAT", "constraint-error",
         "at most 9"),
        ({"BGT_NATURE": "6574-65741-1"}, "BGT_NATURE", "constraint-error",
         "at most 9"),
        ({"BGT_FONCTION": "3311-33112"}, "BGT_FONCTION", "constraint-error",
         "at most 9"),
        ({"BGT_SECTION": "Fonctionnement"}, "BGT_SECTION", "constraint-error",
         "Write fonctionnement exactly"),
        ({"BGT_OPBUDG": "reel"}, "BGT_OPBUDG", "constraint-error",
         "Write réel exactly"),
        ({"BGT_CODRD": "depense"}, "BGT_CODRD", "constraint-error",
         "Write dépense exactly"),
        ({"BGT_CODRD": "1"}, "BGT_CODRD", "constraint-error",
         "write one of recette, dépense"),
        ({"BGT_ARTSPE": "non specialise"}, "BGT_ARTSPE", "constraint-error",
         "Write non spécialisé exactly"),
    ]
    + [
        ({name: "17 142,08"}, name, "type-error", "write 17142.08")
        for name in AMOUNTS
    ],
)
def test_invalid_cell(tmp_path, changes, field, code, hint):
    result = validate_rows(tmp_path, B, [row(B, **changes)])
    error = only_error(result)
    assert (error["row"], error["field"], error["code"]) == (2, field, code)
    assert hint in error["message"]


def test_french_siret_value(tmp_path):
    result = validate_rows(tmp_path, B, [row(B, BGT_SIRET=bad_checksum(COLLECTIVITE))])
    assert codes(result) == {(2, "BGT_SIRET", "french-siret-value")}


def test_free_text_labels(tmp_path):
    result = validate_rows(tmp_path, B, [row(
        B, BGT_NOM="Syndicat mixte du Pays de Chambord", BGT_FONCTION_LABEL="x",
    )])
    assert result["valid"] is True
