"""The departmental themes, read from ``themes.yaml``: pure, no CKAN needed.

Other parts of the extension import this module: the scheming schemas (the
choices of the ``theme`` dataset field), the DCAT-AP profile (``dcat:theme``
URIs), the data.gouv.fr mapping (tags) and the theme's pages and helpers.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "EU_THEME_CODES",
    "EU_THEME_URI_PREFIX",
    "THEMES_FILE",
    "Theme",
    "ThemeFileError",
    "get_theme",
    "load_themes",
    "parse_themes",
    "theme_names",
]

THEMES_FILE = Path(__file__).resolve().parent / "themes.yaml"

EU_THEME_URI_PREFIX = "http://publications.europa.eu/resource/authority/data-theme/"

# The EU Data Theme vocabulary (DCAT-AP), as published by the Publications Office.
EU_THEME_CODES = frozenset(
    {
        "AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST",
        "REGI", "SOCI", "TECH", "TRAN", "OP_DATPRO",
    }
)

LANGUAGES = ("fr", "en")

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ICON = re.compile(r"^[a-z0-9][a-z0-9-]*\.svg$")


class ThemeFileError(ValueError):
    """``themes.yaml`` is malformed; the message says which theme and field."""


@dataclass(frozen=True)
class Theme:
    """One departmental theme."""

    name: str
    label_fr: str
    label_en: str
    description_fr: str
    description_en: str
    icon: str
    eu_theme: str
    tag: str

    @property
    def eu_theme_uri(self) -> str:
        """URI of the theme's EU Data Theme, the value of ``dcat:theme``."""
        return EU_THEME_URI_PREFIX + self.eu_theme

    @property
    def icon_path(self) -> str:
        """Path of the icon under the portal's public directory."""
        return f"/loiretcher/icons/{self.icon}"

    def label(self, lang: str = "fr") -> str:
        """Label in ``lang`` (``fr`` for anything but English)."""
        return self.label_en if lang.startswith("en") else self.label_fr

    def description(self, lang: str = "fr") -> str:
        """Description in ``lang`` (``fr`` for anything but English)."""
        return self.description_en if lang.startswith("en") else self.description_fr

    @property
    def labels(self) -> dict[str, str]:
        """Labels as a scheming-style ``{lang: text}`` dict."""
        return {"fr": self.label_fr, "en": self.label_en}

    @property
    def descriptions(self) -> dict[str, str]:
        """Descriptions as a scheming-style ``{lang: text}`` dict."""
        return {"fr": self.description_fr, "en": self.description_en}


def _text(entry: dict[str, Any], field: str, where: str) -> dict[str, str]:
    value = entry.get(field)
    if not isinstance(value, dict):
        raise ThemeFileError(f"{where}: '{field}' must map fr and en to text")
    for lang in LANGUAGES:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            raise ThemeFileError(f"{where}: '{field}.{lang}' is missing or empty")
    return {lang: value[lang].strip() for lang in LANGUAGES}


def _theme(entry: Any, index: int) -> Theme:
    where = f"theme #{index + 1}"
    if not isinstance(entry, dict):
        raise ThemeFileError(f"{where}: must be a mapping")
    name = entry.get("name")
    if not isinstance(name, str) or not _SLUG.match(name):
        raise ThemeFileError(f"{where}: 'name' must be a lower-case slug, got {name!r}")
    where = f"theme {name!r}"
    label = _text(entry, "label", where)
    description = _text(entry, "description", where)
    icon = entry.get("icon")
    if not isinstance(icon, str) or not _ICON.match(icon):
        raise ThemeFileError(f"{where}: 'icon' must be an SVG file name, got {icon!r}")
    eu_theme = entry.get("eu_theme")
    if eu_theme not in EU_THEME_CODES:
        raise ThemeFileError(
            f"{where}: 'eu_theme' must be one of {sorted(EU_THEME_CODES)}, "
            f"got {eu_theme!r}"
        )
    tag = entry.get("tag")
    if not isinstance(tag, str) or not _SLUG.match(tag):
        raise ThemeFileError(f"{where}: 'tag' must be a lower-case slug, got {tag!r}")
    return Theme(
        name=name,
        label_fr=label["fr"],
        label_en=label["en"],
        description_fr=description["fr"],
        description_en=description["en"],
        icon=icon,
        eu_theme=eu_theme,
        tag=tag,
    )


def parse_themes(text: str) -> list[Theme]:
    """Themes from the YAML ``text``; raises :class:`ThemeFileError` if malformed."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ThemeFileError(f"not valid YAML: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list):
        raise ThemeFileError("the file must hold a 'themes' list")
    themes = [_theme(entry, index) for index, entry in enumerate(data["themes"])]
    if not themes:
        raise ThemeFileError("the 'themes' list is empty")
    seen: set[str] = set()
    for theme in themes:
        if theme.name in seen:
            raise ThemeFileError(f"theme {theme.name!r} is defined twice")
        seen.add(theme.name)
    return themes


@functools.cache
def _load(path: Path) -> tuple[Theme, ...]:
    return tuple(parse_themes(path.read_text(encoding="utf-8")))


def load_themes() -> list[Theme]:
    """The departmental themes in display order (read once, then cached)."""
    return list(_load(THEMES_FILE))


def theme_names() -> list[str]:
    """Names of the departmental themes in display order."""
    return [theme.name for theme in _load(THEMES_FILE)]


def get_theme(name: str) -> Theme | None:
    """The theme called ``name``, or ``None`` if there is no such theme."""
    for theme in _load(THEMES_FILE):
        if theme.name == name:
            return theme
    return None
