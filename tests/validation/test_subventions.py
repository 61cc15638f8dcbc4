"""scdl/subventions 2.1.1: every field, constraint and custom check."""
from __future__ import annotations

import pytest

from tests.validation.builders import (
    ATTRIBUANT,
    SUBVENTIONS,
    bad_checksum,
    codes,
    luhn_digit,
    only_error,
    row,
    validate_rows,
)

S = "subventions"


def test_valid_file(tmp_path):
    rows = [
        row(S),
        row(S, idBeneficiaire="", nature="aide en nature",
            datesPeriodeVersement="2023-05-02", conditionsVersement="unique"),
        row(S, rnaBeneficiaire="", nature="aide en numéraire;aide en nature",
            notificationUE="oui", pourcentageSubvention="0.45", idRAE="",
            dispositifAide="", referenceDecision=""),
        row(S, nature="aide en nature;aide en numéraire", montant="-12",
            pourcentageSubvention="0.01", objet="x" * 256),
    ]
    result = validate_rows(tmp_path, S, rows)
    assert result["errors"] == []
    assert result["valid"] is True
    assert result["rows"] == 4
    assert result["error_count"] == 0
    assert result["schema"] == "scdl/subventions"
    assert result["schema_version"] == "2.1.1"
    assert result["encoding"] == "utf-8"
    assert result["delimiter"] == ","


@pytest.mark.parametrize(
    ("changes", "field", "code", "hint"),
    [
        # Required fields left empty.
        ({"nomAttribuant": ""}, "nomAttribuant", "constraint-error", "required"),
        ({"idAttribuant": ""}, "idAttribuant", "constraint-error", "required"),
        ({"dateConvention": ""}, "dateConvention", "constraint-error", "required"),
        ({"nomBeneficiaire": ""}, "nomBeneficiaire", "constraint-error", "required"),
        ({"objet": ""}, "objet", "constraint-error", "required"),
        ({"montant": ""}, "montant", "constraint-error", "required"),
        ({"nature": ""}, "nature", "constraint-error", "required"),
        ({"conditionsVersement": ""}, "conditionsVersement", "constraint-error",
         "required"),
        ({"datesPeriodeVersement": ""}, "datesPeriodeVersement", "constraint-error",
         "required"),
        ({"notificationUE": ""}, "notificationUE", "constraint-error", "required"),
        ({"pourcentageSubvention": ""}, "pourcentageSubvention", "constraint-error",
         "required"),
        # idAttribuant: pattern ^\d{14}$.
        ({"idAttribuant": "224100017"}, "idAttribuant", "constraint-error",
         "is a SIREN (9 digits): write the 14-digit SIRET"),
        ({"idAttribuant": ATTRIBUANT[:3] + " " + ATTRIBUANT[3:]}, "idAttribuant",
         "constraint-error", f"without spaces: {ATTRIBUANT}"),
        ({"idAttribuant": "2241000170001A"}, "idAttribuant", "constraint-error",
         "14 digits"),
        # dateConvention: ISO date.
        ({"dateConvention": "05/12/2016"}, "dateConvention", "type-error",
         "write 2016-12-05"),
        ({"dateConvention": "5-12-2016"}, "dateConvention", "type-error",
         "write 2016-12-05"),
        ({"dateConvention": "2016/12/05"}, "dateConvention", "type-error",
         "write 2016-12-05"),
        ({"dateConvention": "2016-12-05T10:30:00"}, "dateConvention", "type-error",
         "write the date alone, 2016-12-05"),
        ({"dateConvention": "2016-02-30"}, "dateConvention", "type-error",
         "YYYY-MM-DD"),
        ({"dateConvention": "décembre 2016"}, "dateConvention", "type-error",
         "YYYY-MM-DD"),
        # rnaBeneficiaire: pattern ^W\d{9}$.
        ({"rnaBeneficiaire": "W3222"}, "rnaBeneficiaire", "constraint-error",
         "W followed by 9 digits"),
        ({"rnaBeneficiaire": "w411003442"}, "rnaBeneficiaire", "constraint-error",
         "W followed by 9 digits"),
        # objet: maxLength 256.
        ({"objet": "x" * 257}, "objet", "constraint-error",
         "257 characters long: shorten it to at most 256"),
        # montant: number with a dot.
        ({"montant": "100000,1"}, "montant", "type-error",
         "write 100000.1, not 100000,1"),
        ({"montant": "1 234,50"}, "montant", "type-error", "write 1234.50"),
        ({"montant": "1 234"}, "montant", "type-error", "1234"),
        ({"montant": "1500 €"}, "montant", "type-error", "1500"),
        ({"montant": "mille euros"}, "montant", "type-error", "e.g. 1234.5"),
        # nature: enum.
        ({"nature": "aide en numeraire"}, "nature", "constraint-error",
         "Write aide en numéraire exactly"),
        ({"nature": "Aide en nature"}, "nature", "constraint-error",
         "Write aide en nature exactly"),
        ({"nature": "subvention"}, "nature", "constraint-error",
         "write one of aide en numéraire, aide en nature"),
        # conditionsVersement: maxLength 256.
        ({"conditionsVersement": "y" * 300}, "conditionsVersement",
         "constraint-error", "at most 256"),
        # datesPeriodeVersement: pattern.
        ({"datesPeriodeVersement": "2017-03-02_2017-05-30"}, "datesPeriodeVersement",
         "constraint-error", "write 2017-03-02/2017-05-30"),
        ({"datesPeriodeVersement": "02/03/2017"}, "datesPeriodeVersement",
         "constraint-error", "write 2017-03-02"),
        ({"datesPeriodeVersement": "2017"}, "datesPeriodeVersement",
         "constraint-error", "YYYY-MM-DD/YYYY-MM-DD"),
        # idRAE: maxLength 5.
        ({"idRAE": "123456"}, "idRAE", "constraint-error", "at most 5"),
        # notificationUE: boolean, trueValues oui, falseValues non.
        ({"notificationUE": "yes"}, "notificationUE", "type-error", "write oui"),
        ({"notificationUE": "true"}, "notificationUE", "type-error", "write oui"),
        ({"notificationUE": "Oui"}, "notificationUE", "type-error", "write oui"),
        ({"notificationUE": "no"}, "notificationUE", "type-error", "write non"),
        ({"notificationUE": "0"}, "notificationUE", "type-error", "write non"),
        ({"notificationUE": "peut-être"}, "notificationUE", "type-error",
         "write oui or non"),
        # pourcentageSubvention: number in [0.01, 1].
        ({"pourcentageSubvention": "100"}, "pourcentageSubvention",
         "constraint-error", "100 percent is written 1"),
        ({"pourcentageSubvention": "0"}, "pourcentageSubvention",
         "constraint-error", "between 0.01 and 1"),
        ({"pourcentageSubvention": "0,5"}, "pourcentageSubvention", "type-error",
         "write 0.5, not 0,5"),
        ({"pourcentageSubvention": "45%"}, "pourcentageSubvention", "type-error",
         "without the percent sign"),
    ],
)
def test_invalid_cell(tmp_path, changes, field, code, hint):
    result = validate_rows(tmp_path, S, [row(S), row(S, **changes)])
    assert result["valid"] is False
    error = only_error(result)
    assert (error["row"], error["field"], error["code"]) == (3, field, code)
    assert error["value"] == next(iter(changes.values()))
    assert hint in error["message"]


def test_optional_fields_may_be_empty(tmp_path):
    optional = ["referenceDecision", "idRAE", "dispositifAide", "rnaBeneficiaire"]
    result = validate_rows(tmp_path, S, [row(S, **dict.fromkeys(optional, ""))])
    assert result["valid"] is True


def test_free_text_fields_accept_anything(tmp_path):
    result = validate_rows(tmp_path, S, [row(
        S, referenceDecision="n° 12/2023 ; « bis »", dispositifAide="n'importe quoi",
        conditionsVersement="autre : trois versements, dont 50 % à la signature",
    )])
    assert result["valid"] is True


# --- custom checks -----------------------------------------------------------


def test_french_siret_value_on_id_attribuant(tmp_path):
    result = validate_rows(tmp_path, S, [row(S, idAttribuant=bad_checksum(ATTRIBUANT))])
    error = only_error(result)
    assert (error["field"], error["code"]) == ("idAttribuant", "french-siret-value")
    assert "check digit is wrong" in error["message"]


def test_french_siret_value_on_id_beneficiaire(tmp_path):
    bad = bad_checksum(SUBVENTIONS["idBeneficiaire"])
    result = validate_rows(tmp_path, S, [
        row(S, idBeneficiaire=bad),
        row(S, idBeneficiaire="380475558"),
        row(S, idBeneficiaire="380 475 558 00058"),
    ])
    assert codes(result) == {
        (2, "idBeneficiaire", "french-siret-value"),
        (3, "idBeneficiaire", "french-siret-value"),
        (4, "idBeneficiaire", "french-siret-value"),
    }
    messages = [e["message"] for e in result["errors"]]
    assert "check digit is wrong" in messages[0]
    assert "is a SIREN (9 digits)" in messages[1]
    assert "without spaces: 38047555800058" in messages[2]


def test_french_siret_value_accepts_la_poste(tmp_path):
    # La Poste's establishments (SIREN 356000000) do not follow Luhn: the sum
    # of their digits is a multiple of 5.
    la_poste = next(
        f"356000000{nic:05d}" for nic in range(10, 99999)
        if sum(map(int, f"356000000{nic:05d}")) % 5 == 0
        and luhn_digit(f"356000000{nic:05d}"[:-1]) != f"{nic:05d}"[-1]
    )
    not_la_poste = next(
        f"356000000{nic:05d}" for nic in range(10, 99999)
        if sum(map(int, f"356000000{nic:05d}")) % 5 != 0
        and luhn_digit(f"356000000{nic:05d}"[:-1]) != f"{nic:05d}"[-1]
    )
    result = validate_rows(tmp_path, S, [
        row(S, idBeneficiaire=la_poste),
        row(S, idBeneficiaire=not_la_poste),
    ])
    assert codes(result) == {(3, "idBeneficiaire", "french-siret-value")}


def test_french_siret_value_checks_the_siren_too(tmp_path):
    # A 14-digit number passing Luhn as a whole but whose SIREN does not.
    siren = "22410001" + str((int(luhn_digit("22410001")) + 1) % 10)
    nic = "0001"
    whole = siren + nic + luhn_digit(siren + nic)
    result = validate_rows(tmp_path, S, [row(S, idAttribuant=whole)])
    assert codes(result) == {(2, "idAttribuant", "french-siret-value")}


def test_siret_with_pattern_error_is_reported_once(tmp_path):
    result = validate_rows(tmp_path, S, [row(S, idAttribuant="12345")])
    assert codes(result) == {(2, "idAttribuant", "constraint-error")}


def test_one_of_required(tmp_path):
    result = validate_rows(tmp_path, S, [
        row(S, idBeneficiaire="", rnaBeneficiaire=""),
        row(S, idBeneficiaire=""),
        row(S, rnaBeneficiaire=""),
    ])
    error = only_error(result)
    assert (error["row"], error["code"]) == (2, "one-of-required")
    assert "idBeneficiaire and rnaBeneficiaire are both empty" in error["message"]


def test_one_of_required_when_both_columns_are_missing(tmp_path):
    header = [n for n in SUBVENTIONS if n not in ("idBeneficiaire", "rnaBeneficiaire")]
    result = validate_rows(tmp_path, S, [row(S)], header=header)
    assert (None, "idBeneficiaire", "one-of-required") not in codes(result)
    assert (None, None, "one-of-required") in codes(result)
    assert result["valid"] is False


def test_version_2_0_file_without_the_new_optional_columns(tmp_path):
    # 2.1 added rnaBeneficiaire and dispositifAide, both optional: a file
    # without them only gets warnings.
    header = [n for n in SUBVENTIONS if n not in ("rnaBeneficiaire", "dispositifAide")]
    result = validate_rows(tmp_path, S, [row(S)], header=header)
    assert result["valid"] is True
    assert {(w["field"], w["code"]) for w in result["warnings"]} == {
        ("rnaBeneficiaire", "missing-label"),
        ("dispositifAide", "missing-label"),
    }
    assert result["rows"] == 1
    # ...and one-of-required still applies to the SIRET column alone.
    result = validate_rows(tmp_path, S, [row(S, idBeneficiaire="")], header=header)
    assert codes(result) == {(2, "idBeneficiaire", "one-of-required")}
