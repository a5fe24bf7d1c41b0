"""GitCode's OAuth, simulated (docs.gitcode.com/docs/apis/oauth): an app's authorize page, where a person signs in
(here: as alice or bob, granting all or some of the scopes asked for), and the token endpoint that exchanges the
code with the app's secret and renews tokens with a refresh token.

Answers follow the reference's shapes (`access_token`, `expires_in`, `refresh_token`, `scope`, `created_at`); the
refusals are RFC 6749's (`invalid_client`, `invalid_grant`, ...), as GitCode's own words for them are not recorded.
Renewing ends the old access and refresh tokens, as OAuth servers that rotate do; unverified on live GitCode.
"""

from __future__ import annotations

import html
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from gitcode_mcp.endpoints import GITCODE_SCOPES
from gitcode_mcp.sandbox.state import User, World, now
from gitcode_mcp.settings import SANDBOX_OAUTH_CLIENT_ID, SANDBOX_OAUTH_CLIENT_SECRET

LIFETIME = 1_296_000  # seconds an access token lives: the reference's `expires_in`
CODE_LIFETIME = 600


@dataclass
class OAuthApp:
    client_id: str
    secret: str
    name: str
    callbacks: tuple[str, ...] | None  # registered callback URLs; None: any (the --sandbox app)


@dataclass
class Grant:
    user: User
    scopes: list[str]
    client_id: str
    redirect_uri: str = ""
    expires_at: float = 0.0
    access: str = ""


class SimulatedOAuth:
    def __init__(self, world: World) -> None:
        self.world = world
        self.lifetime = LIFETIME  # a test may shorten it, to see tokens renewed
        self.apps = {
            SANDBOX_OAUTH_CLIENT_ID: OAuthApp(SANDBOX_OAUTH_CLIENT_ID, SANDBOX_OAUTH_CLIENT_SECRET, "Sandbox", None)
        }
        self.codes: dict[str, Grant] = {}
        self.refresh_tokens: dict[str, Grant] = {}

    def register(self, client_id: str, secret: str, callbacks: tuple[str, ...], name: str = "gitcode-mcp") -> None:
        self.apps[client_id] = OAuthApp(client_id, secret, name, callbacks)

    async def answer(self, request: Request) -> Response:
        if request.url.path == "/oauth/authorize" and request.method in ("GET", "POST"):
            return await self._authorize(request)
        if request.url.path == "/oauth/token" and request.method == "POST":
            return await self._token(request)
        return JSONResponse({"message": "404 Not Found"}, status_code=404)

    async def _authorize(self, request: Request) -> Response:
        q = request.query_params
        app = self.apps.get(q.get("client_id", ""))
        redirect_uri = q.get("redirect_uri", "")
        if app is None:
            return _page("Unknown application", "<p>No OAuth application has this client_id.</p>", 400)
        if app.callbacks is not None and redirect_uri not in app.callbacks:
            return _page("Wrong callback", "<p>The redirect_uri is not this application's callback URL.</p>", 400)
        asked = [s for s in q.get("scope", "").split() if s]
        if q.get("response_type") != "code":
            return _back(redirect_uri, error="unsupported_response_type", state=q.get("state"))
        if any(s not in GITCODE_SCOPES for s in asked):
            return _back(redirect_uri, error="invalid_scope", state=q.get("state"))
        if request.method == "GET":
            return self._sign_in_page(app, asked)
        form = await request.form()
        user = self.world.users.get(str(form.get("login", "")))
        if form.get("decision") == "deny" or user is None:
            return _back(redirect_uri, error="access_denied", state=q.get("state"))
        granted = [s for s in asked if s in form.getlist("scope")] if "scope" in form else asked
        code = secrets.token_hex(32)
        self.codes[code] = Grant(user, granted, app.client_id, redirect_uri, time.time() + CODE_LIFETIME)
        return _back(redirect_uri, code=code, state=q.get("state"))

    def _sign_in_page(self, app: OAuthApp, asked: list[str]) -> Response:
        people = "".join(
            f'<label><input type=radio name=login value="{login}"{" checked" * (login == "alice")}> {login}</label> '
            for login in ("alice", "bob")
        )
        boxes = "".join(
            f'<label><input type=checkbox name=scope value="{s}" checked> <code>{s}</code></label><br>' for s in asked
        )
        body = (
            f"<h1>GitCode (simulated)</h1><p><b>{html.escape(app.name)}</b> asks to use your account.</p>"
            f'<form method=post action=""><p>Sign in as {people}</p>{boxes}'
            "<p><button>Sign in and authorize</button> <button name=decision value=deny>Cancel</button></p></form>"
        )
        return _page("Sign in to GitCode (simulated)", body)

    async def _token(self, request: Request) -> Response:
        form = await request.form()
        params = {**request.query_params, **{k: str(v) for k, v in form.items()}}
        app = self.apps.get(params.get("client_id", ""))
        if app is None or not secrets.compare_digest(params.get("client_secret", ""), app.secret):
            return _error(401, "invalid_client", "Client authentication failed")
        grant_type = params.get("grant_type")
        if grant_type == "authorization_code":
            grant = self.codes.pop(params.get("code", ""), None)
            if grant is None or grant.client_id != app.client_id or grant.expires_at < time.time():
                return _error(400, "invalid_grant", "The provided authorization grant is invalid or expired")
            if "redirect_uri" in params and params["redirect_uri"] != grant.redirect_uri:
                return _error(400, "invalid_grant", "The redirect_uri does not match the one of the authorization")
            return self._issue(grant)
        if grant_type == "refresh_token":
            grant = self.refresh_tokens.pop(params.get("refresh_token", ""), None)
            if grant is None or grant.client_id != app.client_id:
                return _error(400, "invalid_grant", "The provided refresh token is invalid")
            self.world.tokens.pop(grant.access, None)
            return self._issue(grant)
        return _error(400, "unsupported_grant_type", "The grant type is not supported")

    def _issue(self, grant: Grant) -> Response:
        access, refresh = f"gco_{secrets.token_hex(12)}", secrets.token_hex(16)
        grant.access = access
        self.world.tokens[access] = grant.user
        self.refresh_tokens[refresh] = grant
        body = {
            "access_token": access,
            "expires_in": self.lifetime,
            "refresh_token": refresh,
            "scope": " ".join(grant.scopes),
            "created_at": now(),
        }
        return JSONResponse(body, headers={"Cache-Control": "no-store"})


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(f"<!doctype html><meta charset=utf-8><title>{title}</title>{body}", status_code=status)


def _back(redirect_uri: str, **params: str | None) -> Response:
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return RedirectResponse(f"{redirect_uri}{'&' if '?' in redirect_uri else '?'}{query}", status_code=302)


def _error(status: int, error: str, description: str) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)
