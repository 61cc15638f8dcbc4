"""A fake udata instance (data.gouv.fr) on 127.0.0.1 for tests, benchmarks, demo.

It serves the read side of the API v1 from memory, in the shapes of udata's
own serialisers (``udata/core/dataset/api_fields.py``): the ``/datasets/``
listing with its filters, an organization's datasets, one dataset, one
organization, with ``page``/``page_size`` and ``next_page`` URLs that point
back at the server. Tests script it: datasets appear, change, disappear, get
deleted or archived; requests fail with any status (``Retry-After`` included),
hang, drop the connection, return HTML, truncated JSON, a repeated page or a
wrong ``total``.

Extend it by subclassing :class:`FakeUdata` and calling :meth:`FakeUdata.route`
in ``__init__`` (a write server adds POST/PUT/DELETE routes the same way).

``/_fake/...`` control routes let a person script it from a shell (the demo)::

    curl -X POST http://127.0.0.1:8766/_fake/datasets/<id-or-slug>/remove
    curl -X POST http://127.0.0.1:8766/_fake/fail -d '{"path": "/api/", "status": 500}'
    curl -X POST http://127.0.0.1:8766/_fake/reset
"""
from __future__ import annotations

import copy
import datetime as dt
import hashlib
import itertools
import json
import re
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import pytest

__all__ = ["FakeRequest", "FakeResponse", "FakeUdata", "fake_udata"]

OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
EPOCH = dt.datetime(2025, 1, 6, 9, 0, tzinfo=dt.timezone.utc)


@dataclass
class FakeRequest:
    """A request as a route handler sees it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes = b""

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else default

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class FakeResponse:
    """What a route handler returns: JSON (any value) or raw bytes."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    content_type: str = "application/json"


@dataclass
class _Fault:
    pattern: re.Pattern[str]
    methods: frozenset[str] | None
    remaining: int | None
    status: int | None = None
    retry_after: str | None = None
    delay: float = 0.0
    html: bool = False
    truncate: bool = False
    drop: bool = False
    transform: Callable[[Any], Any] | None = None


class FakeUdata:
    """A scriptable udata instance: ``with FakeUdata() as udata: udata.url``."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.organizations: dict[str, dict[str, Any]] = {}
        self.datasets: dict[str, dict[str, Any]] = {}
        # The last requests (a long-running demo server must not grow).
        self.requests: deque[FakeRequest] = deque(maxlen=100_000)
        self.total_offset = 0
        self.repeat_page: int | None = None
        # False: listings give resources as a link, like API v2 (the full
        # record is then only on the dataset's own URL).
        self.inline_resources = True
        self.lock = threading.RLock()
        self._faults: list[_Fault] = []
        self._routes: list[tuple[str, re.Pattern[str], Callable[..., FakeResponse]]]
        self._routes = []
        self._ids = itertools.count(1)
        self._clock = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.route("GET", r"/api/1/datasets/", self._list_datasets)
        self.route("GET", r"/api/1/datasets/(?P<ident>[^/]+)/", self._show_dataset)
        self.route(
            "GET", r"/api/1/organizations/(?P<ident>[^/]+)/datasets/",
            self._list_organization_datasets,
        )
        self.route(
            "GET", r"/api/1/organizations/(?P<ident>[^/]+)/", self._show_organization
        )
        self.route(
            "POST", r"/_fake/datasets/(?P<ident>[^/]+)/(?P<action>[a-z]+)",
            self._control_dataset,
        )
        self.route("POST", r"/_fake/fail", self._control_fail)
        self.route("POST", r"/_fake/reset", self._control_reset)

    # -- lifecycle ----------------------------------------------------------

    @property
    def url(self) -> str:
        """Root of the instance, what a harvest source points at."""
        return f"http://{self.host}:{self.port}"

    def start(self) -> FakeUdata:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = _Server((self.host, self.port), handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fake-udata", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeUdata:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def route(
        self, method: str, pattern: str, handler: Callable[..., FakeResponse]
    ) -> None:
        """Serve ``method pattern`` (a regex on the path, named groups passed
        to ``handler(request, **groups)``). Later routes win."""
        self._routes.insert(0, (method.upper(), re.compile(pattern + "$"), handler))

    # -- the catalogue --------------------------------------------------------

    def new_id(self) -> str:
        """A udata-like ObjectId (24 hex digits), unique in this server."""
        return f"6{next(self._ids):023x}"

    def now(self) -> str:
        """A timestamp later than every previous one (ISO, UTC)."""
        tick = next(self._clock)
        return (EPOCH + dt.timedelta(minutes=tick)).isoformat()

    def add_organization(
        self, slug: str, name: str | None = None, **fields: Any
    ) -> dict[str, Any]:
        org = {
            "id": fields.pop("id", None) or self.new_id(),
            "name": name or slug.replace("-", " ").title(),
            "slug": slug,
            "acronym": None,
            "logo": None,
            "logo_thumbnail": None,
            "badges": [],
            "business_number_id": None,
            "created_at": self.now(),
            "last_modified": self.now(),
            "description": f"Organization {name or slug}",
            "url": None,
            "metrics": {"datasets": 0, "followers": 0, "members": 1, "reuses": 0},
        }
        org.update(fields)
        with self.lock:
            self.organizations[org["id"]] = org
        return org

    def make_resource(self, number: int = 1, **fields: Any) -> dict[str, Any]:
        """A resource in udata's shape (``resource_fields``)."""
        rid = fields.pop("id", None) or str(uuid.uuid4())
        stamp = self.now()
        content = f"{rid}:{stamp}".encode()
        resource = {
            "id": rid,
            "title": f"Fichier {number}",
            "description": f"Description du fichier {number}.",
            "filetype": "remote",
            "type": "main",
            "format": "csv",
            "url": f"https://static.example.org/{rid}.csv",
            "latest": f"https://www.data.gouv.fr/fr/datasets/r/{rid}",
            "checksum": {"type": "sha1", "value": hashlib.sha1(content).hexdigest()},
            "filesize": 1024 * number,
            "mime": "text/csv",
            "created_at": stamp,
            "last_modified": stamp,
            "metrics": {"views": 0},
            "harvest": None,
            "extras": {},
            "preview_url": None,
            "schema": {},
            "internal": {"created_at_internal": stamp, "last_modified_internal": stamp},
        }
        resource.update(fields)
        return resource

    def add_dataset(
        self,
        organization: dict[str, Any] | str | None = None,
        *,
        resources: int | list[dict[str, Any]] = 2,
        **fields: Any,
    ) -> dict[str, Any]:
        """Add a public dataset; ``fields`` override udata's defaults."""
        org = self._org(organization)
        did = fields.pop("id", None) or self.new_id()
        with self.lock:
            number = len(self.datasets) + 1
        title = fields.pop("title", None) or f"Jeu de données {number}"
        slug = fields.pop("slug", None) or _slugify(title) + f"-{did[-6:]}"
        stamp = self.now()
        if isinstance(resources, int):
            resources = [self.make_resource(n) for n in range(1, resources + 1)]
        record: dict[str, Any] = {
            "id": did,
            "title": title,
            "acronym": None,
            "slug": slug,
            "description": f"Description de **{title}**.",
            "description_short": None,
            "created_at": stamp,
            "last_modified": stamp,
            "last_update": stamp,
            "deleted": None,
            "archived": None,
            "featured": False,
            "private": False,
            "tags": ["loir-et-cher", "donnees-ouvertes"],
            "badges": [],
            "resources": resources,
            "community_resources": [],
            "frequency": "annual",
            "frequency_date": None,
            "harvest": None,
            "extras": {},
            "metrics": {"discussions": 0, "followers": 0, "reuses": 0, "views": 3},
            "organization": _org_ref(org) if org else None,
            "owner": None,
            "temporal_coverage": {"start": "2024-01-01", "end": "2024-12-31"},
            "spatial": {
                "geom": None,
                "zones": ["fr:departement:41"],
                "granularity": "fr:commune",
            },
            "license": "lov2",
            "access_type": "open",
            "quality": {"score": 0.5},
            "schema": None,
            "contact_points": [],
            "internal": {
                "created_at_internal": stamp,
                "last_modified_internal": stamp,
            },
        }
        record.update(fields)
        with self.lock:
            self.datasets[did] = record
        return record

    def add_datasets(
        self, count: int, organization: dict[str, Any] | str | None = None,
        **fields: Any,
    ) -> list[dict[str, Any]]:
        return [self.add_dataset(organization, **fields) for _ in range(count)]

    def update_dataset(self, ident: str, **changes: Any) -> dict[str, Any]:
        """Change a dataset the way udata does: ``last_modified`` moves on."""
        with self.lock:
            record = self.dataset(ident)
            stamp = self.now()
            record.update(changes)
            record["last_modified"] = changes.get("last_modified", stamp)
            record["last_update"] = record["last_modified"]
            return record

    def update_resource(self, ident: str, index: int, **changes: Any) -> None:
        with self.lock:
            record = self.dataset(ident)
            stamp = self.now()
            record["resources"][index].update(changes)
            record["resources"][index]["last_modified"] = stamp
            record["last_modified"] = record["last_update"] = stamp

    def remove_dataset(self, ident: str) -> None:
        """Gone entirely (or made private): out of every listing, 404."""
        with self.lock:
            del self.datasets[self.dataset(ident)["id"]]

    def delete_dataset(self, ident: str) -> None:
        """Deleted at the source: ``deleted`` set, 410 on its page."""
        self.update_dataset(ident, deleted=self.now())

    def archive_dataset(self, ident: str) -> None:
        self.update_dataset(ident, archived=self.now())

    def dataset(self, ident: str) -> dict[str, Any]:
        with self.lock:
            if ident in self.datasets:
                return self.datasets[ident]
            for record in self.datasets.values():
                if record["slug"] == ident:
                    return record
        raise KeyError(ident)

    def organization(self, ident: str) -> dict[str, Any]:
        with self.lock:
            if ident in self.organizations:
                return self.organizations[ident]
            for org in self.organizations.values():
                if org["slug"] == ident:
                    return org
        raise KeyError(ident)

    # -- faults ------------------------------------------------------------------

    def fail(
        self,
        path: str,
        *,
        status: int | None = None,
        retry_after: int | str | None = None,
        delay: float = 0.0,
        html: bool = False,
        truncate: bool = False,
        drop: bool = False,
        transform: Callable[[Any], Any] | None = None,
        times: int | None = 1,
        methods: tuple[str, ...] | None = None,
    ) -> None:
        """Make the next ``times`` requests (``None``: all) whose path and
        query match the regex ``path`` misbehave."""
        fault = _Fault(
            re.compile(path),
            frozenset(m.upper() for m in methods) if methods else None,
            times, status, None if retry_after is None else str(retry_after), delay,
            html, truncate, drop, transform,
        )
        with self.lock:
            self._faults.append(fault)

    def reset_faults(self) -> None:
        with self.lock:
            self._faults.clear()
            self.total_offset = 0
            self.repeat_page = None

    def count(self, path: str = "", method: str = "GET") -> int:
        """How many ``method`` requests were made to paths matching ``path``."""
        pattern = re.compile(path)
        with self.lock:
            return sum(
                1 for r in self.requests
                if r.method == method and pattern.search(r.path)
            )

    # -- HTTP dispatch -----------------------------------------------------------

    def handle(self, request: FakeRequest) -> tuple[FakeResponse, _Fault | None]:
        with self.lock:
            self.requests.append(request)
            fault = self._take_fault(request)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        if fault is not None and fault.status is not None:
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            return FakeResponse(
                fault.status, {"message": f"Fake error {fault.status}"}, headers
            ), fault
        if fault is not None and fault.html:
            page = b"<!DOCTYPE html><html><body><h1>Maintenance</h1></body></html>"
            return FakeResponse(200, raw=page, content_type="text/html"), fault
        for method, pattern, handler in self._routes:
            match = pattern.match(request.path)
            if match and method == request.method:
                groups = {k: unquote(v) for k, v in match.groupdict().items()}
                response = handler(request, **groups)
                break
        else:
            response = FakeResponse(404, {"message": "Not found", "status": 404})
        if fault is not None and fault.transform is not None:
            response.body = fault.transform(response.body)
        return response, fault

    def _take_fault(self, request: FakeRequest) -> _Fault | None:
        target = request.path + ("?" + urlencode(request.query, doseq=True)
                                 if request.query else "")
        for fault in self._faults:
            if fault.methods and request.method not in fault.methods:
                continue
            if not fault.pattern.search(target):
                continue
            if fault.remaining is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
            return fault
        return None

    # -- read routes -------------------------------------------------------------

    def _list_datasets(self, request: FakeRequest) -> FakeResponse:
        paging = _paging(request)
        if isinstance(paging, FakeResponse):
            return paging
        with self.lock:
            records = [
                r for r in self.datasets.values()
                if not r["private"] and not r["archived"] and not r["deleted"]
            ]
        org = request.arg("organization")
        if org is not None:
            if not OBJECT_ID.match(org):
                return FakeResponse(
                    400, {"message": "Organization arg must be an identifier"}
                )
            records = [r for r in records
                       if r["organization"] and r["organization"]["id"] == org]
        for tag in request.query.get("tag", []):
            records = [r for r in records if tag in r["tags"]]
        query = (request.arg("q") or "").lower().split()
        if query:
            records = [r for r in records if all(
                word in " ".join([r["title"], r["description"] or "", *r["tags"]])
                .lower() for word in query
            )]
        return self._page(request, _sorted(records, request.arg("sort")), *paging)

    def _list_organization_datasets(
        self, request: FakeRequest, ident: str
    ) -> FakeResponse:
        paging = _paging(request)
        if isinstance(paging, FakeResponse):
            return paging
        try:
            org = self.organization(ident)
        except KeyError:
            return FakeResponse(404, {"message": "Not found", "status": 404})
        with self.lock:
            records = [
                r for r in self.datasets.values()
                if not r["private"]
                and r["organization"] and r["organization"]["id"] == org["id"]
            ]
        return self._page(request, _sorted(records, request.arg("sort")), *paging)

    def _show_dataset(self, request: FakeRequest, ident: str) -> FakeResponse:
        try:
            record = self.dataset(ident)
        except KeyError:
            return FakeResponse(404, {"message": "Not found", "status": 404})
        if record["deleted"]:
            return FakeResponse(410, {"message": "Dataset has been deleted"})
        if record["private"]:
            return FakeResponse(404, {"message": "Not found", "status": 404})
        return FakeResponse(200, self.public(record))

    def _show_organization(self, request: FakeRequest, ident: str) -> FakeResponse:
        try:
            org = self.organization(ident)
        except KeyError:
            return FakeResponse(404, {"message": "Not found", "status": 404})
        body = dict(org, page=f"{self.url}/fr/organizations/{org['slug']}/",
                    uri=f"{self.url}/api/1/organizations/{org['id']}/")
        return FakeResponse(200, body)

    def _page(
        self, request: FakeRequest, records: list[dict[str, Any]], page: int,
        size: int,
    ) -> FakeResponse:
        shown_page = page
        if self.repeat_page is not None and page == self.repeat_page and page > 1:
            shown_page = page - 1
        chunk = records[(shown_page - 1) * size: shown_page * size]
        total = len(records) + self.total_offset

        def link(number: int) -> str:
            query = {k: v for k, v in request.query.items()
                     if k not in ("page", "page_size")}
            query.update(page=[str(number)], page_size=[str(size)])
            return f"{self.url}{request.path}?{urlencode(query, doseq=True)}"

        data = [self.public(r) for r in chunk]
        if not self.inline_resources:
            for body in data:
                body["resources"] = {
                    "rel": "subsection", "type": "GET",
                    "href": f"{self.url}/api/2/datasets/{body['id']}/resources/",
                    "total": len(body["resources"]),
                }
        return FakeResponse(200, {
            "data": data,
            "page": page,
            "page_size": size,
            "total": total,
            "next_page": link(page + 1) if page * size < len(records) else None,
            "previous_page": link(page - 1) if page > 1 else None,
        })

    def public(self, record: dict[str, Any]) -> dict[str, Any]:
        """A dataset as the API shows it (URLs of this server filled in)."""
        with self.lock:
            body = copy.deepcopy(record)
        body["page"] = f"{self.url}/fr/datasets/{record['slug']}/"
        body["uri"] = f"{self.url}/api/1/datasets/{record['id']}/"
        return body

    def _org(self, organization: dict[str, Any] | str | None) -> dict[str, Any] | None:
        if organization is None or isinstance(organization, dict):
            return organization
        try:
            return self.organization(organization)
        except KeyError:
            return self.add_organization(organization)

    # -- control routes (the demo scripts the server from a shell) ----------------

    def _control_dataset(
        self, request: FakeRequest, ident: str, action: str
    ) -> FakeResponse:
        actions = {
            "remove": self.remove_dataset,
            "delete": self.delete_dataset,
            "archive": self.archive_dataset,
            "touch": lambda i: self.update_dataset(i),
        }
        if action not in actions:
            return FakeResponse(400, {"message": f"Unknown action {action}"})
        try:
            actions[action](ident)
        except KeyError:
            return FakeResponse(404, {"message": f"Unknown dataset {ident}"})
        return FakeResponse(200, {"ok": True})

    def _control_fail(self, request: FakeRequest) -> FakeResponse:
        spec = request.json() or {}
        self.fail(
            spec.get("path", "/api/"), status=spec.get("status", 500),
            retry_after=spec.get("retry_after"), times=spec.get("times"),
        )
        return FakeResponse(200, {"ok": True})

    def _control_reset(self, request: FakeRequest) -> FakeResponse:
        self.reset_faults()
        return FakeResponse(200, {"ok": True})


def _paging(request: FakeRequest) -> tuple[int, int] | FakeResponse:
    values = []
    for name, default in (("page", "1"), ("page_size", "20")):
        raw = request.arg(name, default) or default
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value <= 0:
            return FakeResponse(
                400, {"errors": {name: f"Invalid value: {raw}"}, "message": "Bad"}
            )
        values.append(value)
    return values[0], values[1]


def _sorted(records: list[dict[str, Any]], sort: str | None) -> list[dict[str, Any]]:
    if not sort:
        return records
    key = sort.lstrip("-")
    column = {"created": "created_at", "last_update": "last_update"}.get(key, key)
    return sorted(records, key=lambda r: r.get(column) or "",
                  reverse=sort.startswith("-"))


def _org_ref(org: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "name", "slug", "acronym", "logo", "logo_thumbnail", "badges")
    ref = {k: org.get(k) for k in keys}
    ref["uri"] = f"/api/1/organizations/{org['id']}/"
    ref["page"] = f"/fr/organizations/{org['slug']}/"
    return ref


def _slugify(text: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that time out close the socket under a slow handler.
        pass


class _Handler(BaseHTTPRequestHandler):
    fake: FakeUdata
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _dispatch(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = FakeRequest(
            self.command, parts.path, parse_qs(parts.query, keep_blank_values=True),
            {k: v for k, v in self.headers.items()}, body,
        )
        response, fault = self.fake.handle(request)
        if fault is not None and fault.drop:
            self.close_connection = True
            return
        if response.raw is not None:
            payload = response.raw
        else:
            payload = json.dumps(response.body, ensure_ascii=False).encode()
        if fault is not None and fault.truncate:
            payload = payload[: max(1, len(payload) // 2)]
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _dispatch  # noqa: N815


@pytest.fixture
def fake_udata() -> Iterator[FakeUdata]:
    """A running :class:`FakeUdata`, stopped after the test."""
    server = FakeUdata().start()
    try:
        yield server
    finally:
        server.stop()
