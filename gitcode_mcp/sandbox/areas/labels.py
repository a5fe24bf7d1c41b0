"""Labels: a repository's issue labels, the labels on an issue, and the repository's project labels.

Shapes from the GitCode reference (labels page; issues #9, #10): a label is `{id, name, color, repository_id}`;
create and update read `name` and `color` from the query string or a form, never from a JSON body (create answers a
JSON body as if the name were missing; an update's JSON body changes nothing), and answer the label; the issue-label
writes take a raw JSON array of names and answer the issue's labels (`title`, `textColor` beside `name` and `color`);
the deletes answer 204; one DELETE may name several labels separated by commas. A rename or delete reaches every
issue and PR of the repository. Label names stay in Repo.labels (the issues and pulls areas check
`name in repo.labels`); ids, colors and times are in LabelDetails.of(Repo).label_meta.
PUT project_labels (reference page put-api-v-5-repos-owner-repo-project-labels): a JSON array of names answers the new
project labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import ISSUE_LABEL, ISSUE_LABELS, LABEL, LABELS, PROJECT_LABELS
from gitcode_mcp.sandbox.access import access
from gitcode_mcp.sandbox.areas.issues import issue_of
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, route
from gitcode_mcp.sandbox.state import Kept, Repo, fake_sha, now


@dataclass
class LabelMeta:
    """An issue label's details (its name is in Repo.labels)."""

    id: int
    color: str  # "#d73a4a"
    created_at: str
    updated_at: str


@dataclass
class LabelDetails(Kept):
    """A repository's labels' details by name, made on first use for the seeded ones."""

    label_meta: dict[str, LabelMeta] = field(default_factory=dict)


_COLOR = re.compile(r"#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})")
SEEDED_COLOR = "#21BA45"  # what sandbox.shapes.label shows for every label in issue and PR answers


def meta(repo: Repo, name: str) -> LabelMeta:
    """A label's details, made (stable, from its name) the first time a label created elsewhere is seen."""
    if name not in LabelDetails.of(repo).label_meta:
        stamp = repo.created_at
        LabelDetails.of(repo).label_meta[name] = LabelMeta(
            int(fake_sha(repo.full_name, name)[:7], 16), SEEDED_COLOR, stamp, stamp
        )
    return LabelDetails.of(repo).label_meta[name]


def render(repo: Repo, name: str) -> dict[str, Any]:
    m = meta(repo, name)
    return {
        "id": m.id,
        "name": name,
        "color": m.color,
        "repository_id": repo.id,
        "url": f"{repo.api_url}/labels/{name}",
        "created_at": m.created_at,
        "updated_at": m.updated_at,
    }


def on_issue(repo: Repo, name: str) -> dict[str, Any]:
    """A label as the issue-label writes answer it (ref, issues #9)."""
    m = meta(repo, name)
    return {"color": m.color, "name": name, "id": m.id, "title": name, "type": None, "textColor": "#FFFFFF"}


def label_in(repo: Repo, call: Call, key: str = "name") -> str:
    name = call.params[key]
    if name not in repo.labels:
        raise Refusal(404, "Not Found Label")
    return name


def color_of(data: dict[str, Any], required: bool) -> str | None:
    color = data.get("color")
    if color is None and not required:
        return None
    if not isinstance(color, str) or not _COLOR.fullmatch(color):
        raise Refusal(400, "color must be a hex color like #fff or #d73a4a")
    return color


def writable(sb: Sandbox, call: Call) -> Repo:
    """The repository in the path, for a write: a token from someone who pushes to it (sandbox/access.py)."""
    user = need_token(call)
    repo = sb.repo(call)
    if not access(sb.world, repo, user).push:
        raise Refusal(403, "You do not have permission to manage labels of this project")
    return repo


@route("GET", LABELS)
async def list_labels(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return JSONResponse([render(repo, n) for n in sorted(repo.labels, key=lambda n: meta(repo, n).id)])


@route("GET", LABEL)
async def get_label(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return JSONResponse(render(repo, label_in(repo, call)))


@route("POST", LABELS)
async def create_label(sb: Sandbox, call: Call) -> Response:
    repo = writable(sb, call)
    data = call.form_or_query()
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        # GitCode's words for a create whose name came in a JSON body (docs/gitcode-behaviour.md, Labels).
        raise Refusal(400, "name parameter is not present")
    color = color_of(data, required=True)
    assert color is not None
    if name in repo.labels:
        raise Refusal(409, f"Label {name} already exists")
    stamp = now()
    repo.labels.add(name)
    LabelDetails.of(repo).label_meta[name] = LabelMeta(sb.world.new_id(), color, stamp, stamp)
    return JSONResponse(render(repo, name), status_code=201)


@route("PATCH", LABEL)
async def update_label(sb: Sandbox, call: Call) -> Response:
    repo = writable(sb, call)
    old = label_in(repo, call, "name")
    data = call.form_or_query()  # a JSON body is not read: it changes nothing (docs/gitcode-behaviour.md, Labels)
    new = data.get("name", old)
    if not isinstance(new, str) or not new.strip():
        raise Refusal(400, "name must not be blank")
    color = color_of(data, required=False)
    if new != old and new in repo.labels:
        raise Refusal(409, f"Label {new} already exists")
    m = meta(repo, old)
    m.color, m.updated_at = color or m.color, now()
    if new != old:
        repo.labels.discard(old)
        repo.labels.add(new)
        LabelDetails.of(repo).label_meta[new] = LabelDetails.of(repo).label_meta.pop(old)
        for item in (*repo.issues.values(), *repo.pulls.values()):
            item.labels = [new if n == old else n for n in item.labels]
    return JSONResponse(render(repo, new))


@route("DELETE", LABEL)
async def delete_label(sb: Sandbox, call: Call) -> Response:
    repo = writable(sb, call)
    name = label_in(repo, call)
    repo.labels.discard(name)
    LabelDetails.of(repo).label_meta.pop(name, None)
    for item in (*repo.issues.values(), *repo.pulls.values()):
        item.labels = [n for n in item.labels if n != name]
    return Response(status_code=204)


@route("PUT", PROJECT_LABELS)
async def set_project_labels(sb: Sandbox, call: Call) -> Response:
    repo = writable(sb, call)
    body = call.body
    if not isinstance(body, list) or not all(isinstance(n, str) and n.strip() for n in body):
        raise Refusal(400, "the body must be a JSON array of label names")
    repo.project_labels = list(dict.fromkeys(n.strip() for n in body))
    return JSONResponse(
        [{"id": int(fake_sha(repo.full_name, "project", n)[:6], 16), "name": n} for n in repo.project_labels]
    )


def names_in_body(call: Call, repo: Repo) -> list[str]:
    """The issue-label writes take a raw JSON array of names (ref demo: `["bug","feat"]`); `{"labels": [...]}`
    is read too. A name the repository lacks is refused, as create_issue refuses it."""
    body = call.body.get("labels") if isinstance(call.body, dict) else call.body
    if not isinstance(body, list) or not all(isinstance(n, str) for n in body):
        raise Refusal(400, "labels must be a JSON array of label names")
    if missing := [n for n in body if n not in repo.labels]:
        raise Refusal(422, f"label {missing[0]} does not exist")
    return list(dict.fromkeys(body))


@route("POST", ISSUE_LABELS)
async def add_issue_labels(sb: Sandbox, call: Call) -> Response:
    repo = writable(sb, call)
    issue = issue_of(repo, call)
    issue.labels = list(dict.fromkeys([*issue.labels, *names_in_body(call, repo)]))
    issue.updated_at = now()
    return JSONResponse([on_issue(repo, n) for n in issue.labels], status_code=201)


@route("PUT", ISSUE_LABELS)
async def replace_issue_labels(sb: Sandbox, call: Call) -> Response:
    repo = writable(sb, call)
    issue = issue_of(repo, call)
    issue.labels = names_in_body(call, repo)
    issue.updated_at = now()
    return JSONResponse([on_issue(repo, n) for n in issue.labels])


@route("DELETE", ISSUE_LABELS)
async def clear_issue_labels(sb: Sandbox, call: Call) -> Response:
    repo = writable(sb, call)
    issue = issue_of(repo, call)
    issue.labels = []
    issue.updated_at = now()
    return Response(status_code=204)


@route("DELETE", ISSUE_LABEL)
async def remove_issue_label(sb: Sandbox, call: Call) -> Response:
    repo = writable(sb, call)
    issue = issue_of(repo, call)
    gone = [n for n in call.params["name"].split(",") if n]  # ref: several, separated by commas
    if missing := [n for n in gone if n not in issue.labels]:
        raise Refusal(404, f"Not Found Label {missing[0]}")
    issue.labels = [n for n in issue.labels if n not in gone]
    issue.updated_at = now()
    return Response(status_code=204)
