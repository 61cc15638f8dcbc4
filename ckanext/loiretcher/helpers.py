"""Template helpers of the portal, all prefixed ``loiretcher_``."""
from __future__ import annotations

import functools
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.loiretcher import config, home, themes

__all__ = [
    "loiretcher_accessibility_status",
    "loiretcher_dataset_themes",
    "loiretcher_dataset_type_label",
    "loiretcher_home_data",
    "loiretcher_lang",
    "loiretcher_links",
    "loiretcher_portal_name",
    "loiretcher_theme",
    "loiretcher_theme_choices",
    "loiretcher_theme_field",
    "loiretcher_theme_label",
    "loiretcher_themes",
    "loiretcher_type_registered",
]


def loiretcher_portal_name() -> str:
    """Name of the portal, as configured."""
    return config.portal_name()


def loiretcher_lang() -> str:
    """Language of the current request (``fr`` or ``en``; ``fr`` outside one)."""
    try:
        lang = tk.h.lang() or ""
    except RuntimeError:  # no request: CLI, background job
        lang = ""
    return lang or tk.config.get("ckan.locale_default") or "fr"


@functools.cache
def _theme_dicts(lang: str) -> dict[str, dict[str, Any]]:
    """Theme dicts without counts, per language: built once (search pages call
    this for every result). Templates only read them."""
    return {t.name: _theme_dict(t, lang, None) for t in themes.load_themes()}


def _theme_dict(theme: themes.Theme, lang: str, count: int | None) -> dict[str, Any]:
    return {
        "name": theme.name,
        "label": theme.label(lang),
        "description": theme.description(lang),
        "icon_url": theme.icon_path,
        "eu_theme": theme.eu_theme,
        "eu_theme_uri": theme.eu_theme_uri,
        "tag": theme.tag,
        "count": count,
    }


def loiretcher_themes(with_counts: bool = True) -> list[dict[str, Any]]:
    """The themes in display order, labelled in the current language.

    With ``with_counts``, each carries ``count``: its number of public
    datasets, from the cached home page figures.
    """
    lang = loiretcher_lang()
    if not with_counts:
        return list(_theme_dicts(lang).values())
    counts = home.home_data()["theme_counts"]
    return [
        _theme_dict(theme, lang, counts.get(theme.name, 0))
        for theme in themes.load_themes()
    ]


def loiretcher_theme(name: str) -> dict[str, Any] | None:
    """One theme, labelled in the current language, or ``None`` if unknown."""
    return _theme_dicts(loiretcher_lang()).get(name)


def loiretcher_theme_label(name: str) -> str:
    """Label of a theme in the current language (the name if unknown)."""
    theme = _theme_dicts(loiretcher_lang()).get(name)
    return theme["label"] if theme else name


def loiretcher_dataset_themes(pkg_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """The themes of a dataset (its ``theme`` field), labelled."""
    by_name = _theme_dicts(loiretcher_lang())
    return [by_name[name] for name in home.dataset_theme_names(pkg_dict)]


def loiretcher_theme_choices(
    field: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Choices of the ``theme`` field, for scheming's ``choices_helper``."""
    return [
        {"value": theme.name, "label": theme.labels} for theme in themes.load_themes()
    ]


def loiretcher_theme_field() -> str:
    """Name of the search index field (and URL parameter) of the theme facet."""
    return home.THEME_FIELD


def loiretcher_home_data() -> dict[str, Any]:
    """Figures and dataset lists of the home page (cached, see ``home.py``)."""
    return home.home_data()


def loiretcher_links() -> dict[str, str]:
    """Outside links and contact of the header and footer."""
    return {
        "department": config.department_url(),
        "observatoire": config.observatoire_url(),
        "datagouv": config.datagouv_url(),
        "contact_email": config.contact_email(),
        "host_name": config.host_name(),
        "audit_date": config.accessibility_audit_date(),
    }


def loiretcher_accessibility_status() -> str:
    """The RGAA compliance statement, as the law words it."""
    status = config.accessibility_compliance()
    if status == "full":
        return tk._("Accessibility: fully compliant")
    if status == "none":
        return tk._("Accessibility: not compliant")
    return tk._("Accessibility: partially compliant")


def loiretcher_type_registered(dataset_type: str) -> bool:
    """Whether the dataset type has its own pages (``/<type>/<name>``)."""
    from flask import current_app

    return f"{dataset_type}.read" in current_app.view_functions


def loiretcher_dataset_type_label(dataset_type: str, plural: bool = False) -> str:
    """Label of a dataset type of the portal (docs/fields.rst)."""
    if plural:
        labels = {
            "dataset": tk._("datasets"),
            "subvention": tk._("subsidies"),
            "deliberation": tk._("deliberations"),
            "budget": tk._("budgets"),
        }
    else:
        labels = {
            "dataset": tk._("Dataset"),
            "subvention": tk._("Subsidy"),
            "deliberation": tk._("Deliberation"),
            "budget": tk._("Budget"),
        }
    return labels.get(dataset_type, dataset_type)
