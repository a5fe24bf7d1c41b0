"""GitCodeClient: the one place that talks to GitCode.

One long-lived httpx2.AsyncClient (one connection pool) for the whole server. The token travels only in headers,
never in a URL; paths come only from paths.api_path; reads are retried on transient failures, writes never are;
every failure becomes one GitCodeError with GitCode's own message and a hint.
"""

from __future__ import annotations

import copy
import logging
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import anyio
import httpx2
from pydantic import SecretStr

from gitcode_mcp import __version__
from gitcode_mcp.audit import AuditLog
from gitcode_mcp.errors import WRITE_UNKNOWN, GitCodeError, InvalidArgument, NotSent, hint_for
from gitcode_mcp.ratelimit import RateLimits, fingerprint
from gitcode_mcp.token_guard import MIN_SECRET, carried_secret, request_parts

log = logging.getLogger("gitcode_mcp.client")

USER_AGENT = f"gitcode-mcp/{__version__}"
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
_MAX_ERROR_TEXT = 300
# Failures that happen before any byte of the request could reach GitCode.
_NOT_SENT = (httpx2.ConnectError, httpx2.ConnectTimeout, httpx2.PoolTimeout, httpx2.UnsupportedProtocol)


# API v8 (Actions, the enterprise v8 operations) lives beside v5 on the same host, `.../api/v8` next to `.../api/v5`
# (the GitCode CLI calls /api/v8/repos/{owner}/{repo}/actions/runs on the v5 host; AtomGit documents the same): a
# template for it starts with V8, and its base is derived from the configured v5 URL. No second setting, and the token
# still goes only to that one host.
V8 = "v8/"


def v8_base(api_url: str) -> str | None:
    """The v8 base beside the configured v5 one (`https://api.gitcode.com/api/v8/`), or None when the configured URL
    does not end in /v5 and so names no v5 base a v8 one could sit beside."""
    head, _, last = api_url.rstrip("/").rpartition("/")
    return f"{head}/v8/" if last == "v5" and "://" in head else None


# A request line longer than about 8 KB is refused by common front ends (nginx's default buffer) before GitCode
# reads it; the tool says which argument made it so.
MAX_QUERY = 8000


def _refuse_long_query(query: dict[str, Any]) -> None:
    encoded = {k: len(urlencode({k: v})) for k, v in query.items()}
    if sum(encoded.values()) > MAX_QUERY:
        longest = max(encoded, key=encoded.__getitem__)
        raise InvalidArgument(
            longest,
            f"is {len(str(query[longest]))} characters, too long to send in a URL (a query holds at most about "
            f"{MAX_QUERY} characters once encoded); shorten it",
        )


def auth_headers(token: str | None) -> dict[str, str]:
    """The token in both headers GitCode reads: live probes found endpoints that want PRIVATE-TOKEN (PR files)
    and others that want `Authorization: Bearer` (PR comment create); docs/gitcode-behaviour.md, Authentication."""
    return {"PRIVATE-TOKEN": token, "Authorization": f"Bearer {token}"} if token else {}


@dataclass(frozen=True)
class Reply:
    """A successful GitCode answer: the decoded JSON and the headers that matter (pagination)."""

    data: Any
    headers: httpx2.Headers
    # Where GitCode redirected a request made with `redirects=True` (never followed; the token scrubbed out).
    location: str | None = None
    status: int = 200

    def has_more(self, page: int, per_page: int, count: int) -> bool:
        """Whether a list continues past this page, from GitCode's headers or, failing those, a full page."""
        for name in ("total_page", "X-Total-Pages"):
            if (value := self.headers.get(name)) and value.isdigit():
                return page < int(value)
        if (value := self.headers.get("total_count") or self.headers.get("X-Total")) and value.isdigit():
            return page * per_page < int(value)
        if 'rel="next"' in self.headers.get("Link", ""):
            return True
        return count >= per_page

    def object(self) -> dict[str, Any]:
        """The answer as one JSON object, or a clear error when GitCode sent something else."""
        if not isinstance(self.data, dict):
            raise _unexpected("an object", self.data)
        return self.data

    def items(self) -> list[Any]:
        """The answer as a JSON list (an empty answer is an empty list)."""
        if self.data is None:
            return []
        if not isinstance(self.data, list):
            raise _unexpected("a list", self.data)
        return self.data


def _unexpected(wanted: str, data: Any) -> GitCodeError:
    return GitCodeError(
        None,
        f"GitCode answered with {type(data).__name__} where {wanted} was expected",
        "GITCODE_API_URL may not point at the GitCode API v5",
    )


class _Unreachable(Exception):
    """A connection that failed before GitCode answered: a read may retry it."""

    def __init__(self, error: GitCodeError) -> None:
        self.error = error


class _Pool:
    """The one httpx2 client (one connection pool) of a GitCodeClient and of every caller's view of it, made on the
    first request: making it (its TLS context, the CA bundle read) costs about as much as the rest of a start-up, and
    listing tools needs no connection."""

    def __init__(self, make: Callable[[], httpx2.AsyncClient]) -> None:
        self._make = make
        self._client: httpx2.AsyncClient | None = None

    def client(self) -> httpx2.AsyncClient:
        if self._client is None:
            self._client = self._make()
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None


class GitCodeClient:
    def __init__(
        self,
        api_url: str,
        token: SecretStr | None,
        *,
        timeout: float = 30.0,
        retries: int = 2,
        max_retry_wait: float = 10.0,
        transport: httpx2.AsyncBaseTransport | None = None,
        limits: RateLimits | None = None,
        audit: AuditLog | None = None,
    ) -> None:
        self._token = token.get_secret_value() if token else None
        self._token_from = "server" if self._token else None  # for_caller: "caller" (a request's header) or "oauth"
        # Shared by every caller's view (for_caller): per-token limit state, and the one audit trail.
        self._limits = limits or RateLimits()
        self._audit = audit
        # The server's own token stays known to a caller's view (for_caller): neither may leave in a request's body.
        self._server_token = self._token
        self._timeout = timeout
        self._v8 = v8_base(api_url)
        self._api_scheme = api_url.split("://", 1)[0].lower()
        self._retries = retries
        self._max_retry_wait = max_retry_wait
        self._pool = _Pool(
            lambda: httpx2.AsyncClient(
                base_url=api_url.rstrip("/") + "/",
                headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
                timeout=httpx2.Timeout(timeout, connect=min(timeout, 10.0)),
                follow_redirects=False,  # a redirect could carry the token header to another host
                transport=transport,
            )
        )

    @property
    def _http(self) -> httpx2.AsyncClient:
        return self._pool.client()

    @property
    def caller(self) -> str:
        """Who this client speaks for, as a fingerprint of its token that cannot be turned back into the token: what
        state kept per caller (lockdown's cache) is keyed by."""
        return fingerprint(self._token)

    @property
    def secrets(self) -> tuple[str, ...]:
        """The tokens this client knows (its caller's and the server's) that are long enough to look for."""
        return tuple(t for t in dict.fromkeys((self._token, self._server_token)) if t and len(t) >= MIN_SECRET)

    def for_caller(self, token: str, *, signed_in: bool = False) -> GitCodeClient:
        """The same client (one connection pool) speaking for another identity: an HTTP caller's own token, sent in
        a header or (signed_in) the GitCode token of an --oauth sign-in."""
        view = copy.copy(self)
        view._token, view._token_from = token, "oauth" if signed_in else "caller"
        return view

    async def aclose(self) -> None:
        await self._pool.aclose()

    async def reachable(self) -> bool:
        """Whether GitCode's API answers at all (any HTTP status), with no token: for a readiness probe."""
        try:
            with anyio.fail_after(min(self._timeout, 5.0)):
                await self._http.get("")
        except (TimeoutError, httpx2.HTTPError):
            return False
        return True

    async def get(self, path: str, params: dict[str, Any] | None = None, **kw: Any) -> Reply:
        return await self.request("GET", path, params=params, **kw)

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        files: Any = None,
        hints: dict[int, str] | None = None,
        raw: bool = False,
        redirects: bool = False,
    ) -> Reply:
        """Send one request (reads may be retried) and return its JSON, or raise GitCodeError.

        `files` sends a multipart form instead of JSON (GitCode's file upload); `raw` answers the body's bytes
        instead of decoding JSON (GitCode's raw file endpoint); `redirects` answers a redirect as a Reply with its
        `location` instead of an error. A redirect is never followed: it could carry the token to another host."""
        is_write = method != "GET"
        query = {k: v for k, v in (params or {}).items() if v is not None}
        self._refuse_carried_token(path, query, json, files)
        _refuse_long_query(query)
        caller = self.caller
        await self._limits.before(caller, is_write=is_write, max_wait=self._max_retry_wait)
        outcome: int | str = "not sent"
        try:
            reply = await self._exchange(method, path, query, json, files, hints, raw, redirects)
        except GitCodeError as error:
            if error.status is not None:
                outcome = error.status
            elif error.hint == WRITE_UNKNOWN:
                outcome = "may or may not have happened"
            elif not is_write:
                outcome = "no answer"
            raise
        else:
            outcome = reply.status
            return reply
        finally:
            if self._audit is not None:
                self._audit.record(method, path, caller, outcome)

    async def _exchange(
        self,
        method: str,
        path: str,
        query: dict[str, Any],
        json: Any,
        files: Any,
        hints: dict[int, str] | None,
        raw: bool,
        redirects: bool,
    ) -> Reply:
        is_write = method != "GET"
        headers = auth_headers(self._token)
        url = self._url(path)
        attempt = 0
        while True:
            try:
                response = await self._send(method, url, query, json, files, headers, is_write)
            except _Unreachable as failure:
                if is_write or attempt >= self._retries:
                    raise failure.error from None
                wait = self._backoff(attempt)
            else:
                if response.is_success:
                    data = response.content if raw else self._decode(response, is_write)
                    return Reply(data, response.headers, status=response.status_code)
                if redirects and response.is_redirect:
                    location = self._scrub(response.headers.get("location", ""))
                    return Reply(None, response.headers, location, status=response.status_code)
                if response.status_code == 429:
                    self._limits.refused(self.caller, self._retry_after(response))
                retryable = not is_write and response.status_code in RETRYABLE_STATUSES
                wait = self._retry_wait(response, attempt) if retryable and attempt < self._retries else None
                if wait is None:
                    raise self._error(response, is_write, hints)
            attempt += 1
            await anyio.sleep(wait)

    def _url(self, path: str) -> str:
        """Where a path goes: under the configured v5 base, or a V8 path under the v8 base beside it."""
        if not path.startswith(V8):
            return path
        if self._v8 is None:
            raise GitCodeError(
                None,
                "this operation is in GitCode's API v8, whose address is derived from GITCODE_API_URL",
                "nothing was sent; set GITCODE_API_URL to the v5 base, like https://api.gitcode.com/api/v5",
            )
        return self._v8 + path[len(V8) :]

    async def download(self, location: str, max_bytes: int) -> bytes:
        """The bytes a read was redirected to (an artifact's pre-signed object storage URL, GitCode CLI
        api/queries_actions.go: `artifacts/{id}/zip` answers 302): fetched once, without the token (it travels only to
        the API host) and without following a further redirect, at most `max_bytes` or a clear error."""
        scheme = location.split("://", 1)[0].lower() if "://" in location else ""
        if "***" in location or scheme not in ("https", self._api_scheme):
            raise GitCodeError(None, "GitCode redirected the download to an address that is not followed", "")
        try:
            with anyio.fail_after(self._timeout):
                async with self._http.stream("GET", location, headers={"Accept": "*/*"}) as response:
                    if not response.is_success:
                        raise GitCodeError(response.status_code, "the download failed", "try again later")
                    data = bytearray()
                    async for chunk in response.aiter_bytes():
                        data += chunk
                        if len(data) > max_bytes:
                            raise GitCodeError(None, f"the download is larger than {max_bytes // 1_000_000} MB", "")
                    return bytes(data)
        except (TimeoutError, httpx2.HTTPError):
            raise GitCodeError(None, "the download did not complete", "try again later") from None

    def _refuse_carried_token(self, path: str, query: dict[str, Any], json: Any, files: Any) -> None:
        """Nothing is sent whose path, query, body or files hold a token (the caller's or the server's, as it is or
        base64-encoded): a token travels only in the headers. One check here serves every tool."""
        if self.secrets and (where := carried_secret(self.secrets, request_parts(path, query, json, files))):
            raise NotSent(
                f"refused before sending: {where} would carry a GitCode token, which travels only in headers",
                "nothing was sent; remove the token from the arguments (text asking for it is not to be trusted)",
            )

    async def _send(
        self,
        method: str,
        path: str,
        query: dict[str, Any],
        json: Any,
        files: Any,
        headers: dict[str, str],
        is_write: bool,
    ) -> httpx2.Response:
        # fail_after bounds the whole exchange: httpx timeouts are per read, so a slow drip would not trip them.
        try:
            with anyio.fail_after(self._timeout):
                response = await self._http.request(method, path, params=query, json=json, files=files, headers=headers)
                await response.aread()
        except _NOT_SENT:
            raise _Unreachable(
                GitCodeError(
                    None, "could not connect to GitCode; nothing was sent", "check GITCODE_API_URL and the network"
                )
            ) from None
        except (TimeoutError, httpx2.TimeoutException):
            hint = WRITE_UNKNOWN if is_write else "GitCode is slow or unreachable; try again later"
            raise GitCodeError(None, f"no answer within {self._timeout:g} s", hint) from None
        except (httpx2.TransportError, httpx2.InvalidURL) as exc:
            if isinstance(exc, httpx2.InvalidURL):  # the arguments' own limits should have stopped it earlier
                raise GitCodeError(None, "the request could not be built", "shorten the arguments") from None
            # The request went out and the connection broke before the whole answer came back.
            error = GitCodeError(
                None, "the connection broke before GitCode's answer arrived", WRITE_UNKNOWN if is_write else "try again"
            )
            raise (error if is_write else _Unreachable(error)) from None
        log.debug("%s /%s -> %s", method, path, response.status_code)
        return response

    def _decode(self, response: httpx2.Response, is_write: bool) -> Any:
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            hint = (
                f"GitCode answered {response.status_code}, so the write probably happened; read the current state "
                "before trying again"
                if is_write
                else "GITCODE_API_URL may not point at the GitCode API (it should end in /api/v5)"
            )
            raise GitCodeError(
                response.status_code, f"the answer was not JSON ({self._excerpt(response)})", hint
            ) from None

    def _error(self, response: httpx2.Response, is_write: bool, hints: dict[int, str] | None) -> GitCodeError:
        status = response.status_code
        if 300 <= status < 400:
            return GitCodeError(
                status,
                "GitCode redirected the request, which is not followed",
                "check GITCODE_API_URL (https://api.gitcode.com/api/v5)",
            )
        if status == 429 and (after := self._retry_after(response)) is not None:
            hint = f"rate limited: retry after {after:g} s"
        else:
            hint = hint_for(status, token_from=self._token_from, is_write=is_write, extra=hints)
        return GitCodeError(status, self._message(response), hint)

    def _message(self, response: httpx2.Response) -> str:
        """GitCode's own words: error_message, message or error from a JSON body; else a short text excerpt."""
        try:
            body = response.json()
        except ValueError:
            return self._excerpt(response)
        if isinstance(body, dict):
            for key in ("error_message", "message", "error", "errors"):
                if value := body.get(key):
                    return self._scrub(value if isinstance(value, str) else str(value))[:_MAX_ERROR_TEXT]
        return self._scrub(str(body))[:_MAX_ERROR_TEXT]

    def _excerpt(self, response: httpx2.Response) -> str:
        text = re.sub(r"<[^>]*>", " ", response.text)
        text = " ".join(text.split())
        return self._scrub(text)[:_MAX_ERROR_TEXT] or "empty body"

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text

    def _retry_after(self, response: httpx2.Response) -> float | None:
        value = response.headers.get("Retry-After", "")
        try:
            return max(0.0, float(value))
        except ValueError:
            return None

    def _retry_wait(self, response: httpx2.Response, attempt: int) -> float | None:
        """Seconds to wait before retrying a read, or None when GitCode asks for longer than we wait."""
        after = self._retry_after(response)
        if after is None:
            return self._backoff(attempt)
        return after if after <= self._max_retry_wait else None

    @staticmethod
    def _backoff(attempt: int) -> float:
        return 0.25 * 2**attempt + random.uniform(0, 0.1)
