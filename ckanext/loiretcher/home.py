"""Figures of the home and theme pages, cached in Redis, and theme membership.

The ``theme`` dataset field (docs/fields.rst) is the source of truth for a
dataset's themes. It is indexed in Solr as the multi-valued field
:data:`THEME_FIELD` (CKAN's schema only has multi-valued string fields under
``vocab_*``), which gives the search facet and the theme pages; the CKAN groups
created by ``ckan loiretcher init-themes`` mirror it (:func:`sync_theme_groups`).

Cache: everything the home page shows (theme counts, key figures, latest,
most viewed and highlighted datasets) is computed in one go and kept under one
Redis key for ``ckanext.loiretcher.home_cache_ttl`` seconds. Creating, updating
or deleting a dataset drops the key (the theme plugin's IPackageController
hooks), so counts are fresh after every change made through CKAN; changes that
bypass the actions (organizations created, SQL edits) show up within the TTL.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.redis import connect_to_redis

from ckanext.loiretcher import config, themes

log = logging.getLogger(__name__)

__all__ = [
    "HIGHLIGHTED_TYPES",
    "THEME_FIELD",
    "dataset_theme_names",
    "home_data",
    "invalidate",
    "parse_theme_value",
    "sync_theme_groups",
]

THEME_FIELD = "vocab_loiretcher_theme"
HIGHLIGHTED_TYPES = ("subvention", "deliberation")
_LIST_SIZE = 5
_NOTES_LENGTH = 180


def _cache_key() -> str:
    return f"loiretcher:{tk.config.get('ckan.site_id')}:home"


def parse_theme_value(value: Any) -> list[str]:
    """Theme names from a ``theme`` value: a list, a JSON list or ``a,b`` text.

    Unknown names are dropped, order and duplicates follow ``themes.yaml``.
    """
    if value is None or value == "":
        return []
    names: Iterable[Any]
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                loaded = json.loads(text)
            except ValueError:
                loaded = []
            names = loaded if isinstance(loaded, list) else []
        else:
            names = text.replace("{", "").replace("}", "").split(",")
    elif isinstance(value, (list, tuple, set)):
        names = value
    else:
        return []
    wanted = {str(name).strip() for name in names}
    return [name for name in themes.theme_names() if name in wanted]


def dataset_theme_names(pkg_dict: dict[str, Any]) -> list[str]:
    """Theme names of a dataset dict: its ``theme`` field, or extra without scheming."""
    if "theme" in pkg_dict:
        return parse_theme_value(pkg_dict["theme"])
    for extra in pkg_dict.get("extras") or []:
        if str(extra.get("key", "")).lower() == "theme":
            return parse_theme_value(extra.get("value"))
    return []


def _summary(dataset: dict[str, Any]) -> dict[str, Any]:
    notes = " ".join((dataset.get("notes") or "").split())
    if len(notes) > _NOTES_LENGTH:
        notes = notes[: _NOTES_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    organization = dataset.get("organization") or {}
    return {
        "name": dataset["name"],
        "title": dataset.get("title") or dataset["name"],
        "type": dataset.get("type") or "dataset",
        "notes": notes,
        "organization": organization.get("title") or organization.get("name") or "",
        "metadata_modified": dataset.get("metadata_modified") or "",
        "metadata_created": dataset.get("metadata_created") or "",
        "num_resources": dataset.get("num_resources") or 0,
        "themes": dataset_theme_names(dataset),
    }


def _search(**data_dict: Any) -> dict[str, Any]:
    # Anonymous, public datasets only: the figures are the same for everyone.
    context: Any = {"ignore_auth": True}
    return tk.get_action("package_search")(context, data_dict)


def _compute() -> dict[str, Any]:
    main = _search(
        q="*:*",
        rows=_LIST_SIZE,
        sort="metadata_created desc",
        **{"facet.field": json.dumps([THEME_FIELD]), "facet.limit": -1},
    )
    counts = {name: 0 for name in themes.theme_names()}
    for item in main["search_facets"].get(THEME_FIELD, {}).get("items", []):
        if item["name"] in counts:
            counts[item["name"]] = item["count"]

    by_views = p.plugin_loaded("tracking")
    try:
        popular = _search(
            q="*:*",
            rows=_LIST_SIZE,
            sort="views_recent desc" if by_views else "metadata_modified desc",
        )["results"]
    except tk.ValidationError:
        by_views, popular = False, []

    highlighted = {}
    for dataset_type in HIGHLIGHTED_TYPES:
        found = _search(
            q="*:*",
            fq=f'+dataset_type:"{dataset_type}"',
            rows=3,
            sort="metadata_modified desc",
        )
        highlighted[dataset_type] = [_summary(d) for d in found["results"]]

    organizations = (
        model.Session.query(model.Group)
        .filter(model.Group.is_organization.is_(True))
        .filter(model.Group.state == "active")
        .count()
    )
    resources = (
        model.Session.query(model.Resource)
        .join(model.Package, model.Package.id == model.Resource.package_id)
        .filter(model.Resource.state == "active")
        .filter(model.Package.state == "active")
        .filter(model.Package.private.is_(False))
        .count()
    )
    return {
        "theme_counts": counts,
        "figures": {
            "datasets": main["count"],
            "organizations": organizations,
            "resources": resources,
        },
        "latest": [_summary(d) for d in main["results"]],
        "popular": [_summary(d) for d in popular],
        "popular_by_views": by_views,
        "highlighted": highlighted,
    }


def home_data() -> dict[str, Any]:
    """What the home page shows, from the cache or computed (then cached)."""
    ttl = config.home_cache_ttl()
    redis = None
    if ttl > 0:
        try:
            redis = connect_to_redis()
            cached = redis.get(_cache_key())
            if cached:
                return json.loads(cached)
        except Exception as error:  # a cache outage must not break the page
            log.warning("loiretcher: home cache unavailable: %s", error)
            redis = None
    data = _compute()
    if redis is not None:
        try:
            redis.setex(_cache_key(), ttl, json.dumps(data))
        except Exception as error:
            log.warning("loiretcher: home cache not written: %s", error)
    return data


def invalidate() -> None:
    """Drop the cached home page figures (called when a dataset changes)."""
    try:
        connect_to_redis().delete(_cache_key())
    except Exception as error:
        log.warning("loiretcher: home cache not invalidated: %s", error)


def sync_theme_groups(package_id: str, names: list[str]) -> int:
    """Make the dataset a member of exactly the theme groups in ``names``.

    Only groups named after a theme are touched; other groups and
    organizations keep their members. Works in the caller's transaction (the
    action that saves the dataset commits it). Returns the number of changes.
    """
    theme_groups = {
        group.name: group
        for group in model.Session.query(model.Group)
        .filter(model.Group.name.in_(themes.theme_names()))
        .filter(model.Group.is_organization.is_(False))
        .filter(model.Group.state == "active")
    }
    if not theme_groups:
        return 0
    members = {
        member.group_id: member
        for member in model.Session.query(model.Member)
        .filter(model.Member.table_name == "package")
        .filter(model.Member.table_id == package_id)
        .filter(model.Member.group_id.in_([g.id for g in theme_groups.values()]))
    }
    wanted = {theme_groups[name].id for name in names if name in theme_groups}
    changes = 0
    for group in theme_groups.values():
        member = members.get(group.id)
        active = member is not None and member.state == "active"
        if group.id in wanted and not active:
            if member is None:
                member = model.Member(
                    table_id=package_id, table_name="package", group=group,
                    group_id=group.id, capacity="public", state="active",
                )
            else:
                member.state = "active"
            model.Session.add(member)
            changes += 1
        elif group.id not in wanted and active:
            assert member is not None
            member.state = "deleted"
            model.Session.add(member)
            changes += 1
    if changes:
        # Core selects (package dictization, indexing) do not autoflush.
        model.Session.flush()
    return changes
