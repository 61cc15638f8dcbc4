"""API actions of the portal, all prefixed ``loiretcher_``.

The chained core actions (``resource_create``, ``resource_update``,
``package_create``, ``package_update``) validate the CSV files of SCDL
datasets; see ``logic/resource_validation.py`` for how results are stored
without an update loop.
"""
from __future__ import annotations

import logging
from typing import Any, cast

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Action, ActionResult, Context, DataDict

from ckanext.loiretcher import config, summary
from ckanext.loiretcher.logic import resource_validation as rv

__all__ = [
    "loiretcher_resource_validation_show",
    "loiretcher_scdl_summary",
    "package_create",
    "package_update",
    "resource_create",
    "resource_update",
]

log = logging.getLogger(__name__)

#: Context key of the chained resource actions, so that the package_update
#: they call does not queue the same file a second time.
_IN_RESOURCE_ACTION = "loiretcher_in_resource_action"


def _portal_context(context: Context) -> Context:
    return cast(Context, {**context, rv.PORTAL_WRITE: True})


def _queue(resource_id: str, token: str) -> None:
    from ckanext.loiretcher.validation import jobs

    tk.enqueue_job(
        jobs.validate_resource,
        [resource_id, token],
        title=f"loiretcher: validate resource {resource_id}",
        queue=config.validation_queue(),
        rq_kwargs={"timeout": 3600},
    )


def _queue_or_fail(context: Context, resource: dict[str, Any], token: str) -> None:
    """Queue the job; if the queue is down, say so on the resource."""
    try:
        _queue(resource["id"], token)
    except Exception as error:  # Redis down: the resource must not stay pending
        log.exception("could not queue the validation of %s", resource["id"])
        fields = rv.error_fields(
            tk._("The validation could not be queued (%(error)s).")
            % {"error": error.__class__.__name__}
        )
        tk.get_action("resource_patch")(
            _portal_context(cast(Context, {"user": context.get("user", ""),
                                           "ignore_auth": True})),
            {"id": resource["id"], **fields},
        )


def _validate_and_store(
    next_action: Action, context: Context, data_dict: DataDict, short_name: str
) -> Any:
    """Validate the file of a resource being created or updated, then store.

    Small uploads (and every upload when invalid files are refused) are
    checked now; large uploads and linked files get ``pending`` and a job.
    """
    upload = rv.get_upload(data_dict)
    refuse = config.refuse_invalid_files()
    if upload is not None:
        size = rv._stream_size(upload.stream)
        if refuse or size <= config.validation_sync_max_bytes():
            with rv.spooled_upload(upload) as (path, digest):
                fields = rv.run_validation(path, short_name)
            data_dict["hash"] = digest
            data_dict["hash_algorithm"] = "sha256"
            if refuse and fields["validation_status"] in ("invalid", "error"):
                raise rv.refusal(fields)
            data_dict.update(fields)
            return next_action(_portal_context(context), data_dict)
        data_dict["hash"] = rv.hash_stream(upload.stream)
        data_dict["hash_algorithm"] = "sha256"
    elif not data_dict.get("url"):
        data_dict.update(rv.cleared_fields())
        return next_action(_portal_context(context), data_dict)
    fields = rv.pending_fields()
    data_dict.update(fields)
    resource = next_action(_portal_context(context), data_dict)
    _queue_or_fail(context, resource, fields["validation_report"]["token"])
    return resource


def _hash_upload(data_dict: DataDict) -> None:
    upload = rv.get_upload(data_dict)
    if upload is not None:
        data_dict["hash"] = rv.hash_stream(upload.stream)
        data_dict["hash_algorithm"] = "sha256"


@tk.chained_action
def resource_create(
    next_action: Action, context: Context, data_dict: DataDict
) -> ActionResult.ResourceCreate:
    """Core ``resource_create``; the CSV files of SCDL datasets are validated."""
    if context.get(rv.PORTAL_WRITE):
        return next_action(context, data_dict)
    context = cast(Context, {**context, _IN_RESOURCE_ACTION: True})
    package = model.Package.get(str(data_dict.get("package_id") or ""))
    short_name = rv.scdl_schema_for_type(package.type if package else None)
    if short_name and rv.looks_like_csv(data_dict, rv.get_upload(data_dict)):
        return _validate_and_store(next_action, context, data_dict, short_name)
    _hash_upload(data_dict)
    return next_action(context, data_dict)


def _url_changed(stored: model.Resource, data_dict: DataDict) -> bool:
    """Whether an update points the resource at another file.

    An uploaded file's URL comes back from ``resource_show`` as the full
    download URL while the database holds the file name only.
    """
    if "url" not in data_dict:
        return False
    url = str(data_dict.get("url") or "")
    still_upload = data_dict.get("url_type", stored.url_type) == "upload"
    if stored.url_type == "upload" and still_upload:
        return url.rsplit("/", 1)[-1] != stored.url
    return url != stored.url


@tk.chained_action
def resource_update(
    next_action: Action, context: Context, data_dict: DataDict
) -> ActionResult.ResourceUpdate:
    """Core ``resource_update``; a changed CSV file of an SCDL dataset is
    validated again. A metadata-only edit keeps the stored result."""
    if context.get(rv.PORTAL_WRITE):
        return next_action(context, data_dict)
    context = cast(Context, {**context, _IN_RESOURCE_ACTION: True})
    stored = model.Resource.get(str(data_dict.get("id") or ""))
    package = stored.package if stored else None
    short_name = rv.scdl_schema_for_type(package.type if package else None)
    upload = rv.get_upload(data_dict)
    if stored is None or not short_name:
        _hash_upload(data_dict)
        return next_action(context, data_dict)
    if not rv.looks_like_csv(data_dict, upload):
        _hash_upload(data_dict)
        if (stored.extras or {}).get("validation_status"):
            data_dict.update(rv.cleared_fields())
            return next_action(_portal_context(context), data_dict)
        return next_action(context, data_dict)
    url_changed = _url_changed(stored, data_dict)
    never_checked = not (stored.extras or {}).get("validation_status")
    if upload is not None or url_changed or never_checked:
        if upload is None and stored.url_type == "upload" and not url_changed:
            # The stored upload was never checked (e.g. the type changed):
            # the job reads it from the storage.
            fields = rv.pending_fields()
            data_dict.update(fields)
            resource = next_action(_portal_context(context), data_dict)
            _queue_or_fail(context, resource, fields["validation_report"]["token"])
            return resource
        return _validate_and_store(next_action, context, data_dict, short_name)
    return next_action(context, data_dict)


def _to_queue(pkg_dict: dict[str, Any], before: dict[str, str]) -> list[dict[str, Any]]:
    """Resources of an SCDL dataset whose linked CSV file is new or changed."""
    if not rv.scdl_schema_for_type(pkg_dict.get("type")):
        return []
    found = []
    for resource in pkg_dict.get("resources", []):
        if not rv.looks_like_csv(resource, None) or not resource.get("url"):
            continue
        if resource.get("url_type") == "upload" and resource.get("validation_status"):
            continue
        new = resource["id"] not in before
        changed = not new and before[resource["id"]] != resource.get("url")
        if new and resource.get("validation_status"):
            continue
        if new or changed or not resource.get("validation_status"):
            found.append(resource)
    return found


def _queue_changed(context: Context, pkg_dict: dict[str, Any],
                   before: dict[str, str]) -> None:
    for resource in _to_queue(pkg_dict, before):
        fields = rv.pending_fields()
        tk.get_action("resource_patch")(
            _portal_context(cast(Context, {"user": context.get("user", ""),
                                           "ignore_auth": True})),
            {"id": resource["id"], **fields},
        )
        _queue_or_fail(context, resource, fields["validation_report"]["token"])


@tk.chained_action
def package_create(
    next_action: Action, context: Context, data_dict: DataDict
) -> ActionResult.PackageCreate:
    """Core ``package_create``; linked CSV files of SCDL datasets are queued."""
    result = next_action(context, data_dict)
    if context.get(rv.PORTAL_WRITE) or context.get(_IN_RESOURCE_ACTION):
        return result
    if isinstance(result, dict) and result.get("resources"):
        _queue_changed(context, result, {})
    return result


@tk.chained_action
def package_update(
    next_action: Action, context: Context, data_dict: DataDict
) -> ActionResult.PackageUpdate:
    """Core ``package_update``; new or changed linked CSV files of SCDL
    datasets are queued (the resource actions handle their own)."""
    if context.get(rv.PORTAL_WRITE) or context.get(_IN_RESOURCE_ACTION):
        return next_action(context, data_dict)
    package = model.Package.get(str(data_dict.get("id") or data_dict.get("name") or ""))
    before = {r.id: r.url for r in package.resources} if package else {}
    result = next_action(context, data_dict)
    if isinstance(result, dict) and result.get("resources"):
        _queue_changed(context, result, before)
    elif package is not None and rv.scdl_schema_for_type(package.type):
        shown = tk.get_action("package_show")(
            cast(Context, {"ignore_auth": True, "user": context.get("user", "")}),
            {"id": package.id},
        )
        _queue_changed(context, shown, before)
    return result


@tk.side_effect_free
def loiretcher_resource_validation_show(
    context: Context, data_dict: DataDict
) -> dict[str, Any]:
    """The result of the last validation of a resource's file.

    :param id: the resource id
    :returns: ``{"resource_id", "status" (valid, invalid, pending, error or
        null when the file is not checked), "validated_at", "schema",
        "schema_version", "rows", "error_count", "errors": [{"row", "field",
        "code", "value", "message"}], "truncated", "message"}``; ``errors``
        holds the first ``ckanext.loiretcher.validation.report_max_errors``
        errors, ``error_count`` all of them.
    """
    resource_id = tk.get_or_bust(data_dict, "id")
    tk.check_access("loiretcher_resource_validation_show", context, data_dict)
    resource = tk.get_action("resource_show")(
        cast(Context, {**context, "ignore_auth": True}), {"id": resource_id}
    )
    report = resource.get("validation_report") or {}
    if not isinstance(report, dict):
        report = {}
    return {
        "resource_id": resource["id"],
        "status": resource.get("validation_status") or None,
        "validated_at": resource.get("validated_at") or None,
        "schema": report.get("schema"),
        "schema_version": report.get("schema_version"),
        "rows": report.get("rows"),
        "error_count": report.get("error_count", 0),
        "errors": report.get("errors", []),
        "warnings": report.get("warnings", []),
        "truncated": bool(report.get("truncated")),
        "message": report.get("message"),
    }


def _file_summary(kind: str, resource: dict[str, Any]) -> dict[str, Any] | None:
    """One valid file's counters, from Redis or computed and cached."""
    cached = rv.cached_summary(resource["id"], resource.get("validated_at") or "")
    if cached is not None:
        return cached
    try:
        with rv.local_copy(resource) as path:
            part = summary.summarise_file(kind, path)
    except (rv.FetchError, OSError, UnicodeDecodeError) as error:
        log.warning("no SCDL summary for resource %s: %s", resource["id"], error)
        return None
    rv.cache_summary(resource["id"], resource.get("validated_at") or "", part)
    return part


@tk.side_effect_free
def loiretcher_scdl_summary(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Figures of a subsidies or deliberations dataset, from its valid files.

    :param id: the dataset id or name
    :returns: for ``subvention``: ``{"type", "files", "rows", "total_amount",
        "amount_by_year": [{"year", "amount", "count"}], "by_nature":
        [{"nature", "amount", "count"}], "top_beneficiaries": [{"id", "name",
        "amount", "count"}], "beneficiary_count"}``; for ``deliberation``:
        ``{"type", "files", "rows", "by_session": [{"date", "label",
        "count"}], "by_matter": [{"code", "label", "count"}], "votes":
        [{"outcome", "label", "count"}]}``. Only files whose validation
        status is ``valid`` count; each file's figures are cached per
        validation time.
    """
    dataset_id = tk.get_or_bust(data_dict, "id")
    tk.check_access("loiretcher_scdl_summary", context, data_dict)
    pkg_dict = tk.get_action("package_show")(
        cast(Context, {**context, "ignore_auth": True}), {"id": dataset_id}
    )
    kind = pkg_dict.get("type")
    if not rv.summary_supported(kind):
        raise tk.ValidationError(
            {"id": [tk._("Only subsidies and deliberations datasets have a summary.")]}
        )
    parts = []
    for resource in pkg_dict.get("resources", []):
        if resource.get("validation_status") != "valid":
            continue
        part = _file_summary(kind, resource)
        if part is not None:
            parts.append(part)
    total = summary.merge(kind, parts)
    return summary.finalise(total, top=config.summary_top_beneficiaries())
