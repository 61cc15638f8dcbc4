"""Seeds the demo portal: a sysadmin, the Département's organization, datasets.

Then runs every ``dev/seed/*.py`` module's ``seed(site)`` in name order, with
``site`` a ``ckanapi.LocalCKAN`` acting as the sysadmin. Every step is
idempotent: a second run changes nothing.

Usage: python dev/seed_demo.py demo.ini
"""
from __future__ import annotations

import importlib.util
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD_FILE = ROOT / ".services" / "demo-admin-password"

DATASETS = [
    {
        "name": "budget-primitif-2026",
        "title": "Budget primitif 2026 du Département",
        "notes": "Budget primitif voté par l'Assemblée départementale.",
        "tags": [{"name": "budget"}, {"name": "finances"}],
    },
    {
        "name": "lignes-de-transport-remi-41",
        "title": "Lignes de transport scolaire et interurbain",
        "notes": "Réseau de transport en Loir-et-Cher.",
        "tags": [{"name": "transport"}, {"name": "mobilité"}],
    },
    {
        "name": "routes-departementales",
        "title": "Routes départementales de Loir-et-Cher",
        "notes": "Tracé des routes gérées par le Département.",
        "tags": [{"name": "routes"}, {"name": "géographie"}],
    },
]


def main(ini: str) -> None:
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(ini))
    with app._wsgi_app.test_request_context():  # type: ignore[attr-defined]
        _seed()


def _seed() -> None:
    import ckanapi
    from ckan import model

    site = ckanapi.LocalCKAN()
    admin = model.User.get("admin")
    if admin is None:
        password = secrets.token_urlsafe(12)
        site.action.user_create(
            name="admin", email="admin@example.org", password=password,
            fullname="Administrateur de démonstration",
        )
        admin = model.User.get("admin")
        assert admin is not None
        admin.sysadmin = True
        model.Session.commit()
        PASSWORD_FILE.parent.mkdir(parents=True, exist_ok=True)
        PASSWORD_FILE.write_text(password + "\n")
        print(f"sysadmin 'admin' created; password in {PASSWORD_FILE}")
    site = ckanapi.LocalCKAN(username="admin")
    org_name = "departement-de-loir-et-cher"
    try:
        site.action.organization_show(id=org_name)
    except ckanapi.NotFound:
        site.action.organization_create(
            name=org_name, title="Département de Loir-et-Cher",
            description="Conseil départemental de Loir-et-Cher, Blois.",
        )
    for dataset in DATASETS:
        try:
            site.action.package_show(id=dataset["name"])
        except ckanapi.NotFound:
            site.action.package_create(owner_org=org_name, **dataset)
            print(f"dataset {dataset['name']} created")
    for path in sorted((ROOT / "dev" / "seed").glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"seed_{path.stem}", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"seeding {path.name}")
        module.seed(site)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "demo.ini")
