"""``ckan loiretcher validate``: check a CSV file against an SCDL schema.

Exit codes: 0 valid, 1 invalid, 2 usage error (unknown schema, unreadable
file, not a CSV).
"""
from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from typing import Any

import click

from ckanext.loiretcher.cli_locale import portal_locale
from ckanext.loiretcher.validation import SCHEMAS, ValidationUsageError, validate_file
from ckanext.loiretcher.validation.messages import _

__all__ = ["validate"]

EXIT_VALID, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


@contextlib.contextmanager
def _progress_bar(path: str) -> Iterator[Any]:
    """A progress callback drawing a bar on stderr, when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    try:
        size = os.path.getsize(path)
    except OSError:
        yield None
        return
    with click.progressbar(
        length=size, label=_("Validating the file"), file=sys.stderr
    ) as bar:
        done = [0]

        def advance(read: int, _total: int) -> None:
            bar.update(max(0, read - done[0]))
            done[0] = max(done[0], read)

        yield advance


def _text_report(result: dict[str, Any]) -> str:
    lines = []
    if result["valid"]:
        lines.append(
            _("{path}: valid ({rows} rows, schema {schema} {version}).").format(
                path=result["path"],
                rows=result["rows"],
                schema=result["schema"],
                version=result["schema_version"],
            )
        )
    else:
        lines.append(
            _(
                "{path}: invalid, {count} errors ({rows} rows, schema {schema} "
                "{version})."
            ).format(
                path=result["path"],
                count=result["error_count"],
                rows=result["rows"],
                schema=result["schema"],
                version=result["schema_version"],
            )
        )
    for template, items in (
        (_("  [error] {place} ({code}): {message}"), result["errors"]),
        (_("  [warning] {place} ({code}): {message}"), result["warnings"]),
    ):
        for item in items:
            where = []
            if item["row"] is not None:
                where.append(_("row {row}").format(row=item["row"]))
            if item["field"]:
                where.append(item["field"])
            lines.append(template.format(
                place=", ".join(where) or _("whole file"),
                code=item["code"],
                message=item["message"],
            ))
    shown = len(result["errors"])
    if result["error_count"] > shown:
        lines.append(
            _("  … and {count} more errors.").format(
                count=result["error_count"] - shown
            )
        )
    return "\n".join(lines)


@click.command("validate")
@click.argument("schema", metavar="{" + "|".join(SCHEMAS) + "}")
@click.argument("path")
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]),
    default="text", show_default=True, help="Report format.",
)
@click.option(
    "--max-errors", type=click.IntRange(min=1), default=1000, show_default=True,
    help="Errors listed at most (all are counted).",
)
@click.pass_context
def validate(
    ctx: click.Context, schema: str, path: str, output_format: str, max_errors: int
) -> None:
    """Validate the CSV file PATH against an SCDL schema.

    Exit code 0 when the file is valid, 1 when it is not, 2 when it cannot be
    validated (unknown schema, unreadable file, not a CSV).
    """
    with portal_locale(ctx):
        try:
            with _progress_bar(path) as progress:
                result = validate_file(
                    path, schema, progress=progress, max_errors=max_errors
                )
        except ValidationUsageError as error:
            click.echo(_("Error: {message}").format(message=error), err=True)
            ctx.exit(EXIT_USAGE)
        result["path"] = path
        if output_format == "json":
            click.echo(json.dumps({
                "valid": result["valid"],
                "schema": result["schema"],
                "errors": [
                    {
                        "row": error["row"],
                        "field": error["field"],
                        "code": error["code"],
                        "message": error["message"],
                    }
                    for error in result["errors"]
                ],
            }, ensure_ascii=False))
        else:
            click.echo(_text_report(result))
    ctx.exit(EXIT_VALID if result["valid"] else EXIT_INVALID)
