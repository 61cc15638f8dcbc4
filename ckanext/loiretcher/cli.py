"""The ``ckan loiretcher`` command group."""
from __future__ import annotations

import click

from ckanext.loiretcher.cli_locale import portal_locale
from ckanext.loiretcher.datagouv.cli import publish_datagouv as publish_command
from ckanext.loiretcher.validation.cli import validate as validate_command

__all__ = ["loiretcher"]


@click.group(short_help="Loir-et-Cher portal commands")
def loiretcher() -> None:
    """Commands of the Loir-et-Cher open data portal."""


loiretcher.add_command(validate_command)
loiretcher.add_command(publish_command)


@loiretcher.command("init-themes")
@click.pass_context
def init_themes(ctx: click.Context) -> None:
    """Create or update the departmental themes as CKAN groups (idempotent)."""
    with portal_locale(ctx):
        _init_themes()


def _init_themes() -> None:
    import ckan.plugins.toolkit as tk

    from ckanext.loiretcher.theme_groups import init_theme_groups

    try:
        result = init_theme_groups()
    except tk.ValidationError as error:
        raise click.ClickException(str(error.error_summary)) from error
    click.echo(
        tk._(
            "Themes: {created} created, {updated} updated, {unchanged} unchanged; "
            "{synced} datasets re-synced with their theme groups."
        ).format(
            created=len(result.created),
            updated=len(result.updated),
            unchanged=len(result.unchanged),
            synced=result.datasets_synced,
        )
    )
    for label, names in (
        (tk._("created"), result.created),
        (tk._("updated"), result.updated),
    ):
        for name in names:
            click.echo(f"  {label}: {name}")
