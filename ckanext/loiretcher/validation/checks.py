"""The SCDL custom checks, as row checks run in the validator's single pass.

The schemas declare them in ``custom_checks`` (name + params), as Validata
does. ``bind_checks`` turns those declarations into functions of one row:
``run(cells, values, bad)`` gets the raw cells and the typed values by column
position, and the set of positions that already failed their type or
constraints (a check never reports a cell twice). Columns missing from the
file count as empty.

The same functions also run inside frictionless, as frictionless checks, in
``ckanext.loiretcher.validation.frictionless_checks``.
"""
from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from typing import Any

from ckanext.loiretcher.validation import messages as m

__all__ = [
    "ACTES_MATTERS",
    "CHECKS",
    "Issue",
    "actes_problem",
    "bind_checks",
    "is_valid_siren",
    "is_valid_siret",
    "luhn_ok",
    "siret_problem",
    "year_interval_problem",
]

# (field, value, message) of one error found by a check in a row.
Issue = tuple[str, str, str]
RowRun = Callable[[Sequence[str], Sequence[Any], "set[int] | frozenset[int]"],
                  "list[tuple[str, str, str, str]] | None"]

# The nine level-1 matters of the ACTES nomenclature (contrôle de légalité).
ACTES_MATTERS = [
    "Commande publique",
    "Urbanisme",
    "Domaine et patrimoine",
    "Fonction publique",
    "Institutions et vie politique",
    "Libertés publiques et pouvoirs de police",
    "Finances locales",
    "Domaines de compétences par thèmes",
    "Autres domaines de compétences",
]
_FOLDED_MATTERS = {m.fold(matter) for matter in ACTES_MATTERS}

_LA_POSTE_SIREN = "356000000"
_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)  # digit sum of 2 * d


def luhn_ok(digits: str) -> bool:
    """Luhn checksum of a string of ASCII digits."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = ord(char) - 48
        total += _DOUBLED[digit] if position % 2 else digit
    return total % 10 == 0


def _ascii_digits(value: str, length: int) -> bool:
    return len(value) == length and value.isascii() and value.isdigit()


def is_valid_siren(value: str) -> bool:
    """9 digits with a valid Luhn checksum."""
    return _ascii_digits(value, 9) and luhn_ok(value)


def is_valid_siret(value: str) -> bool:
    """14 digits, Luhn on the SIREN and on the SIRET.

    La Poste's establishments share the SIREN 356000000 and their SIRETs do
    not follow Luhn: the sum of their digits is a multiple of 5 instead (the
    head office, 35600000000048, follows Luhn).
    """
    if not _ascii_digits(value, 14):
        return False
    if value.startswith(_LA_POSTE_SIREN):
        return sum(ord(c) - 48 for c in value) % 5 == 0 or luhn_ok(value)
    return luhn_ok(value[:9]) and luhn_ok(value)


def siret_problem(value: str) -> str | None:
    """The message for a value that is not a valid SIRET, None when it is."""
    if is_valid_siret(value):
        return None
    if _ascii_digits(value, 14):
        return m.siret_checksum_message(value)
    return m.siret_format_message(value)


def actes_problem(value: str) -> str | None:
    """The message for a DELIB_MATIERE_NOM not in the ACTES form, or None."""
    if "/" not in value:
        return m.actes_separator_message(value)
    matter, _sep, rest = value.partition("/")
    if matter != matter.rstrip() or rest != rest.lstrip():
        return m.actes_spaces_message(value, f"{matter.rstrip()}/{rest.lstrip()}")
    if m.fold(matter) not in _FOLDED_MATTERS:
        return m.actes_matter_message(matter, ACTES_MATTERS)
    if not rest.strip():
        return m.actes_separator_message(value)
    return None


_YEAR = re.compile(r"^\d{4}$")
_YEARS = re.compile(r"^(\d{4})/(\d{4})$")


def year_interval_problem(value: str, allow_year_only: bool) -> str | None:
    """The message for a value that is not ``YYYY/YYYY`` (or ``YYYY``), or None."""
    if allow_year_only and _YEAR.match(value):
        return None
    match = _YEARS.match(value)
    if not match:
        return m.year_interval_format_message(value, allow_year_only)
    first, second = match.groups()
    if int(first) >= int(second):
        return m.year_interval_order_message(value, first, second)
    return None


class _Binding:
    """Where each column of a check sits in the file (None when absent)."""

    def __init__(self, positions: dict[str, int]) -> None:
        self.positions = positions
        self.setup_errors: list[tuple[str | None, str, str]] = []

    def at(self, name: str) -> int | None:
        return self.positions.get(name)


def _value_check(
    code: str, problem_of: Callable[[str], str | None]
) -> Callable[[dict[str, Any], _Binding], RowRun | None]:
    """A check of one column's values, each judged alone by ``problem_of``."""

    def bind(params: dict[str, Any], where: _Binding) -> RowRun | None:
        column = params["column"]
        index = where.at(column)
        if index is None:
            return None
        cache: dict[str, str | None] = {}

        def run(cells, values, bad):
            value = values[index]
            if value is None or index in bad:
                return None
            try:
                problem = cache[value]
            except KeyError:
                if len(cache) > 4096:  # bounded: memory stays flat
                    cache.clear()
                problem = cache[value] = problem_of(value)
            if problem is None:
                return None
            return [(column, code, value, problem)]

        return run

    return bind


_siret = _value_check("french-siret-value", siret_problem)
_actes = _value_check("nomenclature-actes-value", actes_problem)


def _one_of_required(params: dict[str, Any], where: _Binding) -> RowRun | None:
    column1, column2 = params["column1"], params["column2"]
    first, second = where.at(column1), where.at(column2)
    if first is None and second is None:
        where.setup_errors.append(
            (None, "one-of-required", m.one_of_required_message(column1, column2))
        )
        return None
    indexes = [i for i in (first, second) if i is not None]
    # Report on a column the file has.
    field = column1 if first is not None else column2

    def run(cells, values, bad):
        for i in indexes:
            if i < len(cells) and cells[i] != "":
                return None
        return [(field, "one-of-required", None,
                 m.one_of_required_message(column1, column2))]

    return run


def _year_interval(params: dict[str, Any], where: _Binding) -> RowRun | None:
    column = params["column"]
    index = where.at(column)
    if index is None:
        return None
    allow = str(params.get("allow-year-only", "no")).lower() in ("yes", "true", "1")

    def run(cells, values, bad):
        value = values[index]
        if value is None or index in bad:
            return None
        problem = year_interval_problem(value, allow)
        if problem is None:
            return None
        return [(column, "year-interval-value", value, problem)]

    return run


def _cohesive(params: dict[str, Any], where: _Binding) -> RowRun | None:
    names = [params["column"], *params["othercolumns"]]
    present: list[tuple[str, int]] = []
    absent: list[str] = []
    for name in names:
        index = where.at(name)
        if index is None:
            absent.append(name)
        else:
            present.append((name, index))
    if absent and present:
        where.setup_errors.append(
            (None, "cohesive-columns-value", m.group_missing_message(
                "cohesive-columns-value",
                ", ".join(name for name, _i in present),
                ", ".join(absent),
            ))
        )
    if len(present) < 2:
        return None

    def run(cells, values, bad):
        width = len(cells)
        filled = [name for name, i in present if i < width and cells[i] != ""]
        if not filled or len(filled) == len(present):
            return None
        empty = [name for name, _i in present if name not in filled]
        head, at = present[0]
        value = cells[at] if at < width else ""
        return [(head, "cohesive-columns-value", value,
                 m.cohesive_message(head, filled, empty))]

    return run


_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
}


def _compare(params: dict[str, Any], where: _Binding) -> RowRun | None:
    column, column2, op = params["column"], params["column2"], params["op"]
    first, second = where.at(column), where.at(column2)
    compare = _OPERATORS[op]
    if first is None or second is None:
        return None

    def run(cells, values, bad):
        left, right = values[first], values[second]
        if left is None or right is None or first in bad or second in bad:
            return None
        try:
            if compare(left, right):
                return None
        except (TypeError, ArithmeticError):  # not comparable (e.g. NaN)
            return None
        return [(column, "compare-columns-value", cells[first],
                 m.compare_message(column, op, column2, cells[first], cells[second]))]

    return run


def _sum(params: dict[str, Any], where: _Binding) -> RowRun | None:
    column, columns = params["column"], list(params["columns"])
    total_at = where.at(column)
    parts = [where.at(name) for name in columns]
    if total_at is None or any(i is None for i in parts):
        return None
    indexes = [i for i in parts if i is not None]

    def run(cells, values, bad):
        total = values[total_at]
        if total is None or total_at in bad:
            return None
        found = []
        for i in indexes:
            value = values[i]
            if value is None or i in bad:
                return None
            found.append(value)
        try:
            computed = sum(found)
            if computed == total:
                return None
        except ArithmeticError:  # a signalling NaN
            computed = "?"
        return [(column, "sum-columns-value", cells[total_at],
                 m.sum_message(column, cells[total_at], columns, computed))]

    return run


# Custom check name -> builder of its row function.
CHECKS: dict[str, Callable[[dict[str, Any], _Binding], RowRun | None]] = {
    "french-siret-value": _siret,
    "one-of-required": _one_of_required,
    "nomenclature-actes-value": _actes,
    "year-interval-value": _year_interval,
    "cohesive-columns-value": _cohesive,
    "compare-columns-value": _compare,
    "sum-columns-value": _sum,
}


def bind_checks(
    declared: list[dict[str, Any]], positions: dict[str, int]
) -> tuple[list[RowRun], list[tuple[str | None, str, str]]]:
    """Row functions of the declared custom checks, and the setup errors.

    ``positions`` maps a column name to its position in the file's rows.
    Setup errors are ``(field, code, message)`` reported once for the file.
    """
    where = _Binding(positions)
    runs: list[RowRun] = []
    for check in declared:
        builder = CHECKS.get(check["name"])
        if builder is None:
            raise ValueError(f"unknown custom check {check['name']!r}")
        run = builder(check.get("params", {}), where)
        if run is not None:
            runs.append(run)
    return runs, where.setup_errors
