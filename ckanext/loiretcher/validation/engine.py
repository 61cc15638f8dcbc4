"""The validator: one streaming pass over the CSV, every check in that pass.

It reads rows with the ``csv`` module and checks each cell with the compiled
field checkers of ``fields.py``, then the SCDL custom checks of ``checks.py``.
Only the first ``max_errors`` errors are kept (all are counted), so memory does
not grow with the file. Error codes are frictionless's own (type-error,
constraint-error, missing-label, extra-label, blank-label, duplicate-label,
blank-header, missing-cell, extra-cell, blank-row, source-error,
encoding-error) plus ``delimiter-error`` and the custom checks' names.

Columns are matched by name, in any order, like Validata: an unknown column is
an error (extra-label), a missing required column is an error (missing-label),
a missing optional column is a warning.
"""
from __future__ import annotations

import csv
import os
from collections.abc import Callable
from functools import partial
from typing import Any

from ckanext.loiretcher.validation import messages as m
from ckanext.loiretcher.validation.checks import bind_checks
from ckanext.loiretcher.validation.fields import BAD, Column
from ckanext.loiretcher.validation.reading import open_text, sniff
from ckanext.loiretcher.validation.schemas import SCHEMAS, load_schema, resolve_schema

__all__ = ["validate_file"]

Progress = Callable[[int, int], Any]

# Publishers' cells can be long (free-text objects): allow far more than 128 KB.
_FIELD_SIZE_LIMIT = 16 * 1024 * 1024
_PROGRESS_EVERY = 5000


class _Report:
    """Collects errors up to a limit and counts them all."""

    def __init__(self, max_errors: int) -> None:
        self.max_errors = max(0, max_errors)
        self.errors: list[dict[str, Any]] = []
        self.warnings: list[dict[str, Any]] = []
        self.count = 0

    @property
    def full(self) -> bool:
        return len(self.errors) >= self.max_errors

    def add(
        self,
        row: int | None,
        field: str | None,
        code: str,
        value: str | None,
        message: str | Callable[[], str],
    ) -> None:
        self.count += 1
        if len(self.errors) < self.max_errors:
            self.errors.append({
                "row": row,
                "field": field,
                "code": code,
                "value": value,
                "message": message() if callable(message) else message,
            })

    def warn(self, row: int | None, field: str | None, code: str, message: str) -> None:
        self.warnings.append({
            "row": row, "field": field, "code": code, "value": None, "message": message
        })


def _suggest(label: str, names: list[str]) -> str | None:
    folded = m.fold(label).replace(" ", "").replace("_", "")
    for name in names:
        if m.fold(name).replace(" ", "").replace("_", "") == folded:
            return name
    return None


def _check_header(
    labels: list[str], columns: dict[str, Column], report: _Report
) -> list[Column | None]:
    """Header errors; the column checker of each position (None: unknown)."""
    if not any(label.strip() for label in labels):
        report.add(None, None, "blank-header", None, m.blank_header_message)
        return [None] * len(labels)
    names = list(columns)
    seen: dict[str, int] = {}
    positions: list[Column | None] = []
    for position, label in enumerate(labels, start=1):
        if label == "":
            report.add(None, None, "blank-label", label,
                       partial(m.blank_label_message, position))
            positions.append(None)
            continue
        if label in seen:
            report.add(None, label, "duplicate-label", label,
                       partial(m.duplicate_label_message, label))
            positions.append(None)
            continue
        seen[label] = position
        column = columns.get(label)
        if column is None:
            suggestion = _suggest(label, names)
            report.add(None, None, "extra-label", label,
                       partial(m.extra_label_message, label, suggestion))
        positions.append(column)
    for name, column in columns.items():
        if name in seen:
            continue
        if column.required:
            report.add(None, name, "missing-label", None,
                       partial(m.missing_label_message, name, True))
        else:
            report.warn(
                None, name, "missing-label", m.missing_label_message(name, False)
            )
    return positions


def validate_file(
    path: str | os.PathLike[str],
    schema: str,
    *,
    progress: Progress | None = None,
    max_errors: int = 1000,
) -> dict[str, Any]:
    """Validate the CSV file at ``path`` against an SCDL schema.

    See ``ckanext.loiretcher.validation`` for the shape of the result.
    """
    short = resolve_schema(schema)
    info = SCHEMAS[short]
    descriptor = load_schema(short)
    fields = descriptor["fields"]
    filename = os.fspath(path)
    encoding, _bom, delimiter = sniff(filename, [f["name"] for f in fields])

    report = _Report(max_errors)
    if encoding not in ("utf-8", "utf-8-sig"):
        report.add(None, None, "encoding-error", encoding, m.encoding_message(encoding))
    if delimiter != ",":
        report.add(None, None, "delimiter-error", delimiter,
                   m.delimiter_message(delimiter))

    missing_values = set(descriptor.get("missingValues", [""]))
    columns = {field["name"]: Column(field) for field in fields}
    rows = 0
    total = os.path.getsize(filename)

    binary, text = open_text(filename, encoding)
    previous_limit = csv.field_size_limit()
    csv.field_size_limit(max(previous_limit, _FIELD_SIZE_LIMIT))
    try:
        reader = csv.reader(text, delimiter=delimiter)
        try:
            labels = next(reader, None)
        except csv.Error as error:
            report.add(
                1, None, "source-error", None, m.source_error_message(str(error))
            )
            labels = None
        if labels is None:
            if not any(e["code"] == "source-error" for e in report.errors):
                report.add(None, None, "blank-header", None, m.blank_header_message)
        else:
            rows = _check_rows(
                reader, labels, columns, descriptor, missing_values, report,
                progress=progress, binary=binary, total=total,
            )
    except UnicodeDecodeError as error:  # a UTF-16 file cut in the middle
        report.add(None, None, "encoding-error", encoding,
                   m.source_error_message(str(error)))
    finally:
        csv.field_size_limit(previous_limit)
        text.close()
        binary.close()
    if progress is not None:
        progress(total, total)

    return {
        "valid": report.count == 0,
        "schema": info["name"],
        "schema_version": info["version"],
        "rows": rows,
        "error_count": report.count,
        "errors": report.errors,
        "warnings": report.warnings,
        "encoding": "utf-8" if encoding == "utf-8-sig" else encoding,
        "delimiter": delimiter,
    }


def _check_rows(
    reader: Any,
    labels: list[str],
    columns: dict[str, Column],
    descriptor: dict[str, Any],
    missing_values: set[str],
    report: _Report,
    *,
    progress: Progress | None,
    binary: Any,
    total: int,
) -> int:
    """Check every data row; return how many there were."""
    by_position = _check_header(labels, columns, report)
    positions = {
        column.name: index
        for index, column in enumerate(by_position)
        if column is not None
    }
    runs, setup_errors = bind_checks(descriptor.get("custom_checks", []), positions)
    for field, code, message in setup_errors:
        report.add(None, field, code, None, message)

    width = len(labels)
    label_names = [
        column.name if column is not None else label
        for column, label in zip(by_position, labels, strict=True)
    ]
    # (position, cast, required) of the columns that check cells.
    plan = [
        (index, column.cast, column.required)
        for index, column in enumerate(by_position)
        if column is not None
    ]
    plain_empty = missing_values == {""}
    row_number = 1
    next_progress = _PROGRESS_EVERY

    try:
        for cells in reader:
            row_number += 1
            if row_number >= next_progress and progress is not None:
                next_progress += _PROGRESS_EVERY
                progress(binary.tell(), total)
            count = len(cells)
            if count != width:
                if not any(cells[:width]):
                    report.add(row_number, None, "blank-row", None, m.blank_row_message)
                    continue
                _row_shape_errors(row_number, cells, width, label_names,
                                  by_position, report)
            elif not any(cells) if plain_empty else all(
                c in missing_values for c in cells
            ):
                report.add(row_number, None, "blank-row", None, m.blank_row_message)
                continue

            values: list[Any] = [None] * width
            bad: set[int] | None = None
            for index, cast, required in plan:
                if index >= count:
                    continue  # reported as missing-cell
                cell = cells[index]
                if cell in missing_values:
                    if required:
                        bad = bad or set()
                        bad.add(index)
                        column = by_position[index]
                        assert column is not None
                        report.add(
                            row_number, column.name, "constraint-error", cell,
                            partial(m.required_message, column.field),
                        )
                    continue
                value = cast(cell)
                if value is BAD:
                    bad = bad or set()
                    bad.add(index)
                    _cell_errors(row_number, by_position[index], cell, report)  # type: ignore[arg-type]
                    continue
                values[index] = value
            if count < width:
                # Missing cells of required columns: frictionless also reports
                # the broken "required" constraint.
                for index in range(count, width):
                    column = by_position[index]
                    if column is not None and column.required:
                        bad = bad or set()
                        bad.add(index)
                        report.add(row_number, column.name, "constraint-error", None,
                                   partial(m.required_message, column.field))
            for run in runs:
                issues = run(cells, values, bad or _NOTHING)
                if issues:
                    for field, code, value, message in issues:
                        report.add(row_number, field, code, value, message)
    except csv.Error as error:
        report.add(row_number + 1, None, "source-error", None,
                   m.source_error_message(str(error)))
    return row_number - 1


_NOTHING: frozenset[int] = frozenset()


def _row_shape_errors(
    row_number: int,
    cells: list[str],
    width: int,
    label_names: list[str],
    by_position: list[Column | None],
    report: _Report,
) -> None:
    count = len(cells)
    for position in range(width + 1, count + 1):
        report.add(row_number, None, "extra-cell", cells[position - 1],
                   partial(m.extra_cell_message, position))
    for index in range(count, width):
        report.add(row_number, label_names[index], "missing-cell", None,
                   partial(m.missing_cell_message, label_names[index]))


def _cell_errors(row_number: int, column: Column, cell: str, report: _Report) -> None:
    for code, constraint in column.explain(cell):
        if code == "type-error":
            report.add(row_number, column.name, code, cell,
                       partial(m.type_message, column.field, cell))
        else:
            report.add(
                row_number, column.name, code, cell,
                partial(m.constraint_message, column.field, cell, constraint),
            )
