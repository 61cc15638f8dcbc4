"""Background job: validate a resource's file and store the result.

Queued by the chained resource actions (``logic/action.py``) for large
uploads and linked files; run by ``ckan jobs worker``.
"""
from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any, cast

import ckan.plugins.toolkit as tk
import click
import flask
from ckan import model
from ckan.types import Context

from ckanext.loiretcher import summary
from ckanext.loiretcher.logic import resource_validation as rv

__all__ = ["validate_resource"]

log = logging.getLogger(__name__)


def _context() -> Context:
    site_user = tk.get_action("get_site_user")(
        cast(Context, {"ignore_auth": True}), {}
    )
    return cast(Context, {"user": site_user["name"], "ignore_auth": True})


@contextlib.contextmanager
def _portal_request() -> Iterator[None]:
    """A request context of the portal, so messages are in its default locale.

    ``ckan jobs worker`` runs jobs without one (gettext would then return the
    English msgids); the Flask app its command built is in the click context,
    which the forked job inherits.
    """
    if flask.has_request_context():
        yield
        return
    click_context = click.get_current_context(silent=True)
    app = click_context.find_root().meta.get("flask_app") if click_context else None
    flask_app = getattr(app, "_wsgi_app", app)
    if flask_app is None:
        log.warning("no CKAN app: validation messages stay in English")
        yield
        return
    with flask_app.test_request_context():
        yield


def _still_waiting(resource: dict[str, Any], token: str) -> bool:
    report = resource.get("validation_report") or {}
    return (
        resource.get("validation_status") == "pending"
        and isinstance(report, dict)
        and report.get("token") == token
    )


def validate_resource(resource_id: str, token: str) -> str:
    """Validate the file of ``resource_id`` if it still waits for ``token``.

    A job whose file was replaced or deleted since it was queued does
    nothing (a newer job holds the new token). Returns the status stored, or
    why nothing was stored (``gone``, ``superseded``, ``not-scdl``).
    """
    with _portal_request():
        return _validate(resource_id, token)


def _validate(resource_id: str, token: str) -> str:
    context = _context()
    try:
        resource = tk.get_action("resource_show")(dict(context), {"id": resource_id})
    except tk.ObjectNotFound:
        return "gone"
    if not _still_waiting(resource, token):
        return "superseded"
    package = model.Package.get(resource["package_id"])
    short_name = rv.scdl_schema_for_type(package.type if package else None)
    if not short_name:
        return "not-scdl"
    part = None
    try:
        with rv.local_copy(resource) as path:
            fields = rv.run_validation(path, short_name)
            if fields["validation_status"] == "valid" and rv.summary_supported(
                package.type if package else None
            ):
                # The file is here now: its summary will not need a download.
                part = summary.summarise_file(package.type, path)
    except rv.FetchError as error:
        fields = rv.error_fields(str(error))
    # The file may have been replaced while it was being read.
    current = tk.get_action("resource_show")(dict(context), {"id": resource_id})
    if not _still_waiting(current, token):
        return "superseded"
    tk.get_action("resource_patch")(
        cast(Context, {**context, rv.PORTAL_WRITE: True}),
        {"id": resource_id, **fields},
    )
    if part is not None:
        rv.cache_summary(resource_id, fields["validated_at"], part)
    log.info("resource %s validated: %s", resource_id, fields["validation_status"])
    return fields["validation_status"]
