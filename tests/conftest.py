"""Shared fixtures: the real database, with the plugins' tables migrated."""
from __future__ import annotations

import pytest
from ckan import model
from sqlalchemy import inspect

_PLUGINS = ("harvest", "activity")


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean_db, plus the tables of the plugins' own migrations.

    CKAN empties the tables it knows between tests and only drops them the
    first time: a plugin's migrations run again only when its alembic version
    table is gone with them.
    """
    reset_db()
    inspector = inspect(model.meta.engine)
    for plugin in _PLUGINS:
        if not inspector.has_table(f"{plugin}_alembic_version"):
            migrate_db_for(plugin)
