"""A real portal for browser tests: its own CKAN server, demo data, headless Chromium.

The server is ``ckan run`` in a subprocess, configured from the ini pytest got
(``--ckan-ini``): same database, Solr core and site id, Redis; only the site
URL and port differ. The data are seeded from this process, through the
actions, after the database and index are emptied.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TYPES = ("dataset", "subvention", "deliberation", "budget")


@dataclass
class Portal:
    """The running portal and what was seeded in it."""

    url: str
    datasets: dict[str, str] = field(default_factory=dict)  # type -> name
    skipped_types: dict[str, str] = field(default_factory=dict)  # type -> reason
    resource: tuple[str, str] = ("", "")  # (dataset name, resource id)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _luhn_complete(prefix: str) -> str:
    """``prefix`` plus the digit that makes its Luhn checksum valid."""
    for last in "0123456789":
        total = 0
        for index, char in enumerate(reversed(prefix + last)):
            digit = int(char)
            if index % 2:
                digit = digit * 2 - 9 if digit > 4 else digit * 2
            total += digit
        if total % 10 == 0:
            return prefix + last
    raise AssertionError("unreachable")


def _valid_siret() -> str:
    """A SIRET whose SIREN and whole number both pass the Luhn check."""
    return _luhn_complete(_luhn_complete("22410001") + "0001")


def _fields(dataset_type: str) -> set[str] | None:
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema(dataset_type)
    if schema is None:
        return None
    return {f["field_name"] for f in schema["dataset_fields"]}


def _dataset(dataset_type: str, title: str, themes: list[str], org: str,
             fields: set[str] | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": dataset_type,
        "name": f"demo-{dataset_type}",
        "title": title,
        "notes": f"{title} : jeu de données de démonstration du portail.",
        "owner_org": org,
        "license_id": "lov2" if fields else "cc-by",
        "tags": [{"name": "demonstration"}],
    }
    optional = {
        "theme": themes,
        "frequency": "annual",
        "contact_name": "Service open data",
        "contact_email": "opendata@example.org",
        "publisher_name": "Département de Loir-et-Cher",
        "publisher_siret": _valid_siret(),
        "year": "2025",
        "temporal_start": "2025-01-01",
        "temporal_end": "2025-12-31",
        "spatial_zones": ["fr:departement:41"],
    }
    if fields is None:
        data["extras"] = [{"key": "theme", "value": json.dumps(themes)}]
    else:
        data.update({k: v for k, v in optional.items() if k in fields})
    return data


def seed() -> Portal:
    """Demo content: an organization, a dataset of each type, a resource, themes."""
    from ckan.tests.helpers import call_action

    from ckanext.loiretcher.theme_groups import init_theme_groups

    portal = Portal(url="")
    init_theme_groups()
    admin = call_action(
        "user_create", name="browser-admin", email="browser-admin@example.org",
        password="Browser-tests-2026",
    )
    from ckan import model

    user = model.User.get(admin["id"])
    assert user is not None
    user.sysadmin = True
    model.Session.commit()
    context = {"user": admin["name"], "ignore_auth": True}
    org = call_action(
        "organization_create", context, name="departement-de-loir-et-cher",
        title="Département de Loir-et-Cher",
        description="Conseil départemental de Loir-et-Cher, Blois.",
    )
    titles = {
        "dataset": ("Qualité des eaux de baignade", ["environnement"]),
        "subvention": ("Subventions aux associations 2025", ["subventions"]),
        "deliberation": (
            "Délibérations de la Commission permanente 2025",
            ["deliberations-vie-institutionnelle"],
        ),
        "budget": ("Budget primitif 2025", ["budgets-finances"]),
    }
    from flask import current_app

    for dataset_type in TYPES:
        if f"{dataset_type}.read" not in current_app.view_functions:
            portal.skipped_types[dataset_type] = (
                f"dataset type '{dataset_type}' is not registered "
                "(no scheming schema loaded for it)"
            )
            continue
        title, themes = titles[dataset_type]
        data = _dataset(dataset_type, title, themes, org["id"], _fields(dataset_type))
        created = call_action("package_create", dict(context), **data)
        portal.datasets[dataset_type] = created["name"]
    for index in range(6):
        call_action(
            "package_create", dict(context),
            **dict(
                _dataset("dataset", f"Routes départementales, lot {index + 1}",
                         ["transports-mobilite", "geographie-cadastre"], org["id"],
                         _fields("dataset")),
                name=f"demo-routes-{index + 1}",
            ),
        )
    resource = call_action(
        "resource_create", dict(context), package_id=portal.datasets["dataset"],
        name="Résultats des analyses 2025",
        description="Analyses de l'Agence régionale de santé, par site de baignade.",
        url="https://www.example.org/analyses-baignade-2025.csv", format="CSV",
    )
    portal.resource = (portal.datasets["dataset"], resource["id"])
    return portal


@pytest.fixture(scope="session")
def portal(request, reset_db, reset_index, reset_redis, migrate_db_for,
           tmp_path_factory) -> Iterator[Portal]:
    """The portal, seeded and served by its own ``ckan run``."""
    import ckan.plugins as p
    from ckan.tests.helpers import _get_test_app

    ini = Path(request.config.getoption("ckan_ini")).resolve()
    p.load_all()  # the plugins of the ini, as with_plugins does per test
    reset_db()
    migrate_db_for("harvest")
    migrate_db_for("activity")
    reset_index()
    reset_redis()
    app = _get_test_app()
    with app.flask_app.test_request_context():
        seeded = seed()

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    workdir = tmp_path_factory.mktemp("portal")
    config = workdir / "browser.ini"
    config.write_text(
        "[DEFAULT]\ndebug = false\n\n"
        f"[app:main]\nuse = config:{ini}\n"
        f"ckan.site_url = {url}\n"
        "ckan.webassets.debug = false\n"
    )
    log = (workdir / "ckan.log").open("w")
    ckan = Path(sys.executable).with_name("ckan")
    process = subprocess.Popen(
        [str(ckan), "-c", str(config), "run", "-H", "127.0.0.1", "-p", str(port),
         "--disable-reloader", "--threaded"],
        stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"ckan run exited ({process.returncode}): "
                    + (workdir / "ckan.log").read_text()[-3000:]
                )
            try:
                status = url + "/api/3/action/status_show"
                with urllib.request.urlopen(status, timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError("ckan run did not answer within 120 s") from None
                time.sleep(0.5)
        seeded.url = url
        yield seeded
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium, driven by Playwright."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()
