"""Flask blueprints of the portal: theme pages and the legal pages."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.common import current_user, request
from ckan.lib.helpers import Page
from flask import Blueprint

from ckanext.loiretcher import home, themes

__all__ = ["loiretcher"]

loiretcher = Blueprint("loiretcher", __name__)

_SORTS = (
    "score desc, metadata_modified desc",
    "title_string asc",
    "title_string desc",
    "metadata_modified desc",
    "metadata_created desc",
)


def _sort_labels() -> list[tuple[str, str]]:
    """Sort orders offered on a theme page, labelled."""
    labels = (
        tk._("Relevance"),
        tk._("Name Ascending"),
        tk._("Name Descending"),
        tk._("Last Modified"),
        tk._("Recently added"),
    )
    return list(zip(_SORTS, labels, strict=True))


def _theme_index() -> str:
    return tk.render("loiretcher/theme/index.html")


def _theme_read(name: str) -> str:
    theme = themes.get_theme(name)
    if theme is None:
        return tk.abort(404, tk._("Theme not found"))
    q = request.args.get("q", "").strip()
    sort = request.args.get("sort", "")
    if sort not in _SORTS:
        sort = "score desc, metadata_modified desc" if q else "metadata_modified desc"
    page_number = tk.h.get_page_number(request.args)
    rows = tk.config.get("ckan.datasets_per_page")
    context: Any = {"user": current_user.name, "auth_user_obj": current_user}
    result = tk.get_action("package_search")(
        context,
        {
            "q": q,
            "fq": f'{home.THEME_FIELD}:"{theme.name}"',
            "rows": rows,
            "start": (page_number - 1) * rows,
            "sort": sort,
            "include_private": True,
        },
    )

    def pager_url(q: Any = None, page: int | None = None) -> str:
        params = {"page": page}
        if request.args.get("q"):
            params["q"] = request.args["q"]
        if request.args.get("sort") in _SORTS:
            params["sort"] = request.args["sort"]
        return tk.h.url_for("loiretcher.theme_read", name=theme.name, **params)

    page = Page(
        collection=result["results"],
        page=page_number,
        url=pager_url,
        item_count=result["count"],
        items_per_page=rows,
    )
    page.items = result["results"]
    return tk.render(
        "loiretcher/theme/read.html",
        extra_vars={
            "theme": tk.h.loiretcher_theme(theme.name),
            "page": page,
            "q": q,
            "sort": sort,
            "sorts": _sort_labels(),
            "count": result["count"],
        },
    )


def _static_page(template: str) -> Any:
    def view() -> str:
        return tk.render(f"loiretcher/pages/{template}.html")

    return view


loiretcher.add_url_rule("/theme/", "theme_index", _theme_index)
loiretcher.add_url_rule("/theme/<name>", "theme_read", _theme_read)
for _path, _template in (
    ("/mentions-legales", "legal"),
    ("/accessibilite", "accessibility"),
    ("/donnees-personnelles", "privacy"),
    ("/contact", "contact"),
):
    loiretcher.add_url_rule(_path, _template, _static_page(_template))
