"""Repository webhooks: list, read, create, update, test and delete them
(docs.gitcode.com/v1-docs/docs/openapi/repos/webhooks).

GitCode answers a hook's `password` in plain text (the ref's example shows it), and hook URLs often carry a token in
their query. Neither reaches the agent: results say only whether a secret is set, URLs lose their user-info and their
query values, and a secret the agent sends is scrubbed from any error GitCode answers with.
"""

from __future__ import annotations

import re
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

from mcp.server.mcpserver import Context
from pydantic import SecretStr

from gitcode_mcp.client import Reply
from gitcode_mcp.endpoints import HOOK, HOOK_TESTS, HOOKS
from gitcode_mcp.errors import GitCodeError, InvalidArgument
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import Number, get_page, gitcode
from gitcode_mcp.views import Obj, View, as_int, at, to_text

webhooks = Toolset("webhooks", "Repository webhooks: list, create, update, test and delete them")

DEMO = {"owner": "alice", "repo": "demo"}
CI_HOOK = {**DEMO, "hook_id": 8_710_201}  # seeded by the simulator
MASK = "***"

Event = Literal["push", "tag_push", "issues", "note", "merge_requests"]
EVENTS: tuple[Event, ...] = ("push", "tag_push", "issues", "note", "merge_requests")
SecretKind = Literal["password", "signing_key"]
KINDS: dict[SecretKind, int] = {"password": 0, "signing_key": 1}  # ref: encryption_type 0 password, 1 signature key


def masked_url(url: Any) -> Any:
    """A hook or mirror URL without what may be a credential: user-info, query values, fragment."""
    if not isinstance(url, str):
        return url
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return url.split("?", 1)[0].split("@")[-1] + ("?" + MASK if "?" in url else "")
    who = f"{MASK}@" if parts.username or parts.password else ""
    query = "&".join(f"{k}={MASK}" for k, _ in parse_qsl(parts.query, keep_blank_values=True))
    return f"{parts.scheme}://{who}{host}{port}{parts.path}" + (f"?{query}" if query else "")


def secrets_in(url: Any) -> list[str]:
    """The parts of a URL that masked_url hides, to scrub them from free text too."""
    if not isinstance(url, str):
        return []
    try:
        parts = urlsplit(url)
        found = [parts.password, parts.username] + [v for _, v in parse_qsl(parts.query, keep_blank_values=True)]
    except ValueError:
        return []
    return [s for s in found if s and len(s) >= 4]


def scrub(text: Any, secrets: list[str]) -> Any:
    if not isinstance(text, str):
        return text
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return re.sub(r"(?<=://)[^/@\s]+@", f"{MASK}@", text)  # user-info of any other URL in it


def events_of(hook: Obj) -> list[str]:
    return [e for e in EVENTS if hook.get(f"{e}_events")]


def _secret_kind(hook: Obj) -> Any:
    if not hook.get("password"):
        return None
    return {0: "password", 1: "signing_key"}.get(as_int(hook.get("encryption_type")))


HOOK_VIEW = View(
    id=at("id", as_int),
    url=at("url", masked_url),
    events=events_of,
    secret=lambda h: MASK if h.get("password") else None,
    secret_kind=_secret_kind,
    last_result=lambda h: scrub(h.get("result"), [str(h.get("password") or ""), *secrets_in(h.get("url"))]),
    last_status=at("result_code", as_int),
    created_at="created_at",
)


def _url(url: str | None) -> str | None:
    if url is not None and not url.strip().lower().startswith(("http://", "https://")):
        raise InvalidArgument("url", "give an http(s) URL, like https://ci.example.com/hooks/gitcode")
    return url.strip() if url else None


def _flags(events: list[Event] | None, current: Obj | None = None) -> dict[str, bool]:
    if events is None:
        return {f"{e}_events": bool(current.get(f"{e}_events")) for e in EVENTS} if current else {}
    return {f"{e}_events": e in events for e in EVENTS}


async def _send(ctx: Context, method: str, path: str, body: Obj, secrets: list[str]) -> Reply:
    """A hook write whose body may hold secrets: none of them reaches the agent, not even inside GitCode's error."""
    try:
        return await gitcode(ctx).request(
            method,
            path,
            json=body,
            hints={400: "check url (http or https), the events, and the secret (at most 100 characters)"},
        )
    except GitCodeError as error:
        raise GitCodeError(error.status, scrub(error.detail, secrets), scrub(error.hint, secrets)) from None


@webhooks.read(Example(DEMO, f"GET {HOOKS}"), Example(CI_HOOK, f"GET {HOOK}"))
async def list_webhooks(owner: str, repo: str, ctx: Context, hook_id: Number | None = None) -> str:
    """List a repository's webhooks, or get one; secrets are masked."""
    if hook_id is None:  # a repository has a handful: one page of 100 holds them
        return await get_page(ctx, HOOKS, HOOK_VIEW, 1, 100, owner=owner, repo=repo)
    reply = await gitcode(ctx).get(api_path(HOOK, owner=owner, repo=repo, hook_id=hook_id))
    return to_text(HOOK_VIEW(reply.object()))


@webhooks.write(
    Example({**DEMO, "url": "https://ci.example.com/hooks/new"}, f"POST {HOOKS}"),
    Example(
        {
            **DEMO,
            "url": "https://ci.example.com/hooks/pr?token=abc123",
            "events": ["merge_requests", "note"],
            "secret": "s3cret-value",
            "secret_kind": "signing_key",
        },
        f"POST {HOOKS}",
    ),
)
async def create_webhook(
    owner: str,
    repo: str,
    url: str,
    ctx: Context,
    events: list[Event] | None = None,
    secret: SecretStr | None = None,
    secret_kind: SecretKind | None = None,
) -> str:
    """Add a webhook (push events unless told otherwise); the secret is never shown back."""
    raw = secret.get_secret_value() if secret else None
    body: Obj = {"url": _url(url), **_flags(events)}
    if raw:
        body |= {"password": raw, "encryption_type": KINDS[secret_kind or "password"]}
    reply = await _send(ctx, "POST", api_path(HOOKS, owner=owner, repo=repo), body, [raw or "", *secrets_in(url)])
    return to_text(HOOK_VIEW(reply.object()))


@webhooks.write(
    Example({**CI_HOOK, "events": ["push", "tag_push"]}, f"GET {HOOK}", f"PATCH {HOOK}"),
    Example(
        {**CI_HOOK, "url": "https://ci.example.com/v2/hook", "secret": "n3w-secret"}, f"GET {HOOK}", f"PATCH {HOOK}"
    ),
    idempotent=True,
)
async def update_webhook(
    owner: str,
    repo: str,
    hook_id: Number,
    ctx: Context,
    url: str | None = None,
    events: list[Event] | None = None,
    secret: SecretStr | None = None,
    secret_kind: SecretKind | None = None,
) -> str:
    """Change a webhook; what is not given stays, events given replace the old."""
    where = api_path(HOOK, owner=owner, repo=repo, hook_id=hook_id)
    current = (await gitcode(ctx).get(where)).object()
    if url is None and events is None and secret is None and secret_kind is None:
        return to_text({**HOOK_VIEW(current), "note": "nothing to change was given; this is the webhook"})
    # The PATCH carries every field, those not given as they are now: GitCode reads `url` on every update (the
    # gitcode-api package sends it each time), and a field left out might be cleared. The current secret is sent back
    # unseen, unless GitCode masks it in its answer (then it is left out rather than overwritten by the mask).
    old_secret = current.get("password")
    kept = old_secret if isinstance(old_secret, str) and old_secret and set(old_secret) != {"*"} else None
    raw = secret.get_secret_value() if secret else kept
    body: Obj = {"url": _url(url) or current.get("url"), **_flags(events, current)}
    if raw:
        kind = KINDS[secret_kind] if secret_kind else as_int(current.get("encryption_type")) or 0
        body |= {"password": raw, "encryption_type": kind}
    secrets = [raw or "", *secrets_in(url), *secrets_in(current.get("url"))]
    reply = await _send(ctx, "PATCH", where, body, secrets)
    return to_text(HOOK_VIEW(reply.object()))


@webhooks.write(Example(CI_HOOK, f"POST {HOOK_TESTS}"))
async def test_webhook(owner: str, repo: str, hook_id: Number, ctx: Context) -> str:
    """Send a webhook a test delivery; list_webhooks shows the result."""
    await gitcode(ctx).request("POST", api_path(HOOK_TESTS, owner=owner, repo=repo, hook_id=hook_id))
    return to_text({"tested": hook_id})


@webhooks.destructive(Example(CI_HOOK, f"DELETE {HOOK}"), idempotent=True)
async def delete_webhook(owner: str, repo: str, hook_id: Number, ctx: Context) -> str:
    """Delete a webhook; this cannot be undone."""
    await gitcode(ctx).request("DELETE", api_path(HOOK, owner=owner, repo=repo, hook_id=hook_id))
    return to_text({"deleted": hook_id})
