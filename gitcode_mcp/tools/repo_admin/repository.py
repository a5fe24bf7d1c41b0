"""The repository itself: renamed and edited, transferred, archived or deleted."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import Context
from pydantic import AfterValidator, Field, SecretStr, WithJsonSchema

from gitcode_mcp.endpoints import (
    ORG_REPO_STATUS,
    ORG_REPO_TRANSFER,
    REPO,
    REPO_TRANSFER,
)
from gitcode_mcp.errors import GitCodeError, InvalidArgument
from gitcode_mcp.paths import api_path, check_name
from gitcode_mcp.registry import Example
from gitcode_mcp.toolkit import Text, Title, _no_default, gitcode, payload
from gitcode_mcp.tools.repo_admin import DEMO, repo_admin
from gitcode_mcp.tools.repo_admin.changes import NOTHING, a_name, changed, declared, fields, not_empty, succeeded
from gitcode_mcp.views import Obj, View, to_text

# Sent to GitCode in the one request body that needs it; never logged, returned, kept, or quoted in an error.
# (Its non-emptiness is checked, not written into the schema.)
Password = Annotated[SecretStr, AfterValidator(not_empty), Field(description="Your GitCode password (sensitive)")]
# archive_repository archives unless told archived=false, as its name and description say: no default in the schema.
Archived = Annotated[bool, Field(json_schema_extra=_no_default)]
REPOSITORY = View(
    full_name="full_name",
    name="name",
    path="path",
    description="description",
    homepage=lambda r: r.get("homepage") if r.get("homepage") not in (r.get("html_url"), r.get("web_url")) else None,
    private="private",
    default_branch="default_branch",
    # Repository answers carry `status`: 开始 (active) or 关闭 (archived) (ref, Users page;
    # docs/gitcode-behaviour.md, Repositories).
    archived=lambda r: True if r.get("status") == "关闭" else None,
    url=lambda r: r.get("html_url") or r.get("web_url"),
)
REPOSITORY_FIELDS = fields(
    name=Title,
    description=str,
    homepage=str,
    private=bool,
    default_branch=Text,
    path=Annotated[str, AfterValidator(a_name)],
    lfs_enabled=bool,
)
RepositoryChanges = Annotated[dict[str, Any], WithJsonSchema(declared(REPOSITORY_FIELDS))]


@repo_admin.write(
    Example({**DEMO, "changes": {"description": "A demo.", "private": True}}, f"GET {REPO}", f"PATCH {REPO}"),
    Example({**DEMO, "changes": {"name": "Demo", "default_branch": "feature"}}, f"PATCH {REPO}"),
    idempotent=True,
)
async def update_repository(owner: str, repo: str, changes: RepositoryChanges, ctx: Context) -> str:
    """Set any of name, description, homepage, private, default_branch, lfs_enabled, path (the URL)."""
    body = changed(changes, REPOSITORY_FIELDS)
    if not body:
        return NOTHING
    client = gitcode(ctx)
    where = api_path(REPO, owner=owner, repo=repo)
    if "name" not in body:
        # GitCode requires `name` on this PATCH (ref #11, as Gitee v5): send the current one so it stays.
        current = (await client.get(where)).object().get("name")
        if not isinstance(current, str) or not current:
            raise GitCodeError(None, "GitCode's answer gave no repository name", "give name to keep or change it")
        body = {"name": current, **body}
    reply = await client.request(
        "PATCH",
        where,
        json=body,
        hints={400: "default_branch must be an existing branch; path must be free in this namespace"},
    )
    return to_text(REPOSITORY(reply.object()))


@repo_admin.destructive(Example(DEMO, f"DELETE {REPO}"))
async def delete_repository(owner: str, repo: str, ctx: Context) -> str:
    """Delete a repository and all it holds. Cannot be undone."""
    await gitcode(ctx).request("DELETE", api_path(REPO, owner=owner, repo=repo))
    return to_text({"deleted": f"{owner}/{repo}"})


# One tool for both documented forms (#33 and #14): both move a repository to another namespace, and only the
# organization form takes a password, so a given password is what selects it. The agent picks no endpoint.
@repo_admin.destructive(
    Example({**DEMO, "new_owner": "gitcode-lab"}, f"POST {REPO_TRANSFER}"),
    Example(
        {"owner": "gitcode-mcp", "repo": "toolbox", "new_owner": "gitcode-lab", "password": "sandbox-password"},
        f"POST {ORG_REPO_TRANSFER}",
    ),
)
async def transfer_repository(
    owner: str,
    repo: str,
    new_owner: str,
    ctx: Context,
    new_name: str | None = None,
    password: Password | None = None,
) -> str:
    """Move a repository to an organization; cannot be undone here. A password selects the org-to-org form."""
    check_name("new_owner", new_owner)
    if password is None:
        reply = await gitcode(ctx).request(
            "POST",
            api_path(REPO_TRANSFER, owner=owner, repo=repo),
            json=payload(new_owner=new_owner, new_name=check_name("new_name", new_name) if new_name else None),
            hints={404: "check owner, repo and new_owner (an organization)"},
        )
        # `new_name` is in the reference's demo and answer, not its parameter table: it is sent only when asked for,
        # and the answer's `new_name` says whether GitCode took it (docs/gitcode-behaviour.md, Repositories).
        moved = reply.data if isinstance(reply.data, dict) else {}  # ref: {new_owner, new_name}
        name = moved.get("new_name") if isinstance(moved.get("new_name"), str) and moved.get("new_name") else None
        result = {"full_name": f"{moved.get('new_owner') or new_owner}/{name or repo}"}
        if new_name is not None and name != new_name:
            result["warning"] = (
                f"GitCode's answer does not confirm the new name {new_name!r}: check get_repository under "
                f"{new_owner}, and rename with update_repository if it kept {repo!r}"
            )
        return to_text(result)
    if new_name is not None:
        raise InvalidArgument("new_name", "the organization form cannot rename; rename with update_repository after")
    await _with_password(
        ctx,
        "POST",
        api_path(ORG_REPO_TRANSFER, org=owner, repo=repo),
        {"transfer_to": new_owner},
        password,
        {404: "owner must be the organization that owns repo, and new_owner an organization"},
    )
    return to_text({"full_name": f"{new_owner}/{repo}"})


@repo_admin.destructive(
    Example({"org": "gitcode-mcp", "repo": "toolbox", "password": "sandbox-password"}, f"PUT {ORG_REPO_STATUS}"),
    idempotent=True,
)
async def archive_repository(org: str, repo: str, password: Password, ctx: Context, archived: Archived = True) -> str:
    """Make an org's repository read-only; archived=false reopens it."""
    await _with_password(
        ctx,
        "PUT",
        api_path(ORG_REPO_STATUS, org=org, repo=repo),
        {"status": 2 if archived else 0},  # ref: 0 开始 (active), 2 关闭 (closed)
        password,
        {404: "org must be the organization that owns repo; a personal repository cannot be archived this way"},
    )
    return to_text({"full_name": f"{org}/{repo}", "archived": archived})


async def _with_password(
    ctx: Context, method: str, path: str, body: Obj, password: SecretStr, hints: dict[int, str]
) -> None:
    """Send a write that takes the user's password. The password goes into this one request body only; it is
    scrubbed from any error (GitCode's message may quote the request) and never logged, returned or kept."""
    secret = password.get_secret_value()
    hints = {400: "GitCode refused the values; a wrong password is refused this way too", **hints}
    try:
        succeeded(await gitcode(ctx).request(method, path, json={**body, "password": secret}, hints=hints))
    except GitCodeError as error:
        scrub = lambda text: text.replace(secret, "***")  # noqa: E731
        raise GitCodeError(error.status, scrub(error.detail), scrub(error.hint)) from None
