"""The departmental themes as CKAN groups (``ckan loiretcher init-themes``).

Each theme of ``themes.yaml`` becomes a group of the same name, with its
French label as title, its descriptions and, as extras, its EU Data Theme and
data.gouv.fr tag. Running it again changes nothing unless ``themes.yaml``
changed. It then makes every dataset a member of the theme groups its
``theme`` field names (the field is the source of truth, see ``home.py``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import search

from ckanext.loiretcher import home, themes

__all__ = ["InitThemesResult", "init_theme_groups"]


@dataclass
class InitThemesResult:
    """What ``init_theme_groups`` did."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    datasets_synced: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.datasets_synced)


def _wanted(theme: themes.Theme) -> dict[str, Any]:
    return {
        "name": theme.name,
        "title": theme.label_fr,
        "description": f"{theme.description_fr}\n\n*{theme.label_en}*: "
        f"{theme.description_en}",
        "extras": [
            {"key": "eu_theme", "value": theme.eu_theme},
            {"key": "eu_theme_uri", "value": theme.eu_theme_uri},
            {"key": "datagouv_tag", "value": theme.tag},
        ],
    }


def _extras(group: dict[str, Any]) -> dict[str, str]:
    return {e["key"]: e["value"] for e in group.get("extras") or []}


def _differs(current: dict[str, Any], wanted: dict[str, Any]) -> bool:
    return (
        current.get("state") != "active"
        or current.get("title") != wanted["title"]
        or (current.get("description") or "") != wanted["description"]
        or _extras(current) != _extras(wanted)
    )


def init_theme_groups() -> InitThemesResult:
    """Create or update the theme groups, then sync dataset memberships."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    result = InitThemesResult()
    for theme in themes.load_themes():
        context: Any = {"user": site_user["name"], "ignore_auth": True}
        wanted = _wanted(theme)
        existing = model.Group.get(theme.name)
        if existing is not None and existing.is_organization:
            raise tk.ValidationError(
                {
                    "name": [
                        tk._(
                            "An organization is already called {name}: rename it "
                            "before creating the theme."
                        ).format(name=theme.name)
                    ]
                }
            )
        if existing is None:
            tk.get_action("group_create")(context, dict(wanted, type="group"))
            result.created.append(theme.name)
            continue
        current = tk.get_action("group_show")(
            dict(context), {"id": theme.name, "include_datasets": False}
        )
        if _differs(current, wanted):
            tk.get_action("group_patch")(
                context, dict(wanted, id=existing.id, state="active")
            )
            result.updated.append(theme.name)
        else:
            result.unchanged.append(theme.name)
    result.datasets_synced = _sync_memberships()
    return result


def _sync_memberships() -> int:
    """Align the theme groups' members with every dataset's ``theme`` field."""
    synced = 0
    start, rows = 0, 500
    while True:
        found = search.query_for(model.Package).run(
            {
                "q": "*:*",
                "fl": f"id,{home.THEME_FIELD}",
                "rows": rows,
                "start": start,
                "sort": "id asc",
            },
            permission_labels=None,
        )
        for doc in found["results"]:
            names = doc.get(home.THEME_FIELD) or []
            if home.sync_theme_groups(doc["id"], list(names)):
                model.Session.commit()
                search.rebuild(doc["id"])
                synced += 1
        start += rows
        if start >= found["count"]:
            break
    return synced
