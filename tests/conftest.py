"""Shared fixtures: the real database, with the harvest tables migrated."""
from __future__ import annotations

import pytest


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean_db, plus the tables of the plugins' own migrations."""
    reset_db()
    migrate_db_for("harvest")
    migrate_db_for("activity")
