"""SCDL CSV files written for the schemas plugin's tests (no file copied)."""
from __future__ import annotations

import csv
import io
from typing import Any


def luhn_complete(body: str) -> str:
    """``body`` followed by the digit that makes it pass the Luhn checksum."""
    for last in "0123456789":
        digits = body + last
        total = 0
        for position, char in enumerate(reversed(digits)):
            value = int(char) * (2 if position % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return digits
    raise AssertionError(body)


def make_siret(siren8: str, nic4: str) -> str:
    return luhn_complete(luhn_complete(siren8) + nic4)


DEPARTEMENT = "22410001600019"
CLUB = make_siret("77998811", "0002")
COMPAGNIE = make_siret("50123456", "0007")

SUBVENTION_COLUMNS = [
    "nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision",
    "nomBeneficiaire", "idBeneficiaire", "rnaBeneficiaire", "objet", "montant",
    "nature", "conditionsVersement", "datesPeriodeVersement", "idRAE",
    "notificationUE", "pourcentageSubvention", "dispositifAide",
]

DELIBERATION_COLUMNS = [
    "COLL_NOM", "COLL_SIRET", "DELIB_ID", "DELIB_DATE", "DELIB_MATIERE_CODE",
    "DELIB_MATIERE_NOM", "DELIB_OBJET", "BUDGET_ANNEE", "BUDGET_NOM", "PREF_ID",
    "PREF_DATE", "VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE",
    "VOTE_ABSTENTION", "DELIB_URL",
]


def subvention(**changes: str) -> dict[str, str]:
    """A valid subsidy row (SCDL subventions 2.1.1), some cells changed."""
    values = {
        "nomAttribuant": "Département de Loir-et-Cher",
        "idAttribuant": DEPARTEMENT,
        "dateConvention": "2024-02-12",
        "referenceDecision": "CP-2024-02-07",
        "nomBeneficiaire": "Club nautique de Blois",
        "idBeneficiaire": CLUB,
        "rnaBeneficiaire": "",
        "objet": "Stage de voile pour les collégiens",
        "montant": "1500.50",
        "nature": "aide en numéraire",
        "conditionsVersement": "unique",
        "datesPeriodeVersement": "2024-03-01",
        "idRAE": "",
        "notificationUE": "non",
        "pourcentageSubvention": "0.5",
        "dispositifAide": "",
    }
    values.update(changes)
    return values


def deliberation(**changes: str) -> dict[str, str]:
    """A valid deliberation row (SCDL deliberations 2.1.5), some cells changed."""
    values = {
        "COLL_NOM": "Département de Loir-et-Cher",
        "COLL_SIRET": DEPARTEMENT,
        "DELIB_ID": "CD-2024-001",
        "DELIB_DATE": "2024-03-25",
        "DELIB_MATIERE_CODE": "7.1",
        "DELIB_MATIERE_NOM": "Finances locales/Décisions budgétaires",
        "DELIB_OBJET": "Budget primitif 2024",
        "BUDGET_ANNEE": "2024",
        "BUDGET_NOM": "Budget principal",
        "PREF_ID": "",
        "PREF_DATE": "",
        "VOTE_EFFECTIF": "30",
        "VOTE_REEL": "30",
        "VOTE_POUR": "30",
        "VOTE_CONTRE": "0",
        "VOTE_ABSTENTION": "0",
        "DELIB_URL": "",
    }
    values.update(changes)
    return values


def csv_bytes(columns: list[str], rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def subventions_csv(rows: list[dict[str, str]] | None = None) -> bytes:
    return csv_bytes(SUBVENTION_COLUMNS, rows if rows is not None else [subvention()])


def deliberations_csv(rows: list[dict[str, str]] | None = None) -> bytes:
    return csv_bytes(
        DELIBERATION_COLUMNS, rows if rows is not None else [deliberation()]
    )


#: A subsidies file with two wrong cells: a decimal comma (row 2) and a
#: SIRET with a wrong checksum (row 3).
INVALID_SUBVENTIONS = subventions_csv(
    [
        subvention(montant="1500,50"),
        subvention(idBeneficiaire=CLUB[:-1] + str((int(CLUB[-1]) + 1) % 10)),
    ]
)
