"""HTTP client of a udata instance (data.gouv.fr): the only module that talks to it.

Every call goes through :meth:`UdataClient.request`, which applies the timeout,
retries timeouts, connection errors, HTTP 429 (honouring ``Retry-After``) and
5xx answers with exponential backoff, and never sends the API key to another
host than the instance's. Read helpers (JSON, pagination through
``next_page``) sit on top of it; write helpers can be added the same way.

The module does not depend on CKAN: errors carry an English message template
and its parameters, so that callers can translate them (``err.message(_)``).
"""
from __future__ import annotations

import email.utils
import json as jsonlib
import logging
import math
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_PAGE_SIZE",
    "DEFAULT_TIMEOUT",
    "Page",
    "TranslatableError",
    "UdataAuthError",
    "UdataClient",
    "UdataConnectionError",
    "UdataError",
    "UdataGoneError",
    "UdataHTTPError",
    "UdataNotFoundError",
    "UdataPaginationError",
    "UdataResponseError",
    "UdataTimeoutError",
    "UdataValidationError",
]

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RETRIES = 3
DEFAULT_PAGE_SIZE = 100
DEFAULT_BACKOFF = 1.0
DEFAULT_MAX_BACKOFF = 60.0
DEFAULT_MAX_RETRY_AFTER = 300.0
USER_AGENT = "ckanext-loiretcher (udata client; +https://www.departement41.fr)"
API_KEY_HEADER = "X-API-KEY"

# Methods that may be replayed safely after any failure. A POST is only
# replayed when the server said it did not process it (429, 503) or when the
# connection could not even be opened.
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_NOT_PROCESSED = frozenset({429, 503})


def N_(message: str) -> str:  # noqa: N802 - Babel's marker for deferred strings
    """Mark a message for extraction; it is translated when shown."""
    return message


class TranslatableError(Exception):
    """An error whose message is a msgid plus parameters, translated when shown."""

    def __init__(self, template: str, **params: Any) -> None:
        self.template = template
        self.params = params
        super().__init__(template % params)

    def message(self, translate: Callable[[str], str] | None = None) -> str:
        """The message, translated by ``translate`` (e.g. ``tk._``) if given."""
        text = translate(self.template) if translate else self.template
        return text % self.params


class UdataError(TranslatableError):
    """Something went wrong while talking to a udata instance."""


class UdataTimeoutError(UdataError):
    """No answer within the timeout (after every retry)."""


class UdataConnectionError(UdataError):
    """The connection could not be opened or broke (after every retry)."""


class UdataHTTPError(UdataError):
    """An HTTP status that is not a success."""

    def __init__(self, template: str, *, status: int, **params: Any) -> None:
        self.status = status
        super().__init__(template, status=status, **params)


class UdataNotFoundError(UdataHTTPError):
    """HTTP 404: unknown to the instance (or private)."""


class UdataGoneError(UdataHTTPError):
    """HTTP 410: deleted at the source."""


class UdataResponseError(UdataError):
    """An answer that is not what the udata API returns (HTML, bad JSON...)."""


class UdataPaginationError(UdataError):
    """A listing that cannot be trusted to be complete."""


class UdataAuthError(UdataHTTPError):
    """HTTP 401/403 on a write: the API key is wrong or may not write there."""


class UdataValidationError(UdataHTTPError):
    """HTTP 400 on a write: udata refused the data; ``errors`` maps each
    field to its messages, as udata gives them."""

    def __init__(
        self, template: str, *, status: int, errors: dict[str, list[str]],
        **params: Any,
    ) -> None:
        self.errors = errors
        super().__init__(template, status=status, **params)


@dataclass
class Page:
    """One page of a udata listing."""

    number: int
    url: str
    data: list[Any]
    total: int
    next_url: str | None


@dataclass
class _Attempt:
    error: UdataError
    wait: float = 0.0
    retryable: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


class UdataClient:
    """A udata instance, e.g. ``UdataClient("https://www.data.gouv.fr")``.

    :param base_url: root of the instance (the API is under ``/api/1/``).
    :param timeout: seconds to wait for a connection and for each read.
    :param max_retries: how many times a failed request is replayed.
    :param backoff: wait before the first retry; doubled at each retry.
    :param max_backoff: longest wait between two retries.
    :param max_retry_after: longest ``Retry-After`` honoured; a longer one
        fails the request at once.
    :param api_key: sent as ``X-API-KEY`` on writes (never on reads unless
        asked, never to another host).
    """

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        backoff: float = DEFAULT_BACKOFF,
        max_backoff: float = DEFAULT_MAX_BACKOFF,
        max_retry_after: float = DEFAULT_MAX_RETRY_AFTER,
        api_key: str | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        user_agent: str = USER_AGENT,
    ) -> None:
        parts = urlsplit(base_url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"Not an http(s) URL: {base_url!r}")
        self.base_url = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
        self._origin = (parts.scheme, parts.netloc.lower())
        self.timeout = float(timeout)
        self.max_retries = int(max_retries)
        self.backoff = float(backoff)
        self.max_backoff = float(max_backoff)
        self.max_retry_after = float(max_retry_after)
        self.api_key = api_key
        self._sleep = sleep
        if session is None:
            session = requests.Session()
            adapter = HTTPAdapter(pool_connections=2, pool_maxsize=4, max_retries=0)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
        self.session = session
        self.session.headers.setdefault("User-Agent", user_agent)
        self.session.headers["Accept"] = "application/json"

    # -- plumbing -------------------------------------------------------

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> UdataClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def url(self, path: str) -> str:
        """Absolute URL of ``path`` (``/api/1/...``), or ``path`` itself if it
        is an absolute URL of this instance."""
        if path.startswith(("http://", "https://")):
            if not self.same_origin(path):
                raise UdataResponseError(
                    N_("Refusing to follow %(url)s: it is not on %(base_url)s."),
                    url=path,
                    base_url=self.base_url,
                )
            return path
        return urljoin(self.base_url + "/", path.lstrip("/"))

    def same_origin(self, url: str) -> bool:
        parts = urlsplit(url)
        return (parts.scheme, parts.netloc.lower()) == self._origin

    # -- the request core -------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Any = None,
        files: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        expected: tuple[int, ...] = (200,),
        authenticated: bool | None = None,
    ) -> requests.Response:
        """Send one request, replaying it on transient failures.

        Returns the response when its status is in ``expected``; raises a
        :class:`UdataError` otherwise. ``authenticated`` defaults to sending
        the API key (if any) on every method but GET and HEAD.
        """
        method = method.upper()
        url = self.url(path)
        shown_url = url + ("?" + urlencode(params, doseq=True) if params else "")
        send_headers = dict(headers or {})
        if authenticated is None:
            authenticated = method not in ("GET", "HEAD")
        if authenticated and self.api_key:
            send_headers[API_KEY_HEADER] = self.api_key
        positions = _file_positions(files)
        attempts = self.max_retries + 1
        for attempt in range(1, attempts + 1):
            _rewind(positions)
            outcome = self._attempt(
                method, url, shown_url, params, json, data, files, send_headers,
                expected, attempts=attempt,
            )
            if isinstance(outcome, requests.Response):
                return outcome
            if not outcome.retryable or attempt == attempts:
                raise outcome.error
            wait = outcome.wait or min(
                self.max_backoff, self.backoff * 2 ** (attempt - 1)
            )
            log.info(
                "%s %s failed (%s); retry %d/%d in %.2f s",
                method, shown_url, outcome.error, attempt, self.max_retries, wait,
            )
            self._sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _attempt(
        self,
        method: str,
        url: str,
        shown_url: str,
        params: Mapping[str, Any] | None,
        json: Any,
        data: Any,
        files: Mapping[str, Any] | None,
        headers: dict[str, str],
        expected: tuple[int, ...],
        *,
        attempts: int,
    ) -> requests.Response | _Attempt:
        idempotent = method in _IDEMPOTENT
        try:
            response = self.session.request(
                method, url, params=params, json=json, data=data, files=files,
                headers=headers, timeout=(self.timeout, self.timeout),
                allow_redirects=method in ("GET", "HEAD"),
            )
        except requests.Timeout as exc:
            connect_only = isinstance(exc, requests.ConnectTimeout)
            return _Attempt(
                UdataTimeoutError(
                    N_("No answer from %(url)s within %(timeout)s s "
                       "(%(attempts)s attempts)."),
                    url=shown_url, timeout=_seconds(self.timeout), attempts=attempts,
                ),
                retryable=idempotent or connect_only,
            )
        except requests.ConnectionError as exc:
            # The connection may have dropped after the request was sent.
            connect_only = "NewConnectionError" in repr(exc) or "refused" in str(exc)
            return _Attempt(
                UdataConnectionError(
                    N_("Could not connect to %(url)s: %(reason)s "
                       "(%(attempts)s attempts)."),
                    url=shown_url, reason=_reason(exc), attempts=attempts,
                ),
                retryable=idempotent or connect_only,
            )
        except requests.RequestException as exc:
            return _Attempt(
                UdataConnectionError(
                    N_("Could not connect to %(url)s: %(reason)s "
                       "(%(attempts)s attempts)."),
                    url=shown_url, reason=_reason(exc), attempts=attempts,
                ),
                retryable=False,
            )
        status = response.status_code
        if status in expected:
            return response
        if status == 429 or status >= 500:
            retry_after = _retry_after(response.headers.get("Retry-After"))
            if retry_after is not None and retry_after > self.max_retry_after:
                return _Attempt(
                    UdataHTTPError(
                        N_("%(url)s asked to wait %(seconds)s s before retrying "
                           "(HTTP %(status)s), longer than the %(limit)s s "
                           "allowed."),
                        status=status, url=shown_url,
                        seconds=_seconds(retry_after),
                        limit=_seconds(self.max_retry_after),
                    ),
                    retryable=False,
                )
            if status == 429:
                error = UdataHTTPError(
                    N_("%(url)s refused the request because of its rate limit "
                       "(HTTP %(status)s, %(attempts)s attempts)."),
                    status=status, url=shown_url, attempts=attempts,
                )
            else:
                error = UdataHTTPError(
                    N_("%(url)s answered with a server error (HTTP %(status)s, "
                       "%(attempts)s attempts)."),
                    status=status, url=shown_url, attempts=attempts,
                )
            return _Attempt(
                error,
                wait=retry_after or 0.0,
                retryable=idempotent or status in _NOT_PROCESSED,
            )
        if status == 404:
            raise UdataNotFoundError(
                N_("%(url)s does not exist (HTTP %(status)s)."),
                status=status, url=shown_url,
            )
        if status == 410:
            raise UdataGoneError(
                N_("%(url)s was deleted at the source (HTTP %(status)s)."),
                status=status, url=shown_url,
            )
        raise UdataHTTPError(
            N_("%(url)s answered HTTP %(status)s: %(detail)s"),
            status=status, url=shown_url, detail=_detail(response),
        )

    # -- reads ------------------------------------------------------------

    def get_json(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET ``path`` and decode its JSON, refusing anything else."""
        response = self.request("GET", path, params=params)
        return decode_json(response)

    def iter_pages(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> Iterator[Page]:
        """Every page of a listing, following ``next_page`` until it is null.

        Only one page is held at a time. Raises :class:`UdataPaginationError`
        (possibly after the last page) when the listing cannot be complete:
        ``next_page`` leaving the instance or going back, a page repeating the
        previous one, more pages than ``total`` allows, or a number of items
        that disagrees with ``total``.
        """
        query = dict(params or {})
        query.update(page=1, page_size=page_size)
        url: str | None = self.url(path) + "?" + urlencode(query, doseq=True)
        first_url = url
        total: int | None = None
        listed = 0
        number = 0
        previous_ids: list[Any] | None = None
        visited: set[str] = set()
        max_pages: int | None = None
        while url is not None:
            number += 1
            if max_pages is not None and number > max_pages:
                raise UdataPaginationError(
                    N_("The listing of %(url)s did not end after %(pages)s pages "
                       "although it announced %(total)s items."),
                    url=first_url, pages=max_pages, total=total,
                )
            visited.add(url)
            body = self.get_json(url)
            page = _parse_page(body, url, number)
            if total is None:
                total = page.total
                size = _positive_int(body.get("page_size")) or page_size
                max_pages = max(1, math.ceil(total / size)) + 1
            ids = [item.get("id") if isinstance(item, dict) else None
                   for item in page.data]
            if previous_ids and ids == previous_ids:
                raise UdataPaginationError(
                    N_("The listing of %(url)s repeats itself: page %(page)s "
                       "holds the same items as the page before."),
                    url=first_url, page=number,
                )
            previous_ids = ids
            listed += len(page.data)
            next_url = page.next_url
            if next_url is not None:
                if not self.same_origin(next_url):
                    raise UdataPaginationError(
                        N_("The next page of %(url)s points to another site: "
                           "%(next_url)s."),
                        url=first_url, next_url=next_url,
                    )
                if next_url in visited:
                    raise UdataPaginationError(
                        N_("The listing of %(url)s repeats itself: page "
                           "%(page)s links back to %(next_url)s."),
                        url=first_url, page=number, next_url=next_url,
                    )
            yield page
            url = next_url
        if listed != total:
            raise UdataPaginationError(
                N_("The listing of %(url)s announced %(total)s items but "
                   "%(listed)s were listed."),
                url=first_url, total=total, listed=listed,
            )

    def dataset(self, id_or_slug: str) -> dict[str, Any]:
        """The full record of a dataset (``GET /api/1/datasets/<id>/``)."""
        body = self.get_json(f"/api/1/datasets/{_segment(id_or_slug)}/")
        if not isinstance(body, dict):
            raise UdataResponseError(
                N_("%(url)s did not return a dataset."),
                url=self.url(f"/api/1/datasets/{_segment(id_or_slug)}/"),
            )
        return body

    def organization(self, id_or_slug: str) -> dict[str, Any]:
        """An organization (``GET /api/1/organizations/<id-or-slug>/``)."""
        path = f"/api/1/organizations/{_segment(id_or_slug)}/"
        body = self.get_json(path)
        if not isinstance(body, dict) or not isinstance(body.get("id"), str):
            raise UdataResponseError(
                N_("%(url)s did not return an organization."), url=self.url(path)
            )
        return body

    # -- writes (the publisher; the API key goes in X-API-KEY) ------------

    def create_dataset(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /api/1/datasets/``: the created record."""
        return self._write("POST", "/api/1/datasets/", payload, (200, 201))

    def update_dataset(
        self, dataset_id: str, payload: Mapping[str, Any]
    ) -> dict[str, Any]:
        """``PUT /api/1/datasets/<id>/``: the updated record."""
        path = f"/api/1/datasets/{_segment(dataset_id)}/"
        return self._write("PUT", path, payload, (200,))

    def delete_dataset(self, dataset_id: str) -> None:
        """``DELETE /api/1/datasets/<id>/``."""
        self._write("DELETE", f"/api/1/datasets/{_segment(dataset_id)}/", None,
                    (200, 204))

    def create_resource(
        self, dataset_id: str, payload: Mapping[str, Any]
    ) -> dict[str, Any]:
        """``POST /api/1/datasets/<id>/resources/``: the created resource."""
        path = f"/api/1/datasets/{_segment(dataset_id)}/resources/"
        return self._write("POST", path, payload, (200, 201))

    def update_resource(
        self, dataset_id: str, resource_id: str, payload: Mapping[str, Any]
    ) -> dict[str, Any]:
        """``PUT /api/1/datasets/<id>/resources/<rid>/``."""
        path = (f"/api/1/datasets/{_segment(dataset_id)}/resources/"
                f"{_segment(resource_id)}/")
        return self._write("PUT", path, payload, (200,))

    def delete_resource(self, dataset_id: str, resource_id: str) -> None:
        """``DELETE /api/1/datasets/<id>/resources/<rid>/``."""
        path = (f"/api/1/datasets/{_segment(dataset_id)}/resources/"
                f"{_segment(resource_id)}/")
        self._write("DELETE", path, None, (200, 204))

    def _write(
        self, method: str, path: str, payload: Mapping[str, Any] | None,
        expected: tuple[int, ...],
    ) -> Any:
        if not self.api_key:
            raise UdataAuthError(
                N_("No API key to write to %(url)s."), status=401, url=self.url(path)
            )
        response = self.request(
            method, path, json=payload, expected=(*expected, 400, 401, 403),
            authenticated=True,
        )
        status = response.status_code
        if status in (401, 403):
            raise UdataAuthError(
                N_("%(url)s refused the API key (HTTP %(status)s)."),
                status=status, url=response.url,
            )
        if status == 400:
            errors = _field_errors(response)
            raise UdataValidationError(
                N_("%(url)s refused the data (HTTP %(status)s): %(detail)s"),
                status=status, url=response.url, errors=errors,
                detail="; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items())
                or _detail(response),
            )
        if status == 204 or not response.content:
            return None
        return decode_json(response)


def _field_errors(response: requests.Response) -> dict[str, list[str]]:
    """udata's ``{"errors": {field: [messages]}}`` as plain strings."""
    try:
        body = response.json()
    except ValueError:
        return {}
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, dict):
        return {}
    flat: dict[str, list[str]] = {}
    for key, value in errors.items():
        items = value if isinstance(value, list) else [value]
        flat[str(key)] = [
            item if isinstance(item, str) else jsonlib.dumps(item, ensure_ascii=False)
            for item in items
        ]
    return flat


def decode_json(response: requests.Response) -> Any:
    """The JSON body of a udata answer, or a :class:`UdataResponseError`."""
    content_type = response.headers.get("Content-Type", "")
    text = response.text
    if "html" in content_type.lower() or text.lstrip()[:1] == "<":
        raise UdataResponseError(
            N_("%(url)s returned an HTML page instead of JSON: %(snippet)s"),
            url=response.url, snippet=_snippet(text),
        )
    try:
        return jsonlib.loads(text)
    except ValueError as exc:
        raise UdataResponseError(
            N_("%(url)s returned invalid JSON (%(reason)s): %(snippet)s"),
            url=response.url, reason=str(exc), snippet=_snippet(text),
        ) from None


def _parse_page(body: Any, url: str, number: int) -> Page:
    if (
        not isinstance(body, dict)
        or not isinstance(body.get("data"), list)
        or not isinstance(body.get("total"), int)
        or isinstance(body.get("total"), bool)
        or body["total"] < 0
    ):
        raise UdataResponseError(
            N_("%(url)s is not a page of the udata API (no \"data\" list or "
               "\"total\" count)."),
            url=url,
        )
    next_url = body.get("next_page")
    if next_url is not None and (
        not isinstance(next_url, str)
        or not next_url.startswith(("http://", "https://"))
    ):
        raise UdataResponseError(
            N_("%(url)s gave an invalid next page: %(next_url)s"),
            url=url, next_url=repr(next_url),
        )
    return Page(number, url, body["data"], body["total"], next_url)


def _retry_after(value: str | None) -> float | None:
    """Seconds asked by a ``Retry-After`` header (delay or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _file_positions(files: Mapping[str, Any] | None) -> list[tuple[Any, int]]:
    positions = []
    for value in (files or {}).values():
        handle = value[1] if isinstance(value, tuple) and len(value) > 1 else value
        if hasattr(handle, "seek") and hasattr(handle, "tell"):
            positions.append((handle, handle.tell()))
    return positions


def _rewind(positions: list[tuple[Any, int]]) -> None:
    for handle, position in positions:
        handle.seek(position)


def _detail(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return _snippet(response.text)
    if isinstance(body, dict):
        for key in ("message", "error", "errors"):
            if body.get(key):
                return _snippet(jsonlib.dumps(body[key], ensure_ascii=False)
                                if not isinstance(body[key], str) else body[key])
    return _snippet(response.text)


def _snippet(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _reason(exc: Exception) -> str:
    # requests wraps urllib3 errors several levels deep; the innermost
    # message is the readable one ("Connection refused").
    reason: Any = exc
    for _ in range(5):
        nested = getattr(reason, "reason", None) or (
            reason.args[0] if getattr(reason, "args", None)
            and isinstance(reason.args[0], Exception) else None
        )
        if nested is None or nested is reason:
            break
        reason = nested
    text = str(reason)
    if "Connection refused" in text:
        return "connection refused"
    return _snippet(text, 160)


def _seconds(value: float) -> str:
    return f"{value:g}"


def _positive_int(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return None


def _segment(value: str) -> str:
    from urllib.parse import quote

    return quote(str(value), safe="")
