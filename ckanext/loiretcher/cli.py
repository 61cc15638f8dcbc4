"""The ``ckan loiretcher`` command group."""
from __future__ import annotations

import click

__all__ = ["loiretcher"]


@click.group(short_help="Loir-et-Cher portal commands")
def loiretcher() -> None:
    """Commands of the Loir-et-Cher open data portal."""
