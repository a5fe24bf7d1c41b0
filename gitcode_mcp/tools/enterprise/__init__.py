"""The `enterprise` toolset: members and their roles (members), the issues and pull requests of the enterprise's
repositories (issues), its labels, milestones and projects (planning).

Enterprises (the v5 enterprise operations): members and their roles, and the issues and pull requests of the
enterprise's repositories, each with the repository it belongs to.

Each has a page in GitCode's reference (get-api-v-5-enterprises-enterprise-members and its siblings; the AtomGit MCP
server's docs/apis_url.json maps the same slugs, and that server calls them). The fields: member `role` (admin,
developer, viewer), issue lists by `state, labels, assignee`, pull request lists by `state`, newest first, as the
gitcode-api package (1.3.4) and AtomGit-MCP-Server send them (the rarely used sort orders and the `issue_number` and
role filters are left out: bytes every agent reads on every turn). The gitcode-api package also sends a `repo` filter
to the pull request list, Gitee v5's; AtomGit-MCP-Server, which follows the reference, sends none, so none is sent
(docs/gitcode-behaviour.md, Enterprises). An issue's comments and linked pull requests are read by its `number`, its
labels by its `id` (`.../issues/{issue_id}/labels`): get_enterprise_issue takes the number and finds the id itself.

Enterprises, the operations GitCode documents beside the v5 ones (most of them in API v8): members with their role
names and ids, adding and removing members, enterprise labels, issue statuses and extended fields, custom roles, the
enterprise's projects, issue search, milestones, and which enterprise an organization belongs to.

Evidence: GitCode's reference pages (docs.gitcode.com/en/docs/apis/..., read through AndyKong2020/gitcode-api-skill's
copies): get/put/delete-api-v-8-enterprises-enterprise-members(-username), post-...-memberships-username
(`permission` pull|push|admin|customized, `role_id`), put `role` viewer|tester|developer|maintainer|admin|customized,
the member list's `role` filter all|admin|member; get-api-v-5- and get-api-v-8-enterprises-enterprise-labels (v5: all
labels with dates, per_page up to 100; v8: `search`, `direction`); get-api-v-5-enterprises-enterprise-issue-statuses;
get-api-v-8-enterprises-enterprises-id-issue-extend-field; get-api-v-8-enterprise-enterprise-id-customized-roles;
get-api-v-8-enterprise-enterprise-id-groups-projects (`group_name`); the milestone pages (create `title`,
`description`, `due_date`/`start_date` as %Y-%m-%d, `projects` ids; edit also `state_event` active|closed);
get-api-v-8-org-org-enterprise. Label create, edit and delete and `POST .../issues` are in AtomGit's index only:
their bodies follow AtomGit-MCP-Server's EnterpriseService (`{name, color, description}`), and `POST .../issues` is,
by its AtomGit title and client ("获取企业Issue列表"), a search of the enterprise's issues with the filters in the body,
not a create.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from gitcode_mcp.registry import Toolset
from gitcode_mcp.toolkit import Number

enterprises = Toolset("enterprise", "Enterprise members and roles; the enterprise's issues and pull requests")

ENT = {"enterprise": "gitcode-ent"}  # seeded by the simulator
Role = Literal["admin", "developer", "viewer"]
ENT_ID = {"enterprise_id": 8_710_001}  # the simulator's gitcode-ent
BUG_LABEL = 8_710_401  # its seeded "bug" label
ROADMAP = 8_710_501  # and its milestone "2027 H1"
EnterpriseId = Annotated[Number, Field(description="Numeric (get_org_enterprise)")]
NO_MEMBER = {404: "no such member or enterprise: get_enterprise_member lists the members"}
ADMINS_ONLY = {403: "only the enterprise's admins may do this"}
