"""Shared set-up of the publisher tests: plugins, options, a fake data.gouv.fr."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ckan.cli
import ckan.plugins
import pytest

from tests.dcat.portal import SETTINGS, create_dataset
from tests.fakes.udata_write import FakeUdataWrite

KEY = "udata_s3cr3t-key-0123456789abcdef"


@pytest.fixture
def udata() -> Iterator[FakeUdataWrite]:
    server = FakeUdataWrite(api_key=KEY).start()
    server.org = server.add_member_organization(  # type: ignore[attr-defined]
        "departement-de-loir-et-cher", name="Département de Loir-et-Cher"
    )
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def publishing(
    ckan_config: Any, monkeypatch: pytest.MonkeyPatch, udata: FakeUdataWrite,
    reset_db: Any, migrate_db_for: Any, clean_index: Any,
) -> Iterator[FakeUdataWrite]:
    """The portal (its plugins and scheming schemas) with the publisher
    pointed at the fake instance, automatic publication off."""
    for key, value in {
        **SETTINGS,
        # The command prints its plan in this language (tests assert on it).
        "ckan.locale_default": "fr",
        "ckanext.loiretcher.datagouv.url": udata.url,
        "ckanext.loiretcher.datagouv.organization": udata.org["id"],  # type: ignore[attr-defined]
        "ckanext.loiretcher.datagouv.api_key": KEY,
        "ckanext.loiretcher.datagouv.publish": False,
    }.items():
        monkeypatch.setitem(ckan_config, key, value)
    # As CKAN's with_extended_cli: `ckan ...` run by the `cli` fixture starts
    # from this test's configuration, not from the ini file again.
    monkeypatch.setattr(ckan.cli, "load_config", lambda _: ckan_config)
    ckan.plugins.load_all()
    # As the project's clean_db, once the harvest plugin is loaded.
    reset_db()
    migrate_db_for("harvest")
    migrate_db_for("activity")
    try:
        yield udata
    finally:
        ckan.plugins.unload_all()


def create(dataset_type: str = "dataset", **overrides: Any) -> dict[str, Any]:
    """A dataset of the portal as its users create it (tests/dcat/portal.py):
    a ``dataset`` has one linked CSV file; an SCDL dataset has a valid then an
    invalid uploaded file, validated by the portal."""
    return create_dataset(dataset_type, **overrides)
