"""Argument types and result envelopes that several areas share."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from gitcode_mcp.client import Reply
from gitcode_mcp.shaping import to_text

Number = Annotated[int, Field(ge=1)]
Page = Annotated[int, Field(ge=1)]
PerPage = Annotated[int, Field(ge=1, le=100)]
Ref = Annotated[str | None, Field(description="Branch, tag or commit; default branch if omitted")]


def page_of(reply: Reply, items: list[Any], page: int, per_page: int) -> str:
    """One page of a list (`items` shaped one-to-one from the reply), with has_more for asking for page + 1."""
    return to_text({"page": page, "has_more": reply.has_more(page, per_page, len(items)), "items": items})
