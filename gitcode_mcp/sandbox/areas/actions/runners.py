"""Runners: a repository's own and shared runners and runner sets, an organization's runner groups."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

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
from gitcode_mcp.sandbox.access import is_org_admin
from gitcode_mcp.sandbox.areas.actions.render import listing
from gitcode_mcp.sandbox.areas.actions.runs import may_run
from gitcode_mcp.sandbox.areas.actions.state import REPO_ID, RUNNER_GROUP, SEEDED_WALL, new_id
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, route


def label(name: str, value: str = "") -> dict[str, str]:
    return {"label_name": name, "label_value": value or name, "label_color": "#2865E0"}


def host(runner_id: str, name: str, group: str, *labels: str) -> dict[str, Any]:
    return {
        "id": runner_id,
        "runner_group_id": group,
        "runner_name": name,
        "name": name,
        "work_dir": f"/home/runner/{name}",
        "labels": [label(x) for x in labels],
    }


def runner_set(set_id: str, name: str, group: str, *labels: str) -> dict[str, Any]:
    return {
        "id": set_id,
        "runner_group_id": group,
        "name": name,
        "status": "online",
        "required_labels": [label(x) for x in labels],
    }


SHARED_GROUP = new_id("group", "gitcode-hosted")
REPO_RUNNERS = [host(new_id("runner", "build-01"), "build-01", RUNNER_GROUP, "linux", "x64")]
SHARED_RUNNERS = [host(new_id("runner", "hosted-ubuntu"), "gitcode-hosted-ubuntu", SHARED_GROUP, "ubuntu-latest")]
REPO_RUNNER_SETS = [runner_set(new_id("set", "k8s-arm64"), "k8s-arm64", RUNNER_GROUP, "linux", "arm64")]
SHARED_RUNNER_SETS = [runner_set(new_id("set", "hosted-k8s"), "gitcode-k8s-default", SHARED_GROUP, "ubuntu-latest")]


def keyword(call: Call, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    word = call.query.get("keyword", "").lower()
    return [i for i in items if word in str(i.get("name") or i.get("runner_group_name") or "").lower()]


def repo_runner_route(template: str, key: str, items: list[dict[str, Any]]) -> None:
    async def answer(sb: Sandbox, call: Call) -> Response:
        may_run(sb, call, sb.repo(call))
        return listing(call, key, keyword(call, items))

    route("GET", template)(answer)


repo_runner_route(ACTION_RUNNERS, "runners", REPO_RUNNERS)


repo_runner_route(ACTION_SHARED_RUNNERS, "runners", SHARED_RUNNERS)


repo_runner_route(ACTION_RUNNER_SETS, "runner_sets", REPO_RUNNER_SETS)


repo_runner_route(ACTION_SHARED_RUNNER_SETS, "runner_sets", SHARED_RUNNER_SETS)


def org_admin(sb: Sandbox, call: Call) -> Any:
    user = need_token(call)
    org = sb.world.orgs.get(call.params["org"])
    if org is None:
        raise Refusal(404, "Not Found Group")
    if not is_org_admin(org, user):
        raise Refusal(403, "You do not have permission to manage this organization's runners", "FORBIDDEN")
    return org


def group_of(sb: Sandbox, call: Call) -> Any:
    org = org_admin(sb, call)
    if call.params["runner_group_id"] != RUNNER_GROUP or org.login != "gitcode-guild":
        raise Refusal(404, "Runner group not found")
    return org


@route("GET", ORG_RUNNER_GROUPS)
async def runner_groups(sb: Sandbox, call: Call) -> Response:
    org = org_admin(sb, call)
    groups = []
    if org.login == "gitcode-guild":
        groups.append(
            {
                "id": RUNNER_GROUP,
                "name": "default",
                "runner_group_name": "default",
                "namespace_id": str(org.number),
                "creator": "alice",
                "create_time": SEEDED_WALL - 30 * 86_400_000,
                "runner_count": len(REPO_RUNNERS),
                "namespace_type": "group",
                "share_all": False,
            }
        )
    return listing(call, "runner_groups", keyword(call, groups))


@route("GET", ORG_RUNNER_GROUP)
async def runner_group(sb: Sandbox, call: Call) -> Response:
    group_of(sb, call)
    return JSONResponse(
        {
            "runner_group_id": RUNNER_GROUP,
            "runner_group_name": "default",
            "share_all": False,
            "share_all_public_repos": True,
            "explicit_shared_repo_count": 1,
            "created_at": SEEDED_WALL - 30 * 86_400_000,
            "updated_at": SEEDED_WALL,
        }
    )


def group_list_route(template: str, key: str, items: list[dict[str, Any]]) -> None:
    async def answer(sb: Sandbox, call: Call) -> Response:
        group_of(sb, call)
        return listing(call, key, keyword(call, items))

    route("GET", template)(answer)


group_list_route(ORG_RUNNER_GROUP_RUNNERS, "runners", REPO_RUNNERS)


group_list_route(ORG_RUNNER_GROUP_RUNNER_SETS, "runner_sets", REPO_RUNNER_SETS)


@route("GET", ORG_RUNNER_GROUP_SHARED_NAMESPACES)
async def group_shared_namespaces(sb: Sandbox, call: Call) -> Response:
    org = group_of(sb, call)
    shared = {
        "id": new_id("share", "pipelines"),
        "runner_group_id": RUNNER_GROUP,
        "from_namespace_id": str(org.number),
        "to_namespace_id": str(REPO_ID),
        "type": "project",
        "create_time": SEEDED_WALL - 29 * 86_400_000,
        "update_time": SEEDED_WALL - 29 * 86_400_000,
    }
    return listing(call, "shared_namespaces", [shared])
