"""GitCode's side of the sign-in (docs.gitcode.com/docs/apis/oauth): the authorize page a person is sent to, and
the token endpoint this server exchanges GitCode's code at, and renews GitCode's tokens at, with the app's secret.

The reference puts `code` and `refresh_token` in the query string; this sends every credential in the form body
instead (RFC 6749 §4.1.3, §6), where OAuth servers read them too, so none is ever part of a URL: only `grant_type`
and `client_id` stay in the query as the reference shows them. Not yet checked against live GitCode.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlencode

import anyio
import httpx2
from pydantic import SecretStr

from gitcode_mcp.client import USER_AGENT

TIMEOUT = 20.0
_MAX_ERROR_TEXT = 200


class GitCodeRefused(Exception):
    """GitCode did not issue tokens: its words (never a credential), for the person or client to act on."""


@dataclass(frozen=True)
class GitCodeTokens:
    access: str
    refresh: str | None
    expires_at: int | None  # epoch seconds; None when GitCode does not say
    scope: str | None  # what GitCode granted, space-separated; None when it does not say


class GitCodeOAuth:
    def __init__(
        self,
        authorize_url: str,
        token_url: str,
        client_id: str,
        client_secret: SecretStr,
        transport: httpx2.AsyncBaseTransport | None = None,
    ) -> None:
        self._authorize_url = authorize_url
        self._token_url = token_url
        self._client_id = client_id
        self._secret = client_secret
        self.http = httpx2.AsyncClient(
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            timeout=httpx2.Timeout(TIMEOUT, connect=10.0),
            follow_redirects=False,
            transport=transport,
        )

    def authorize(self, redirect_uri: str, scopes: list[str], state: str) -> str:
        query = {
            "client_id": self._client_id,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": " ".join(scopes),
            "state": state,
        }
        return f"{self._authorize_url}?{urlencode(query)}"

    async def exchange(self, code: str, redirect_uri: str) -> GitCodeTokens:
        return await self._token("authorization_code", {"code": code, "redirect_uri": redirect_uri})

    async def renew(self, refresh_token: str) -> GitCodeTokens:
        return await self._token("refresh_token", {"refresh_token": refresh_token})

    async def _token(self, grant_type: str, form: dict[str, str]) -> GitCodeTokens:
        query = {"grant_type": grant_type, "client_id": self._client_id}
        form = {**form, "client_id": self._client_id, "client_secret": self._secret.get_secret_value()}
        try:
            with anyio.fail_after(TIMEOUT):
                response = await self.http.post(self._token_url, params=query, data=form)
        except (TimeoutError, httpx2.HTTPError):
            raise GitCodeRefused("GitCode's token endpoint did not answer; try again later") from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if not response.is_success or not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
            raise GitCodeRefused(self._refusal(response.status_code, body, form))
        expires_in = body.get("expires_in")
        return GitCodeTokens(
            access=body["access_token"],
            refresh=body["refresh_token"] if isinstance(body.get("refresh_token"), str) else None,
            expires_at=int(time.time()) + expires_in if isinstance(expires_in, int) and expires_in > 0 else None,
            scope=body["scope"] if isinstance(body.get("scope"), str) else None,
        )

    @staticmethod
    def _refusal(status: int, body: object, sent: dict[str, str]) -> str:
        words = ""
        if isinstance(body, dict):
            words = next(
                (str(body[k]) for k in ("error_description", "error_message", "error", "message") if body.get(k)), ""
            )
        for secret in filter(None, sent.values()):  # GitCode's words may quote what it was sent
            words = words.replace(secret, "***")
        return f"GitCode refused the sign-in ({status}{': ' + words[:_MAX_ERROR_TEXT] if words else ''})"
