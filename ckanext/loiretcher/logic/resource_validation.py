"""Validation of the CSV files of SCDL datasets, stored with their resource.

How a result reaches the resource without an update loop
--------------------------------------------------------

The ``validation_*`` fields (and, on SCDL datasets, ``schema_name`` and
``schema_version``) go through the ``loiretcher_portal_only`` validator: it
keeps the stored value whatever the caller sends, unless the context carries
``loiretcher_portal_write``. Only two places set that key, and both write
every one of these fields themselves:

* the chained ``resource_create``/``resource_update`` actions, which validate
  a small upload before calling the core action, so the file, the resource
  and its result are stored in one ``package_update``;
* the background job (``validation/jobs.py``), which stores its result with
  ``resource_patch``. That call reaches the chained ``resource_update`` again,
  which sees the key and passes straight through: no second validation, no
  loop.

Statuses: ``valid``, ``invalid``, ``pending`` (a job is queued; the report
holds its ``token`` so a job for a file replaced since is ignored) and
``error`` (the file could not be read or fetched; the report says why).
``schema_name``/``schema_version`` are set only on ``valid`` files, so an
invalid file is never presented as conforming to its SCDL schema.
"""
from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import logging
import os
import tempfile
import uuid
from collections.abc import Iterator
from typing import IO, Any

import ckan.plugins.toolkit as tk
import requests
from ckan.lib import redis as ckan_redis
from ckan.lib import uploader
from werkzeug.datastructures import FileStorage

from ckanext.loiretcher import config
from ckanext.loiretcher.logic.validators import PORTAL_WRITE
from ckanext.loiretcher.validation import ValidationUsageError, validate_file

__all__ = [
    "PORTAL_WRITE",
    "SCDL_TYPES",
    "VALIDATION_FIELDS",
    "cache_summary",
    "cached_summary",
    "display_state",
    "local_copy",
    "scdl_schema_for_type",
    "summary_supported",
]

log = logging.getLogger(__name__)

#: Dataset type -> short name of its SCDL schema in ``validation.SCHEMAS``.
SCDL_TYPES = {
    "subvention": "subventions",
    "deliberation": "deliberations",
    "budget": "budget",
}

#: Resource fields only the portal writes on SCDL datasets.
VALIDATION_FIELDS = (
    "validation_status",
    "validation_report",
    "validated_at",
    "schema_name",
    "schema_version",
)

STATUSES = ("valid", "invalid", "pending", "error")
_CHUNK = 1 << 16


def scdl_schema_for_type(dataset_type: str | None) -> str | None:
    """Short SCDL schema name of a dataset type, or None for other types."""
    return SCDL_TYPES.get(dataset_type or "")


def summary_supported(dataset_type: str | None) -> bool:
    return dataset_type in ("subvention", "deliberation")


def now_iso() -> str:
    """Now in UTC, to the microsecond: it keys the summary cache."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat()


def looks_like_csv(resource: dict[str, Any], upload: FileStorage | None) -> bool:
    """Whether a resource is (meant to be) a CSV file."""
    fmt = str(resource.get("format") or "").strip().lower()
    if fmt:
        return fmt in ("csv", "text/csv", ".csv")
    names = [str(resource.get("url") or "")]
    if upload is not None and upload.filename:
        names.append(upload.filename)
    if str(resource.get("mimetype") or "").lower() == "text/csv":
        return True
    return any(
        name.lower().split("?")[0].endswith(".csv") for name in names if name
    )


def get_upload(data_dict: dict[str, Any]) -> FileStorage | None:
    upload = data_dict.get("upload")
    if isinstance(upload, FileStorage) and upload.filename:
        return upload
    return None


def _stream_size(stream: IO[bytes]) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def hash_stream(stream: IO[bytes], copy_to: IO[bytes] | None = None) -> str:
    """SHA-256 of a seekable stream (optionally copying it), rewound after."""
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(_CHUNK), b""):
        digest.update(chunk)
        if copy_to is not None:
            copy_to.write(chunk)
    stream.seek(0)
    return digest.hexdigest()


# Results ------------------------------------------------------------------


def run_validation(path: str, short_name: str) -> dict[str, Any]:
    """The resource fields for the validation of the file at ``path``."""
    try:
        result = validate_file(
            path, short_name, max_errors=config.validation_report_max_errors()
        )
    except ValidationUsageError as error:
        return error_fields(str(error))
    return result_fields(result)


def result_fields(result: dict[str, Any]) -> dict[str, Any]:
    """Resource fields from a ``validate_file`` result."""
    report = {
        "schema": result["schema"],
        "schema_version": result["schema_version"],
        "rows": result["rows"],
        "error_count": result["error_count"],
        "errors": result["errors"],
        "warnings": result.get("warnings", []),
        "truncated": result["error_count"] > len(result["errors"]),
        "encoding": result.get("encoding"),
        "delimiter": result.get("delimiter"),
    }
    valid = bool(result["valid"])
    return {
        "validation_status": "valid" if valid else "invalid",
        "validation_report": report,
        "validated_at": now_iso(),
        "schema_name": result["schema"] if valid else "",
        "schema_version": result["schema_version"] if valid else "",
    }


def error_fields(message: str) -> dict[str, Any]:
    return {
        "validation_status": "error",
        "validation_report": {"message": message, "errors": [], "error_count": 0},
        "validated_at": now_iso(),
        "schema_name": "",
        "schema_version": "",
    }


def pending_fields() -> dict[str, Any]:
    return {
        "validation_status": "pending",
        "validation_report": {
            "token": uuid.uuid4().hex,
            "queued_at": now_iso(),
            "errors": [],
            "error_count": 0,
        },
        "validated_at": "",
        "schema_name": "",
        "schema_version": "",
    }


def cleared_fields() -> dict[str, Any]:
    return {name: "" for name in VALIDATION_FIELDS}


def refusal(fields: dict[str, Any]) -> tk.ValidationError:
    """The ValidationError of a refused upload, carrying the report."""
    report = fields["validation_report"]
    if fields["validation_status"] == "error":
        headline = tk._("The file could not be checked: %(message)s") % {
            "message": report.get("message", "")
        }
    else:
        headline = tk._(
            "The file does not follow the %(schema)s %(version)s schema "
            "(%(count)s errors); nothing was stored. Fix the file and upload "
            "it again."
        ) % {
            "schema": report.get("schema"),
            "version": report.get("schema_version"),
            "count": report.get("error_count"),
        }
    lines = [headline] + [error_line(e) for e in report.get("errors", [])[:20]]
    summary = {tk._("File"): headline}
    for error in report.get("errors", [])[:20]:
        summary[error_place(error)] = error["message"]
    return tk.ValidationError(
        {"url": lines, "validation_report": report}, error_summary=summary
    )


def error_place(error: dict[str, Any]) -> str:
    if error.get("row") and error.get("field"):
        return tk._("Row %(row)s, column %(field)s") % error
    if error.get("row"):
        return tk._("Row %(row)s") % error
    if error.get("field"):
        return tk._("Column %(field)s") % error
    return tk._("File")


def error_line(error: dict[str, Any]) -> str:
    return f"{error_place(error)} : {error['message']}"


def display_state(resource: dict[str, Any]) -> dict[str, Any]:
    """What the resource page needs to show a validation result."""
    status = resource.get("validation_status") or ""
    report = resource.get("validation_report") or {}
    if not isinstance(report, dict):
        report = {}
    looks = {
        "valid": ("success", "circle-check"),
        "invalid": ("danger", "circle-xmark"),
        "pending": ("secondary", "hourglass-half"),
        "error": ("warning", "triangle-exclamation"),
    }
    css, icon = looks.get(status, ("secondary", "circle-question"))
    return {
        "status": status,
        "css": css,
        "icon": icon,
        "errors": report.get("errors", []),
        "error_count": report.get("error_count", 0),
        "rows": report.get("rows"),
        "truncated": bool(report.get("truncated")),
        "message": report.get("message"),
        "validated_at": resource.get("validated_at") or None,
        "schema": report.get("schema"),
        "schema_version": report.get("schema_version"),
    }


# Files --------------------------------------------------------------------


class FetchError(Exception):
    """A linked file could not be downloaded; the message is translated."""


@contextlib.contextmanager
def local_copy(resource: dict[str, Any]) -> Iterator[str]:
    """A local path to the resource's file: the stored upload, or a download.

    Downloads (http and https only) are streamed to a temporary file, limited
    to ``ckan.max_resource_size`` MB, and removed afterwards.
    """
    if resource.get("url_type") == "upload":
        upload = uploader.get_resource_uploader(resource)
        get_path = getattr(upload, "get_path", None)
        if get_path is not None:
            path = get_path(resource["id"])
            if os.path.exists(path):
                yield path
                return
    url = str(resource.get("url") or "")
    if not url.lower().startswith(("http://", "https://")):
        raise FetchError(
            tk._("The file of this resource is not available: %(url)s")
            % {"url": url or "-"}
        )
    limit = uploader.get_max_resource_size() * 1024 * 1024
    handle, path = tempfile.mkstemp(prefix="loiretcher-", suffix=".csv")
    try:
        with os.fdopen(handle, "wb") as out:
            try:
                response = requests.get(
                    url, stream=True, timeout=config.validation_download_timeout()
                )
                response.raise_for_status()
                size = 0
                for chunk in response.iter_content(_CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise FetchError(
                            tk._("The file is larger than %(mb)s MB.")
                            % {"mb": uploader.get_max_resource_size()}
                        )
                    out.write(chunk)
            except requests.RequestException as error:
                raise FetchError(
                    tk._("The file could not be downloaded from %(url)s (%(error)s).")
                    % {"url": url, "error": error.__class__.__name__}
                ) from error
        yield path
    finally:
        with contextlib.suppress(OSError):
            os.remove(path)


@contextlib.contextmanager
def spooled_upload(upload: FileStorage) -> Iterator[tuple[str, str]]:
    """(temporary path, sha256) of an upload, its stream rewound for CKAN."""
    handle, path = tempfile.mkstemp(prefix="loiretcher-upload-", suffix=".csv")
    try:
        with os.fdopen(handle, "wb") as out:
            digest = hash_stream(upload.stream, copy_to=out)
        yield path, digest
    finally:
        with contextlib.suppress(OSError):
            os.remove(path)


# The summary cache -----------------------------------------------------------


def _summary_key(resource_id: str, validated_at: str) -> str:
    site = tk.config.get("ckan.site_id")
    return f"loiretcher:{site}:scdl_summary:{resource_id}:{validated_at}"


def cached_summary(resource_id: str, validated_at: str) -> dict[str, Any] | None:
    """A file's summary counters kept for this validation, or None."""
    try:
        cached = ckan_redis.connect_to_redis().get(
            _summary_key(resource_id, validated_at)
        )
    except Exception:  # a summary without cache is still a summary
        log.warning("Redis unavailable for the SCDL summary cache", exc_info=True)
        return None
    return json.loads(cached) if cached else None


def cache_summary(resource_id: str, validated_at: str, part: dict[str, Any]) -> None:
    """Keep a file's summary counters until the file is validated again."""
    try:
        ckan_redis.connect_to_redis().setex(
            _summary_key(resource_id, validated_at),
            config.summary_cache_ttl(),
            json.dumps(part),
        )
    except Exception:
        log.warning("Redis unavailable for the SCDL summary cache", exc_info=True)
