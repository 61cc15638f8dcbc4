"""A fake udata instance that also takes writes: what the publisher talks to.

On top of :class:`tests.fakes.udata.FakeUdata` (reads, scripted faults) it
serves ``POST/PUT/DELETE`` on datasets and their resources the way udata's
API v1 does: ``X-API-KEY`` required (401 otherwise), the key's owner must be
a member of the dataset's organization (403 otherwise), udata's validation
rules give 400 with ``{"errors": {field: [messages]}, "message": ...}``,
created records come back in udata's shape (201). Every request is recorded
(``requests``), headers included, so tests can look for a leaked key.
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fakes.udata import FakeRequest, FakeResponse, FakeUdata

__all__ = ["FakeUdataWrite", "fake_udata_write"]

LICENSES = frozenset((
    "lov2", "fr-lo", "odc-odbl", "odc-by", "odc-pddl", "cc-by", "cc-by-sa",
    "cc-zero", "other-open", "other-pd", "other-at", "notspecified",
))
FREQUENCIES = frozenset((
    "continuous oneMinute fiveMinutes tenMinutes fifteenMinutes thirtyMinutes "
    "hourly bihourly trihourly twelveHours severalTimesADay threeTimesADay "
    "semidaily daily fiveTimesAWeek threeTimesAWeek semiweekly weekly biweekly "
    "threeTimesAMonth semimonthly monthly bimonthly quarterly threeTimesAYear "
    "semiannual annual biennial triennial quadrennial quinquennial decennial "
    "bidecennial tridecennial punctual irregular never notPlanned other unknown"
).split())
RESOURCE_TYPES = frozenset(("main", "documentation", "update", "api", "code", "other"))
CHECKSUM_TYPES = frozenset(("sha1", "sha2", "sha256", "md5", "crc"))
# The schema catalogue udata checks resource schemas against.
SCHEMAS = {
    "scdl/subventions": {"2.0.0", "2.1.0", "2.1.1"},
    "scdl/deliberations": {"2.1.3", "2.1.5"},
    "scdl/budget": {"0.8.2", "0.8.3"},
}
ZONE = re.compile(r"^fr:(pays|region|departement|epci|commune):[0-9A-Za-z]+$")
DATASET_FIELDS = (
    "title", "description", "tags", "license", "frequency", "temporal_coverage",
    "spatial", "private", "extras", "archived", "deleted", "acronym",
)
RESOURCE_FIELDS = (
    "title", "description", "url", "filetype", "type", "format", "mime",
    "filesize", "checksum", "schema", "extras",
)


class FakeUdataWrite(FakeUdata):
    """A fake udata that accepts writes made with ``api_key`` by a member of
    the organizations in ``member_of``."""

    def __init__(self, api_key: str = "udata_test_key", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.api_key = api_key
        self.member_of: set[str] = set()
        dataset = r"/api/1/datasets/(?P<ident>[^/]+)/"
        self.route("POST", r"/api/1/datasets/", self._create_dataset)
        self.route("PUT", dataset, self._update_dataset)
        self.route("DELETE", dataset, self._delete_dataset)
        self.route("POST", dataset + "resources/", self._create_resource)
        self.route("PUT", dataset + r"resources/(?P<rid>[^/]+)/", self._update_resource)
        self.route(
            "DELETE", dataset + r"resources/(?P<rid>[^/]+)/", self._delete_resource
        )

    def add_member_organization(self, slug: str, **fields: Any) -> dict[str, Any]:
        """An organization the key's owner may publish in."""
        org = self.add_organization(slug, **fields)
        self.member_of.add(org["id"])
        return org

    def writes(self) -> list[FakeRequest]:
        """Every write request received, in order."""
        with self.lock:
            return [r for r in self.requests if r.method in ("POST", "PUT", "DELETE")
                    and r.path.startswith("/api/")]

    def published(self, ckan_id: str) -> list[dict[str, Any]]:
        """The live (not deleted) datasets carrying a CKAN id in their extras."""
        with self.lock:
            return [
                r for r in self.datasets.values()
                if r["extras"].get("loiretcher:ckan_id") == ckan_id
                and not r["deleted"]
            ]

    # -- auth and validation ----------------------------------------------------

    def _auth(self, request: FakeRequest, org_id: str | None) -> FakeResponse | None:
        key = {k.lower(): v for k, v in request.headers.items()}.get("x-api-key")
        if not key or key != self.api_key:
            return FakeResponse(401, {"message": "Invalid API Key", "status": 401})
        if org_id is not None and org_id not in self.member_of:
            return FakeResponse(
                403, {"message": "You do not have the permission to modify that "
                      "object.", "status": 403}
            )
        return None

    def _dataset_errors(self, data: Any, creating: bool) -> dict[str, list[str]]:
        if not isinstance(data, dict):
            return {"request": ["expecting a JSON object"]}
        errors: dict[str, list[str]] = {}
        for key in ("title", "description"):
            if (creating or key in data) and not str(data.get(key) or "").strip():
                errors[key] = ["This field is required."]
        if "license" in data and data["license"] not in LICENSES:
            errors["license"] = ["Not a valid choice"]
        if "frequency" in data and data["frequency"] not in FREQUENCIES:
            errors["frequency"] = ["Not a valid choice"]
        coverage = data.get("temporal_coverage")
        if coverage and coverage.get("start") and coverage.get("end") and (
            coverage["start"] > coverage["end"]
        ):
            errors["temporal_coverage"] = ["Start date must be before end date"]
        spatial = data.get("spatial") or {}
        bad = [z for z in spatial.get("zones") or [] if not ZONE.match(str(z))]
        if bad:
            errors["spatial"] = [f"Unknown spatial zone(s): {', '.join(bad)}"]
        extras = data.get("extras")
        if extras is not None and not isinstance(extras, dict):
            errors["extras"] = ["Unsupported data type"]
        return errors

    def _resource_errors(self, data: Any) -> dict[str, list[str]]:
        if not isinstance(data, dict):
            return {"request": ["expecting a JSON object"]}
        errors: dict[str, list[str]] = {}
        if not str(data.get("title") or "").strip():
            errors["title"] = ["This field is required."]
        if not str(data.get("url") or "").startswith(("http://", "https://")):
            errors["url"] = ["Invalid URL"]
        if data.get("type", "main") not in RESOURCE_TYPES:
            errors["type"] = ["Not a valid choice"]
        checksum = data.get("checksum")
        if checksum and checksum.get("type") not in CHECKSUM_TYPES:
            errors["checksum"] = ["Not a valid choice"]
        schema = data.get("schema")
        if schema and schema.get("name"):
            versions = SCHEMAS.get(schema["name"])
            if versions is None:
                errors["schema"] = [
                    f'Schema name "{schema["name"]}" is not an allowed value.'
                ]
            elif schema.get("version") and schema["version"] not in versions:
                errors["schema"] = [
                    f'Version "{schema["version"]}" is not an allowed value for '
                    f'the schema "{schema["name"]}".'
                ]
        return errors

    @staticmethod
    def _invalid(errors: dict[str, list[str]]) -> FakeResponse:
        return FakeResponse(400, {"errors": errors, "message": "Validation error"})

    def _live(self, ident: str) -> dict[str, Any] | FakeResponse:
        try:
            record = self.dataset(ident)
        except KeyError:
            return FakeResponse(404, {"message": "Not found", "status": 404})
        if record["deleted"]:
            return FakeResponse(410, {"message": "Dataset has been deleted"})
        return record

    def _writable(
        self, request: FakeRequest, ident: str
    ) -> dict[str, Any] | FakeResponse:
        """The live dataset ``ident`` if the request's key may change it, else
        the answer udata gives (404, 410, 401 or 403)."""
        record = self._live(ident)
        if isinstance(record, FakeResponse):
            return record
        denied = self._auth(request, (record.get("organization") or {}).get("id", ""))
        return denied or record

    # -- dataset routes -----------------------------------------------------------

    def _create_dataset(self, request: FakeRequest) -> FakeResponse:
        data = request.json()
        org_id = data.get("organization") if isinstance(data, dict) else None
        denied = self._auth(request, org_id or "")
        if denied:
            return denied
        errors = self._dataset_errors(data, creating=True)
        if errors:
            return self._invalid(errors)
        fields = {k: data[k] for k in DATASET_FIELDS if k in data}
        fields.setdefault("license", "notspecified")
        fields.setdefault("frequency", "unknown")
        fields.setdefault("tags", [])
        fields.setdefault("extras", {})
        if "spatial" in fields:
            fields["spatial"] = {"geom": None, "granularity": "other",
                                 **fields["spatial"]}
        if "temporal_coverage" not in fields:
            fields["temporal_coverage"] = None
        fields.setdefault("spatial", None)
        record = self.add_dataset(self.organization(org_id), resources=[], **fields)
        return FakeResponse(201, self.public(record))

    def _update_dataset(self, request: FakeRequest, ident: str) -> FakeResponse:
        record = self._writable(request, ident)
        if isinstance(record, FakeResponse):
            return record
        data = request.json()
        errors = self._dataset_errors(data, creating=False)
        if errors:
            return self._invalid(errors)
        changes = {k: data[k] for k in DATASET_FIELDS if k in data}
        if "spatial" in changes and changes["spatial"] is not None:
            changes["spatial"] = {"geom": None, "granularity": "other",
                                  **changes["spatial"]}
        record = self.update_dataset(record["id"], **changes)
        return FakeResponse(200, self.public(record))

    def _delete_dataset(self, request: FakeRequest, ident: str) -> FakeResponse:
        record = self._writable(request, ident)
        if isinstance(record, FakeResponse):
            return record
        self.delete_dataset(record["id"])
        return FakeResponse(204, raw=b"")

    # -- resource routes -----------------------------------------------------------

    def _create_resource(self, request: FakeRequest, ident: str) -> FakeResponse:
        record = self._writable(request, ident)
        if isinstance(record, FakeResponse):
            return record
        data = request.json()
        errors = self._resource_errors(data)
        if errors:
            return self._invalid(errors)
        fields = {k: data[k] for k in RESOURCE_FIELDS if k in data}
        fields.setdefault("extras", {})
        fields.setdefault("schema", {})
        fields.setdefault("checksum", None)
        with self.lock:
            resource = self.make_resource(
                len(record["resources"]) + 1, id=str(uuid.uuid4()), **fields
            )
            record["resources"].append(resource)
            record["last_modified"] = record["last_update"] = self.now()
        return FakeResponse(201, resource)

    def _update_resource(
        self, request: FakeRequest, ident: str, rid: str
    ) -> FakeResponse:
        found = self._resource(request, ident, rid)
        if isinstance(found, FakeResponse):
            return found
        record, index = found
        data = request.json()
        errors = self._resource_errors(data)
        if errors:
            return self._invalid(errors)
        changes = {k: data[k] for k in RESOURCE_FIELDS if k in data}
        self.update_resource(record["id"], index, **changes)
        return FakeResponse(200, record["resources"][index])

    def _delete_resource(
        self, request: FakeRequest, ident: str, rid: str
    ) -> FakeResponse:
        found = self._resource(request, ident, rid)
        if isinstance(found, FakeResponse):
            return found
        record, index = found
        with self.lock:
            del record["resources"][index]
            record["last_modified"] = record["last_update"] = self.now()
        return FakeResponse(204, raw=b"")

    def _resource(
        self, request: FakeRequest, ident: str, rid: str
    ) -> tuple[dict[str, Any], int] | FakeResponse:
        record = self._writable(request, ident)
        if isinstance(record, FakeResponse):
            return record
        for index, resource in enumerate(record["resources"]):
            if resource["id"] == rid:
                return record, index
        return FakeResponse(404, {"message": "Resource not found", "status": 404})


@pytest.fixture
def fake_udata_write() -> Iterator[FakeUdataWrite]:
    """A running :class:`FakeUdataWrite` with one member organization
    (``fake_udata_write.org``), stopped after the test."""
    server = FakeUdataWrite().start()
    server.org = server.add_member_organization(  # type: ignore[attr-defined]
        "departement-de-loir-et-cher", name="Département de Loir-et-Cher"
    )
    try:
        yield server
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> None:
    """Serve a fake data.gouv.fr that takes writes, for the demo::

        python -m tests.fakes.udata_write --port 8767 --api-key demo-key

    It prints the organization id to set in
    ``ckanext.loiretcher.datagouv.organization``.
    """
    import argparse
    import time

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--api-key", default="demo-key")
    args = parser.parse_args(argv)
    server = FakeUdataWrite(api_key=args.api_key, port=args.port).start()
    org = server.add_member_organization(
        "departement-de-loir-et-cher", name="Département de Loir-et-Cher",
        id="5a83f81fc751df6f8573eb8a",
    )
    print(f"fake data.gouv.fr on {server.url}, organization {org['id']}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
