"""Demo: a ``datagouvfr`` harvest source on the local fake udata instance.

The fake instance is ``dev/fake_udata.py`` on http://127.0.0.1:8766 (started
in the background by ``make demo``). When it answers, the source is harvested
once, so the portal shows the Département's datasets; otherwise the source is
only created; ``ckan harvester job datagouvfr-demo`` (with the gather and fetch
consumers running) harvests it later.
"""
from __future__ import annotations

import json
from typing import Any

import requests

SOURCE = "datagouvfr-demo"
FAKE_URL = "http://127.0.0.1:8766"
ORGANIZATION = "departement-de-loir-et-cher"
CONFIG = {
    "organization": ORGANIZATION,
    "page_size": 50,
    "themes": {
        "subventions": ["subventions"],
        "budgets-finances": ["budget", "finances"],
        "deliberations-vie-institutionnelle": ["deliberations"],
        "transports-mobilite": ["routes", "voirie"],
        "education-jeunesse": ["education", "colleges"],
        "culture-tourisme": ["culture", "tourisme"],
        "environnement": ["environnement", "dechets"],
    },
}


def seed(site: Any) -> None:
    import ckanapi

    try:
        source = site.action.harvest_source_show(id=SOURCE)
    except ckanapi.NotFound:
        source = site.action.harvest_source_create(
            name=SOURCE,
            title="data.gouv.fr — Département de Loir-et-Cher (démo locale)",
            notes=(
                "Moissonnage des jeux de données publiés par le Département sur "
                "data.gouv.fr, ici une instance udata simulée en local "
                "(dev/fake_udata.py)."
            ),
            url=FAKE_URL,
            source_type="datagouvfr",
            owner_org=ORGANIZATION,
            frequency="MANUAL",
            config=json.dumps(CONFIG),
        )
        print(f"harvest source {SOURCE} created")
    if site.action.harvest_job_list(source_id=source["id"]):
        return
    try:
        requests.get(f"{FAKE_URL}/api/1/organizations/{ORGANIZATION}/", timeout=3)
    except requests.RequestException:
        print(f"{FAKE_URL} does not answer: start dev/fake_udata.py, then run "
              f"`ckan harvester job {SOURCE}` with the harvest consumers")
        return
    _harvest(source["id"])


def _harvest(source_id: str) -> None:
    """One harvest job in this process (no consumers are needed)."""
    from ckan.plugins import toolkit as tk
    from ckanext.harvest import queue
    from ckanext.harvest.model import HarvestJob
    from ckanext.harvest.tests.lib import run_harvest_job

    context = {"ignore_auth": True, "user": "admin"}
    job = tk.get_action("harvest_job_create")(
        context, {"source_id": source_id, "run": False}
    )
    harvester = queue.get_harvester("datagouvfr")
    results = run_harvest_job(HarvestJob.get(job["id"]), harvester)
    statuses = [str(r.get("report_status")) for r in results.values()]
    summary = ", ".join(f"{statuses.count(s)} {s}" for s in sorted(set(statuses)))
    print(f"harvested {len(statuses)} datasets from the fake data.gouv.fr: {summary}")
