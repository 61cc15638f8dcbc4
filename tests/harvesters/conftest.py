"""Fixtures of the harvester tests: a fake udata instance, harvest sources and
a harvest run through ckanext-harvest's real Redis queues."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action
from ckanext.harvest import queue

from tests.fakes.udata import FakeUdata, fake_udata

__all__ = ["fake_udata", "harvest", "harvest_queues", "make_source", "sysadmin"]


def pytest_configure(config: pytest.Config) -> None:
    # CKAN's pytest plugin does not declare its marks; --strict-markers is on.
    for mark in ("ckan_config", "with_plugins"):
        config.addinivalue_line("markers", f"{mark}: CKAN test mark")


@pytest.fixture
def harvest_queues() -> Iterator[None]:
    """Empty gather and fetch queues (Redis) before and after the test."""
    queue.purge_queues()
    yield
    queue.purge_queues()


@pytest.fixture
def sysadmin() -> dict[str, Any]:
    return factories.Sysadmin()


@pytest.fixture
def make_source(
    fake_udata: FakeUdata, sysadmin: dict[str, Any]
) -> Callable[..., dict[str, Any]]:
    """Create a ``datagouvfr`` harvest source on the fake instance."""
    counter = iter(range(1, 1000))

    def make(config: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
        number = next(counter)
        data = {
            "name": f"udata-source-{number}",
            "title": f"Source udata {number}",
            "url": fake_udata.url,
            "source_type": "datagouvfr",
            "config": json.dumps(config if config is not None else {}),
        }
        data.update(fields)
        return call_action("harvest_source_create", {"user": sysadmin["name"]}, **data)

    return make


def run_harvest(source_id: str, user: str) -> dict[str, Any]:
    """One job of ``source_id`` the way production runs it: the job goes to
    the gather queue, the gather consumer's callback sends the objects to the
    fetch queue, the fetch consumer's callback fetches and imports them, then
    ``harvest_jobs_run`` closes the job. Returns the job with its stats."""
    context = {"user": user}
    job = call_action("harvest_job_create", context, source_id=source_id, run=True)
    gather = queue.get_gather_consumer()
    reply = gather.basic_get(queue=queue.get_gather_queue_name())
    assert reply[2] is not None, "the job was not put on the gather queue"
    queue.gather_callback(gather, *reply)
    fetch = queue.get_fetch_consumer()
    while True:
        reply = fetch.basic_get(queue=queue.get_fetch_queue_name())
        if reply[2] is None:
            break
        queue.fetch_callback(fetch, *reply)
    model.Session.remove()
    call_action("harvest_jobs_run", context, source_id=source_id)
    return call_action("harvest_job_show", context, id=job["id"])


@pytest.fixture
def harvest(
    harvest_queues: None, sysadmin: dict[str, Any]
) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """``harvest(source)`` runs one job and returns it (see run_harvest)."""

    def run(source: dict[str, Any]) -> dict[str, Any]:
        return run_harvest(source["id"], sysadmin["name"])

    return run
