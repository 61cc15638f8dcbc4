"""Table Schema fields compiled into fast cell checkers.

Each field becomes a ``Column``: ``cast(cell)`` returns the typed value, or
``BAD`` when the cell breaks the field's type or constraints; only then does
``explain(cell)`` work out which errors, exactly as frictionless reports them
(type-error alone when the type is wrong, else one constraint-error per broken
constraint). The reading rules follow frictionless 5 so that both agree.
"""
from __future__ import annotations

import datetime
import operator
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

__all__ = ["BAD", "Column", "compile_field"]

BAD: Any = object()

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DEFAULT_TRUE = ["true", "True", "TRUE", "1"]
_DEFAULT_FALSE = ["false", "False", "FALSE", "0"]

# Constraint order of each type, as frictionless checks (and reports) them.
_CONSTRAINTS = {
    "string": ["required", "minLength", "maxLength", "pattern", "enum"],
    "number": ["required", "minimum", "maximum", "exclusiveMinimum",
               "exclusiveMaximum", "enum"],
    "integer": ["required", "minimum", "maximum", "exclusiveMinimum",
                "exclusiveMaximum", "enum"],
    "date": ["required", "minimum", "maximum", "exclusiveMinimum",
             "exclusiveMaximum", "enum"],
    "year": ["required", "minimum", "maximum", "exclusiveMinimum",
             "exclusiveMaximum", "enum"],
    "boolean": ["required", "enum"],
    "any": ["required", "enum"],
}
_BOUNDS: dict[str, Callable[[Any, Any], bool]] = {
    "minimum": operator.ge,
    "maximum": operator.le,
    "exclusiveMinimum": operator.gt,
    "exclusiveMaximum": operator.lt,
}


def _read_string(field: dict[str, Any]) -> Callable[[str], Any]:
    if field.get("format") == "uri":
        import rfc3986
        from rfc3986 import exceptions as uri_exceptions

        validator = rfc3986.validators.Validator().require_presence_of("scheme")

        def read_uri(cell: str) -> Any:
            try:
                validator.validate(rfc3986.uri_reference(cell))
            except uri_exceptions.ValidationError:
                return None
            return cell

        return read_uri
    return str


def _read_number(cell: str) -> Any:
    try:
        return Decimal(cell.strip())
    except Exception:
        return None


def _read_integer(cell: str) -> Any:
    try:
        return int(cell.strip())
    except Exception:
        return None


def _read_date(cell: str) -> Any:
    # The ISO form is by far the most common: parse it in C, and fall back on
    # strptime (what frictionless uses) for anything else it may accept.
    if len(cell) == 10 and _ISO_DATE.fullmatch(cell):
        try:
            return datetime.date.fromisoformat(cell)
        except ValueError:
            pass
    try:
        return datetime.datetime.strptime(cell, "%Y-%m-%d").date()
    except Exception:
        return None


def _read_year(cell: str) -> Any:
    if len(cell) != 4:
        return None
    try:
        value = int(cell)
    except Exception:
        return None
    return value if 0 <= value <= 9999 else None


def _reader(field: dict[str, Any]) -> Callable[[str], Any]:
    kind = field.get("type", "string")
    if kind == "string":
        return _read_string(field)
    if kind == "number":
        return _read_number
    if kind == "integer":
        return _read_integer
    if kind == "date":
        return _read_date
    if kind == "year":
        return _read_year
    if kind == "boolean":
        mapping = {value: True for value in field.get("trueValues", _DEFAULT_TRUE)}
        mapping.update(
            {value: False for value in field.get("falseValues", _DEFAULT_FALSE)}
        )
        return mapping.get
    if kind == "any":
        return str
    raise ValueError(f"field type {kind!r} is not supported by the validator")


class Column:
    """One field of the schema, ready to check cells."""

    __slots__ = ("cast", "checks", "field", "name", "read", "required", "type")

    def __init__(self, field: dict[str, Any]) -> None:
        self.field = field
        self.name: str = field["name"]
        self.type: str = field.get("type", "string")
        constraints = field.get("constraints", {})
        self.required = bool(constraints.get("required", False))
        self.read = _reader(field)
        # (name, predicate on a non-null typed value) for every constraint set.
        self.checks: list[tuple[str, Callable[[Any], bool]]] = []
        for name in _CONSTRAINTS[self.type]:
            constraint = constraints.get(name)
            if constraint is None or name == "required":
                continue
            self.checks.append((name, self._predicate(name, constraint)))
        self.cast = self._compile()

    def _predicate(self, name: str, constraint: Any) -> Callable[[Any], bool]:
        check = self._bare_predicate(name, constraint)

        def safe(value: Any) -> bool:
            # A signalling NaN raises on comparison: it is never within bounds.
            try:
                return bool(check(value))
            except ArithmeticError:
                return False

        return check if name in ("pattern", "minLength", "maxLength") else safe

    def _bare_predicate(self, name: str, constraint: Any) -> Callable[[Any], Any]:
        if name == "pattern":
            return re.compile(f"^{constraint}$").match
        if name == "minLength":
            return lambda value: len(value) >= constraint
        if name == "maxLength":
            return lambda value: len(value) <= constraint
        if name == "enum":
            allowed = [self.read(str(item)) if isinstance(item, str) else item
                       for item in constraint]
            return lambda value: value in allowed
        compare = _BOUNDS[name]
        bound = self.read(str(constraint)) if not isinstance(constraint, str) else (
            self.read(constraint)
        )
        # NaN is never within bounds (frictionless checks it the same way).
        return lambda value: value == value and bool(compare(value, bound))

    def _compile(self) -> Callable[[str], Any]:
        read = self.read
        checks = [predicate for _name, predicate in self.checks]
        if not checks:
            if read is str:
                return str

            def cast_plain(cell: str) -> Any:
                value = read(cell)
                return BAD if value is None else value

            return cast_plain
        if len(checks) == 1:
            only = checks[0]

            def cast_one(cell: str) -> Any:
                value = read(cell)
                if value is None or not only(value):
                    return BAD
                return value

            return cast_one

        def cast_many(cell: str) -> Any:
            value = read(cell)
            if value is None:
                return BAD
            for check in checks:
                if not check(value):
                    return BAD
            return value

        return cast_many

    def explain(self, cell: str) -> list[tuple[str, str]]:
        """The errors of a non-empty cell, as (code, constraint) pairs."""
        value = self.read(cell)
        if value is None:
            return [("type-error", "type")]
        return [
            ("constraint-error", name)
            for name, predicate in self.checks
            if not predicate(value)
        ]


def compile_field(field: dict[str, Any]) -> Column:
    return Column(field)
