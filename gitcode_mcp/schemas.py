"""The schema dialect every client we are plugged into reads (checked with their own converters in
tests/test_schemas.py): pydantic's schema of a tool's arguments, without what means nothing to a model or breaks a
client, and with every optional argument admitting null in the `anyOf` form."""

from __future__ import annotations

from typing import Any

# What pydantic writes for a SecretStr (`writeOnly`, `format: password`): google-genai's `types.Schema` refuses
# `writeOnly` (fast-agent's Gemini provider builds one from each tool), OpenAI's strict mode knows no such format, and
# the argument's description already says it is sensitive.
SECRET_MARKS = {"writeOnly": True, "format": "password"}


def compact_schema(schema: Any) -> Any:
    """The schema an agent reads on every turn, minus what carries no meaning for it or breaks a client: pydantic's
    generated titles, `default: null` and its secret marks."""
    if isinstance(schema, list):
        return [compact_schema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if (key == "title" and isinstance(value, str)) or (key == "default" and value is None):
            continue
        if key in SECRET_MARKS and value == SECRET_MARKS[key]:
            continue
        out[key] = compact_schema(value) if key != "properties" else {k: compact_schema(v) for k, v in value.items()}
    return out


NULL = {"type": "null"}
# What stays beside an `anyOf`: words for the model, not constraints on the value.
ANNOTATIONS = ("description", "default", "examples")


def nullable(prop: dict[str, Any]) -> dict[str, Any]:
    """`prop`, also admitting null, in the one form every client reads: `anyOf [T, {"type": "null"}]`.

    Not `type: [T, "null"]`: google-genai's `types.Schema` (and fast-agent's Gemini provider, built on it) take
    `type` as one string and fail on a list; the MCP Inspector's `--strict` warns about it for that reason."""
    options = prop.get("anyOf")
    if options is None:
        value = {k: v for k, v in prop.items() if k not in ANNOTATIONS}
        return {"anyOf": [value, NULL], **{k: v for k, v in prop.items() if k in ANNOTATIONS}}
    kept = [o for o in options if o != NULL]
    if len(kept) == 1:  # pydantic writes `Annotated[T, Field(description=...)] | None`'s description in T's branch
        words = {k: v for k, v in kept[0].items() if k in ANNOTATIONS}
        kept = [{k: v for k, v in kept[0].items() if k not in ANNOTATIONS}]
        prop = {**words, **prop}
    return {**prop, "anyOf": [*kept, NULL]}


def nullable_optionals(schema: dict[str, Any]) -> dict[str, Any]:
    """Every optional argument, at any depth, also admits null, which the tool reads as "not given".

    Strict-mode converters (openai-agents' `ensure_strict_json_schema`, pydantic-ai's and langchain's) mark every
    property required; an optional argument that admits null stays optional in meaning, one that does not becomes
    a value the model must invent (a general PR comment could not be expressed).
    """
    required = set(schema.get("required", ()))
    properties = schema.get("properties", {})
    for name, prop in properties.items():
        if prop.get("type") == "object" and "properties" in prop:
            prop = nullable_optionals(prop)
        properties[name] = prop if name in required else nullable(prop)
    return schema
