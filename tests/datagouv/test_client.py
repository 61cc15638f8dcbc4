"""The udata HTTP client: retries, Retry-After, errors, checked pagination."""
from __future__ import annotations

import email.utils
import time
from typing import Any

import pytest
import requests
import responses

from ckanext.loiretcher.datagouv.client import (
    UdataClient,
    UdataConnectionError,
    UdataError,
    UdataGoneError,
    UdataHTTPError,
    UdataNotFoundError,
    UdataPaginationError,
    UdataResponseError,
    UdataTimeoutError,
)

BASE = "https://demo.data.gouv.fr"
DATASETS = f"{BASE}/api/1/datasets/"


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def client(waits: list[float]) -> UdataClient:
    return UdataClient(BASE, max_retries=3, backoff=0.5, max_backoff=1.5,
                       max_retry_after=30, sleep=waits.append, api_key="k3y")


def page(items: list[Any], total: int, next_page: str | None) -> dict[str, Any]:
    return {"data": items, "page": 1, "page_size": 2, "total": total,
            "next_page": next_page, "previous_page": None}


@responses.activate
def test_server_errors_are_retried_with_exponential_backoff(client, waits):
    for status in (500, 502, 503):
        responses.get(DATASETS, status=status)
    responses.get(DATASETS, json={"ok": True})
    assert client.get_json("/api/1/datasets/") == {"ok": True}
    assert waits == [0.5, 1.0, 1.5]  # doubled, capped by max_backoff


@responses.activate
def test_it_gives_up_after_max_retries(client, waits):
    responses.get(DATASETS, status=500)
    with pytest.raises(UdataHTTPError) as error:
        client.get_json("/api/1/datasets/")
    assert error.value.status == 500
    assert len(responses.calls) == 4
    assert str(error.value) == (
        f"{DATASETS} answered with a server error (HTTP 500, 4 attempts).")


@responses.activate
def test_rate_limit_waits_what_retry_after_says(client, waits):
    responses.get(DATASETS, status=429, headers={"Retry-After": "7"})
    later = email.utils.formatdate(time.time() + 12, usegmt=True)
    responses.get(DATASETS, status=429, headers={"Retry-After": later})
    responses.get(DATASETS, json=[])
    assert client.get_json("/api/1/datasets/") == []
    assert waits[0] == 7
    assert 10 <= waits[1] <= 12


@responses.activate
def test_a_retry_after_beyond_the_limit_fails_at_once(client, waits):
    responses.get(DATASETS, status=503, headers={"Retry-After": "3600"})
    with pytest.raises(UdataHTTPError, match="asked to wait 3600 s"):
        client.get_json("/api/1/datasets/")
    assert waits == []


@responses.activate
def test_timeouts_and_connection_errors_are_retried(client, waits):
    responses.get(DATASETS, body=requests.ReadTimeout("slow"))
    responses.get(DATASETS, body=requests.ConnectionError("reset"))
    responses.get(DATASETS, json={"id": "x"})
    assert client.get_json("/api/1/datasets/") == {"id": "x"}
    assert len(waits) == 2


@responses.activate
def test_a_timeout_that_lasts_is_reported(client):
    responses.get(DATASETS, body=requests.ReadTimeout("slow"))
    with pytest.raises(UdataTimeoutError, match="within 30 s \\(4 attempts\\)"):
        client.get_json("/api/1/datasets/")


def test_a_refused_connection_is_reported_readably(waits):
    client = UdataClient("http://127.0.0.1:9", max_retries=1, sleep=waits.append)
    with pytest.raises(UdataConnectionError) as error:
        client.get_json("/api/1/datasets/")
    assert str(error.value) == (
        "Could not connect to http://127.0.0.1:9/api/1/datasets/: connection "
        "refused (2 attempts).")


@responses.activate
@pytest.mark.parametrize(("status", "kind"), [
    (404, UdataNotFoundError), (410, UdataGoneError), (400, UdataHTTPError),
    (403, UdataHTTPError),
])
def test_client_errors_are_not_retried(client, status, kind):
    responses.get(DATASETS, status=status, json={"message": "Nope"})
    with pytest.raises(kind) as error:
        client.get_json("/api/1/datasets/")
    assert len(responses.calls) == 1
    assert error.value.status == status


@responses.activate
@pytest.mark.parametrize(("body", "content_type", "expected"), [
    ("<html><body>Maintenance</body></html>", "text/html", "an HTML page"),
    ('{"data": [', "application/json", "invalid JSON"),
    ("  <!DOCTYPE html>", "application/json", "an HTML page"),
])
def test_anything_but_json_is_an_error(client, body, content_type, expected):
    responses.get(DATASETS, body=body, content_type=content_type)
    with pytest.raises(UdataResponseError, match=expected):
        client.get_json("/api/1/datasets/")


@responses.activate
def test_the_api_key_goes_on_writes_only_and_never_elsewhere(client):
    responses.get(DATASETS, json={})
    responses.post(DATASETS, json={}, status=201)
    client.get_json("/api/1/datasets/")
    client.request("POST", "/api/1/datasets/", json={"title": "t"}, expected=(201,))
    assert "X-API-KEY" not in responses.calls[0].request.headers
    assert responses.calls[1].request.headers["X-API-KEY"] == "k3y"
    with pytest.raises(UdataResponseError, match="Refusing to follow"):
        client.request("POST", "https://evil.example.org/api/1/datasets/")


@responses.activate
def test_a_post_is_only_replayed_when_it_was_not_processed(client, waits):
    responses.post(DATASETS, status=503)
    responses.post(DATASETS, status=500)
    with pytest.raises(UdataHTTPError) as error:
        client.request("POST", "/api/1/datasets/", json={}, expected=(201,))
    assert error.value.status == 500
    assert len(responses.calls) == 2


def test_messages_are_translatable():
    error = UdataError("Could not connect to %(url)s.", url="http://x")
    assert error.message(lambda s: s.replace("Could not connect to",
                                             "Connexion impossible à")) == (
        "Connexion impossible à http://x.")


class TestPagination:
    @responses.activate
    def test_pages_are_followed_until_next_page_is_null(self, client):
        second = f"{DATASETS}?page=2&page_size=2"
        responses.get(DATASETS, json=page([{"id": "a"}, {"id": "b"}], 3, second),
                      match=[responses.matchers.query_param_matcher(
                          {"page": "1", "page_size": "2", "tag": "x"})])
        responses.get(second, json=page([{"id": "c"}], 3, None))
        pages = list(client.iter_pages("/api/1/datasets/", {"tag": "x"}, 2))
        assert [[d["id"] for d in p.data] for p in pages] == [["a", "b"], ["c"]]

    @responses.activate
    def test_a_total_that_disagrees_is_an_error_after_the_last_page(self, client):
        responses.get(DATASETS, json=page([{"id": "a"}], 2, None))
        pages = client.iter_pages("/api/1/datasets/", page_size=2)
        assert next(pages).data == [{"id": "a"}]
        with pytest.raises(UdataPaginationError,
                           match="announced 2 items but 1 were listed"):
            next(pages)

    @responses.activate
    def test_a_repeated_page_is_an_error(self, client):
        second = f"{DATASETS}?page=2&page_size=2"
        items = [{"id": "a"}, {"id": "b"}]
        responses.get(DATASETS, json=page(items, 4, second))
        responses.get(second, json=page(items, 4, f"{DATASETS}?page=3&page_size=2"))
        with pytest.raises(UdataPaginationError, match="page 2 holds the same"):
            list(client.iter_pages("/api/1/datasets/", page_size=2))

    @responses.activate
    def test_a_next_page_linking_back_is_an_error(self, client):
        first = f"{DATASETS}?page=1&page_size=2"
        responses.get(DATASETS, json=page([{"id": "a"}, {"id": "b"}], 4, first))
        with pytest.raises(UdataPaginationError, match="links back"):
            list(client.iter_pages("/api/1/datasets/", page_size=2))

    @responses.activate
    def test_a_next_page_on_another_site_is_refused(self, client):
        responses.get(DATASETS, json=page([{"id": "a"}], 2,
                                          "https://evil.example.org/?page=2"))
        with pytest.raises(UdataPaginationError, match="points to another site"):
            list(client.iter_pages("/api/1/datasets/", page_size=2))

    @responses.activate
    def test_a_listing_that_never_ends_is_cut(self, client):
        for number in range(1, 6):
            responses.get(
                f"{DATASETS}?page={number}&page_size=2" if number > 1 else DATASETS,
                json=page([{"id": f"{number}a"}, {"id": f"{number}b"}], 4,
                          f"{DATASETS}?page={number + 1}&page_size=2"),
            )
        with pytest.raises(UdataPaginationError, match="did not end after 3 pages"):
            list(client.iter_pages("/api/1/datasets/", page_size=2))

    @responses.activate
    @pytest.mark.parametrize("body", [
        {"items": []}, {"data": [], "total": "3"}, [], {"data": {}, "total": 0},
        {"data": [], "total": 0, "next_page": 2},
    ])
    def test_a_body_that_is_not_a_page_is_an_error(self, client, body):
        responses.get(DATASETS, json=body)
        with pytest.raises(UdataResponseError):
            list(client.iter_pages("/api/1/datasets/", page_size=2))


def test_the_fake_server_speaks_the_same_pagination(fake_udata):
    org = fake_udata.add_organization("departement-41")
    records = fake_udata.add_datasets(5, org)
    client = UdataClient(fake_udata.url)
    listed = [d["id"] for p in client.iter_pages(
        f"/api/1/organizations/{org['slug']}/datasets/", page_size=2) for d in p.data]
    assert listed == [r["id"] for r in records]
    with pytest.raises(UdataHTTPError, match="HTTP 400"):
        client.get_json("/api/1/datasets/", {"organization": org["slug"]})
