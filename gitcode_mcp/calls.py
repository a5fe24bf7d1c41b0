"""What happens around every tool call, in order: unknown and null arguments, the checks every argument passes
(arguments.py), the repositories the call may reach (narrowing.py), a person's confirmation before a destructive
tool runs, then the tool; and on the way back, answers bounded (bounds.py) and items of repositories outside reach
withheld. Over HTTP a request's headers may narrow which tools it sees and may call (narrow_by_request)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any, cast

from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.server.elicitation import AcceptedElicitation
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp.server.mcpserver.resolve import Elicit, Resolve, build_resolver_plans, resolve_arguments
from mcp.server.mcpserver.tools import Tool
from mcp_types import CallToolResult, InputRequiredResult, ListToolsResult, TextContent
from mcp_types.version import is_version_at_least
from pydantic import BaseModel, Field, ValidationError

from gitcode_mcp.arguments import check_arguments
from gitcode_mcp.audit import current_tool
from gitcode_mcp.bounds import bounded, describe_invalid, trim_echoes
from gitcode_mcp.errors import InvalidArgument, preview
from gitcode_mcp.narrowing import Reach, check_repositories
from gitcode_mcp.registry import tools_by_name
from gitcode_mcp.result_guard import guard_error, guard_result
from gitcode_mcp.token_guard import redact
from gitcode_mcp.toolkit import AppState, reach, secrets
from gitcode_mcp.views import to_text


class GitCodeTool(Tool):
    """A Tool whose argument errors name the argument plainly, like the checks the tools make themselves, whose
    destructive runs a person confirms where the client can ask, and whose answers stay bounded."""

    destructive: bool = False
    # Which of a destructive tool's calls a person confirms (registry.Toolset.destructive); None: all of them.
    asks: Callable[[Mapping[str, Any]], bool] | None = Field(default=None, exclude=True)
    # Builds the validator of a tool listed from its cached schema (tool_build.py), on its first call.
    completion: Callable[[], Tool] | None = Field(default=None, exclude=True)

    @property
    def output_schema(self) -> dict[str, Any] | None:  # type: ignore[override]  # no validator is needed to say it
        return None if self.fn_metadata is None else self.fn_metadata.output_schema

    def complete(self) -> None:
        if self.fn_metadata is None and self.completion is not None:
            full = self.completion()
            self.fn_metadata, self.context_kwarg = full.fn_metadata, full.context_kwarg
            self.resolved_params, self.resolver_plans = full.resolved_params, full.resolver_plans

    async def run(self, arguments: dict[str, Any], context: Any, convert_result: bool = False) -> Any:
        self.complete()
        hidden = secrets(context)  # no answer shows a token, not even one the agent sent as an argument
        calling = current_tool.set(self.name)  # for the audit trail, also of lockdown's own reads
        try:
            result = await self._run(arguments, context, convert_result)
            if isinstance(result, CallToolResult):
                reached = reach(context)
                content = [
                    block.model_copy(update={"text": trim_echoes(_withhold_outside(reached, block.text), arguments)})
                    if isinstance(block, TextContent)
                    else block
                    for block in result.content
                ]
                result = result.model_copy(update={"content": content})
            result = await guard_result(result, arguments, context)  # lockdown, content safety (result_guard.py)
            return _redacted(result, hidden)
        except UnexpectedToolError:
            raise  # its text is the SDK's generic one
        except ToolError as exc:
            text = guard_error(trim_echoes(str(exc), arguments), context)
            raise ToolError(bounded(redact(text, hidden))) from exc
        finally:
            current_tool.reset(calling)

    async def _run(self, arguments: dict[str, Any], context: Any, convert_result: bool) -> Any:
        # An argument the tool does not take would be dropped silently, and with it what the agent meant
        # (`assignee` for `assignees`): refuse it, naming the ones that exist.
        if unknown := sorted(set(arguments) - set(self.parameters.get("properties", {}))):
            known = ", ".join(self.parameters.get("properties", {}))
            raise ToolError(
                f"Error executing tool {self.name}: Unknown argument `{unknown[0][:40]}`; this tool takes {known}"
            )
        # null means "not given": the argument's default applies (see schemas.nullable_optionals).
        arguments = {k: v for k, v in arguments.items() if v is not None}
        try:
            check_arguments(arguments)
            check_repositories(reach(context), self.name, arguments)
        except ToolError as exc:
            raise ToolError(f"Error executing tool {self.name}: {exc}") from exc
        removing = self.destructive and (self.asks is None or self.asks(arguments))
        if removing and (asking := await confirm_destruction(context, self, arguments)) is not None:
            return self.fn_metadata.convert_result(asking) if convert_result else asking
        try:
            return await super().run(arguments, context, convert_result)
        except ToolError as exc:
            cause = exc.__cause__
            if isinstance(cause, ValidationError) and not isinstance(exc, UnexpectedToolError):
                raise ToolError(f"Error executing tool {self.name}: {describe_invalid(cause)}") from cause
            raise


# --- a person confirms destruction -------------------------------------------------------------------------------


class Confirmation(BaseModel):
    confirm: bool = Field(title="Go ahead", description="Yes: do it. No: do nothing.")


_QUESTION: ContextVar[str] = ContextVar("gitcode_mcp_question")


async def _ask_the_person(ctx: Context) -> Elicit[Confirmation]:
    # One resolver serves every destructive tool: the question, which names what will be destroyed, is this call's.
    return Elicit(_QUESTION.get(), Confirmation)


_CONFIRMED = {"confirmed": (Resolve(_ask_the_person), True)}
_PLANS = build_resolver_plans(_CONFIRMED, set())
# First protocol revision whose tools/call asks the person inside its answer (input required, then the client
# calls again); before it the server sends an elicitation request during the call.
_MULTI_ROUND = "2026-07-28"


def can_ask(context: Context) -> bool:
    """Whether this client can put a question to its person now: it declared form elicitation, and either the
    protocol carries questions in the call's answer or the connection can carry a request from the server."""
    capabilities = context.client_capabilities
    elicitation = capabilities.elicitation if capabilities is not None else None
    if elicitation is None or (elicitation.form is None and elicitation.url is not None):
        return False
    version = context.protocol_version
    if version is not None and is_version_at_least(version, _MULTI_ROUND):
        return True
    return context.request_context.session.can_send_request


def question(tool: Tool, arguments: Mapping[str, Any]) -> str:
    """What the person is asked: the tool, what it does, exactly what it will act on, and whether it can be undone
    (a reviewer removed can be added again; a branch deleted cannot), as the tool's description says."""
    description = tool.description or ""
    what = description.split(";")[0].split(". ")[0].rstrip(".")
    given = ", ".join(f"{k}={preview(v, 80)}" for k, v in arguments.items())
    final = "This cannot be undone." if "cannot be undone" in description.lower() else "It may take away what is there."
    return f"Allow {tool.name}? {what}: {given}. {final}"


async def confirm_destruction(context: Context, tool: Tool, arguments: Mapping[str, Any]) -> InputRequiredResult | None:
    """None when the person confirmed, or when the client cannot ask (it then confirms destructive tools itself, as
    their annotation tells it); the question to surface on the 2026-07-28 protocol's first round; a refusal with
    nothing sent when the person said no."""
    if not can_ask(context):
        return None
    token = _QUESTION.set(question(tool, arguments))
    try:
        outcome = await resolve_arguments(_CONFIRMED, _PLANS, arguments, context)
    finally:
        _QUESTION.reset(token)
    if isinstance(outcome, InputRequiredResult):
        return outcome
    answer = outcome["confirmed"]
    if isinstance(answer, AcceptedElicitation) and getattr(answer.data, "confirm", False) is True:
        return None
    said = "declined" if isinstance(answer, AcceptedElicitation) else answer.action
    raise ToolError(f"Not done: the person {said} when asked to allow {tool.name}; nothing was sent to GitCode")


# --- what a call may reach ---------------------------------------------------------------------------------------


def _redacted(result: Any, hidden: tuple[str, ...]) -> Any:
    if not hidden or not isinstance(result, CallToolResult):
        return result
    content = [
        block.model_copy(update={"text": redact(block.text, hidden)}) if isinstance(block, TextContent) else block
        for block in result.content
    ]
    return result.model_copy(update={"content": content})


def _named_repo(item: Any) -> str | None:
    """The owner/repo a list item belongs to, where the item says (lists across repositories carry it)."""
    if isinstance(item, dict):
        name = item.get("repo") or item.get("full_name")
        if isinstance(name, str) and "/" in name:
            return name
    return None


def _withhold_outside(reach: Reach, text: str) -> str:
    """A compact-JSON answer without the items of repositories outside reach (lists across repositories: search,
    your issues and PRs, an organisation's or enterprise's), saying how many were withheld."""
    if not reach.repos or not text.startswith(("{", "[")):
        return text
    try:
        data = json.loads(text)
    except ValueError:
        return text
    if (name := _named_repo(data)) and not reach.allows_repo(name):
        raise InvalidArgument("repo", f"{name} is outside the repositories this server may reach (--repos)")
    withheld = 0

    def inside(items: list[Any]) -> list[Any]:
        nonlocal withheld
        kept = [i for i in items if (n := _named_repo(i)) is None or reach.allows_repo(n)]
        withheld += len(items) - len(kept)
        return kept

    if isinstance(data, list):
        data = inside(data)
    elif isinstance(data, dict):
        data = {k: inside(v) if isinstance(v, list) else v for k, v in data.items()}
        if withheld:
            data["withheld"] = f"{withheld} outside the repositories this server may reach"
    return to_text(data) if withheld else text


async def narrow_by_request(ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
    """Over HTTP, list and call only the tools the request's headers leave (they narrow, never widen)."""
    headers = getattr(ctx.request, "headers", None)
    if not headers or ctx.method not in ("tools/list", "tools/call"):
        return await call_next(ctx)
    state = cast(AppState, ctx.lifespan_context)
    allowed = state.reach.narrowed(headers, tools_by_name()).tools
    if ctx.method == "tools/call":
        name = (ctx.params or {}).get("name")
        if name not in allowed:
            # As for a tool this server does not have: the request may not know it exists.
            return CallToolResult(content=[TextContent(type="text", text=f"Unknown tool: {name}")], is_error=True)
        return await call_next(ctx)
    listed = await call_next(ctx)
    if isinstance(listed, ListToolsResult):
        return listed.model_copy(update={"tools": [t for t in listed.tools if t.name in allowed]})
    if isinstance(listed, dict) and isinstance(listed.get("tools"), list):  # already in its wire form
        return {**listed, "tools": [t for t in listed["tools"] if t.get("name") in allowed]}
    return listed
