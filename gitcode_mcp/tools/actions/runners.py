"""Runners: a repository's own and shared ones and runner sets, and an organization's runner groups."""

from __future__ import annotations

from typing import Literal

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import (
    ACTION_RUNNER_SETS,
    ACTION_RUNNERS,
    ACTION_SHARED_RUNNER_SETS,
    ACTION_SHARED_RUNNERS,
    ORG_RUNNER_GROUP,
    ORG_RUNNER_GROUP_RUNNER_SETS,
    ORG_RUNNER_GROUP_RUNNERS,
    ORG_RUNNER_GROUP_SHARED_NAMESPACES,
    ORG_RUNNER_GROUPS,
)
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example
from gitcode_mcp.toolkit import Page, PerPage, gitcode, payload
from gitcode_mcp.tools.actions import GUILD, PIPELINES, RUNNER_GROUP, actions
from gitcode_mcp.tools.actions.views import listing, when
from gitcode_mcp.views import View, as_int, at, to_text

RUNNER = View(
    id="id",
    name=lambda r: r.get("runner_name") or r.get("name"),
    status="status",  # not its group's id: list_runner_groups with part=runners says which runners a group has
    labels=lambda r: [
        str(label.get("label_name"))
        for label in r.get("labels") or r.get("required_labels") or []
        if isinstance(label, dict)
    ],
)
RUNNER_GROUP_VIEW = View(
    id=lambda g: g.get("id") or g.get("runner_group_id"),
    name=lambda g: g.get("runner_group_name") or g.get("name"),
    runners=at("runner_count", as_int),
    share_all=at("share_all", lambda v: v or None),
    shared_repos=at("explicit_shared_repo_count", as_int),
)
SHARED_NAMESPACE = View(id="id", to_namespace_id="to_namespace_id", type="type", created_at=at("create_time", when))


@actions.read(
    Example(PIPELINES, f"GET {ACTION_RUNNERS}"),
    Example({**PIPELINES, "shared": True}, f"GET {ACTION_SHARED_RUNNERS}"),
    Example({**PIPELINES, "sets": True, "keyword": "k8s"}, f"GET {ACTION_RUNNER_SETS}"),
    Example({**PIPELINES, "shared": True, "sets": True}, f"GET {ACTION_SHARED_RUNNER_SETS}"),
)
async def list_runners(
    owner: str,
    repo: str,
    ctx: Context,
    shared: bool = False,
    sets: bool = False,
    keyword: str | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """List a repository's CI runners (hosts), or its runner sets (Kubernetes); shared: those shared with it."""
    # GitCode CLI ListRepoRunners, ListRepoSharedRunners, ListRepoRunnerSets, ListRepoSharedRunnerSets.
    template, key = {
        (False, False): (ACTION_RUNNERS, "runners"),
        (True, False): (ACTION_SHARED_RUNNERS, "runners"),
        (False, True): (ACTION_RUNNER_SETS, "runner_sets"),
        (True, True): (ACTION_SHARED_RUNNER_SETS, "runner_sets"),
    }[shared, sets]
    query = payload(keyword=keyword, page=page, per_page=per_page)
    reply = await gitcode(ctx).get(api_path(template, owner=owner, repo=repo), query)
    return listing(reply, key, RUNNER, page, per_page)


@actions.read(
    Example(GUILD, f"GET {ORG_RUNNER_GROUPS}"),
    Example({**GUILD, "group_id": RUNNER_GROUP}, f"GET {ORG_RUNNER_GROUP}"),
    Example({**GUILD, "group_id": RUNNER_GROUP, "part": "runners"}, f"GET {ORG_RUNNER_GROUP_RUNNERS}"),
    Example({**GUILD, "group_id": RUNNER_GROUP, "part": "runner_sets"}, f"GET {ORG_RUNNER_GROUP_RUNNER_SETS}"),
    Example(
        {**GUILD, "group_id": RUNNER_GROUP, "part": "shared_namespaces"}, f"GET {ORG_RUNNER_GROUP_SHARED_NAMESPACES}"
    ),
)
async def list_runner_groups(
    org: str,
    ctx: Context,
    group_id: str | None = None,
    part: Literal["runners", "runner_sets", "shared_namespaces"] | None = None,
    keyword: str | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """List an organization's CI runner groups, or get one (group_id), or its runners, runner sets or sharing."""
    # GitCode CLI ListOrgRunnerGroups, GetOrgRunnerGroup, ListRunnerGroupRunners/RunnerSets/SharedNamespaces.
    client = gitcode(ctx)
    query = payload(keyword=keyword, page=page, per_page=per_page)
    if group_id is None:
        if part is not None:
            raise InvalidArgument("part", "needs group_id: list the groups first")
        reply = await client.get(api_path(ORG_RUNNER_GROUPS, org=org), query)
        return listing(reply, "runner_groups", RUNNER_GROUP_VIEW, page, per_page)
    where = {"org": org, "runner_group_id": group_id}
    hints = {404: "no such runner group: list_runner_groups gives ids"}
    if part is None:
        return to_text(RUNNER_GROUP_VIEW((await client.get(api_path(ORG_RUNNER_GROUP, **where), hints=hints)).object()))
    template, key, view = {
        "runners": (ORG_RUNNER_GROUP_RUNNERS, "runners", RUNNER),
        "runner_sets": (ORG_RUNNER_GROUP_RUNNER_SETS, "runner_sets", RUNNER),
        "shared_namespaces": (ORG_RUNNER_GROUP_SHARED_NAMESPACES, "shared_namespaces", SHARED_NAMESPACE),
    }[part]
    reply = await client.get(api_path(template, **where), query, hints=hints)
    return listing(reply, key, view, page, per_page)
