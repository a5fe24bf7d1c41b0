"""The sign-in wired into the HTTP app: the SDK's authorization-server routes (RFC 8414 metadata, registration,
authorize, token, revocation) and protected-resource metadata (RFC 9728), the consent page and GitCode's callback,
and the guard in front of the MCP endpoint."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import httpx2
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser, RequireAuthMiddleware
from mcp.server.auth.routes import build_resource_metadata_url, create_auth_routes, create_protected_resource_routes
from mcp.server.auth.settings import AuthSettings, ClientRegistrationOptions, RevocationOptions
from mcp.server.transport_security import DEFAULT_MAX_REQUEST_BODY_SIZE, RequestBodyLimitMiddleware
from starlette.authentication import AuthCredentials
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, request_response
from starlette.types import ASGIApp, Receive, Scope, Send

from gitcode_mcp.endpoints import ME
from gitcode_mcp.errors import GitCodeError
from gitcode_mcp.identity import caller_token
from gitcode_mcp.oauth.config import (
    CALLBACK_PATH,
    CONSENT_PATH,
    SANDBOX_RELAY_PATH,
    gitcode_authorize_url,
    gitcode_token_url,
    gitcode_web_url,
    is_in_process_sandbox,
    public_url,
    resource_url,
)
from gitcode_mcp.oauth.gitcode import GitCodeOAuth, GitCodeRefused
from gitcode_mcp.oauth.pages import Pages
from gitcode_mcp.oauth.provider import GitCodeProvider
from gitcode_mcp.oauth.scopes import scopes_for
from gitcode_mcp.oauth.seal import PREFIX, Seal
from gitcode_mcp.paths import api_path
from gitcode_mcp.settings import Settings
from gitcode_mcp.shared_client import SharedClient

DOCS = "https://github.com/gitcode-mcp/gitcode-mcp#sign-in-with-gitcode-oauth"


class SignIn:
    def __init__(
        self, settings: Settings, shared: SharedClient, http_transport: httpx2.AsyncBaseTransport | None = None
    ) -> None:
        if settings.oauth_key is None or not settings.oauth_client_id or settings.oauth_client_secret is None:
            raise ValueError("--oauth needs the sealing key and the GitCode OAuth app's id and secret")
        self._settings = settings
        self._shared = shared
        self.auth = AuthSettings.model_validate(
            {
                "issuer_url": public_url(settings),
                "resource_server_url": resource_url(settings),
                "service_documentation_url": DOCS,
                "client_registration_options": ClientRegistrationOptions(
                    enabled=True, valid_scopes=scopes_for(settings), default_scopes=scopes_for(settings)
                ),
                "revocation_options": RevocationOptions(enabled=True),
                "validate_token_resource": False,  # the provider checks each token's audience itself
            }
        )
        assert self.auth.resource_server_url is not None  # given just above
        self._resource = self.auth.resource_server_url
        self.gitcode = GitCodeOAuth(
            gitcode_authorize_url(settings),
            gitcode_token_url(settings),
            settings.oauth_client_id,
            settings.oauth_client_secret,
            http_transport,
        )
        self.provider = GitCodeProvider(
            Seal(settings.oauth_key.get_secret_value().split(","), public_url(settings)),
            public_url(settings),
            resource_url(settings),
            scopes_for(settings),
            self.gitcode,
            self._whoami,
        )

    async def _whoami(self, gitcode_token: str) -> tuple[str, str]:
        """Whom GitCode signed in: the user its new token belongs to."""
        try:
            async with self._shared.use() as client:
                user = (await client.for_caller(gitcode_token).get(api_path(ME))).object()
        except GitCodeError as error:
            raise GitCodeRefused(f"GitCode did not say who signed in: {error}") from None
        return str(user.get("id", "")), str(user.get("login", ""))

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await self.gitcode.http.aclose()

    def routes(self) -> list[Route]:
        auth = self.auth
        routes = create_auth_routes(
            self.provider,
            auth.issuer_url,
            auth.service_documentation_url,
            auth.client_registration_options,
            auth.revocation_options,
        )
        resource = create_protected_resource_routes(
            self._resource, [auth.issuer_url], scopes_for(self._settings), "GitCode (gitcode-mcp)"
        )
        # RFC 9728 puts the metadata at the well-known path plus the resource's path (/mcp); some clients look
        # at the bare well-known path: both answer.
        resource.append(
            Route("/.well-known/oauth-protected-resource", resource[0].endpoint, methods=["GET", "OPTIONS"])
        )
        pages = Pages(self.provider)
        routes += [
            *resource,
            Route(CONSENT_PATH, _limited(pages.consent), methods=["GET", "POST"]),
            Route(CALLBACK_PATH, pages.callback, methods=["GET"]),
        ]
        if is_in_process_sandbox(self._settings):
            routes.append(Route(SANDBOX_RELAY_PATH, _limited(self._relay_sandbox_sign_in), methods=["GET", "POST"]))
        return routes

    async def _relay_sandbox_sign_in(self, request: Request) -> Response:
        """The simulated GitCode's sign-in page, which lives in this process (--sandbox), relayed to a browser."""
        answer = await self.gitcode.http.request(
            request.method,
            gitcode_web_url(self._settings.api_url) + "/oauth/authorize",
            params=request.query_params,
            content=await request.body(),
            headers={"content-type": request.headers.get("content-type", "")},
        )
        headers = {k: v for k, v in answer.headers.items() if k.lower() in ("content-type", "location")}
        return Response(answer.content, answer.status_code, headers=headers)

    def guard(self, app: ASGIApp) -> ASGIApp:
        metadata = build_resource_metadata_url(self._resource)
        return Guard(app, self.provider, RequireAuthMiddleware(app, [], metadata), not self._settings.oauth_only)


def _limited(endpoint: Callable[[Request], Awaitable[Response]]) -> ASGIApp:
    """The SDK's request body limit, as its own auth routes have it."""
    return RequestBodyLimitMiddleware(request_response(endpoint), DEFAULT_MAX_REQUEST_BODY_SIZE)


class Guard:
    """In front of the MCP endpoint: a request is signed in (a token of ours, checked: seal, audience, expiry,
    revocation), or carries a caller's own GitCode token (unless --oauth-only), or is answered 401 with
    `WWW-Authenticate` naming the protected-resource metadata, which is where a client's sign-in starts."""

    def __init__(self, app: ASGIApp, provider: GitCodeProvider, refuse: ASGIApp, accept_caller_tokens: bool) -> None:
        self._app = app
        self._provider = provider
        self._require_sign_in = refuse  # the SDK's: lets a signed-in request through, answers 401 to the rest
        self._accept_caller_tokens = accept_caller_tokens

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self._app(scope, receive, send)
        headers = Headers(scope=scope)
        scheme, _, bearer = headers.get("authorization", "").strip().partition(" ")
        if scheme.lower() == "bearer" and bearer.strip().startswith(PREFIX):
            if access := await self._provider.load_access_token(bearer.strip()):
                scope["user"] = AuthenticatedUser(access)
                scope["auth"] = AuthCredentials(access.scopes)
            return await self._require_sign_in(scope, receive, send)
        if self._accept_caller_tokens and caller_token(headers):
            return await self._app(scope, receive, send)
        return await self._require_sign_in(scope, receive, send)
