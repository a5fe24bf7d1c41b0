"""--oauth in-process: the app on an ASGI transport, signed in to by the SDK's own OAuth client (mcp.client.auth) over
Streamable HTTP, with a browser that answers the consent page and the simulated GitCode's sign-in, and the simulator
as GitCode. What GitCode received is read from the simulator; what the client holds, from its token storage."""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

import anyio
import httpx2
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.types import Receive, Scope, Send

from gitcode_mcp.endpoints import GITCODE_SCOPES
from gitcode_mcp.http_app import build_http_app
from gitcode_mcp.oauth.provider import ACCESS_TTL
from gitcode_mcp.oauth.scopes import TOOLSET_SCOPES, scopes_for
from gitcode_mcp.registry import toolsets
from gitcode_mcp.sandbox import Recorded, Sandbox
from gitcode_mcp.settings import SANDBOX_API_URL, SANDBOX_OAUTH_CLIENT_ID, SANDBOX_OAUTH_CLIENT_SECRET, Settings
from tests.conftest import text
from tests.oauth_client import REDIRECT, browser_for, client_metadata, signed_in

pytestmark = pytest.mark.anyio
BASE = "http://127.0.0.1:8000"
KEY = secrets.token_urlsafe(32)


def oauth_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "api_url": SANDBOX_API_URL,
        "transport": "streamable-http",
        "toolsets": ("all",),
        "oauth": True,
        "oauth_client_id": SANDBOX_OAUTH_CLIENT_ID,
        "oauth_client_secret": SecretStr(SANDBOX_OAUTH_CLIENT_SECRET),
        "oauth_key": SecretStr(KEY),
        "public_url": BASE,
    }
    return Settings(**(values | overrides))


class Witness:
    """The HTTP requests the app received, as "METHOD path status"."""

    def __init__(self, app: Starlette) -> None:
        self.app = app
        self.seen: list[str] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def note(message: Any) -> None:
            if message["type"] == "http.response.start":
                self.seen.append(f"{scope['method']} {scope['path']} {message['status']}")
            await send(message)

        await self.app(scope, receive, note if scope["type"] == "http" else send)


@asynccontextmanager
async def running(sandbox: Sandbox, **overrides: Any) -> AsyncIterator[httpx2.ASGITransport]:
    """The --oauth app on the simulator; the transport a client or browser reaches it through."""
    app = build_http_app(oauth_settings(**overrides), httpx2.ASGITransport(app=sandbox.app))
    async with app.router.lifespan_context(app):
        yield httpx2.ASGITransport(app=app)


def gitcode_tokens(sandbox: Sandbox) -> dict[str, str]:
    """The tokens the simulated GitCode issued through OAuth, and whose each is."""
    return {token: user.login for token, user in sandbox.world.tokens.items() if token.startswith("gco_")}


def api_requests(sandbox: Sandbox) -> list[Recorded]:
    return [r for r in sandbox.requests if not r.path.startswith("oauth/")]


def token_requests(sandbox: Sandbox) -> list[Recorded]:
    return [r for r in sandbox.requests if r.path == "oauth/token"]


def assert_no_token_of_ours_reached_gitcode(sandbox: Sandbox) -> None:
    for r in sandbox.requests:
        assert "gcm_" not in json.dumps([r.path, r.query, r.headers, r.body]), r


async def test_discovery_registration_pkce_sign_in_and_a_tool_call_with_the_sdks_oauth_client() -> None:
    sandbox = Sandbox()
    app = build_http_app(oauth_settings(), httpx2.ASGITransport(app=sandbox.app))
    witness = Witness(app)
    async with app.router.lifespan_context(app):
        transport = httpx2.ASGITransport(app=witness)
        browser = browser_for(BASE, transport, login="alice")
        async with signed_in(BASE, browser, transport) as session:
            me = await session.client.call_tool("get_user", {})
            pr = await session.client.call_tool("get_pull_request", {"owner": "alice", "repo": "demo", "number": 1})

    assert not me.is_error and json.loads(text(me))["login"] == "alice"
    assert not pr.is_error and json.loads(text(pr))["number"] == 1
    # Discovery from the 401, metadata, registration, authorization (the browser), token exchange, the call again.
    flow = [s for s in witness.seen if not s.split()[1].startswith(("/oauth/", "/gitcode-sandbox/"))]
    assert flow[:6] == [
        "POST /mcp 401",
        "GET /.well-known/oauth-protected-resource/mcp 200",
        "GET /.well-known/oauth-authorization-server 200",
        "POST /register 201",
        "GET /authorize 302",
        "POST /token 200",
    ]
    assert flow[6] == "POST /mcp 200"
    [url] = session.authorization_urls
    asked = parse_qs(urlsplit(url).query)
    assert asked["code_challenge_method"] == ["S256"] and len(asked["code_challenge"][0]) == 43
    assert asked["resource"] == [f"{BASE}/mcp"]

    # GitCode: the code exchanged with the app's secret in the body, never in the URL; then only GitCode's own token.
    [exchange] = token_requests(sandbox)
    assert exchange.method == "POST" and exchange.query == {
        "grant_type": "authorization_code",
        "client_id": SANDBOX_OAUTH_CLIENT_ID,
    }
    assert exchange.body["client_secret"] == SANDBOX_OAUTH_CLIENT_SECRET and exchange.body["code"]
    [(gitcode_token, login)] = gitcode_tokens(sandbox).items()
    assert login == "alice"
    assert [(r.method, r.path) for r in api_requests(sandbox)] == [
        ("GET", "user"),  # who signed in
        ("GET", "user"),
        ("GET", "repos/alice/demo/pulls/1"),
    ]
    for r in api_requests(sandbox):
        assert r.headers["private-token"] == gitcode_token and r.headers["authorization"] == f"Bearer {gitcode_token}"
    assert_no_token_of_ours_reached_gitcode(sandbox)

    # The client holds tokens of this server only, bound to it; GitCode's never reaches it.
    tokens = session.storage.tokens
    assert tokens is not None and tokens.refresh_token is not None
    assert tokens.access_token.startswith("gcm_at_") and tokens.refresh_token.startswith("gcm_rt_")
    assert tokens.expires_in == ACCESS_TTL and tokens.scope == " ".join(GITCODE_SCOPES)
    held = tokens.model_dump_json() + session.storage.client_info.model_dump_json()  # type: ignore[union-attr]
    assert gitcode_token not in held and gitcode_token not in text(me) + text(pr)
    assert all(gitcode_token not in url for url in browser.visited)


async def test_metadata_and_the_401_that_starts_a_sign_in() -> None:
    async with running(Sandbox()) as transport, httpx2.AsyncClient(transport=transport, base_url=BASE) as http:
        refused = await http.post("/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
        server = (await http.get("/.well-known/oauth-authorization-server")).json()
        resource = (await http.get("/.well-known/oauth-protected-resource/mcp")).json()
        bare = (await http.get("/.well-known/oauth-protected-resource")).json()
    assert refused.status_code == 401
    challenge = refused.headers["www-authenticate"]
    assert (
        challenge.startswith("Bearer ")
        and f'resource_metadata="{BASE}/.well-known/oauth-protected-resource/mcp"' in challenge
    )
    assert server["issuer"] == BASE
    assert (server["authorization_endpoint"], server["token_endpoint"]) == (f"{BASE}/authorize", f"{BASE}/token")
    assert (server["registration_endpoint"], server["revocation_endpoint"]) == (f"{BASE}/register", f"{BASE}/revoke")
    assert server["code_challenge_methods_supported"] == ["S256"]
    assert server["grant_types_supported"] == ["authorization_code", "refresh_token"]
    assert server["scopes_supported"] == list(GITCODE_SCOPES)
    assert resource == bare
    assert resource["resource"] == f"{BASE}/mcp" and resource["authorization_servers"] == [BASE]
    assert resource["scopes_supported"] == list(GITCODE_SCOPES)


async def test_refresh_renews_gitcodes_tokens_when_they_run_out_and_rotates_ours() -> None:
    sandbox = Sandbox()
    sandbox.oauth.lifetime = 120  # GitCode's token ends before a new one of ours would
    async with running(sandbox) as transport:
        async with signed_in(BASE, browser_for(BASE, transport), transport) as session:
            first = await session.client.call_tool("get_user", {})
            [old_gitcode_token] = gitcode_tokens(sandbox)
            old = session.storage.tokens
            assert old is not None and old.expires_in is not None and old.expires_in <= 120  # never outlives GitCode's
            session.expire_access_token()
            second = await session.client.call_tool("get_user", {})
            new = session.storage.tokens
        async with httpx2.AsyncClient(transport=transport, base_url=BASE) as http:
            info = session.storage.client_info
            assert info is not None and old.refresh_token is not None
            again = await http.post(
                "/token",
                data={
                    "grant_type": "refresh_token",
                    "refresh_token": old.refresh_token,
                    "client_id": info.client_id,
                    "client_secret": info.client_secret or "",
                },
            )

    assert not first.is_error and not second.is_error, text(second)
    assert json.loads(text(second))["login"] == "alice"
    assert new is not None and new.access_token != old.access_token and new.refresh_token != old.refresh_token
    [renewal] = token_requests(sandbox)[1:]
    assert renewal.query["grant_type"] == "refresh_token" and "refresh_token" not in renewal.query
    assert renewal.body["refresh_token"] and renewal.body["client_secret"] == SANDBOX_OAUTH_CLIENT_SECRET
    [new_gitcode_token] = gitcode_tokens(sandbox)  # the simulator ended the old one when it renewed
    assert new_gitcode_token != old_gitcode_token
    assert api_requests(sandbox)[-1].headers["private-token"] == new_gitcode_token
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"  # a refresh token serves once


async def test_revoked_tokens_are_refused() -> None:
    sandbox = Sandbox()
    async with running(sandbox) as transport:
        async with signed_in(BASE, browser_for(BASE, transport), transport) as session:
            assert not (await session.client.call_tool("get_user", {})).is_error
        tokens, info = session.storage.tokens, session.storage.client_info
        assert tokens is not None and tokens.refresh_token is not None and info is not None
        client = {"client_id": info.client_id, "client_secret": info.client_secret or ""}
        async with httpx2.AsyncClient(transport=transport, base_url=BASE) as http:
            revoked = await http.post("/revoke", data={"token": tokens.access_token, **client})
            call = await http.post(
                "/mcp",
                json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
                headers={
                    "Authorization": f"Bearer {tokens.access_token}",
                    "Accept": "application/json, text/event-stream",
                },
            )
            refresh = await http.post(
                "/token", data={"grant_type": "refresh_token", "refresh_token": tokens.refresh_token, **client}
            )
    assert revoked.status_code == 200
    assert call.status_code == 401 and "invalid_token" in call.headers["www-authenticate"]
    # Revoking the access token ends its sign-in: its refresh token too.
    assert refresh.status_code == 400 and refresh.json()["error"] == "invalid_grant"


async def test_a_token_for_another_audience_or_sealed_with_another_key_is_refused() -> None:
    sandbox = Sandbox()
    other = "http://localhost:8000"  # another deployment with the same key: another issuer and audience
    async with running(sandbox) as here, running(sandbox, public_url=other) as there:
        async with signed_in(other, browser_for(other, there), there) as session:
            assert not (await session.client.call_tool("get_user", {})).is_error
        tokens = session.storage.tokens
        assert tokens is not None
        async with running(sandbox, oauth_key=SecretStr(secrets.token_urlsafe(32))) as rekeyed:
            answers = []
            for transport in (here, rekeyed):
                async with httpx2.AsyncClient(transport=transport, base_url=BASE) as http:
                    answers.append(
                        await http.post(
                            "/mcp",
                            json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
                            headers={"Authorization": f"Bearer {tokens.access_token}"},
                        )
                    )
    for answer in answers:
        assert answer.status_code == 401 and "resource_metadata=" in answer.headers["www-authenticate"]
    assert len(api_requests(sandbox)) == 2  # who signed in, and the one call there; nothing for the refused ones


async def test_two_users_signed_in_at_once_are_kept_apart() -> None:
    sandbox = Sandbox()
    seen: dict[str, list[str]] = {"alice": [], "bob": []}
    async with running(sandbox) as transport:

        async def work(login: str) -> None:
            async with signed_in(BASE, browser_for(BASE, transport, login=login), transport) as session:
                for _ in range(10):
                    result = await session.client.call_tool("get_user", {})
                    assert not result.is_error, text(result)
                    seen[login].append(json.loads(text(result))["login"])

        async with anyio.create_task_group() as group:
            group.start_soon(work, "alice")
            group.start_soon(work, "bob")

    assert seen == {"alice": ["alice"] * 10, "bob": ["bob"] * 10}
    owners = gitcode_tokens(sandbox)
    assert sorted(owners.values()) == ["alice", "bob"]
    for r in api_requests(sandbox):  # each request carried a token, and the one it carried was its caller's
        assert owners[r.headers["private-token"]] in ("alice", "bob")
    assert sorted(owners[r.headers["private-token"]] for r in api_requests(sandbox)) == ["alice"] * 11 + ["bob"] * 11


async def test_a_signed_in_token_gitcode_rejects_says_sign_in_again() -> None:
    """GitCode revoked the token behind a sign-in (the person withdrew the app): the fix is a new sign-in, not a
    server setting the person cannot reach."""
    sandbox = Sandbox()
    async with running(sandbox) as transport, signed_in(BASE, browser_for(BASE, transport), transport) as session:
        sandbox.fail("GET", r"users/bob$", status=401, body={"message": "401 Unauthorized"})
        result = await session.client.call_tool("get_user", {"username": "bob"})
    assert result.is_error and "GitCode 401 Unauthorized" in text(result), text(result)
    assert "sign in again" in text(result) and "GITCODE_TOKEN" not in text(result)
    assert api_requests(sandbox)[-1].headers["private-token"] in gitcode_tokens(sandbox)


async def test_two_replicas_accept_each_others_tokens() -> None:
    sandbox = Sandbox()
    async with running(sandbox, stateless=True) as one, running(sandbox, stateless=True) as two:
        async with signed_in(BASE, browser_for(BASE, one), one) as session:
            assert not (await session.client.call_tool("get_user", {})).is_error
        # The other replica: no new sign-in (the browser is None), the call and a refresh work there.
        async with signed_in(BASE, None, two, storage=session.storage) as elsewhere:
            result = await elsewhere.client.call_tool("get_user", {})
            issued_by_one = session.storage.tokens
            elsewhere.expire_access_token()
            refreshed = await elsewhere.client.call_tool("get_user", {})
    assert json.loads(text(result))["login"] == "alice" and json.loads(text(refreshed))["login"] == "alice"
    assert elsewhere.authorization_urls == []
    assert elsewhere.storage.tokens != issued_by_one  # refreshed at the other replica
    assert [r.query["grant_type"] for r in token_requests(sandbox)] == ["authorization_code"]  # GitCode's still good


async def test_a_tool_whose_scope_was_not_granted_says_so_and_sends_nothing() -> None:
    sandbox = Sandbox()
    granted = [s for s in GITCODE_SCOPES if s != "all_pr"]
    async with running(sandbox) as transport:
        browser = browser_for(BASE, transport, scopes=granted)
        async with signed_in(BASE, browser, transport) as session:
            pr = await session.client.call_tool("get_pull_request", {"owner": "alice", "repo": "demo", "number": 1})
            requests_before = len(api_requests(sandbox))
            readme = await session.client.call_tool(
                "get_file_contents", {"owner": "alice", "repo": "demo", "path": "README.md"}
            )
    assert pr.is_error
    assert "get_pull_request needs the GitCode permission all_pr, which your sign-in did not grant" in text(pr)
    assert requests_before == 1  # only the sign-in's: the refused call sent nothing
    assert not readme.is_error
    assert session.storage.tokens is not None and session.storage.tokens.scope == " ".join(granted)


def test_the_scopes_asked_for_follow_the_enabled_toolsets() -> None:
    assert set(TOOLSET_SCOPES) == set(toolsets())
    assert scopes_for(oauth_settings(toolsets=None)) == [
        "all_projects",
        "all_pr",
        "all_issue",
        "all_note",
        "all_repository",
    ]
    assert scopes_for(oauth_settings(toolsets=("keys", "webhooks"))) == ["all_key", "all_hook"]
    assert scopes_for(oauth_settings(toolsets=("all",))) == list(GITCODE_SCOPES)
    # GitCode's scopes each cover reading and writing (there is no read-only one): read-only asks for the same.
    assert scopes_for(oauth_settings(toolsets=("all",), read_only=True)) == list(GITCODE_SCOPES)


async def test_the_sign_in_asks_gitcode_for_the_enabled_toolsets_scopes() -> None:
    sandbox = Sandbox()
    async with running(sandbox, toolsets=("keys",), read_only=True) as transport:
        browser = browser_for(BASE, transport)
        async with signed_in(BASE, browser, transport) as session:
            keys = await session.client.call_tool("list_ssh_keys", {})
    assert not keys.is_error
    [gitcode_page] = {u for u in browser.visited if "/gitcode-sandbox/" in u}
    assert parse_qs(urlsplit(gitcode_page).query)["scope"] == ["all_key"]


async def test_callers_own_token_headers_keep_working_unless_oauth_only() -> None:
    sandbox = Sandbox()
    ping = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": "get_user", "arguments": {}},
    }
    accept = {"Accept": "application/json, text/event-stream", "Mcp-Protocol-Version": "2025-06-18"}
    answers: dict[str, list[int]] = {}
    for only in (False, True):
        async with (
            running(sandbox, oauth_only=only, stateless=True) as transport,
            httpx2.AsyncClient(transport=transport, base_url=BASE, headers=accept) as http,
        ):
            answers[f"only={only}"] = [
                (await http.post("/mcp", json=ping, headers=headers)).status_code
                for headers in ({"X-GitCode-Token": "bob-token"}, {"Authorization": "Bearer bob-token"}, {})
            ]
    assert answers == {"only=False": [200, 200, 401], "only=True": [401, 401, 401]}
    assert [r.headers["private-token"] for r in api_requests(sandbox)] == ["bob-token", "bob-token"]


async def test_the_consent_page_refuses_another_sites_answer_and_a_denial_goes_back_to_the_client() -> None:
    sandbox = Sandbox()
    async with running(sandbox) as transport, httpx2.AsyncClient(transport=transport, base_url=BASE) as http:
        client = (
            await http.post("/register", json=client_metadata().model_dump(mode="json", exclude_none=True))
        ).json()
        authorize = await http.get(
            "/authorize",
            params={
                "response_type": "code",
                "client_id": client["client_id"],
                "redirect_uri": REDIRECT,
                "code_challenge": "x" * 43,
                "state": "s1",
            },
        )
        consent_url = authorize.headers["location"]
        page = await http.get(consent_url)
        request = parse_qs(urlsplit(consent_url).query)["request"][0]
        # Another site's form: no consent cookie comes with it.
        async with httpx2.AsyncClient(transport=transport, base_url=BASE) as stranger:
            forged = await stranger.post(
                "/oauth/consent", data={"request": request, "csrf": "x" * 32, "decision": "allow"}
            )
        csrf = http.cookies["gcm_csrf"]
        cross_origin = await http.post(
            "/oauth/consent",
            data={"request": request, "csrf": csrf, "decision": "allow"},
            headers={"Origin": "https://attacker.example"},
        )
        denied = await http.post("/oauth/consent", data={"request": request, "csrf": csrf, "decision": "deny"})
    assert page.status_code == 200 and "Test agent" in page.text and "127.0.0.1:3030" in page.text
    assert (
        page.headers["x-frame-options"] == "DENY"
        and "frame-ancestors 'none'" in page.headers["content-security-policy"]
    )
    assert forged.status_code == 403 and cross_origin.status_code == 403
    back = parse_qs(urlsplit(denied.headers["location"]).query)
    assert (
        denied.headers["location"].startswith(REDIRECT)
        and back["error"] == ["access_denied"]
        and back["state"] == ["s1"]
    )
    assert sandbox.requests == []  # GitCode was never asked


async def test_a_sign_in_cannot_be_finished_in_another_browser() -> None:
    sandbox = Sandbox()
    async with running(sandbox) as transport:
        first = browser_for(BASE, transport)
        async with httpx2.AsyncClient(transport=transport, base_url=BASE) as http:
            client = (
                await http.post("/register", json=client_metadata().model_dump(mode="json", exclude_none=True))
            ).json()
        query = {
            "response_type": "code",
            "client_id": client["client_id"],
            "redirect_uri": REDIRECT,
            "code_challenge": "x" * 43,
        }
        consent = await first.http.get((await first.http.get("/authorize", params=query)).headers["location"])
        to_gitcode = await first.submit(consent)  # allowed: on its way to GitCode, with this browser's cookie
        signed = await first.submit(await first.http.get(to_gitcode.headers["location"]))
        callback = signed.headers["location"]
        async with httpx2.AsyncClient(transport=transport) as second:  # the callback opened elsewhere
            elsewhere = await second.get(callback)
        here = await first.http.get(callback)
    assert elsewhere.status_code == 400 and "another browser" in elsewhere.text
    assert here.status_code == 302 and here.headers["location"].startswith(REDIRECT)
    assert len(token_requests(sandbox)) == 1  # only the browser that started it had GitCode's code exchanged


async def test_over_sse_the_resource_is_the_sse_endpoint() -> None:
    async with (
        running(Sandbox(), transport="sse") as transport,
        httpx2.AsyncClient(transport=transport, base_url=BASE) as http,
    ):
        refused = await http.get("/sse")
        resource = (await http.get("/.well-known/oauth-protected-resource/sse")).json()
    assert refused.status_code == 401
    assert (
        'resource_metadata="http://127.0.0.1:8000/.well-known/oauth-protected-resource/sse"'
        in refused.headers["www-authenticate"]
    )
    assert resource["resource"] == f"{BASE}/sse"


async def test_the_simulated_gitcode_refuses_a_foreign_callback_a_wrong_secret_and_a_used_code() -> None:
    sandbox = Sandbox()
    sandbox.oauth.register("app", "app-secret", ("https://mcp.example.com/oauth/callback",))
    query = {"client_id": "app", "response_type": "code", "scope": "all_user", "state": "s"}
    async with httpx2.AsyncClient(
        transport=httpx2.ASGITransport(app=sandbox.app), base_url="https://gitcode.com"
    ) as gitcode:
        foreign = await gitcode.get("/oauth/authorize", params={**query, "redirect_uri": "https://evil.example/cb"})
        signed = await gitcode.post(
            "/oauth/authorize",
            params={**query, "redirect_uri": "https://mcp.example.com/oauth/callback"},
            data={"login": "bob"},
        )
        code = parse_qs(urlsplit(signed.headers["location"]).query)["code"][0]
        token = {"grant_type": "authorization_code", "client_id": "app", "code": code}
        wrong = await gitcode.post("/oauth/token", data={**token, "client_secret": "guess"})
        right = await gitcode.post("/oauth/token", data={**token, "client_secret": "app-secret"})
        again = await gitcode.post("/oauth/token", data={**token, "client_secret": "app-secret"})
    assert foreign.status_code == 400
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    assert right.status_code == 200 and set(right.json()) == {
        "access_token",
        "expires_in",
        "refresh_token",
        "scope",
        "created_at",
    }
    assert sandbox.world.tokens[right.json()["access_token"]].login == "bob"
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
