"""The departmental themes, as data: themes.yaml and its pure loader."""
from __future__ import annotations

from pathlib import Path

import pytest

from ckanext.loiretcher import themes

PUBLIC = Path(themes.__file__).resolve().parent / "public"

VALID = """
themes:
  - name: environnement
    label: {fr: Environnement, en: Environment}
    description: {fr: Eau et air., en: Water and air.}
    icon: environnement.svg
    eu_theme: ENVI
    tag: environnement
"""


def test_the_departmental_themes_are_all_there_in_order():
    names = [theme.name for theme in themes.load_themes()]
    assert names == [
        "economie-emploi",
        "transports-mobilite",
        "geographie-cadastre",
        "environnement",
        "culture-tourisme",
        "social-solidarites",
        "education-jeunesse",
        "budgets-finances",
        "subventions",
        "deliberations-vie-institutionnelle",
    ]
    assert themes.theme_names() == names


@pytest.mark.parametrize("theme", themes.load_themes(), ids=lambda t: t.name)
def test_every_theme_is_complete(theme):
    assert theme.label_fr and theme.label_en and theme.label_fr != theme.name
    assert theme.description_fr and theme.description_en
    assert theme.eu_theme in themes.EU_THEME_CODES
    assert theme.eu_theme_uri == (
        "http://publications.europa.eu/resource/authority/data-theme/" + theme.eu_theme
    )
    icon = PUBLIC / theme.icon_path.lstrip("/")
    assert icon.is_file(), icon
    assert icon.read_text().lstrip().startswith("<svg")
    assert theme.tag == theme.tag.lower() and " " not in theme.tag


def test_eu_themes_of_the_main_themes():
    assert themes.get_theme("economie-emploi").eu_theme == "ECON"
    assert themes.get_theme("transports-mobilite").eu_theme == "TRAN"
    assert themes.get_theme("environnement").eu_theme == "ENVI"
    assert themes.get_theme("budgets-finances").eu_theme == "GOVE"


def test_get_theme_and_labels_by_language():
    theme = themes.get_theme("transports-mobilite")
    assert theme is not None
    assert theme.label("fr") == "Transports et mobilité"
    assert theme.label("en") == "Transport and mobility"
    assert theme.label("en_GB") == "Transport and mobility"
    assert theme.label("de") == "Transports et mobilité"
    assert theme.labels == {"fr": theme.label_fr, "en": theme.label_en}
    assert themes.get_theme("nope") is None


def test_load_is_cached_and_returns_copies():
    first, second = themes.load_themes(), themes.load_themes()
    assert first == second and first is not second
    assert first[0] is second[0]
    first.clear()
    assert len(themes.load_themes()) == 10


def test_parse_a_valid_file():
    (theme,) = themes.parse_themes(VALID)
    assert theme.name == "environnement"
    assert theme.description("en") == "Water and air."


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ("themes: [", "not valid YAML"),
        ("other: 1", "'themes' list"),
        ("themes: []", "empty"),
        (VALID.replace("name: environnement", "name: Env Ironment"), "lower-case slug"),
        (VALID.replace("en: Environment", "de: Umwelt"), "'label.en'"),
        (VALID.replace("eu_theme: ENVI", "eu_theme: XXXX"), "'eu_theme'"),
        (VALID.replace("icon: environnement.svg", "icon: env.png"), "'icon'"),
        (VALID.replace("tag: environnement", "tag: Envi ronnement"), "'tag'"),
        (VALID + VALID.replace("themes:\n", ""), "defined twice"),
    ],
)
def test_malformed_files_are_refused_with_a_clear_message(broken, message):
    with pytest.raises(themes.ThemeFileError, match=message):
        themes.parse_themes(broken)
