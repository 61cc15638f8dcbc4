"""Serve a fake udata instance (data.gouv.fr's API v1, read side) on 127.0.0.1.

Demo (what ``make demo`` starts in the background)::

    .venv/bin/python dev/fake_udata.py                # http://127.0.0.1:8766

serves datasets of the Département de Loir-et-Cher (SCDL subventions,
délibérations and budget files, roads, schools...) and of the Ville de Blois,
with their files under ``/static/``. Script it from a shell::

    # <action>: remove, delete, archive or touch
    curl -X POST http://127.0.0.1:8766/_fake/datasets/<slug>/<action>
    curl -X POST http://127.0.0.1:8766/_fake/fail -d '{"path": "/api/", "status": 500}'
    curl -X POST http://127.0.0.1:8766/_fake/reset

Benchmarks generate catalogues instead: ``--port 0 --generate bench:1000:3``
(organization slug, datasets, resources each); the first line printed is
``fake udata on <url>``.
"""
from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.udata import FakeRequest, FakeResponse, FakeUdata  # noqa: E402

DEPARTEMENT = "departement-de-loir-et-cher"

CSV_FILES = {
    "subventions-2024.csv": (
        "nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;"
        "idBeneficiaire;objet;montant;nature\n"
        "Département de Loir-et-Cher;22410001600019;2024-03-12;"
        "Association sportive de Vendôme;77567227200011;"
        "Fonctionnement annuel;12000;aide en numéraire\n"
    ),
    "deliberations-2025.csv": (
        "COLL_NOM;COLL_SIRET;DELIB_ID;DELIB_DATE;DELIB_MATIERE_CODE;"
        "DELIB_MATIERE_NOM;DELIB_OBJET;BUDGET_ANNEE;VOTE_EFFECTIF;VOTE_REEL;"
        "VOTE_POUR;VOTE_CONTRE;VOTE_ABSTENTION;DELIB_URL\n"
        "Département de Loir-et-Cher;22410001600019;2025-CD-012;2025-02-10;"
        "7.1;Décisions budgétaires;Budget primitif 2025;2025;42;40;30;8;2;\n"
    ),
    "budget-primitif-2025.csv": (
        "BGT_NATDEC;BGT_ANNEE;BGT_SIRET\n01;2025;22410001600019\n"
    ),
    "routes.csv": "route;longueur_km\nD956;48.2\nD957;31.5\n",
    "colleges.csv": "uai;nom;commune\n0410001A;Collège Augustin Thierry;Blois\n",
    "musees.csv": "musee;visiteurs_2024\nChâteau royal de Blois;281000\n",
    "decheteries.csv": "nom;horaires\nBlois Nord;9h-18h\n",
    "parkings-blois.csv": "parking;places\nMail;320\n",
}


def demo_catalogue(fake: FakeUdata) -> None:
    """The demo's datasets: the Département's, and the Ville de Blois'."""
    dept = fake.add_organization(
        DEPARTEMENT, "Département de Loir-et-Cher",
        business_number_id="22410001600019",
    )
    blois = fake.add_organization("ville-de-blois", "Ville de Blois")
    contact = [{"id": "c41", "name": "Mission open data",
                "email": "opendata@departement41.fr", "role": "contact"}]

    def file(name: str, title: str, **fields: Any) -> dict[str, Any]:
        resource = fake.make_resource(
            1, title=title, url=f"{fake.url}/static/{name}",
            filesize=len(CSV_FILES[name].encode()), **fields,
        )
        return resource

    fake.add_dataset(
        dept, slug="subventions-associations-2024",
        title="Subventions versées aux associations en 2024",
        description=(
            "Subventions attribuées par le **Département de Loir-et-Cher** aux "
            "associations en 2024, au format du [SCDL]"
            "(https://schema.data.gouv.fr/scdl/subventions/)."
        ),
        tags=["subventions", "associations"], frequency="annual",
        temporal_coverage={"start": "2024-01-01", "end": "2024-12-31"},
        contact_points=contact,
        resources=[file("subventions-2024.csv", "Subventions 2024",
                        schema={"name": "scdl/subventions", "version": "2.1.1"})],
    )
    fake.add_dataset(
        dept, slug="deliberations-assemblee-departementale",
        title="Délibérations de l'Assemblée départementale",
        description="Délibérations adoptées en séance publique depuis 2025.",
        tags=["deliberations", "assemblee"], frequency="monthly",
        temporal_coverage={"start": "2025-01-01", "end": None},
        contact_points=contact,
        resources=[file("deliberations-2025.csv", "Délibérations 2025",
                        schema={"name": "scdl/deliberations", "version": "2.1.5"})],
    )
    fake.add_dataset(
        dept, slug="budget-primitif-2025",
        title="Budget primitif 2025",
        description="Budget primitif voté le 10 février 2025.",
        tags=["budget", "finances"], frequency="annual",
        temporal_coverage={"start": "2025-01-01", "end": "2025-12-31"},
        resources=[file("budget-primitif-2025.csv", "Budget primitif 2025",
                        schema={"name": "scdl/budget", "version": "0.8.3"})],
    )
    fake.add_dataset(
        dept, slug="routes-departementales-41",
        title="Routes départementales",
        description="Longueur des routes gérées par le Département.",
        tags=["routes", "voirie"], frequency="annual", license="odc-odbl",
        spatial={"zones": ["fr:departement:41", "fr:commune:41018"],
                 "granularity": "fr:commune", "geom": None},
        resources=[
            file("routes.csv", "Routes (CSV)",
                 checksum={"type": "sha256", "value": "9f" * 32}),
            fake.make_resource(2, title="Documentation", type="documentation",
                               format="html", mime="text/html",
                               url="https://www.departement41.fr/routes"),
        ],
    )
    fake.add_dataset(
        dept, slug="colleges-publics", title="Collèges publics de Loir-et-Cher",
        description="Liste des collèges publics et de leur commune.",
        tags=["education", "colleges"], frequency="annual", license="fr-lo",
        contact_points=contact,
        resources=[file("colleges.csv", "Collèges")],
    )
    fake.add_dataset(
        dept, slug="frequentation-musees", title="Fréquentation des musées",
        description="Visiteurs des musées départementaux.",
        tags=["culture", "tourisme"], frequency="annual",
        license="licence-du-departement",
        resources=[file("musees.csv", "Fréquentation 2024")],
    )
    fake.add_dataset(
        dept, slug="horaires-decheteries", title="Horaires des déchetteries",
        description=(
            "Horaires d'ouverture. <script>alert('piège')</script>"
            "[Voir le site](javascript:alert(1)) "
            "<img src=x onerror=alert(1)> [Site officiel](https://www.departement41.fr)"
        ),
        tags=["environnement", "dechets"], frequency="irregular",
        resources=[file("decheteries.csv", "Horaires")],
    )
    fake.add_dataset(
        blois, slug="parkings-blois", title="Parkings de Blois",
        description="Places de stationnement de la Ville de Blois.",
        tags=["stationnement"], resources=[file("parkings-blois.csv", "Parkings")],
    )


def _static(request: FakeRequest, name: str) -> FakeResponse:
    if name not in CSV_FILES:
        return FakeResponse(404, {"message": "Not found"})
    return FakeResponse(200, raw=CSV_FILES[name].encode(),
                        content_type="text/csv; charset=utf-8")


def generate(fake: FakeUdata, spec: str) -> None:
    slug, count, *rest = spec.split(":")
    resources = int(rest[0]) if rest else 3
    org = fake.add_organization(slug)
    for _ in range(int(count)):
        fake.add_dataset(org, resources=resources)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--generate", action="append", default=[],
                        metavar="SLUG:COUNT[:RESOURCES]")
    args = parser.parse_args(argv)

    fake = FakeUdata(args.host, args.port)
    fake.route("GET", r"/static/(?P<name>[^/]+)", _static)
    fake.start()
    if args.generate:
        for spec in args.generate:
            generate(fake, spec)
    else:
        demo_catalogue(fake)
    print(f"fake udata on {fake.url}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    fake.stop()


if __name__ == "__main__":
    main()
