"""The SCDL custom checks as frictionless checks, for frictionless users.

``scdl_checklist("subventions")`` gives a frictionless ``Checklist`` with the
custom checks the schema declares, so that ``frictionless.validate(path,
schema=..., checklist=scdl_checklist(...))`` reports them as Validata does.
Each check runs the same row function as our own validator (``checks.py``);
the portal itself uses the faster single-pass validator of ``engine.py``.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs
import frictionless
from frictionless import errors

from ckanext.loiretcher.validation.checks import CHECKS, bind_checks
from ckanext.loiretcher.validation.schemas import load_schema

__all__ = ["CHECK_CLASSES", "ERROR_CLASSES", "scdl_checklist"]

_TEMPLATE = (
    "The cell {cell} in row at position {rowNumber} and field {fieldName} at "
    "position {fieldNumber} has an error: {note}"
)


def _error_class(code: str) -> type[errors.CellError]:
    title = code.replace("-", " ").capitalize()
    return attrs.define(kw_only=True, repr=False)(type(
        "".join(part.capitalize() for part in code.split("-")) + "Error",
        (errors.CellError,),
        {
            "__module__": __name__,
            "type": code,
            "title": title,
            "description": f"SCDL custom check {code}.",
            "template": _TEMPLATE,
        },
    ))


ERROR_CLASSES: dict[str, type[errors.CellError]] = {
    code: _error_class(code) for code in CHECKS
}


class _ScdlCheck(frictionless.Check):
    """Runs one SCDL custom check, declared with its schema ``params``."""

    type = "scdl-check"
    params: dict[str, Any]

    def validate_start(self) -> Iterable[frictionless.Error]:
        self._run: Any = None
        self._names: list[str] | None = None
        return []

    def _bind(self, names: list[str]) -> Iterable[frictionless.Error]:
        positions = {name: index for index, name in enumerate(names)}
        runs, setup_errors = bind_checks(
            [{"name": self.type, "params": self.params}], positions
        )
        self._names = names
        self._run = runs[0] if runs else None
        for _field, _code, message in setup_errors:
            yield errors.CheckError(note=message)

    def validate_row(self, row: frictionless.Row) -> Iterable[frictionless.Error]:
        names = list(row.field_names)
        if names != self._names:
            yield from self._bind(names)
        if self._run is None:
            return
        raw = row.cells
        cells = ["" if i >= len(raw) or raw[i] is None else str(raw[i])
                 for i in range(len(names))]
        values = [row[name] for name in names]
        # Cells with a type or constraint error: the check leaves them alone.
        broken = {getattr(error, "field_name", None) for error in row.errors}
        bad = {index for index, name in enumerate(names) if name in broken}
        for field, code, _value, message in self._run(cells, values, bad) or ():
            yield ERROR_CLASSES[code].from_row(row, note=message, field_name=field)


def _check_class(code: str) -> type[_ScdlCheck]:
    name = code.replace("-", "_")
    namespace = {
        "__module__": __name__,
        "__annotations__": {"params": "dict[str, Any]"},
        "type": code,
        "Errors": [ERROR_CLASSES[code]],
        "params": attrs.field(factory=dict),
    }
    return attrs.define(kw_only=True, repr=False)(type(name, (_ScdlCheck,), namespace))


CHECK_CLASSES: dict[str, type[_ScdlCheck]] = {
    code: _check_class(code) for code in CHECKS
}


def scdl_checklist(schema: str) -> frictionless.Checklist:
    """A frictionless checklist with the custom checks of an SCDL schema."""
    return frictionless.Checklist(checks=[
        CHECK_CLASSES[check["name"]](
            params=check.get("params", {})  # type: ignore[call-arg]
        )
        for check in load_schema(schema).get("custom_checks", [])
    ])
