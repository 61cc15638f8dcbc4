"""The validator on whole files: header, row shapes, encodings, separators, misuse."""
from __future__ import annotations

import codecs

import pytest

from ckanext.loiretcher.validation import (
    SCHEMAS,
    ValidationUsageError,
    validate_file,
)
from tests.validation.builders import (
    SUBVENTIONS,
    codes,
    csv_text,
    only_error,
    row,
    validate_rows,
    write,
)

S = "subventions"
HEADER = list(SUBVENTIONS)


def test_schemas_registry():
    assert SCHEMAS == {
        "subventions": {
            "name": "scdl/subventions",
            "version": "2.1.1",
            "url": "https://schema.data.gouv.fr/schemas/scdl/subventions/2.1.1/"
            "schema.json",
            "title": "Subventions",
        },
        "deliberations": {
            "name": "scdl/deliberations",
            "version": "2.1.5",
            "url": "https://schema.data.gouv.fr/schemas/scdl/deliberations/2.1.5/"
            "schema.json",
            "title": "Délibérations",
        },
        "budget": {
            "name": "scdl/budget",
            "version": "0.8.3",
            "url": "https://schema.data.gouv.fr/schemas/scdl/budget/0.8.3/schema.json",
            "title": "Budget des collectivités et établissements publics locaux",
        },
    }


@pytest.mark.parametrize("name", ["subventions", "scdl/subventions"])
def test_schema_by_short_or_full_name(tmp_path, name):
    path = write(tmp_path / "a.csv", csv_text(HEADER, [row(S)]))
    assert validate_file(path, name)["valid"] is True
    assert validate_file(str(path), name)["schema"] == "scdl/subventions"


# --- header -----------------------------------------------------------------


def test_columns_in_any_order(tmp_path):
    result = validate_rows(tmp_path, S, [row(S)], header=list(reversed(HEADER)))
    assert result["valid"] is True


def test_missing_required_column(tmp_path):
    header = [name for name in HEADER if name != "montant"]
    result = validate_rows(tmp_path, S, [row(S)], header=header)
    error = only_error(result)
    assert (error["row"], error["field"], error["code"]) == (
        None, "montant", "missing-label"
    )
    assert "The required column montant is missing" in error["message"]


def test_missing_optional_column_is_a_warning(tmp_path):
    header = [name for name in HEADER if name != "idRAE"]
    result = validate_rows(tmp_path, S, [row(S)], header=header)
    assert result["valid"] is True
    assert [(w["field"], w["code"]) for w in result["warnings"]] == [
        ("idRAE", "missing-label")
    ]


def test_unknown_column(tmp_path):
    result = validate_rows(
        tmp_path, S, [{**row(S), "commentaire": "ok"}], header=[*HEADER, "commentaire"]
    )
    error = only_error(result)
    assert (error["row"], error["code"], error["value"]) == (
        None, "extra-label", "commentaire"
    )
    assert "Unknown column 'commentaire'" in error["message"]


def test_misspelt_column_gets_its_right_name(tmp_path):
    header = ["Montant " if name == "montant" else name for name in HEADER]
    values = {**row(S), "Montant ": "12"}
    result = validate_rows(tmp_path, S, [values], header=header)
    assert codes(result) == {
        (None, None, "extra-label"), (None, "montant", "missing-label")
    }
    extra = next(e for e in result["errors"] if e["code"] == "extra-label")
    assert "write its header exactly as montant" in extra["message"]


def test_duplicate_and_blank_labels(tmp_path):
    header = [*HEADER, "objet", ""]
    rows = [[*row(S).values(), "bis", "x"]]
    result = validate_rows(tmp_path, S, rows, header=header)
    assert codes(result) == {
        (None, "objet", "duplicate-label"), (None, None, "blank-label")
    }


def test_header_only_file_is_valid(tmp_path):
    result = validate_rows(tmp_path, S, [])
    assert result["valid"] is True
    assert result["rows"] == 0


def test_empty_file(tmp_path):
    path = write(tmp_path / "empty.csv", "")
    result = validate_file(path, S)
    assert codes(result) == {(None, None, "blank-header")}
    assert result["valid"] is False


def test_blank_header(tmp_path):
    path = write(tmp_path / "blank.csv", ",,,\r\n" + csv_text(HEADER, [row(S)]))
    result = validate_file(path, S)
    assert (None, None, "blank-header") in codes(result)


# --- rows -------------------------------------------------------------------


def test_blank_rows(tmp_path):
    text = csv_text(HEADER, [row(S)]) + "\r\n" + ",," * 8 + "\r\n" + csv_text(
        HEADER, [row(S)]).split("\r\n", 1)[1]
    path = write(tmp_path / "blank-rows.csv", text)
    result = validate_file(path, S)
    assert codes(result) == {(3, None, "blank-row"), (4, None, "blank-row")}
    assert result["rows"] == 4
    assert "This row is empty: delete it." in result["errors"][0]["message"]


def test_missing_and_extra_cells(tmp_path):
    values = list(row(S).values())
    result = validate_rows(tmp_path, S, [values[:-2], [*values, "surplus"]])
    assert codes(result) == {
        (2, "pourcentageSubvention", "missing-cell"),
        (2, "dispositifAide", "missing-cell"),
        # pourcentageSubvention is required as well (frictionless says both).
        (2, "pourcentageSubvention", "constraint-error"),
        (3, None, "extra-cell"),
    }
    missing = {(e["field"]) for e in result["errors"] if e["code"] == "missing-cell"}
    assert missing == {"pourcentageSubvention", "dispositifAide"}
    extra = next(e for e in result["errors"] if e["code"] == "extra-cell")
    assert (extra["row"], extra["value"]) == (3, "surplus")


def test_row_numbers_count_records_not_lines(tmp_path):
    # A quoted value spanning two lines is one spreadsheet row.
    rows = [row(S, objet="Sur deux\nlignes"), row(S, montant="1,5")]
    result = validate_rows(tmp_path, S, rows)
    assert codes(result) == {(3, "montant", "type-error")}


def test_max_errors_keeps_the_first_and_counts_all(tmp_path):
    rows = [row(S, montant="1,5") for _ in range(30)]
    result = validate_rows(tmp_path, S, rows, max_errors=10)
    assert len(result["errors"]) == 10
    assert result["error_count"] == 30
    assert [e["row"] for e in result["errors"]] == list(range(2, 12))


def test_progress_is_reported(tmp_path):
    calls = []
    rows = [row(S) for _ in range(12000)]
    result = validate_rows(
        tmp_path, S, rows, progress=lambda done, total: calls.append((done, total))
    )
    assert result["valid"] is True
    size = (tmp_path / "data.csv").stat().st_size
    assert len(calls) >= 2
    assert calls[-1] == (size, size)
    assert all(0 < done <= total == size for done, total in calls)


def test_long_cells_are_read(tmp_path):
    result = validate_rows(tmp_path, S, [row(S, dispositifAide="z" * 300_000)])
    assert result["valid"] is True


def test_unclosed_quote_never_raises(tmp_path):
    text = csv_text(HEADER, [row(S)]) + '"Département,' + "x," * 20
    result = validate_file(write(tmp_path / "quote.csv", text), S)
    assert result["valid"] is False


# --- encodings and separators ----------------------------------------------


def test_utf8_with_bom(tmp_path):
    result = validate_rows(tmp_path, S, [row(S)], bom=True)
    assert result["valid"] is True
    assert result["encoding"] == "utf-8"


def test_windows_1252_is_reported_and_still_checked(tmp_path):
    rows = [row(S), row(S, montant="1,5")]
    result = validate_rows(tmp_path, S, rows, encoding="cp1252")
    assert result["encoding"] == "cp1252"
    assert codes(result) == {
        (None, None, "encoding-error"),
        (3, "montant", "type-error"),
    }
    message = result["errors"][0]["message"]
    assert "Windows-1252" in message and "UTF-8" in message
    # Accented values were decoded right: "aide en numéraire" is in the enum.


def test_semicolon_is_reported_and_still_checked(tmp_path):
    rows = [row(S), row(S, notificationUE="yes")]
    result = validate_rows(tmp_path, S, rows, delimiter=";")
    assert result["delimiter"] == ";"
    assert codes(result) == {
        (None, None, "delimiter-error"),
        (3, "notificationUE", "type-error"),
    }
    assert "semicolons" in result["errors"][0]["message"]
    assert "commas" in result["errors"][0]["message"]


def test_excel_french_export_windows_1252_and_semicolons(tmp_path):
    result = validate_rows(tmp_path, S, [row(S)], delimiter=";", encoding="cp1252")
    assert codes(result) == {
        (None, None, "encoding-error"), (None, None, "delimiter-error")
    }


def test_tab_separated(tmp_path):
    result = validate_rows(tmp_path, S, [row(S)], delimiter="\t")
    assert result["delimiter"] == "\t"
    assert codes(result) == {(None, None, "delimiter-error")}


def test_utf16(tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + csv_text(HEADER, [row(S)]).encode(
        "utf-16-le"))
    result = validate_file(path, S)
    assert codes(result) == {(None, None, "encoding-error")}
    assert result["rows"] == 1


def test_non_utf8_byte_far_in_the_file(tmp_path):
    rows = [row(S) for _ in range(20000)] + [row(S, objet="Fête")]
    result = validate_rows(tmp_path, S, rows, encoding="cp1252")
    assert result["encoding"] == "cp1252"
    assert codes(result) == {(None, None, "encoding-error")}


# --- usage errors -------------------------------------------------------------


def test_unknown_schema(tmp_path):
    path = write(tmp_path / "a.csv", csv_text(HEADER, [row(S)]))
    with pytest.raises(ValidationUsageError, match="Unknown schema 'marches'"):
        validate_file(path, "marches")
    assert issubclass(ValidationUsageError, ValueError)


def test_missing_file(tmp_path):
    with pytest.raises(ValidationUsageError, match="no such file"):
        validate_file(tmp_path / "nothing.csv", S)


def test_directory(tmp_path):
    with pytest.raises(ValidationUsageError, match="directory"):
        validate_file(tmp_path, S)


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 64, "XLSX"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "XLS"),
        (b"%PDF-1.7\n", "PDF"),
        (b"nom\x00\x01\x02\x03", "binary"),
    ],
)
def test_not_a_csv(tmp_path, content, kind):
    path = tmp_path / "file.csv"
    path.write_bytes(content)
    with pytest.raises(ValidationUsageError, match="is not a CSV file") as error:
        validate_file(path, S)
    assert kind in str(error.value)
    assert error.value.msgid.startswith("{path} is not a CSV file")
