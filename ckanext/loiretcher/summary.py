"""SCDL summaries of a dataset's valid files: the figures behind its charts.

A file's summary is computed in one streaming pass (``summarise_file``) into
mergeable counters (``partial``), so a dataset with several files (one per
year, say) adds them up (``merge``) and ``finalise`` turns the counters into
sorted, rounded lists. Pure: no CKAN needed, except ``tk._`` for labels.
"""
from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk

__all__ = [
    "ACTES_MATTERS",
    "finalise",
    "merge",
    "summarise_file",
    "summarise_rows",
]



def N_(message: str) -> str:  # noqa: N802 - Babel's marker for deferred strings
    """Mark a string for extraction; it is translated where it is shown."""
    return message


#: The nine level-1 matters of the ACTES nomenclature.
ACTES_MATTERS = {
    "1": N_("Public procurement"),
    "2": N_("Town planning"),
    "3": N_("Public property and estate"),
    "4": N_("Civil service"),
    "5": N_("Institutions and political life"),
    "6": N_("Public freedoms and police powers"),
    "7": N_("Local finances"),
    "8": N_("Areas of competence by theme"),
    "9": N_("Other areas of competence"),
}

VOTE_OUTCOMES = ("unanimous", "majority", "rejected", "not_recorded")


def _number(text: str | None) -> float | None:
    if text is None or not text.strip():
        return None
    try:
        return float(text.strip())
    except ValueError:
        return None


def _integer(text: str | None) -> int | None:
    value = _number(text)
    return int(value) if value is not None else None


def _empty(kind: str) -> dict[str, Any]:
    if kind == "subvention":
        return {
            "kind": kind, "files": 0, "rows": 0,
            "amount_by_year": {}, "by_nature": {}, "beneficiaries": {},
        }
    return {
        "kind": kind, "files": 0, "rows": 0,
        "by_session": {}, "by_matter": {},
        "votes": dict.fromkeys(VOTE_OUTCOMES, 0),
    }


def _add(counter: dict[str, list[Any]], key: str, amount: float) -> None:
    entry = counter.setdefault(key, [0.0, 0])
    entry[0] += amount
    entry[1] += 1


def vote_outcome(row: dict[str, str]) -> str:
    """unanimous, majority, rejected or not_recorded, from the VOTE_* cells."""
    yes = _integer(row.get("VOTE_POUR"))
    if yes is None:
        return "not_recorded"
    no = _integer(row.get("VOTE_CONTRE")) or 0
    abstain = _integer(row.get("VOTE_ABSTENTION")) or 0
    if no == 0 and abstain == 0 and yes > 0:
        return "unanimous"
    return "majority" if yes > no else "rejected"


def summarise_rows(kind: str, rows: Iterable[dict[str, str]]) -> dict[str, Any]:
    """Counters of one file's rows (dicts keyed by the SCDL column names)."""
    out = _empty(kind)
    out["files"] = 1
    for row in rows:
        out["rows"] += 1
        if kind == "subvention":
            amount = _number(row.get("montant")) or 0.0
            year = (row.get("dateConvention") or "")[:4] or "?"
            _add(out["amount_by_year"], year, amount)
            _add(out["by_nature"], (row.get("nature") or "").strip() or "?", amount)
            name = (row.get("nomBeneficiaire") or "").strip()
            key = (
                (row.get("idBeneficiaire") or "").strip()
                or (row.get("rnaBeneficiaire") or "").strip()
                or name.casefold()
            )
            entry = out["beneficiaries"].setdefault(key, [name, 0.0, 0])
            entry[1] += amount
            entry[2] += 1
        else:
            session = (row.get("DELIB_DATE") or "").strip() or "?"
            out["by_session"][session] = out["by_session"].get(session, 0) + 1
            matter = (row.get("DELIB_MATIERE_CODE") or "").strip().split(".")[0]
            matter = matter if matter in ACTES_MATTERS else "?"
            out["by_matter"][matter] = out["by_matter"].get(matter, 0) + 1
            out["votes"][vote_outcome(row)] += 1
    return out


def summarise_file(kind: str, path: str) -> dict[str, Any]:
    """Counters of a valid SCDL CSV file, read as a stream (UTF-8, commas)."""
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return summarise_rows(kind, csv.DictReader(stream))


def merge(kind: str, partials: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The counters of several files added up."""
    total = _empty(kind)
    for part in partials:
        total["files"] += part["files"]
        total["rows"] += part["rows"]
        if kind == "subvention":
            for name in ("amount_by_year", "by_nature"):
                for key, (amount, count) in part[name].items():
                    entry = total[name].setdefault(key, [0.0, 0])
                    entry[0] += amount
                    entry[1] += count
            for key, (label, amount, count) in part["beneficiaries"].items():
                entry = total["beneficiaries"].setdefault(key, [label, 0.0, 0])
                entry[1] += amount
                entry[2] += count
        else:
            for name in ("by_session", "by_matter", "votes"):
                for key, count in part[name].items():
                    total[name][key] = total[name].get(key, 0) + count
    return total


def _cents(value: float) -> float:
    return round(value + 0.0, 2)


def finalise(total: dict[str, Any], top: int = 10) -> dict[str, Any]:
    """Sorted, labelled and rounded lists, ready for a chart or a table."""
    kind = total["kind"]
    out: dict[str, Any] = {"type": kind, "files": total["files"], "rows": total["rows"]}
    if kind == "subvention":
        out["amount_by_year"] = [
            {"year": year, "amount": _cents(amount), "count": count}
            for year, (amount, count) in sorted(total["amount_by_year"].items())
        ]
        out["by_nature"] = [
            {"nature": nature, "amount": _cents(amount), "count": count}
            for nature, (amount, count) in sorted(
                total["by_nature"].items(), key=lambda kv: (-kv[1][0], kv[0])
            )
        ]
        ranked = sorted(
            total["beneficiaries"].items(), key=lambda kv: (-kv[1][1], kv[1][0])
        )
        out["top_beneficiaries"] = [
            {"id": key, "name": label, "amount": _cents(amount), "count": count}
            for key, (label, amount, count) in ranked[:top]
        ]
        out["beneficiary_count"] = len(total["beneficiaries"])
        out["total_amount"] = _cents(
            sum(amount for amount, _count in total["amount_by_year"].values())
        )
        return out
    out["by_session"] = [
        {"date": date, "label": _date_label(date), "count": count}
        for date, count in sorted(total["by_session"].items())
    ]
    out["by_matter"] = [
        {"code": code, "label": _matter_label(code), "count": count}
        for code, count in sorted(total["by_matter"].items())
    ]
    labels = {
        "unanimous": tk._("Adopted unanimously"),
        "majority": tk._("Adopted by majority"),
        "rejected": tk._("Rejected"),
        "not_recorded": tk._("Vote not recorded"),
    }
    out["votes"] = [
        {"outcome": name, "label": labels[name], "count": total["votes"].get(name, 0)}
        for name in VOTE_OUTCOMES
    ]
    return out


def _matter_label(code: str) -> str:
    name = ACTES_MATTERS.get(code)
    return f"{code}. {tk._(name)}" if name else tk._("Unknown matter")


def _date_label(date: str) -> str:
    try:
        return datetime.date.fromisoformat(date).strftime("%d/%m/%Y")
    except ValueError:
        return date
