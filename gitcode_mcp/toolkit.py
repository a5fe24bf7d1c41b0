"""What tools share: the client for this call, argument types, the list-page helper, GitCode's comma lists,
and request bodies without the fields the agent left unset."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, cast

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import AfterValidator, BeforeValidator, Field

from gitcode_mcp.client import GitCodeClient, Reply
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.identity import client_for
from gitcode_mcp.narrowing import Reach
from gitcode_mcp.paths import MAX_INT, MAX_SEGMENT, api_path
from gitcode_mcp.registry import tools_by_name
from gitcode_mcp.settings import Settings
from gitcode_mcp.tasks import report
from gitcode_mcp.ttl_cache import TTLCache
from gitcode_mcp.unicode_text import is_blank
from gitcode_mcp.views import View, to_text


@dataclass(frozen=True)
class AppState:
    settings: Settings
    client: GitCodeClient
    reach: Reach  # what the operator lets calls reach (narrowing.py); a request's headers may narrow it
    access: TTLCache[Any] = field(default_factory=lambda: TTLCache(0))  # lockdown's answers, per caller (lockdown.py)


def _state(ctx: Context) -> AppState:
    return cast(AppState, ctx.request_context.lifespan_context)


def gitcode(ctx: Context) -> GitCodeClient:
    """The shared client, speaking for this call's caller (over HTTP, the token the request carries)."""
    state = _state(ctx)
    request = ctx.request_context.request
    if state.settings.oauth:  # signed in with --oauth: the GitCode token of that sign-in
        from gitcode_mcp.oauth.scopes import signed_in_token

        if (token := signed_in_token(request, str((ctx.request_context.params or {}).get("name", "")))) is not None:
            return state.client.for_caller(token, signed_in=True)
    headers = getattr(request, "headers", None)
    return client_for(state.client, headers, state.settings.require_caller_token)


def reach(ctx: Context) -> Reach:
    """What this call may reach: the operator's choice, narrowed by the HTTP request's headers (narrowing.py)."""
    headers = getattr(ctx.request_context.request, "headers", None)
    return _state(ctx).reach.narrowed(headers, tools_by_name())


def secrets(ctx: Context) -> tuple[str, ...]:
    """The tokens this call knows (its caller's and the server's): no answer may show them."""
    try:
        return gitcode(ctx).secrets
    except ToolError:  # a caller whose token cannot be used: the server's is still known
        return _state(ctx).client.secrets


def settings(ctx: Context) -> Settings:
    return _state(ctx).settings


def access_cache(ctx: Context) -> TTLCache[Any]:
    return _state(ctx).access


def _no_bool(value: Any) -> Any:
    # JSON true is not 1: pydantic's lax mode would read `number: true` as PR #1.
    if isinstance(value, bool):
        raise ValueError("must be an integer, not true or false")
    return value


def _at_most_int(value: int | None) -> int | None:
    if value is not None and value > MAX_INT:
        raise ValueError(f"must be at most {MAX_INT}")
    return value


def _not_blank(value: str | None) -> str | None:
    if value is not None and is_blank(value):
        raise ValueError("must not be blank (spaces, controls and invisible characters count as blank)")
    return value


def _short(value: str | None) -> str | None:
    if value is not None and len(value) > MAX_SEGMENT:
        raise ValueError(f"is {len(value)} characters long; at most {MAX_SEGMENT}")
    return value


def _in_range(low: int, high: int) -> Any:
    def check(value: int | None) -> int | None:
        if value is not None and not low <= value <= high:
            raise ValueError(f"must be between {low} and {high}")
        return value

    return AfterValidator(check)


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


# Every byte of a schema is read by the model on every turn, so only bounds it could not guess are in the schema (a
# title at most 255 characters); the rest are checked by validators with a clear error naming the argument: ints are
# not booleans, numbers and pages run from 1 to int32's end, a page holds 1 to 100 (20 unless asked), text is not
# blank.
# (Constraints come before validators in Annotated: after them pydantic writes `ge` into the schema, not `minimum`.)
_INT = (BeforeValidator(_no_bool), AfterValidator(_at_most_int))
Number = Annotated[int, *_INT, _in_range(1, MAX_INT)]
Page = Annotated[int, Field(json_schema_extra=_no_default), *_INT, _in_range(1, MAX_INT)]
PerPage = Annotated[int, Field(json_schema_extra=_no_default), *_INT, _in_range(1, 100)]
Text = Annotated[str, AfterValidator(_not_blank)]
Title = Annotated[str, Field(max_length=255), AfterValidator(_not_blank)]
Ref = Annotated[str, AfterValidator(_short), Field(description="Branch, tag or commit")]


def page_of(reply: Reply, items: list[Any], page: int, per_page: int) -> str:
    """One page of a list (`items` shaped one-to-one from the reply), with has_more for asking for page + 1."""
    return to_text({"page": page, "has_more": reply.has_more(page, per_page, len(items)), "items": items})


# Lists of small items (people, tags, keys) come a page of GitCode's largest size at a time, and only `page` is the
# agent's to choose: one argument fewer in the schema every agent reads on every turn (get_tree pages its entries
# the same way). 100 is GitCode's largest per_page (docs/gitcode-behaviour.md, Errors, ids and numbers).
FULL_PAGE = 100


async def get_page(
    ctx: Context,
    template: str,
    view: View,
    page: int,
    per_page: int,
    query: dict[str, Any] | None = None,
    all_pages: bool | None = None,
    **path: Any,
) -> str:
    """GET one page of a GitCode list and answer it in `view`, with has_more; all_pages: every page (whole_list)."""
    if all_pages:
        return await whole_list(ctx, api_path(template, **path), query or {}, page, view.many)
    reply = await gitcode(ctx).get(api_path(template, **path), {**(query or {}), "page": page, "per_page": per_page})
    return page_of(reply, view.many(reply.items()), page, per_page)


# all_pages=true reads a whole list in one call, GitCode's largest page (100) at a time from `page` on, up to this
# many items (10 requests): an agent that needs all of a PR's comments or all issues with a label makes one call,
# not a call a page, and a list of thousands still ends in an answer of bounded size that says where to go on.
ALL_PAGES_CAP = 1000


@dataclass
class Walked:
    """The pages a walk read: `first` to `last`, and whether the list goes on past `last`."""

    first: int
    last: int = 0
    more: bool = False
    items: int = 0


async def walk_pages(
    ctx: Context,
    path: str,
    query: dict[str, Any],
    first: int,
    per_page: int,
    pages: int,
    walked: Walked,
    items: Callable[[Reply], list[Any]] = Reply.items,
) -> AsyncIterator[list[Any]]:
    """The raw items of up to `pages` pages of a GitCode list from page `first` on, page by page, stopping where the
    list ends; `walked` records how far it got. Each page read is a progress notification (where the client sent a
    progress token; a task's status inside a task)."""
    client = gitcode(ctx)
    for number in range(first, first + pages):
        reply = await client.get(path, {**query, "page": number, "per_page": per_page})
        raws = items(reply)
        walked.last, walked.items = number, walked.items + len(raws)
        walked.more = reply.has_more(number, per_page, len(raws))
        total = reply.headers.get("total_count") or reply.headers.get("X-Total") or ""
        # GitCode's total_count, where it sends one, counts from page 1.
        whole = min(int(total) - (first - 1) * per_page, pages * per_page) if total.isdigit() else pages * per_page
        await report(ctx, walked.items, max(whole, walked.items), f"page {number}: {walked.items} items")
        yield raws
        if not walked.more:
            return


def walked_text(walked: Walked, shaped: list[Any], key: str = "items") -> str:
    """The answer of an all_pages read: the pages it read, and when the cap cut the list, how to read on."""
    result: dict[str, Any] = {"pages": f"{walked.first}-{walked.last}", "has_more": walked.more}
    if walked.more:
        result["note"] = f"cut at {walked.items} items; page={walked.last + 1} with all_pages reads on"
    return to_text({**result, key: shaped})


async def whole_list(
    ctx: Context,
    path: str,
    query: dict[str, Any],
    first: int,
    shape: Callable[[list[Any]], list[Any]],
    items: Callable[[Reply], list[Any]] = Reply.items,
    key: str = "items",
) -> str:
    """A list read with all_pages: pages of FULL_PAGE from `first` on, up to ALL_PAGES_CAP items, shaped."""
    walked, found = Walked(first), []
    async for raws in walk_pages(ctx, path, query, first, FULL_PAGE, ALL_PAGES_CAP // FULL_PAGE, walked, items):
        found += raws
    return walked_text(walked, shape(found), key)


# How many pages a text filter walks in one call: with per_page 100, the newest 1,000 items.
MAX_FILTER_PAGES = 10
MAX_LIST_BODY = 2000  # characters of each body a list shows with bodies=true
_EXCERPT = 60  # characters on either side of a text match shown from a body


def _excerpt(body: str, at: int, length: int) -> str:
    start, end = max(0, at - _EXCERPT), min(len(body), at + length + _EXCERPT)
    return ("…" if start else "") + " ".join(body[start:end].split()) + ("…" if end < len(body) else "")


def with_body(item: dict[str, Any], raw: Any, bodies: bool | None, text: str | None) -> dict[str, Any]:
    """A list item with its body (bodies=true, cut at MAX_LIST_BODY), or with the part of it a text filter matched."""
    found = raw.get("body") if isinstance(raw, dict) else None
    body = found if isinstance(found, str) else ""
    if bodies and body:
        cut = len(body) > MAX_LIST_BODY
        return {**item, "body": body[:MAX_LIST_BODY] + (f"… ({len(body)} characters in all)" if cut else "")}
    if not text or text.casefold() in str(item.get("title", "")).casefold():
        return item
    at = body.casefold().find(text.casefold())
    return {**item, "excerpt": _excerpt(body, at, len(text))} if at >= 0 else item


def mentions(raw: Any, text: str) -> bool:
    """Whether an issue or PR's title or body holds `text`, in any case."""
    if not isinstance(raw, dict):
        return False
    needle = text.casefold()
    return any(needle in str(raw.get(key) or "").casefold() for key in ("title", "body"))


async def list_page(
    ctx: Context,
    template: str,
    view: View,
    page: int,
    per_page: int,
    query: dict[str, Any],
    bodies: bool | None,
    text: str | None,
    all_pages: bool | None = None,
    **path: Any,
) -> str:
    """One page of a list of issues or PRs (all_pages: the whole list, up to ALL_PAGES_CAP); with `text`, only the
    items whose title or body holds it, from up to MAX_FILTER_PAGES pages read from `page` on, saying how far it
    searched and where to go on. List pages carry the bodies, and GitCode's lists take no text to search
    (docs/gitcode-behaviour.md, Issues)."""
    where = api_path(template, **path)
    if text is None:
        if all_pages:
            return await whole_list(
                ctx, where, query, page, lambda raws: [with_body(view(r), r, bodies, None) for r in raws]
            )
        reply = await gitcode(ctx).get(where, {**query, "page": page, "per_page": per_page})
        raws = reply.items()
        items = [with_body(view(raw), raw, bodies, None) for raw in raws]
        return page_of(reply, items, page, per_page)
    walked, found = Walked(page), []
    size = FULL_PAGE if all_pages else per_page
    async for raws in walk_pages(ctx, where, query, page, size, MAX_FILTER_PAGES, walked):
        found += [with_body(view(raw), raw, bodies, text) for raw in raws if mentions(raw, text)]
    span = f"pages {page}-{walked.last}"
    if not walked.more:
        return to_text({"searched": f"{span}: {walked.items} items, all there are", "items": found})
    return to_text(
        {"searched": f"{span} ({walked.items} items); more remain", "next_page": walked.last + 1, "items": found}
    )


def comma_list(name: str, values: list[str] | None) -> str | None:
    """GitCode takes a list of names as one comma-separated string and answers 400 to a JSON array."""
    if not values:
        return None
    cleaned = [v.strip() for v in values if v.strip()]
    if bad := [v for v in cleaned if "," in v]:
        raise InvalidArgument(name, f"{bad[0][:40]!r} contains a comma; give each name as its own list item")
    return ",".join(cleaned) or None


def payload(**fields: Any) -> dict[str, Any]:
    """A request body with the fields the agent left unset (None) dropped: GitCode reads a sent null as a value."""
    return {k: v for k, v in fields.items() if v is not None}


def key_values(name: str, items: list[str] | None) -> dict[str, str] | None:
    """`key=value` items (the GitCode CLI's `-f key=value`) as a mapping; a flat list keeps every client's strict
    schema conversion happy, which a free-form object does not."""
    if items is None:
        return None
    found: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InvalidArgument(name, f"{item[:60]!r} is not key=value")
        found[key.strip()] = value
    return found
