"""The portal's language for the ``ckan loiretcher`` commands."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator

import click


@contextlib.contextmanager
def portal_locale(ctx: click.Context) -> Iterator[None]:
    """A request context of the portal, so that a command speaks its default
    language (``ckan.locale_default``), as its pages do."""
    app = ctx.find_root().meta.get("flask_app")
    if app is None:
        yield
        return
    with app.test_request_context():
        yield
