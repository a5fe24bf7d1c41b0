"""Collaborators: who may do what in a repository. Its members and their permissions (list, check, add or change,
remove), your own role and permission points, and the repository's license.

The license is here, as a tiny read tool of its own, rather than in the repos toolset: it is the other half of "what
may I do with this repository", and the default toolsets have no bytes to spare (the repos toolset is one of them).
"""

from __future__ import annotations

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import (
    REPO_COLLABORATOR,
    REPO_COLLABORATOR_PERMISSION,
    REPO_COLLABORATORS,
    REPO_LICENSE,
    REPO_SELF_PERMISSION,
    collaborator_username,
)
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import FULL_PAGE, Page, Text, get_page, gitcode
from gitcode_mcp.tools.repo_admin.members import MEMBER_VIEW
from gitcode_mcp.views import Obj, login, sub, to_text

collaborators = Toolset("collaborators", "Repository collaborators and their permissions, yours, and the license")

DEMO = {"owner": "alice", "repo": "demo"}


def granted(answer: Obj) -> list[str] | str:
    """Your permission points as `scope:action` (e.g. `pr:merge`), those GitCode marks `selected`; "all" when every
    one is (an owner's twenty-odd points say nothing more)."""
    trees = answer.get("resource_trees")
    points, every = [], 0
    for tree in trees if isinstance(trees, list) else []:
        if not isinstance(tree, dict) or not isinstance(tree.get("actions"), list):
            continue
        scope = tree.get("scope") or tree.get("name")
        actions = [a for a in tree["actions"] if isinstance(a, dict)]
        every += len(actions)
        points += [f"{scope}:{a.get('action')}" for a in actions if a.get("selected")]
    return "all" if points and len(points) == every else points


@collaborators.read(
    Example(DEMO, f"GET {REPO_COLLABORATORS}"), Example({**DEMO, "username": "bob"}, f"GET {REPO_COLLABORATOR}")
)
async def list_collaborators(owner: str, repo: str, ctx: Context, username: str | None = None, page: Page = 1) -> str:
    """List a repository's collaborators, or check that username is one."""
    if username is None:
        return await get_page(ctx, REPO_COLLABORATORS, MEMBER_VIEW, page, FULL_PAGE, owner=owner, repo=repo)
    await gitcode(ctx).get(
        api_path(REPO_COLLABORATOR, owner=owner, repo=repo, username=collaborator_username(username)),
        hints={404: f"{username} is not a collaborator of {owner}/{repo}, or the repository does not exist"},
    )
    return to_text({"login": username, "collaborator": True})


@collaborators.read(
    Example(DEMO, f"GET {REPO_SELF_PERMISSION}"),
    Example({**DEMO, "username": "bob"}, f"GET {REPO_COLLABORATOR_PERMISSION}"),
)
async def get_collaborator_permission(owner: str, repo: str, ctx: Context, username: str | None = None) -> str:
    """A collaborator's permission; without username, your own permission points."""
    if username is not None:
        reply = await gitcode(ctx).get(
            api_path(REPO_COLLABORATOR_PERMISSION, owner=owner, repo=repo, username=collaborator_username(username)),
            hints={404: f"{username} is not a collaborator of {owner}/{repo}, or the repository does not exist"},
        )
        answer = reply.object()
        return to_text({"login": login(answer) or username, "permission": answer.get("permission")})
    answer = (await gitcode(ctx).get(api_path(REPO_SELF_PERMISSION, owner=owner, repo=repo))).object()
    role = sub(answer, "role_info")
    return to_text({"role": role.get("name"), "access_level": role.get("access_level"), "granted": granted(answer)})


@collaborators.write(
    Example({**DEMO, "username": "bob", "permission": "admin"}, f"PUT {REPO_COLLABORATOR}"),
    Example({**DEMO, "username": "bob"}, f"PUT {REPO_COLLABORATOR}"),
    idempotent=True,
)
async def add_collaborator(owner: str, repo: str, username: str, ctx: Context, permission: Text = "push") -> str:
    """Add a collaborator or set their permission: pull, push, admin or a custom role."""
    reply = await gitcode(ctx).request(
        "PUT",
        api_path(REPO_COLLABORATOR, owner=owner, repo=repo, username=collaborator_username(username)),
        json={"permission": permission},
        hints={
            400: "permission must be pull, push, admin or the name of one of the repository's custom roles; "
            "the owner's cannot be changed",
            404: "check owner, repo and username (a GitCode login)",
        },
    )
    return to_text(MEMBER_VIEW(reply.object()))


@collaborators.destructive(Example({**DEMO, "username": "bob"}, f"DELETE {REPO_COLLABORATOR}"), idempotent=True)
async def remove_collaborator(owner: str, repo: str, username: str, ctx: Context) -> str:
    """Remove a collaborator's access; this cannot be undone."""
    await gitcode(ctx).request(
        "DELETE",
        api_path(REPO_COLLABORATOR, owner=owner, repo=repo, username=collaborator_username(username)),
        hints={404: f"{username} is not a collaborator of {owner}/{repo}, or the repository does not exist"},
    )
    return to_text({"removed": username})


@collaborators.read(Example(DEMO, f"GET {REPO_LICENSE}"))
async def get_repository_license(owner: str, repo: str, ctx: Context) -> str:
    """Get a repository's license."""
    data = (await gitcode(ctx).get(api_path(REPO_LICENSE, owner=owner, repo=repo))).data
    # No answer is documented (atomgit lists the path): a name (`{"license": "MIT"}`, as repository answers carry it),
    # or GitHub's form with the name nested (`license: {name, spdx_id}`), are both read.
    found = data.get("license") if isinstance(data, dict) else data
    if isinstance(found, dict):
        found = found.get("spdx_id") or found.get("name")
    return to_text({"license": found if isinstance(found, str) and found else None})
