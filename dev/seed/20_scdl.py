"""Demo seed step: SCDL datasets (subsidies, deliberations, budget) with files.

Run by ``dev/seed_demo.py`` with ``site`` a ``ckanapi.LocalCKAN`` acting as the
sysadmin. The files are generated here (fixed seed, so every run writes the
same bytes) and uploaded through ``resource_create``, so the portal validates
them as it would a publisher's: the subsidies dataset shows the "valide"
badge and its charts, and one deliberately wrong draft shows the "invalide"
badge with its table of errors. Idempotent: a dataset that exists keeps its
files.
"""
from __future__ import annotations

import csv
import datetime
import io
import random
from typing import Any

ORGANIZATION = "departement-de-loir-et-cher"
DEPARTEMENT = "Département de Loir-et-Cher"
DEPARTEMENT_SIRET = "22410001600019"

BENEFICIARIES = [
    "Association Blois Basket 41", "Comité départemental de randonnée pédestre",
    "Compagnie théâtrale La Chaloupe", "Ensemble vocal de Vendôme",
    "Foyer rural de Mer", "Les Restos du Cœur de Loir-et-Cher",
    "Mission locale du Blaisois", "Office de tourisme de Chambord",
    "Union musicale de Romorantin", "Club cycliste de Montoire",
    "Centre social de Salbris", "Festival des Rendez-vous de l'histoire",
]
OBJECTS = [
    "Fonctionnement annuel de l'association", "Organisation d'un festival",
    "Actions d'insertion des jeunes", "Équipement sportif",
    "Aide alimentaire d'urgence", "Saison culturelle",
]
MATTERS = [
    ("1.1", "Commande publique/Marchés publics"),
    ("3.1", "Domaine et patrimoine/Acquisitions"),
    ("4.1", "Fonction publique/Personnels titulaires et stagiaires de la FPT"),
    ("5.2", "Institutions et vie politique/Fonctionnement des assemblées"),
    ("7.1", "Finances locales/Décisions budgétaires"),
    ("7.5", "Finances locales/Subventions"),
    ("8.1", "Domaines de compétences par thèmes/Enseignement"),
    ("8.4", "Domaines de compétences par thèmes/Aménagement du territoire"),
]
SESSIONS = ["2024-02-05", "2024-03-25", "2024-06-24", "2024-10-14", "2024-12-16"]


def _luhn(body: str) -> str:
    """``body`` followed by its Luhn check digit."""
    for last in "0123456789":
        total = 0
        for position, char in enumerate(reversed(body + last)):
            value = int(char) * (2 if position % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return body + last
    raise AssertionError(body)


def _siret(rng: random.Random) -> str:
    siren = _luhn(f"{rng.randrange(10**7, 10**8)}")
    return _luhn(siren + f"{rng.randrange(1, 10**4):04d}")


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def subsidies(year: int) -> bytes:
    return _csv(_subsidy_rows(year))


def _subsidy_rows(year: int) -> list[dict[str, str]]:
    rng = random.Random(41 + year)
    ids = {name: _siret(random.Random(name)) for name in BENEFICIARIES}
    rows = []
    for number in range(60):
        name = rng.choice(BENEFICIARIES)
        date = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(350))
        amount = rng.choice([500, 1200, 2500, 4000, 8000, 15000, 30000])
        nature = "aide en nature" if number % 9 == 0 else "aide en numéraire"
        rows.append({
            "nomAttribuant": DEPARTEMENT,
            "idAttribuant": DEPARTEMENT_SIRET,
            "dateConvention": date.isoformat(),
            "referenceDecision": f"CP-{year}-{number + 1:03d}",
            "nomBeneficiaire": name,
            "idBeneficiaire": ids[name],
            "rnaBeneficiaire": "",
            "objet": rng.choice(OBJECTS),
            "montant": f"{amount + rng.randrange(100) / 4:.2f}",
            "nature": nature,
            "conditionsVersement": "unique",
            "datesPeriodeVersement": (date + datetime.timedelta(days=30)).isoformat(),
            "idRAE": "",
            "notificationUE": "non",
            "pourcentageSubvention": rng.choice(["1", "0.5", "0.8"]),
            "dispositifAide": "",
        })
    return rows


def subsidies_draft(year: int) -> bytes:
    """A draft with the mistakes publishers make: the "invalide" badge."""
    rows = _subsidy_rows(year)[:5]
    rows[1]["dateConvention"] = f"15/03/{year}"  # French date
    rows[2]["montant"] = "1500,50"  # decimal comma
    rows[3]["notificationUE"] = "yes"  # boolean in English
    return _csv(rows)


def deliberations(year: int) -> bytes:
    rng = random.Random(4100 + year)
    rows = []
    for number in range(36):
        session = SESSIONS[number % len(SESSIONS)]
        code, matter = rng.choice(MATTERS)
        present = rng.randrange(36, 43)
        against = rng.choice([0, 0, 0, 2, 5, 12, 25])
        abstain = rng.choice([0, 0, 1, 3])
        voted = present - rng.randrange(0, 2)
        yes = voted - against - abstain
        rows.append({
            "COLL_NOM": DEPARTEMENT,
            "COLL_SIRET": DEPARTEMENT_SIRET,
            "DELIB_ID": f"CD-{year}-{number + 1:03d}",
            "DELIB_DATE": session.replace("2024", str(year)),
            "DELIB_MATIERE_CODE": code,
            "DELIB_MATIERE_NOM": matter,
            "DELIB_OBJET": f"Délibération n° {number + 1} de la séance",
            "BUDGET_ANNEE": str(year) if code.startswith("7.") else "",
            "BUDGET_NOM": "Budget principal" if code.startswith("7.") else "",
            "PREF_ID": "",
            "PREF_DATE": "",
            "VOTE_EFFECTIF": "42",
            "VOTE_REEL": str(voted),
            "VOTE_POUR": str(yes),
            "VOTE_CONTRE": str(against),
            "VOTE_ABSTENTION": str(abstain),
            "DELIB_URL": "",
        })
    return _csv(rows)


def budget(year: int) -> bytes:
    lines = [
        ("6574", "Subventions de fonctionnement aux personnes de droit privé", "65",
         "Autres charges de gestion courante", "fonctionnement", "dépense",
         "12500000.00"),
        ("6411", "Personnel titulaire", "64", "Charges de personnel",
         "fonctionnement", "dépense", "98000000.00"),
        ("7311", "Contributions directes", "73", "Impôts et taxes", "fonctionnement",
         "recette", "150000000.00"),
        ("2315", "Installations, matériel et outillage techniques", "23",
         "Immobilisations en cours", "investissement", "dépense", "42000000.00"),
    ]
    rows = []
    for contnat, contnat_label, nature, nature_label, section, way, amount in lines:
        rows.append({
            "BGT_NATDEC": "budget primitif", "BGT_ANNEE": str(year),
            "BGT_SIRET": DEPARTEMENT_SIRET, "BGT_NOM": DEPARTEMENT,
            "BGT_CONTNAT": contnat, "BGT_CONTNAT_LABEL": contnat_label,
            "BGT_NATURE": nature, "BGT_NATURE_LABEL": nature_label,
            "BGT_FONCTION": "", "BGT_FONCTION_LABEL": "", "BGT_OPERATION": "",
            "BGT_SECTION": section, "BGT_OPBUDG": "réel", "BGT_CODRD": way,
            "BGT_MTREAL": "", "BGT_MTBUDGPREC": "", "BGT_MTRARPREC": "",
            "BGT_MTPROPNOUV": amount, "BGT_MTPREV": amount, "BGT_CREDOUV": amount,
            "BGT_MTRAR3112": "", "BGT_ARTSPE": "non spécialisé",
        })
    return _csv(rows)


DATASETS: list[dict[str, Any]] = [
    {
        "type": "subvention",
        "name": "subventions-2024",
        "title": "Subventions attribuées par le Département en 2024",
        "notes": "Conventions de subvention signées en 2024, au format SCDL.",
        "year": "2024",
        "temporal_start": "2024-01-01",
        "temporal_end": "2024-12-31",
        "theme": ["subventions"],
        "contact_name": "Direction des finances",
        "contact_email": "opendata@departement41.fr",
        "files": [
            ("subventions-2024.csv", "Subventions 2024", lambda: subsidies(2024)),
            ("subventions-2023.csv", "Subventions 2023", lambda: subsidies(2023)),
            ("subventions-2025-brouillon.csv", "Brouillon 2025 (à corriger)",
             lambda: subsidies_draft(2025)),
        ],
    },
    {
        "type": "deliberation",
        "name": "deliberations-2024",
        "title": "Délibérations du Conseil départemental en 2024",
        "notes": "Délibérations votées en séance plénière, au format SCDL.",
        "year": "2024",
        "theme": ["deliberations-vie-institutionnelle"],
        "files": [
            ("deliberations-2024.csv", "Délibérations 2024",
             lambda: deliberations(2024)),
        ],
    },
    {
        "type": "budget",
        "name": "budget-scdl-2024",
        "title": "Budget primitif 2024 (SCDL)",
        "notes": "Extrait du budget primitif 2024, au format SCDL budget.",
        "year": "2024",
        "theme": ["budgets-finances"],
        "files": [("budget-2024.csv", "Budget primitif 2024", lambda: budget(2024))],
    },
]


def _known_themes(site: Any, names: list[str]) -> list[str]:
    try:
        schema = site.action.scheming_dataset_schema_show(type="subvention")
    except Exception:  # scheming not set up: no theme field
        return []
    fields = {f["field_name"]: f for f in schema["dataset_fields"]}
    if "theme" not in fields:
        return []
    from ckanext.loiretcher import themes

    return [name for name in names if name in themes.theme_names()]


def seed(site: Any) -> None:
    import ckanapi

    for spec in DATASETS:
        spec = dict(spec)
        files = spec.pop("files")
        spec["theme"] = _known_themes(site, spec["theme"])
        try:
            site.action.package_show(id=spec["name"])
            continue
        except ckanapi.NotFound:
            pass
        dataset = site.action.package_create(owner_org=ORGANIZATION, **spec)
        for filename, title, make in files:
            site.call_action(
                "resource_create",
                {"package_id": dataset["id"], "name": title, "format": "CSV"},
                files={"upload": (filename, io.BytesIO(make()))},
            )
        shown = site.action.package_show(id=dataset["id"])
        statuses = [r.get("validation_status") for r in shown["resources"]]
        print(f"dataset {spec['name']} created; files: {', '.join(map(str, statuses))}")
