"""axe-core in headless Chromium on the portal's main pages, with screenshots.

Zero violations of impact "serious" or "critical" (WCAG 2.1 AA, RGAA 4.1).
Screenshots land in ``screenshots/`` (git-ignored), at desktop (1280 px) and
phone (360 px) widths.
"""
from __future__ import annotations

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import SCREENSHOTS, TYPES, Portal

WIDTHS = {"desktop": (1280, 800), "phone": (360, 740)}
BLOCKING = {"serious", "critical"}

PAGES: dict[str, Callable[[Portal], str]] = {
    "home": lambda p: "/",
    "search": lambda p: "/dataset/?q=routes",
    "theme": lambda p: "/theme/transports-mobilite",
    "themes": lambda p: "/theme/",
    "resource": lambda p: f"/dataset/{p.resource[0]}/resource/{p.resource[1]}",
    "organization": lambda p: "/organization/departement-de-loir-et-cher",
    "login": lambda p: "/user/login",
    "about": lambda p: "/about",
    "accessibility": lambda p: "/accessibilite",
    **{
        f"dataset-{t}": (lambda p, t=t: f"/{t}/{p.datasets[t]}")
        for t in TYPES
    },
}


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"  {violation['helpUrl']}\n  on: {targets}"
        )
    return "\n".join(lines)


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_accessibility_violation(portal, browser, name, width):
    if name.startswith("dataset-"):
        dataset_type = name.removeprefix("dataset-")
        if dataset_type in portal.skipped_types:
            pytest.skip(portal.skipped_types[dataset_type])
    path = PAGES[name](portal)
    viewport_width, viewport_height = WIDTHS[width]
    context = browser.new_context(
        viewport={"width": viewport_width, "height": viewport_height},
        locale="fr-FR",
    )
    try:
        page = context.new_page()
        response = page.goto(portal.url + path, wait_until="load")
        assert response is not None and response.status == 200, path
        assert page.locator("html").get_attribute("lang") == "fr"
        # The page does not scroll sideways on a phone.
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= viewport_width, f"{path} is {scroll_width}px wide"
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        results = Axe().run(page)
        blocking = [
            v for v in results.response["violations"] if v["impact"] in BLOCKING
        ]
        assert not blocking, f"{path} at {viewport_width}px:\n" + _describe(blocking)
    finally:
        context.close()


def test_skip_link_and_focus_are_visible(portal, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(portal.url + "/", wait_until="load")
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const el = document.activeElement; const s = getComputedStyle(el);"
            " return {text: el.textContent.trim(), href: el.getAttribute('href'),"
            " outline: s.outlineStyle, shadow: s.boxShadow,"
            " visible: el.getBoundingClientRect().width > 1}; }"
        )
        assert focused["href"] == "#content"
        assert focused["visible"], "the skip link stays hidden when focused"
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        style = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }"
        )
        assert style[0] != "none" or style[2] != "none", style
    finally:
        context.close()
