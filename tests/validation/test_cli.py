"""``ckan loiretcher validate``: exit codes, JSON and text reports."""
from __future__ import annotations

import json

import pytest
from ckan.cli.cli import ckan

from tests.validation.builders import (
    DELIBERATIONS,
    SUBVENTIONS,
    csv_text,
    row,
    write,
)

pytestmark = pytest.mark.usefixtures("with_plugins")


def _validate(cli, *args):
    return cli.invoke(ckan, ["loiretcher", "validate", *map(str, args)])


def test_valid_file_exits_0(cli, tmp_path):
    path = write(tmp_path / "ok.csv", csv_text(SUBVENTIONS, [row("subventions")] * 3))
    result = _validate(cli, "subventions", path, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "valid": True, "schema": "scdl/subventions", "errors": []
    }


def test_invalid_file_exits_1_with_the_json_report(cli, tmp_path):
    header = [name for name in DELIBERATIONS if name != "DELIB_OBJET"]
    rows = [row("deliberations"), row("deliberations", DELIB_DATE="26/06/2023",
                                      PREF_DATE="")]
    path = write(tmp_path / "ko.csv", csv_text(header, rows))
    result = _validate(cli, "deliberations", path, "--format", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"valid", "schema", "errors"}
    assert report["valid"] is False
    assert report["schema"] == "scdl/deliberations"
    for error in report["errors"]:
        assert set(error) == {"row", "field", "code", "message"}
        assert isinstance(error["message"], str) and error["message"]
    assert [(e["row"], e["field"], e["code"]) for e in report["errors"]] == [
        (None, "DELIB_OBJET", "missing-label"),
        (3, "DELIB_DATE", "type-error"),
    ]


def test_text_report(cli, tmp_path):
    rows = [row("subventions", montant="1234,5")]
    path = write(tmp_path / "ko.csv", csv_text(SUBVENTIONS, rows))
    result = _validate(cli, "subventions", path)
    assert result.exit_code == 1, result.output
    assert "ko.csv" in result.stdout
    assert "montant (type-error)" in result.stdout
    assert "1234.5" in result.stdout


@pytest.mark.parametrize("schema", ["marches-publics", "scdl/inconnu"])
def test_unknown_schema_exits_2(cli, tmp_path, schema):
    path = write(tmp_path / "ok.csv", csv_text(SUBVENTIONS, [row("subventions")]))
    result = _validate(cli, schema, path, "--format", "json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert schema in result.stderr


def test_missing_file_exits_2(cli, tmp_path):
    result = _validate(cli, "budget", tmp_path / "absent.csv")
    assert result.exit_code == 2
    assert "absent.csv" in result.stderr


def test_not_a_csv_exits_2(cli, tmp_path):
    path = tmp_path / "budget.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    result = _validate(cli, "budget", path, "--format", "json")
    assert result.exit_code == 2
    assert "XLSX" in result.stderr


def test_no_progress_bar_off_a_terminal(cli, tmp_path):
    text = csv_text(SUBVENTIONS, [row("subventions")] * 6000)
    path = write(tmp_path / "ok.csv", text)
    result = _validate(cli, "subventions", path, "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == ""
    json.loads(result.stdout)


def test_messages_follow_the_portal_locale(cli, tmp_path):
    # The portal's default locale is French: the CLI answers in French.
    rows = [row("subventions", dateConvention="05/12/2016")]
    path = write(tmp_path / "ko.csv", csv_text(SUBVENTIONS, rows))
    result = _validate(cli, "subventions", path, "--format", "json")
    message = json.loads(result.stdout)["errors"][0]["message"]
    assert message == (
        "05/12/2016 n'est pas une date écrite comme le demande le standard "
        "(AAAA-MM-JJ) : écrivez 2016-12-05."
    )
