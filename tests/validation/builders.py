"""Build SCDL CSV files for the tests, in tmp_path: valid rows and their variants."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ckanext.loiretcher.validation import validate_file

_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def luhn_digit(body: str) -> str:
    """The digit that makes ``body + digit`` pass the Luhn checksum."""
    for digit in "0123456789":
        total = 0
        for position, char in enumerate(reversed(body + digit)):
            total += _DOUBLED[int(char)] if position % 2 else int(char)
        if total % 10 == 0:
            return digit
    raise AssertionError("unreachable")


def siret(siren_body: str = "22410001", nic_body: str = "0001") -> str:
    """A valid SIRET built from 8 SIREN digits and 4 NIC digits."""
    siren = siren_body + luhn_digit(siren_body)
    return siren + nic_body + luhn_digit(siren + nic_body)


def bad_checksum(valid: str) -> str:
    """``valid`` with its last digit changed, so that Luhn fails."""
    last = (int(valid[-1]) + 1) % 10
    return valid[:-1] + str(last)


ATTRIBUANT = siret("22410001", "0001")
BENEFICIAIRE = siret("38047555", "0005")
COLLECTIVITE = siret("21410018", "0001")

SUBVENTIONS = {
    "nomAttribuant": "Département de Loir-et-Cher",
    "idAttribuant": ATTRIBUANT,
    "dateConvention": "2023-03-14",
    "referenceDecision": "CP-2023-03-12",
    "nomBeneficiaire": "Association Les Petits Débrouillards Centre",
    "idBeneficiaire": BENEFICIAIRE,
    "rnaBeneficiaire": "W411003442",
    "objet": "Animations scientifiques dans les collèges",
    "montant": "47800.20",
    "nature": "aide en numéraire",
    "conditionsVersement": "échelonné",
    "datesPeriodeVersement": "2023-04-01/2024-03-31",
    "idRAE": "12345",
    "notificationUE": "non",
    "pourcentageSubvention": "1",
    "dispositifAide": "65d5b6c7-102c-4440-ac3b-768f708edc0a",
}

DELIBERATIONS = {
    "COLL_NOM": "Département de Loir-et-Cher",
    "COLL_SIRET": COLLECTIVITE,
    "DELIB_ID": "2023-CD-041",
    "DELIB_DATE": "2023-06-26",
    "DELIB_MATIERE_CODE": "8.4",
    "DELIB_MATIERE_NOM": "Domaines de compétences par thèmes/Aménagement du territoire",
    "DELIB_OBJET": "Adhésion à l'association nationale des élus de la montagne",
    "BUDGET_ANNEE": "2023",
    "BUDGET_NOM": "Budget principal",
    "PREF_ID": "PREF041",
    "PREF_DATE": "2023-06-30",
    "VOTE_EFFECTIF": "42",
    "VOTE_REEL": "40",
    "VOTE_POUR": "30",
    "VOTE_CONTRE": "6",
    "VOTE_ABSTENTION": "4",
    "DELIB_URL": "https://www.departement41.fr/deliberations/2023-CD-041.pdf",
}

BUDGET = {
    "BGT_NATDEC": "budget primitif",
    "BGT_ANNEE": "2024",
    "BGT_SIRET": COLLECTIVITE,
    "BGT_NOM": "Département de Loir-et-Cher",
    "BGT_CONTNAT": "6574",
    "BGT_CONTNAT_LABEL": "Subventions de fonctionnement aux associations",
    "BGT_NATURE": "65",
    "BGT_NATURE_LABEL": "Autres charges de gestion courante",
    "BGT_FONCTION": "33",
    "BGT_FONCTION_LABEL": "Culture",
    "BGT_OPERATION": "",
    "BGT_SECTION": "fonctionnement",
    "BGT_OPBUDG": "réel",
    "BGT_CODRD": "dépense",
    "BGT_MTREAL": "",
    "BGT_MTBUDGPREC": "120000.00",
    "BGT_MTRARPREC": "0",
    "BGT_MTPROPNOUV": "15000.50",
    "BGT_MTPREV": "135000.50",
    "BGT_CREDOUV": "135000.50",
    "BGT_MTRAR3112": "0",
    "BGT_ARTSPE": "non spécialisé",
}

VALID_ROWS: dict[str, dict[str, str]] = {
    "subventions": SUBVENTIONS,
    "deliberations": DELIBERATIONS,
    "budget": BUDGET,
}


def row(schema: str, **changes: str) -> dict[str, str]:
    """A valid row of ``schema`` with some cells changed."""
    values = dict(VALID_ROWS[schema])
    values.update(changes)
    return values


def csv_text(
    header: Iterable[str],
    rows: Iterable[Mapping[str, str] | list[str]],
    *,
    delimiter: str = ",",
) -> str:
    header = list(header)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for values in rows:
        if isinstance(values, Mapping):
            writer.writerow([values.get(name, "") for name in header])
        else:
            writer.writerow(values)
    return buffer.getvalue()


def write(
    path: Path,
    text: str,
    *,
    encoding: str = "utf-8",
    bom: bool = False,
) -> Path:
    data = text.encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)
    return path


def validate_rows(
    tmp_path: Path,
    schema: str,
    rows: Iterable[Mapping[str, str] | list[str]],
    *,
    header: Iterable[str] | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
    bom: bool = False,
    name: str = "data.csv",
    **options: Any,
) -> dict[str, Any]:
    """Write the rows as a CSV file in tmp_path and validate it."""
    header = list(header if header is not None else VALID_ROWS[schema])
    path = write(
        tmp_path / name,
        csv_text(header, rows, delimiter=delimiter),
        encoding=encoding,
        bom=bom,
    )
    return validate_file(path, schema, **options)


def codes(result: Mapping[str, Any]) -> set[tuple[int | None, str | None, str]]:
    """The (row, field, code) of every reported error."""
    return {(e["row"], e["field"], e["code"]) for e in result["errors"]}


def only_error(result: Mapping[str, Any]) -> dict[str, Any]:
    assert len(result["errors"]) == 1, result["errors"]
    return result["errors"][0]
