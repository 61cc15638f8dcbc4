"""The demo seed step of the SCDL datasets (dev/seed/20_scdl.py)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import ckanapi
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.logic.dbfixtures import fresh_db  # noqa: F401 (fixture)

SEED = Path(__file__).resolve().parent.parent / "dev" / "seed" / "20_scdl.py"


def _module():
    spec = importlib.util.spec_from_file_location("seed_20_scdl", SEED)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.usefixtures("fresh_db")
def test_seed_creates_validated_scdl_datasets_once(app):
    sysadmin = factories.Sysadmin()
    factories.Organization(name="departement-de-loir-et-cher")
    site = ckanapi.LocalCKAN(username=sysadmin["name"])
    seed = _module().seed
    with app.flask_app.test_request_context():
        seed(site)
        subsidies = call_action("package_show", id="subventions-2024")
        statuses = [r["validation_status"] for r in subsidies["resources"]]
        assert statuses == ["valid", "valid", "invalid"]
        assert call_action("package_show", id="deliberations-2024")["resources"][0][
            "validation_status"] == "valid"
        assert call_action("package_show", id="budget-scdl-2024")["resources"][0][
            "validation_status"] == "valid"
        summary = call_action("loiretcher_scdl_summary", id="subventions-2024")
        assert summary["files"] == 2 and summary["rows"] == 120
        modified = subsidies["metadata_modified"]
        seed(site)  # idempotent
        again = call_action("package_show", id="subventions-2024")
        assert again["metadata_modified"] == modified
        assert len(again["resources"]) == 3
