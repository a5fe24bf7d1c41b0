"""What signs in to an `--oauth` server in the tests: the SDK's own OAuth client (mcp.client.auth) over Streamable
HTTP, and a person's browser that answers the consent page and the simulated GitCode's sign-in page.

The same helpers drive the app in-process (an ASGI transport) and a server on a loopback port (transport=None).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx2
from mcp import Client
from mcp.client.auth import AuthorizationCodeResult, OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import OAuthClientInformationFull, OAuthClientMetadata, OAuthToken
from pydantic import AnyUrl

REDIRECT = "http://127.0.0.1:3030/callback"  # the client's own callback: never served, the browser stops there
READ_TIMEOUT = 15.0


class _Form(HTMLParser):
    """The one form of a page: its action, and what a browser sends of it (hidden fields, checked boxes)."""

    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.fields: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.action = a.get("action", "")
        elif tag == "input" and (a.get("type") == "hidden" or "checked" in a):
            self.fields.setdefault(a["name"], []).append(a.get("value", ""))


def parse_form(html: str) -> _Form:
    form = _Form()
    form.feed(html)
    return form


@dataclass
class Browser:
    """A person at a browser: follows redirects, allows on the consent page, signs in to the simulated GitCode as
    `login`, granting `scopes` (None: all asked for). Keeps cookies, like a browser."""

    http: httpx2.AsyncClient
    login: str = "alice"
    scopes: list[str] | None = None
    visited: list[str] = field(default_factory=list)

    async def walk(self, url: str) -> dict[str, str]:
        """From the client's authorization URL to its redirect URI: the query the client receives."""
        response = await self.http.get(url)
        for _ in range(12):
            self.visited.append(str(response.url))
            if response.is_redirect:
                target = urljoin(str(response.url), response.headers["location"])
                if target.startswith(REDIRECT):
                    return {k: v[0] for k, v in parse_qs(urlsplit(target).query).items()}
                response = await self.http.get(target)
            elif response.status_code == 200 and "<form" in response.text:
                response = await self.submit(response)
            else:
                raise AssertionError(f"the sign-in stopped at {response.url}: {response.status_code} {response.text}")
        raise AssertionError("the sign-in went round in circles")

    async def submit(self, page: httpx2.Response) -> httpx2.Response:
        form = parse_form(page.text)
        data: dict[str, Any] = dict(form.fields)
        if "login" in form.fields:  # the simulated GitCode's sign-in page
            if self.scopes is not None:
                data["scope"] = self.scopes
            data["login"] = self.login
        return await self.http.post(urljoin(str(page.url), form.action or str(page.url)), data=data)


class MemoryStorage:
    """The client's token storage (the SDK's TokenStorage protocol), in memory."""

    def __init__(self) -> None:
        self.tokens: OAuthToken | None = None
        self.client_info: OAuthClientInformationFull | None = None

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self.client_info

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client_info = client_info


@dataclass
class SignedIn:
    client: Client
    provider: OAuthClientProvider
    storage: MemoryStorage
    authorization_urls: list[str]

    def expire_access_token(self) -> None:
        """As if the access token's time were up: the client refreshes before its next request."""
        self.provider.context.token_expiry_time = 0.0001


def client_metadata() -> OAuthClientMetadata:
    return OAuthClientMetadata(
        client_name="Test agent",
        redirect_uris=[AnyUrl(REDIRECT)],
        grant_types=["authorization_code", "refresh_token"],
        response_types=["code"],
    )


@asynccontextmanager
async def signed_in(
    base: str,
    browser: Browser | None,
    transport: httpx2.AsyncBaseTransport | None = None,
    storage: MemoryStorage | None = None,
    mode: str = "auto",
) -> AsyncIterator[SignedIn]:
    """An MCP client of `base`/mcp that signs in through `browser` when the server asks (None: it must not ask)."""
    storage = storage or MemoryStorage()
    urls: list[str] = []
    answers: list[dict[str, str]] = []

    async def redirect_handler(url: str) -> None:
        if browser is None:
            raise AssertionError("the client was asked to sign in again")
        urls.append(url)
        answers.append(await browser.walk(url))

    async def callback_handler() -> AuthorizationCodeResult:
        answer = answers.pop()
        if "code" not in answer:
            raise AssertionError(f"the sign-in ended without a code: {answer}")
        return AuthorizationCodeResult(code=answer["code"], state=answer.get("state"))

    provider = OAuthClientProvider(f"{base}/mcp", client_metadata(), storage, redirect_handler, callback_handler)
    http = httpx2.AsyncClient(transport=transport, auth=provider, timeout=READ_TIMEOUT)
    streams = streamable_http_client(f"{base}/mcp", http_client=http)
    async with http, Client(streams, mode=mode, read_timeout_seconds=READ_TIMEOUT) as client:
        yield SignedIn(client, provider, storage, urls)


def browser_for(base: str, transport: httpx2.AsyncBaseTransport | None = None, **how: Any) -> Browser:
    return Browser(httpx2.AsyncClient(transport=transport, base_url=base, timeout=READ_TIMEOUT), **how)
