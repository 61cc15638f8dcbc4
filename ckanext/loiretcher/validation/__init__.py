"""Validation of published files against the SCDL Table Schemas.

Public API (stable; other modules of the package import only these names):

``SCHEMAS``
    Short name (``subventions``, ``deliberations``, ``budget``) -> ``{"name":
    "scdl/subventions", "version": "2.1.1", "url": <schema.data.gouv.fr URL>,
    "title": ...}``.

``validate_file(path, schema, *, progress=None, max_errors=1000) -> dict``
    Validates a CSV file in one streaming pass (memory does not grow with the
    file). ``schema`` is a short name or an ``scdl/...`` name. ``progress``, if
    given, is called as ``progress(bytes_read, total_bytes)`` now and then.
    Returns::

        {"valid": bool, "schema": "scdl/subventions", "schema_version": "2.1.1",
         "rows": int,            # data rows read (header excluded)
         "error_count": int,     # every error, even beyond max_errors
         "errors": [{"row": int | None, "field": str | None, "code": str,
                     "value": str | None, "message": str}],   # first max_errors
         "warnings": [...same shape...],  # e.g. an optional column is missing
         "encoding": "utf-8" | "cp1252" | "utf-16",
         "delimiter": "," | ";" | "\\t" | "|"}

    ``row`` is the spreadsheet row number (header = 1, first data row = 2);
    errors about the whole file or its header have ``row`` None. ``code`` is
    frictionless's error type (type-error, constraint-error, missing-label,
    extra-label, blank-label, duplicate-label, blank-header, missing-cell,
    extra-cell, blank-row, source-error, encoding-error), ``delimiter-error``,
    or the name of an SCDL custom check (french-siret-value, one-of-required,
    nomenclature-actes-value, year-interval-value, cohesive-columns-value,
    compare-columns-value, sum-columns-value). ``message`` says what to write
    instead, in the current locale (through ``tk._``; English outside CKAN).

``ValidationUsageError``
    Subclass of ValueError raised when validation cannot run: unknown schema,
    unreadable file, not a CSV. Its message is translated like the others.

``load_schema(schema) -> dict`` and ``schema_path(schema) -> Path``
    The JSON Table Schema shipped in ``tableschemas/``.

For frictionless users, ``frictionless_checks.scdl_checklist(schema)`` gives
the SCDL custom checks as a frictionless ``Checklist`` (same row logic).
"""
from __future__ import annotations

from ckanext.loiretcher.validation.engine import validate_file
from ckanext.loiretcher.validation.messages import ValidationUsageError
from ckanext.loiretcher.validation.schemas import (
    SCHEMAS,
    load_schema,
    resolve_schema,
    schema_path,
)

__all__ = [
    "SCHEMAS",
    "ValidationUsageError",
    "load_schema",
    "resolve_schema",
    "schema_path",
    "validate_file",
]
