"""``ckan loiretcher publish-datagouv``: push the portal's datasets to data.gouv.fr."""
from __future__ import annotations

import click

from ckanext.loiretcher.cli_locale import portal_locale

__all__ = ["publish_datagouv"]


@click.command("publish-datagouv")
@click.option(
    "--dry-run", is_flag=True,
    help="Print the plan (create, update, delete, unchanged) and change nothing.",
)
@click.option(
    "--dataset", "datasets", multiple=True, metavar="NAME",
    help="Only this dataset (name or id); repeat for several. Default: all.",
)
@click.pass_context
def publish_datagouv(
    ctx: click.Context, dry_run: bool, datasets: tuple[str, ...]
) -> None:
    """Publish the portal's datasets to data.gouv.fr (ckanext.loiretcher.datagouv.*).

    Exit status: 0 when everything was published (or planned), 1 when some
    datasets failed, 2 when data.gouv.fr refused the API key or the run could
    not start. Messages are in the portal's default language.
    """
    import ckan.plugins.toolkit as tk

    from ckanext.loiretcher.datagouv.publisher import PublishConfigError, from_config

    with portal_locale(ctx):
        try:
            report = from_config().run(list(datasets), dry_run=dry_run)
        except PublishConfigError as error:
            click.echo(tk._("Error: {error}").format(error=error), err=True)
            raise SystemExit(2) from None
        for line in report.lines():
            click.echo(line)
    if report.fatal:
        raise SystemExit(2)
    if report.failed:
        raise SystemExit(1)
