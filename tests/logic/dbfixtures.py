"""A database reset once per test module (tests then use their own names).

Import ``fresh_db`` into a test module to use it: resetting the database for
each of a module's hundred small tests would take minutes.
"""
from __future__ import annotations

import pytest

_done: set[str] = set()


@pytest.fixture
def fresh_db(with_plugins, reset_db, migrate_db_for, request):
    module = request.module.__name__
    if module not in _done:
        reset_db()
        migrate_db_for("harvest")
        migrate_db_for("activity")
        _done.add(module)
