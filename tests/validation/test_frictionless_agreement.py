"""Our verdicts on the standard Table Schema checks agree with frictionless's.

frictionless stays the reference implementation: for the same file and the
same schema (without the SCDL custom checks, which frictionless does not know),
both must report the same errors, by row, column and type. Columns are matched
by name on our side, which is frictionless's ``fieldsMatch: superset`` (an
unknown column is an error, a missing optional column is not).
"""
from __future__ import annotations

import random
from pathlib import Path

import frictionless
import pytest

from ckanext.loiretcher.validation import load_schema, validate_file
from ckanext.loiretcher.validation.checks import CHECKS
from ckanext.loiretcher.validation.frictionless_checks import scdl_checklist
from tests.validation.builders import (
    ATTRIBUANT,
    BENEFICIAIRE,
    COLLECTIVITE,
    VALID_ROWS,
    bad_checksum,
    csv_text,
    row,
    write,
)

STANDARD = {
    "type-error", "constraint-error", "missing-label", "extra-label",
    "blank-label", "missing-cell", "extra-cell", "blank-row",
}

# Values that are tricky to read for every type: spaces, exponents, NaN,
# non-ASCII digits, unpadded dates, trailing newlines, case...
TRICKY = [
    "", " ", "0", "1", "-1", "+5", " 12 ", "1e3", "1E-2", "NaN", "Infinity", "1_000",
    "١٢٣٤", "0x10", "12.0", "12,5", "1 234", "0.005", "1.5", "100", "2018", "18",
    "2016-1-5", "2016-01-05", "2016-13-01", "05/12/2016", "2016-12-05T10:00",
    "2016-12-05 ", "oui", "non", "Oui", "yes", "true", "1\n", "W123456789",
    "w123456789", "W12345678", "12345678901234", "1234567890123", "123456789012345",
    "12345678901234\n", "aide en nature", "aide en nature ", "AIDE EN NATURE",
    "budget primitif", "réel", "reel", "fonctionnement", "dépense", "spécialisé",
    "x" * 257, "12345", "123456", "8.4", "8.10", "84", "2017/2018", "2017",
    "2017-03-02/2017-05-30", "2017-03-02_2017-05-30", "https://exemple.fr/a.pdf",
    "exemple.fr", "mailto:a@b.fr", "http://", "é", "\ufeff", "123456789",
]


def _frictionless_errors(path: Path, schema: str) -> set[tuple]:
    descriptor = load_schema(schema)
    descriptor.pop("custom_checks")
    descriptor["fieldsMatch"] = "superset"
    resource = frictionless.Resource(
        path=path.name,
        basepath=str(path.parent),
        schema=frictionless.Schema.from_descriptor(descriptor),
        # The header is the first row (frictionless would otherwise guess it
        # from the longest of the first rows).
        dialect=frictionless.Dialect(header_rows=[1]),
    )
    report = resource.validate(limit_errors=100_000)
    errors = set()
    for error in report.tasks[0].errors:
        row_number = getattr(error, "row_number", None)
        name = getattr(error, "field_name", None) or getattr(error, "label", None)
        if error.type == "extra-cell":
            name = None
        errors.add((row_number, name or None, error.type))
    return errors


def _our_errors(path: Path, schema: str) -> set[tuple]:
    result = validate_file(path, schema, max_errors=100_000)
    errors = set()
    for error in result["errors"]:
        if error["code"] not in STANDARD:
            continue
        name = error["value"] if error["code"] == "extra-label" else error["field"]
        errors.add((error["row"], name, error["code"]))
    return errors


def assert_agree(path: Path, schema: str) -> set[tuple]:
    theirs = _frictionless_errors(path, schema)
    ours = _our_errors(path, schema)
    assert ours == theirs, {
        "only ours": ours - theirs, "only frictionless": theirs - ours
    }
    return ours


@pytest.mark.parametrize("schema", sorted(VALID_ROWS))
def test_valid_files(tmp_path, schema):
    text = csv_text(VALID_ROWS[schema], [row(schema)] * 5)
    path = write(tmp_path / "valid.csv", text)
    assert assert_agree(path, schema) == set()


@pytest.mark.parametrize("schema", sorted(VALID_ROWS))
def test_every_field_with_tricky_values(tmp_path, schema):
    # Each row puts one tricky value in one column: every column meets every
    # value, and frictionless and we must agree on each cell.
    header = list(VALID_ROWS[schema])
    rows = [
        row(schema, **{name: value})
        for name in header
        for value in TRICKY
    ]
    path = write(tmp_path / "tricky.csv", csv_text(header, rows))
    found = assert_agree(path, schema)
    assert {code for _row, _name, code in found} >= {"type-error", "constraint-error"}


@pytest.mark.parametrize("schema", sorted(VALID_ROWS))
def test_random_rows(tmp_path, schema):
    rng = random.Random(41)
    header = list(VALID_ROWS[schema])
    rows = []
    for _ in range(400):
        values = row(schema)
        for name in rng.sample(header, rng.randint(0, 4)):
            values[name] = rng.choice(TRICKY)
        rows.append(values)
    path = write(tmp_path / "random.csv", csv_text(header, rows))
    assert_agree(path, schema)


def test_structure_errors(tmp_path):
    header = [name for name in VALID_ROWS["subventions"] if name != "montant"]
    header = [*reversed(header), "commentaire"]
    values = [row("subventions", commentaire="libre")[name] for name in header]
    text = csv_text(header, [
        values,
        values[:-3],
        [*values, "en trop", "encore"],
        [""] * len(header),
        [],
        [""] * (len(header) + 2),
        values,
    ])
    path = write(tmp_path / "structure.csv", text)
    found = assert_agree(path, "subventions")
    assert {code for _row, _name, code in found} == {
        "missing-label", "extra-label", "missing-cell", "extra-cell", "blank-row",
        "constraint-error",
    }


def test_blank_label(tmp_path):
    header = [*VALID_ROWS["budget"], ""]
    path = write(tmp_path / "blank-label.csv", csv_text(header, [row("budget")]))
    # frictionless matched by name calls a blank header an extra label; we say
    # blank-label, which tells the publisher more. Same verdict otherwise.
    theirs = _frictionless_errors(path, "budget")
    assert theirs == {(None, None, "extra-label")}
    result = validate_file(path, "budget")
    assert [(e["row"], e["code"]) for e in result["errors"]] == [(None, "blank-label")]


# --- the custom checks, run inside frictionless ------------------------------

CUSTOM_VALUES = {
    "idAttribuant": ["", ATTRIBUANT, bad_checksum(ATTRIBUANT), "224100017"],
    "idBeneficiaire": ["", BENEFICIAIRE, bad_checksum(BENEFICIAIRE), "380475558"],
    "rnaBeneficiaire": ["", "W411003442", "W12"],
    "COLL_SIRET": [COLLECTIVITE, bad_checksum(COLLECTIVITE)],
    "BGT_SIRET": [COLLECTIVITE, bad_checksum(COLLECTIVITE), "x"],
    "BUDGET_ANNEE": ["", "2023", "2023/2024", "2024/2023", "2023/2023", "23"],
    "BUDGET_NOM": ["", "Budget principal"],
    "DELIB_DATE": ["2023-06-26", "2023-06-30", "26/06/2023"],
    "PREF_DATE": ["", "2023-06-26", "2023-06-01", "2023-07-01"],
    "DELIB_MATIERE_NOM": [
        "Finances locales/Subventions", "finances LOCALES/Subventions",
        "Culture/Musées", "Finances locales / Subventions", "Subventions",
    ],
    **{
        name: ["", "0", "4", "10", "40", "42", "x"]
        for name in ["VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE",
                     "VOTE_ABSTENTION"]
    },
}


@pytest.mark.parametrize("schema", sorted(VALID_ROWS))
def test_custom_checks_agree_with_their_frictionless_version(tmp_path, schema):
    rng = random.Random(7)
    header = list(VALID_ROWS[schema])
    varied = [name for name in header if name in CUSTOM_VALUES]
    rows = []
    for _ in range(300):
        values = row(schema)
        for name in rng.sample(varied, rng.randint(1, len(varied))):
            values[name] = rng.choice(CUSTOM_VALUES[name])
        rows.append(values)
    path = write(tmp_path / "custom.csv", csv_text(header, rows))

    descriptor = load_schema(schema)
    descriptor.pop("custom_checks")
    report = frictionless.Resource(
        path=path.name, basepath=str(tmp_path),
        schema=frictionless.Schema.from_descriptor(descriptor),
        dialect=frictionless.Dialect(header_rows=[1]),
    ).validate(checklist=scdl_checklist(schema), limit_errors=100_000)
    theirs = {
        (e.row_number, e.field_name, e.type, e.note)
        for e in report.tasks[0].errors if e.type in CHECKS
    }
    result = validate_file(path, schema, max_errors=100_000)
    ours = {
        (e["row"], e["field"], e["code"], e["message"])
        for e in result["errors"] if e["code"] in CHECKS
    }
    assert ours == theirs
    assert len({code for _r, _f, code, _m in ours}) == len(
        {c["name"] for c in load_schema(schema)["custom_checks"]})
