"""Pure mapping of CKAN datasets to udata (data.gouv.fr) write payloads.

The mirror of ``mapping.py`` (udata -> CKAN): a dataset harvested from a udata
instance and published to another comes out with the same title,
description, tags, licence, frequency, temporal coverage, zones and resources.
Nothing here touches the network, the database or CKAN's configuration.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ckanext.loiretcher.dcat.fields import conformance, list_value

__all__ = [
    "CHECKSUM_TYPES",
    "MARKER_KEY",
    "RESOURCE_MARKER_KEY",
    "PublishOptions",
    "dataset_changes",
    "dataset_payload",
    "find_remote_resource",
    "marker",
    "resource_changes",
    "resource_payload",
]

# Extras written on every published dataset and resource: the CKAN id lets a
# later run find what an interrupted run created, without a local record.
MARKER_KEY = "loiretcher:ckan_id"
RESOURCE_MARKER_KEY = "loiretcher:ckan_resource_id"
SOURCE_KEY = "loiretcher:source_url"

# udata's CHECKSUM_TYPES (udata/core/dataset/constants.py).
CHECKSUM_TYPES = frozenset(("sha1", "sha2", "sha256", "md5", "crc"))
RESOURCE_TYPES = frozenset(("main", "documentation", "update", "api", "code", "other"))
NOT_SPECIFIED = "notspecified"
UNKNOWN_FREQUENCY = "unknown"


@dataclass(frozen=True)
class PublishOptions:
    """What the mapping needs to know about the portal and the target.

    :param organization: id of the data.gouv.fr organization publishing.
    :param site_url: root of the portal, for the link back to each dataset.
    """

    organization: str
    site_url: str = ""


def marker(record: Mapping[str, Any] | None, key: str = MARKER_KEY) -> str | None:
    """The CKAN id a published udata record carries, if any."""
    if not isinstance(record, Mapping):
        return None
    extras = record.get("extras")
    value = extras.get(key) if isinstance(extras, Mapping) else None
    return value if isinstance(value, str) and value else None


def dataset_payload(
    package: Mapping[str, Any], options: PublishOptions
) -> dict[str, Any]:
    """The udata dataset (``POST``/``PUT /api/1/datasets/``) of a CKAN dataset,
    without its resources (they are written one by one)."""
    title = _text(_get(package, "title")) or _text(_get(package, "name"))
    description = _text(_get(package, "notes")) or title
    payload: dict[str, Any] = {
        "title": title,
        "description": description,
        "tags": _tags(package.get("tags")),
        "license": _text(_get(package, "license_id")) or NOT_SPECIFIED,
        "frequency": _text(_get(package, "frequency")) or UNKNOWN_FREQUENCY,
        "organization": options.organization,
        # udata makes a dataset public on any update that does not say so.
        "private": False,
        "extras": {MARKER_KEY: package["id"]},
    }
    if options.site_url and package.get("name"):
        dataset_type = package.get("type") or "dataset"
        payload["extras"][SOURCE_KEY] = (
            f"{options.site_url.rstrip('/')}/{dataset_type}/{package['name']}"
        )
    start = _date(_get(package, "temporal_start"))
    end = _date(_get(package, "temporal_end"))
    if start or end:
        payload["temporal_coverage"] = {"start": start or end, "end": end or start}
    zones = list_value(_get(package, "spatial_zones"))
    if zones:
        payload["spatial"] = {"zones": zones}
    return payload


def resource_payload(
    resource: Mapping[str, Any], package: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The udata remote resource of a CKAN resource of ``package``: it points
    to the portal's URL, with its schema when the file may be said to follow
    one (``dcat.fields.conformance``: on SCDL datasets, only valid files)."""
    url = _text(resource.get("url"))
    title = _text(resource.get("name")) or url.rsplit("/", 1)[-1] or url
    kind = _text(resource.get("resource_type"))
    payload: dict[str, Any] = {
        "title": title,
        "description": _text(resource.get("description")),
        "url": url,
        "filetype": "remote",
        "type": kind if kind in RESOURCE_TYPES else "main",
        "format": _text(resource.get("format")).lower(),
        "extras": {RESOURCE_MARKER_KEY: resource["id"]},
    }
    mime = _text(resource.get("mimetype"))
    if mime:
        payload["mime"] = mime
    size = _size(resource.get("size"))
    if size is not None:
        payload["filesize"] = size
    algorithm = _text(resource.get("hash_algorithm")).lower().replace("-", "")
    if resource.get("hash") and algorithm in CHECKSUM_TYPES:
        payload["checksum"] = {"type": algorithm, "value": _text(resource["hash"])}
    declared = conformance(resource, package)
    if declared:
        name, version = declared
        payload["schema"] = {"name": name, "version": version} if version else {
            "name": name
        }
    return payload


def dataset_changes(
    payload: Mapping[str, Any], remote: Mapping[str, Any]
) -> list[str]:
    """Names of the fields of ``payload`` that differ on the ``remote`` record
    (empty: the remote dataset is up to date)."""
    changed = []
    for key, wanted in payload.items():
        have = remote.get(key)
        if key == "organization":
            have = have.get("id") if isinstance(have, Mapping) else have
        elif key == "tags":
            wanted, have = sorted(wanted), sorted(have or [])
        elif key == "extras":
            have = have if isinstance(have, Mapping) else {}
            have = {k: have.get(k) for k in wanted}
        elif key == "temporal_coverage":
            have = {
                k: _date((have or {}).get(k)) for k in ("start", "end")
            } if isinstance(have, Mapping) else None
        elif key == "spatial":
            have = {"zones": list((have or {}).get("zones") or [])} if isinstance(
                have, Mapping
            ) else None
        elif key == "description":
            wanted, have = _text(wanted).strip(), _text(have).strip()
        if wanted != have:
            changed.append(key)
    for key in ("temporal_coverage", "spatial"):
        if key not in payload and _present(remote.get(key), key):
            changed.append(key)
    if remote.get("archived") or remote.get("deleted"):
        changed.append("archived")
    return changed


def resource_changes(
    payload: Mapping[str, Any], remote: Mapping[str, Any]
) -> list[str]:
    """Names of the fields of a resource ``payload`` that differ remotely."""
    changed = []
    for key, wanted in payload.items():
        have = remote.get(key)
        if key == "extras":
            have = have if isinstance(have, Mapping) else {}
            have = {k: have.get(k) for k in wanted}
        elif key == "schema":
            have = {
                k: v for k, v in (have or {}).items() if k in wanted and v
            } if isinstance(have, Mapping) else None
        elif key == "description":
            wanted, have = _text(wanted).strip(), _text(have).strip()
        elif key == "format":
            have = _text(have).lower()
        if wanted != have:
            changed.append(key)
    if "schema" not in payload and (remote.get("schema") or {}).get("name"):
        changed.append("schema")
    return changed


def find_remote_resource(
    resource: Mapping[str, Any],
    remote_resources: Sequence[Mapping[str, Any]],
    taken: set[str],
) -> Mapping[str, Any] | None:
    """The remote resource a local one was published as: by the id stored
    locally, then by the marker, then by URL (never one already ``taken``)."""
    candidates = [r for r in remote_resources if r.get("id") not in taken]
    known = _text(resource.get("datagouv_id"))
    for remote in candidates:
        if known and remote.get("id") == known:
            return remote
    for remote in candidates:
        if marker(remote, RESOURCE_MARKER_KEY) == resource["id"]:
            return remote
    for remote in candidates:
        if resource.get("url") and remote.get("url") == resource.get("url"):
            return remote
    return None


# -- helpers ---------------------------------------------------------------------


def _get(package: Mapping[str, Any], key: str) -> Any:
    """A field at the root (scheming) or in the extras (plain CKAN)."""
    if key in package:
        return package[key]
    for extra in package.get("extras") or []:
        if isinstance(extra, Mapping) and extra.get("key") == key:
            return extra.get("value")
    return None


def _tags(value: Any) -> list[str]:
    tags: list[str] = []
    for tag in value or []:
        name = tag.get("name") if isinstance(tag, Mapping) else tag
        if isinstance(name, str) and name.strip() and name.strip() not in tags:
            tags.append(name.strip())
    return tags


def _date(value: Any) -> str | None:
    text = _text(value)
    return text[:10] if len(text) >= 10 else None


def _size(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def _present(value: Any, key: str) -> bool:
    if not isinstance(value, Mapping):
        return False
    if key == "spatial":
        return bool(value.get("zones"))
    return bool(value.get("start") or value.get("end"))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
