"""A settings object's `changes`: each field declared with its type, checked before anything is sent, and what was
changed said back from GitCode's answer."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import Context
from pydantic import AfterValidator, BeforeValidator, Field, SecretStr, TypeAdapter, ValidationError

from gitcode_mcp.client import Reply
from gitcode_mcp.endpoints import (
    REPO_TESTER_OPTIONS,
)
from gitcode_mcp.errors import GitCodeError, InvalidArgument, preview
from gitcode_mcp.paths import api_path, check_name
from gitcode_mcp.toolkit import comma_list, gitcode
from gitcode_mcp.views import Obj, as_int, login, to_text


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be an integer, not true or false")
    return value


def _at_most_1000(value: int | None) -> int | None:
    if value is not None and value > 1000:
        raise ValueError("must be at most 1000")
    return value


def a_name(value: str) -> str:
    try:
        return check_name("path", value)
    except InvalidArgument as error:  # reported as changes.path, by changed()
        raise ValueError(str(error).partition(": ")[2]) from None


def not_empty(value: SecretStr) -> SecretStr:
    if not value.get_secret_value():
        raise ValueError("must not be empty")
    return value


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


# As the toolkit's Number: the bound that only guards against nonsense is checked, not written into the schema.
Count = Annotated[int, Field(ge=0), BeforeValidator(_not_bool), AfterValidator(_at_most_1000)]
Logins = list[str]
Fields = dict[str, TypeAdapter[Any]]


def fields(**types: Any) -> Fields:
    """A settings endpoint's fields: each name (GitCode's, as its get_* tool answers it) with its type."""
    return {name: TypeAdapter(kind) for name, kind in types.items()}


def declared(known: Fields) -> dict[str, Any]:
    """The schema of a set_* tool's `changes`: one required object that declares every field, each optional (the
    server makes them nullable too, so strict-mode converters keep them optional). Not an open object: google-genai's
    MCP adapter fails on `additionalProperties: true`, and openai-agents serves such a tool non-strict. The value is
    checked by changed(), which names a wrong field and lists the right ones."""
    return {"type": "object", "properties": {name: kind.json_schema() for name, kind in known.items()}}


def changed(changes: dict[str, Any], known: Fields) -> Obj:
    """The fields to change, checked before anything is sent: an unknown name or a value of the wrong type is
    refused, naming it (and, for a name, listing the known ones); a null value leaves its field as it is."""
    if unknown := [k for k in changes if k not in known]:
        raise InvalidArgument("changes", f"unknown field {preview(unknown[0])}; the fields are {', '.join(known)}")
    checked: Obj = {}
    for name, value in changes.items():
        if value is None:
            continue
        try:
            checked[name] = known[name].validate_python(value, strict=True)  # JSON true is not "true" nor 1
        except ValidationError as error:
            problem = error.errors()[0]["msg"].removeprefix("Value error, ")
            raise InvalidArgument(f"changes.{name}", problem) from None
    return checked


def shown(answer: Obj, known: Fields) -> Obj:
    """A settings answer for an agent: exactly the fields its set_* tool takes, so what is read can be written back
    (a number GitCode sends as a string, as an integer where the field is one)."""
    numbers = {k for k, kind in known.items() if kind.json_schema().get("type") == "integer"}
    return {k: as_int(v) if k in numbers else v for k, v in answer.items() if k in known and v is not None}


def succeeded(reply: Reply) -> None:
    """Some writes answer 200 with `{"code": 1, "msg": "success"}`; ref: anything else means it failed."""
    data = reply.data
    if not isinstance(data, dict) or "code" not in data:
        return
    if as_int(data.get("code")) != 1 or data.get("msg", "success") != "success":
        said = str(data.get("msg") or data.get("code"))[:200]
        raise GitCodeError(
            None, f"answered 200 but reported a failure: {said}", "read the setting back before retrying"
        )


# A write given nothing to change sends nothing: a strict-mode model sends null for every optional argument it
# leaves out, and such a call is answered, not refused (tests/test_schemas.py).
NOTHING = to_text({"changed": False, "note": "no setting was given, so nothing was sent"})


def joined(name: str, logins: list[str] | None) -> str | None:
    """Logins as GitCode's one comma-separated string; an empty list as "" (no one), which clears the setting."""
    return None if logins is None else comma_list(name, logins) or ""


async def user_ids(ctx: Context, owner: str, repo: str, name: str, logins: list[str] | None) -> str | None:
    """Logins as the comma-separated numeric user ids GitCode's PR settings take. The reference calls them `user_id`;
    a person's profile `id` is 24-hex, and the repository's option list carries the numeric one as `id` (ref,
    option_testers example; a `user_id` field is read first where an answer has one). Unverified live
    (docs/gitcode-behaviour.md, Errors, ids and numbers)."""
    names = joined(name, logins)
    if not names:
        return names
    options = (await gitcode(ctx).get(api_path(REPO_TESTER_OPTIONS, owner=owner, repo=repo))).items()
    numeric = {}
    for person in options:
        if isinstance(person, dict) and isinstance(who := login(person), str):
            found = person.get("user_id", person.get("id"))
            if isinstance(found, int) or (isinstance(found, str) and found.isdigit()):
                numeric[who] = str(found)
    if missing := [each for each in dict.fromkeys(names.split(",")) if each not in numeric]:
        raise InvalidArgument(
            name, f"{missing[0]!r} is not a member who may review or test in {owner}/{repo} (GitCode gave no user id)"
        )
    return ",".join(numeric[each] for each in dict.fromkeys(names.split(",")))
