"""Pages of the theme, through the Flask test client."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories

from ckanext.loiretcher import themes
from tests.theme_datasets import themed, typed

pytestmark = pytest.mark.usefixtures(
    "with_plugins", "clean_db", "clean_index", "clean_redis"
)

LEGAL_PAGES = [
    "/mentions-legales", "/accessibilite", "/donnees-personnelles", "/contact"
]

COMPLIANCE = "ckanext.loiretcher.accessibility_compliance"


def page(app, url, status=200):
    response = app.get(url)
    assert response.status_code == status, url
    return BeautifulSoup(response.body, "html.parser")


def text(soup):
    return " ".join(soup.get_text(" ").split())


@pytest.mark.parametrize(
    "url", ["/", "/theme/", "/theme/environnement", "/dataset/", "/organization/",
            "/about", "/user/login", *LEGAL_PAGES],
)
def test_every_page_has_the_accessible_frame(app, url):
    soup = page(app, url)
    assert soup.html["lang"] == "fr"
    skip = soup.select_one(".visually-hidden-focusable a")
    assert skip["href"] == "#content"
    assert soup.find(id="content") is not None
    assert soup.find(attrs={"role": "main"}) is not None
    assert soup.find("header") is not None
    assert soup.find("footer") is not None
    assert len(soup.find_all("h1")) == 1 or url in ("/dataset/", "/organization/")
    for img in soup.find_all("img"):
        assert img.has_attr("alt"), img
    for field in soup.select("input:not([type=hidden]):not([type=submit]), select"):
        labelled = field.get("aria-label") or (
            field.get("id") and soup.find("label", attrs={"for": field["id"]})
        )
        assert labelled, field
    for form in soup.find_all("form", method=lambda m: m and m.lower() == "post"):
        assert form.find("input", attrs={"name": "_csrf_token"}), form
    # Branding and legal links.
    brand = soup.select_one(".loiretcher-brand")
    assert brand["href"] == "/"
    assert "Open Data Loir-et-Cher" in brand.get_text()
    footer = soup.find("footer")
    hrefs = {a["href"] for a in footer.find_all("a")}
    assert set(LEGAL_PAGES) <= hrefs
    assert {"https://www.departement41.fr", "https://www.pilote41.fr"} <= hrefs
    assert any("data.gouv.fr" in href for href in hrefs)
    assert "partiellement conforme" in text(footer)


def test_home_page(app):
    org = factories.Organization(title="Département de Loir-et-Cher")
    dataset = themed(["environnement"], owner_org=org["id"], title="Qualité de l'eau")
    factories.Resource(package_id=dataset["id"])
    themed(["environnement", "transports-mobilite"], title="Pistes cyclables")
    typed("subvention", title="Subventions aux associations 2025")
    typed("deliberation", title="Délibérations de la commission")

    soup = page(app, "/")
    main = soup.find(attrs={"role": "main"})
    # The search box comes first.
    first_form = main.find("form")
    assert first_form["action"] == "/dataset/"
    assert first_form.find("input", attrs={"name": "q"})
    assert main.find("h1").find_next("form") is first_form
    assert first_form.find_next("ul", class_="loiretcher-tiles")

    figures = text(soup.select_one(".loiretcher-figures"))
    assert "4 jeux de données" in figures
    assert "1 organisation" in figures
    assert "1 fichier ou API" in figures

    tiles = {
        a["href"]: text(a) for a in soup.select(".loiretcher-tile a")
    }
    assert len(tiles) == len(themes.load_themes())
    assert tiles["/theme/environnement"] == "Environnement 2 jeux de données"
    assert tiles["/theme/transports-mobilite"] == (
        "Transports et mobilité 1 jeu de données"
    )
    # Zero takes the singular in French; CKAN's merged catalogue may use plural.
    assert tiles["/theme/subventions"] in (
        "Subventions 0 jeu de données", "Subventions 0 jeux de données"
    )

    body = text(soup)
    assert "Subventions aux associations 2025" in body
    assert "Délibérations de la commission" in body
    assert "Derniers jeux de données" in body
    # No tracking plugin: the fallback list is labelled for what it is.
    assert "Jeux de données récemment mis à jour" in body


def test_home_page_without_data(app):
    soup = page(app, "/")
    assert text(soup.select_one(".loiretcher-figures")).startswith("0 jeu")
    assert "Aucun jeu de données pour l'instant." in text(soup)
    assert soup.find(id="loiretcher-highlight-title") is None


def test_home_page_in_english(app):
    themed(["environnement"])
    soup = page(app, "/en/")
    assert soup.html["lang"] == "en"
    tiles = {a["href"]: text(a) for a in soup.select(".loiretcher-tile a")}
    assert tiles["/en/theme/environnement"] == "Environment 1 dataset"
    assert "Browse by theme" in text(soup)


def test_theme_index(app):
    soup = page(app, "/theme/")
    assert soup.find("h1").get_text(strip=True) == "Thèmes"
    assert len(soup.select(".loiretcher-tile")) == 10


def test_theme_page_lists_its_datasets_only(app):
    themed(["environnement"], title="Qualité de l'eau des rivières")
    themed(["environnement", "culture-tourisme"], title="Sentiers de randonnée")
    themed(["transports-mobilite"], title="Lignes de car")
    org = factories.Organization()
    themed(
        ["environnement"], title="Brouillon privé", owner_org=org["id"], private=True
    )

    soup = page(app, "/theme/environnement")
    assert soup.find("h1").get_text(strip=True) == "Environnement"
    titles = [text(h) for h in soup.select(".dataset-heading a")]
    assert sorted(titles) == ["Qualité de l'eau des rivières", "Sentiers de randonnée"]
    assert "2 jeux de données trouvés" in text(soup)
    info = text(soup.select_one(".loiretcher-theme-info"))
    assert "ENVI" in info
    eu_link = soup.select_one(".loiretcher-theme-info a")["href"]
    assert eu_link.endswith("/data-theme/ENVI")
    assert soup.find("a", href="/dataset/?vocab_loiretcher_theme=environnement")


def test_theme_page_search_sort_and_pages(app, monkeypatch):
    monkeypatch.setitem(tk.config, "ckan.datasets_per_page", 2)
    for title in ("Alpha routes", "Bravo routes", "Charlie bus"):
        themed(["transports-mobilite"], title=title)

    soup = page(app, "/theme/transports-mobilite?sort=title_string+asc")
    assert [text(h) for h in soup.select(".dataset-heading a")] == [
        "Alpha routes", "Bravo routes"
    ]
    next_page = soup.select_one(".pagination a[href*='page=2']")["href"]
    assert "sort=title_string" in next_page
    soup = page(app, next_page)
    assert [text(h) for h in soup.select(".dataset-heading a")] == ["Charlie bus"]

    soup = page(app, "/theme/transports-mobilite?q=routes&sort=title_string+desc")
    assert [text(h) for h in soup.select(".dataset-heading a")] == [
        "Bravo routes", "Alpha routes"
    ]
    # An unknown sort falls back to the default order instead of failing.
    page(app, "/theme/transports-mobilite?sort=bogus+desc")


def test_unknown_theme_is_a_404(app):
    soup = page(app, "/theme/no-such-theme", status=404)
    assert "Thème introuvable" in text(soup)


def test_legal_pages_content(app, monkeypatch):
    monkeypatch.setitem(tk.config, "ckanext.loiretcher.contact_email", "od@example.org")
    legal = text(page(app, "/mentions-legales"))
    assert "Mentions légales" in legal and "Licence Ouverte" in legal
    assert "Directeur de la publication" in legal
    accessibility = page(app, "/accessibilite")
    assert "Déclaration d'accessibilité" in text(accessibility)
    status = accessibility.select_one(".loiretcher-status")
    assert "partiellement conforme" in text(status)
    assert "Défenseur des droits" in text(accessibility)
    assert "RGPD" in text(page(app, "/donnees-personnelles"))
    contact = page(app, "/contact")
    assert contact.find("a", href="mailto:od@example.org")


def test_accessibility_status_follows_the_config(app, monkeypatch):
    monkeypatch.setitem(tk.config, COMPLIANCE, "full")
    monkeypatch.setitem(
        tk.config, "ckanext.loiretcher.accessibility_audit_date", "2026-11-15"
    )
    soup = page(app, "/accessibilite")
    assert "totalement conforme" in text(soup.select_one(".loiretcher-status"))
    assert "2026-11-15" in text(soup)


def test_dataset_page_shows_its_themes(app):
    dataset = themed(["budgets-finances", "subventions"])
    soup = page(app, f"/dataset/{dataset['name']}")
    box = soup.select_one(".loiretcher-dataset-themes")
    assert [a["href"] for a in box.find_all("a")] == [
        "/theme/budgets-finances", "/theme/subventions"
    ]


def test_search_page_has_the_theme_facet(app):
    themed(["geographie-cadastre"], title="Cadastre")
    themed(["environnement"], title="Rivières")
    soup = page(app, "/dataset/")
    facet_links = soup.select("a[href*='vocab_loiretcher_theme=']")
    labels = {text(a).rsplit(" ", 2)[0] for a in facet_links}
    assert labels >= {"Géographie et cadastre", "Environnement"}
    items = soup.select(".loiretcher-item-themes")
    assert items and "Géographie et cadastre" in text(soup)

    soup = page(app, "/dataset/?vocab_loiretcher_theme=geographie-cadastre")
    assert [text(h) for h in soup.select(".dataset-heading a")] == ["Cadastre"]


def test_organization_page_has_the_theme_facet(app):
    org = factories.Organization()
    themed(["social-solidarites"], owner_org=org["id"])
    soup = page(app, f"/organization/{org['name']}")
    assert soup.select("a[href*='vocab_loiretcher_theme=social-solidarites']")


def test_dataset_type_badge_in_search_results(app):
    if "budget.read" not in app.flask_app.view_functions:
        pytest.skip("dataset type 'budget' is not registered (loiretcher_schemas)")
    typed("budget", title="Budget primitif")
    soup = page(app, "/dataset/?dataset_type=budget")
    badge = soup.select_one(".dataset-heading .loiretcher-badge")
    # The type is said in words, not shown by colour alone.
    assert badge is not None and text(badge) == "Budget"


def test_header_navigation(app):
    soup = page(app, "/theme/")
    nav = {a["href"]: text(a) for a in soup.select(".main-navbar .navbar-nav a")}
    assert nav["/theme/"] == "Thèmes"
    assert "/group/" not in nav
    search = soup.select_one(".site-search")
    assert search["role"] == "search"
    assert soup.find("link", rel="icon")["href"].endswith("/loiretcher/favicon.svg")
