"""Every GitCode path template, once, under a name that says which resource it is.

Tools build their requests from these with `api_path(template, **values)`, the simulator routes on the same ones,
and lockdown reads through them: a template is written here and nowhere else. A template is relative to the API
base (`…/api/v5`); one starting with `v8/` is relative to the v8 base the client derives from it. A placeholder's
name decides how `api_path` checks and encodes its value (paths.py), so one path has one set of names.

Names: the resource, with its scope first where several scopes have one (`ISSUE_COMMENTS` are one issue's,
`REPO_ISSUE_COMMENTS` a repository's, `PR_COMMENTS` a pull request's, `COMMIT_COMMENTS` a commit's); `MY_` for the
authenticated user's own; `_V8` where v5 and v8 each have the resource.
"""

from __future__ import annotations

from gitcode_mcp.errors import InvalidArgument

# --- the authenticated user, and users --------------------------------------------------------------------------

ME = "user"
MY_EMAILS = "emails"
MY_NAMESPACE = "user/namespace"
MY_NAMESPACES = "user/namespaces"
MY_REPOS = "user/repos"  # GET: your repositories; POST: create one
MY_STARRED = "user/starred"
MY_WATCHED = "user/subscriptions"
MY_KEYS = "user/keys"
MY_KEY = "user/keys/{key_id}"
MY_ISSUES = "user/issues"
MY_PRS = "user/pulls"
MY_ORGS = "users/orgs"
MY_ORG_MEMBERSHIP = "user/memberships/orgs/{org}"
USER_PROFILE = "users/{username}"
USER_EVENTS = "users/{username}/events"
USER_REPOS = "users/{username}/repos"
USER_STARRED = "users/{username}/starred"
USER_WATCHED = "users/{username}/subscriptions"
USER_ORGS = "users/{username}/orgs"

# --- search ---------------------------------------------------------------------------------------------------

SEARCH_REPOSITORIES = "search/repositories"
SEARCH_ISSUES = "search/issues"
SEARCH_USERS = "search/users"

# --- organizations --------------------------------------------------------------------------------------------

ORGS = "orgs"  # POST: create one
ORG = "orgs/{org}"
ORG_MEMBERS = "orgs/{org}/members"
ORG_MEMBER = "orgs/{org}/members/{username}"
ORG_MEMBERSHIP = "orgs/{org}/memberships/{username}"
ORG_REPOS = "orgs/{org}/repos"  # GET: its repositories; POST: create one
ORG_FOLLOWERS = "orgs/{owner}/followers"
ORG_ISSUE_TYPES = "orgs/{org}/issue/extend/settings"
ORG_CUSTOM_ROLES = "orgs/{org}/customized_roles"
ORG_ISSUES = "orgs/{org}/issues"
ORG_PRS = "org/{org}/pull_requests"
ORG_ENTERPRISE = "v8/org/{org}/enterprise"

# --- a repository ---------------------------------------------------------------------------------------------

REPO = "repos/{owner}/{repo}"
REPO_FORKS = "repos/{owner}/{repo}/forks"
REPO_LANGUAGES = "repos/{owner}/{repo}/languages"
REPO_CONTRIBUTORS = "repos/{owner}/{repo}/contributors"
REPO_CONTRIBUTOR_STATISTICS = "repos/{owner}/{repo}/contributors/statistic"
REPO_EVENTS = "repos/{owner}/{repo}/events"
REPO_WATCHERS = "repos/{owner}/{repo}/subscribers"
REPO_STARGAZERS = "repos/{owner}/{repo}/stargazers"
REPO_DOWNLOAD_STATISTICS = "repos/{owner}/{repo}/download_statistics"
REPO_CUSTOM_ROLES = "repos/{owner}/{repo}/customized_roles"
REPO_LICENSE = "repos/{owner}/{repo}/license"
REPO_NOTIFICATIONS = "repos/{owner}/{repo}/notifications"
# The one operation without `repos/` (ref, "Get Code Contribution").
REPO_COMMIT_STATISTICS = "{owner}/{repo}/repository/commit_statistics"

# Administration: settings read and written one section per endpoint, members' roles, transfer and archive.
REPO_MODULE_SETTINGS = "repos/{owner}/{repo}/module/setting"
REPO_REVIEW_SETTINGS = "repos/{owner}/{repo}/reviewer"
REPO_PERMISSION_MODE = "repos/{owner}/{repo}/transition"
REPO_PUSH_RULES = "repos/{owner}/{repo}/push_config"
REPO_SETTINGS = "repos/{owner}/{repo}/repo_settings"
REPO_PR_SETTINGS = "repos/{owner}/{repo}/pull_request_settings"
REPO_MEMBER = "repos/{owner}/{repo}/members/{username}"
REPO_TRANSFER = "repos/{owner}/{repo}/transfer"
ORG_REPO_TRANSFER = "org/{org}/projects/{repo}/transfer"
ORG_REPO_STATUS = "org/{org}/repo/{repo}/status"

# Collaborators. `self-permission` is a literal segment where a username could stand: the literal wins.
REPO_COLLABORATORS = "repos/{owner}/{repo}/collaborators"
REPO_SELF_PERMISSION = "repos/{owner}/{repo}/collaborators/self-permission"
REPO_COLLABORATOR = "repos/{owner}/{repo}/collaborators/{username}"
REPO_COLLABORATOR_PERMISSION = "repos/{owner}/{repo}/collaborators/{username}/permission"

# Webhooks and mirrors.
HOOKS = "repos/{owner}/{repo}/hooks"
HOOK = "repos/{owner}/{repo}/hooks/{hook_id}"
HOOK_TESTS = "repos/{owner}/{repo}/hooks/{hook_id}/tests"
PUSH_MIRRORS = "repos/{owner}/{repo}/push_remote_mirrors"
PUSH_MIRROR = "repos/{owner}/{repo}/push_remote_mirrors/{mirror_id}"
PULL_MIRROR = "repos/{owner}/{repo}/repo_remote_mirror"
FORK_SYNC = "repos/{owner}/{repo}/sync_repo"

# --- files ----------------------------------------------------------------------------------------------------

CONTENTS = "repos/{owner}/{repo}/contents/{path}"
# The root has no path segment (Gitee v5 `contents(/{path})`; probe: urandon/gitcode-mcp lists a root this way,
# docs/gitcode-behaviour.md, Mirrors, contents and wiki); `contents/` with an empty segment is not a path api_path
# can build.
ROOT_CONTENTS = "repos/{owner}/{repo}/contents"
FILE_LIST = "repos/{owner}/{repo}/file_list"
RAW_FILE = "repos/{owner}/{repo}/raw/{path}"
IMAGE_UPLOAD = "repos/{owner}/{repo}/img/upload"
FILE_UPLOAD = "repos/{owner}/{repo}/file/upload"
TREE = "repos/{owner}/{repo}/git/trees/{sha}"
BLOB = "repos/{owner}/{repo}/git/blobs/{sha}"

# --- branches, commits, tags and releases ---------------------------------------------------------------------

BRANCHES = "repos/{owner}/{repo}/branches"
BRANCH = "repos/{owner}/{repo}/branches/{branch}"
BRANCH_RULES = "repos/{owner}/{repo}/protect_branches"
NEW_BRANCH_RULE = "repos/{owner}/{repo}/branches/setting/new"
BRANCH_RULE = "repos/{owner}/{repo}/branches/{wildcard}/setting"

COMMITS = "repos/{owner}/{repo}/commits"
COMMIT = "repos/{owner}/{repo}/commits/{sha}"
COMMIT_DIFF = "repos/{owner}/{repo}/commit/{sha}/diff"
COMMIT_PATCH = "repos/{owner}/{repo}/commit/{sha}/patch"
COMPARE = "repos/{owner}/{repo}/compare/{base}...{head}"
REPO_COMMIT_COMMENTS = "repos/{owner}/{repo}/comments"
COMMIT_COMMENT = "repos/{owner}/{repo}/comments/{comment_id}"
COMMIT_COMMENTS = "repos/{owner}/{repo}/commits/{sha}/comments"

TAGS = "repos/{owner}/{repo}/tags"
TAG = "repos/{owner}/{repo}/tags/{tag_name}"
PROTECTED_TAGS = "repos/{owner}/{repo}/protected_tags"
PROTECTED_TAG = "repos/{owner}/{repo}/protected_tags/{tag_name}"
RELEASES = "repos/{owner}/{repo}/releases"
LATEST_RELEASE = "repos/{owner}/{repo}/releases/latest"
RELEASE_BY_TAG = "repos/{owner}/{repo}/releases/tags/{tag}"
RELEASE = "repos/{owner}/{repo}/releases/{tag}"
RELEASE_UPLOAD_URL = "repos/{owner}/{repo}/releases/{tag}/upload_url"
RELEASE_FILE_DOWNLOAD = "repos/{owner}/{repo}/releases/{tag}/attach_files/{file_name}/download"
RELEASE_FILE = "repos/{owner}/{repo}/releases/{tag}/attach_files/{attach_file_id}"

# --- issues, labels, milestones -------------------------------------------------------------------------------

ISSUES = "repos/{owner}/{repo}/issues"
ISSUE = "repos/{owner}/{repo}/issues/{number}"
# The documented form (ref; probe 2026-03: it worked): the owner in the path, `repo` in the body, to create (POST)
# and to update (PATCH; cli `issue edit`). The repo-scoped paths above take writes too, but with the seed's field
# names (`assignees`), which GitCode does not read (docs/gitcode-behaviour.md, Issues).
OWNER_ISSUES = "repos/{owner}/issues"
OWNER_ISSUE = "repos/{owner}/issues/{number}"
ISSUE_COMMENTS = "repos/{owner}/{repo}/issues/{number}/comments"
REPO_ISSUE_COMMENTS = "repos/{owner}/{repo}/issues/comments"
ISSUE_COMMENT = "repos/{owner}/{repo}/issues/comments/{comment_id}"
ISSUE_LABELS = "repos/{owner}/{repo}/issues/{number}/labels"
ISSUE_LABEL = "repos/{owner}/{repo}/issues/{number}/labels/{name}"
ISSUE_PRS = "repos/{owner}/{repo}/issues/{number}/pull_requests"
ISSUE_BRANCHES = "repos/{owner}/{repo}/issues/{number}/related_branches"
# ref: the operation log is owner-scoped, with the repository as the required query parameter `repo`.
ISSUE_OPERATION_LOGS = "repos/{owner}/issues/{number}/operate_logs"
ISSUE_HISTORY = "repos/{owner}/{repo}/issues/{number}/modify_history"
ISSUE_COMMENT_HISTORY = "repos/{owner}/{repo}/issues/comment/{comment_id}/modify_history"
ISSUE_REACTIONS = "repos/{owner}/{repo}/issues/{number}/user_reactions"
ISSUE_COMMENT_REACTIONS = "repos/{owner}/{repo}/issues/comment/{comment_id}/user_reactions"
ISSUE_KANBAN_VALUES = "repos/{owner}/{repo}/issues/{number}/kanban_values"

LABELS = "repos/{owner}/{repo}/labels"
LABEL = "repos/{owner}/{repo}/labels/{name}"
PROJECT_LABELS = "repos/{owner}/{repo}/project_labels"
MILESTONES = "repos/{owner}/{repo}/milestones"
MILESTONE = "repos/{owner}/{repo}/milestones/{number}"

# --- pull requests --------------------------------------------------------------------------------------------
# GitCode reference (docs.gitcode.com pull request pages, and their copies in the GitCode CLI and Huawei's GitCode
# SDK) for every template here; Gitee v5 where the reference shows no answer or no status.

PULLS = "repos/{owner}/{repo}/pulls"
PULL = "repos/{owner}/{repo}/pulls/{number}"
PR_FILES = "repos/{owner}/{repo}/pulls/{number}/files"
PR_DIFF = "repos/{owner}/{repo}/pulls/{number}/files.json"
PR_COMMITS = "repos/{owner}/{repo}/pulls/{number}/commits"
PR_COMMENTS = "repos/{owner}/{repo}/pulls/{number}/comments"
PR_COMMENT = "repos/{owner}/{repo}/pulls/comments/{comment_id}"
PR_DISCUSSION = "repos/{owner}/{repo}/pulls/{number}/comments/{discussion_id}"
PR_DISCUSSION_REPLIES = "repos/{owner}/{repo}/pulls/{number}/discussions/{discussion_id}/comments"
PR_MERGE = "repos/{owner}/{repo}/pulls/{number}/merge"
PR_REVIEW = "repos/{owner}/{repo}/pulls/{number}/review"
PR_TEST = "repos/{owner}/{repo}/pulls/{number}/test"
PR_ASSIGNEES = "repos/{owner}/{repo}/pulls/{number}/assignees"
PR_REVIEWERS = "repos/{owner}/{repo}/pulls/{number}/reviewers"
PR_TESTERS = "repos/{owner}/{repo}/pulls/{number}/testers"
PR_REVIEWER_OPTIONS = "repos/{owner}/{repo}/pulls/{number}/option_reviewers"
REPO_TESTER_OPTIONS = "repos/{owner}/{repo}/pulls/option_testers"  # ref: testers are offered per repository
PR_LABELS = "repos/{owner}/{repo}/pulls/{number}/labels"
PR_LABEL = "repos/{owner}/{repo}/pulls/{number}/labels/{label}"
PR_ISSUES = "repos/{owner}/{repo}/pulls/{number}/issues"
PR_OPERATION_LOGS = "repos/{owner}/{repo}/pulls/{number}/operate_logs"
PR_HISTORY = "repos/{owner}/{repo}/pulls/{number}/modify_history"
PR_COMMENT_HISTORY = "repos/{owner}/{repo}/pulls/comment/{comment_id}/modify_history"
PR_REACTIONS = "repos/{owner}/{repo}/pulls/{number}/user_reactions"
PR_COMMENT_REACTIONS = "repos/{owner}/{repo}/pulls/comment/{comment_id}/user_reactions"

# --- discussions and kanban boards ----------------------------------------------------------------------------

ORG_DISCUSSIONS = "orgs/{org}/discuss"
ORG_DISCUSSION = "orgs/{org}/discuss/{number}"
ORG_DISCUSSION_COMMENTS = "orgs/{org}/discuss/{number}/comment"
ORG_DISCUSSION_COMMENT = "orgs/{org}/discuss/{number}/comment/{discussion_comment_id}"
ORG_DISCUSSION_REPLIES = "orgs/{org}/discuss/{number}/comment/{discussion_comment_id}/reply"
REPO_DISCUSSIONS = "repos/{owner}/{repo}/discuss"
REPO_DISCUSSION = "repos/{owner}/{repo}/discuss/{number}"
REPO_DISCUSSION_COMMENTS = "repos/{owner}/{repo}/discuss/{number}/comment"
REPO_DISCUSSION_COMMENT = "repos/{owner}/{repo}/discuss/{number}/comment/{discussion_comment_id}"
REPO_DISCUSSION_REPLIES = "repos/{owner}/{repo}/discuss/{number}/comment/{discussion_comment_id}/reply"

KANBAN_BOARDS = "org/{owner}/kanban/list"
KANBAN_BOARD = "org/{owner}/kanban/{kanban_id}/detail"
KANBAN_ITEMS = "org/{owner}/kanban/{kanban_id}/item_list"
KANBAN_ADD_ITEMS = "org/{owner}/kanban/{kanban_id}/add_item"
KANBAN_REMOVE_ITEMS = "org/{owner}/kanban/{kanban_id}/remove_item"
KANBAN_STATE = "org/{owner}/kanban/{kanban_id}/state"
KANBAN_ITEM_BOARD = "org/{owner}/kanban/repo/{repo}/{type}/{iid}"

# --- enterprises (v5 and v8) ----------------------------------------------------------------------------------

ENTERPRISE_MEMBERS = "enterprises/{enterprise}/members"
ENTERPRISE_MEMBER = "enterprises/{enterprise}/members/{username}"
ENTERPRISE_ISSUES = "enterprises/{enterprise}/issues"
ENTERPRISE_ISSUE = "enterprises/{enterprise}/issues/{number}"
ENTERPRISE_ISSUE_COMMENTS = "enterprises/{enterprise}/issues/{number}/comments"
ENTERPRISE_ISSUE_LABELS = "enterprises/{enterprise}/issues/{issue_id}/labels"
ENTERPRISE_ISSUE_PRS = "enterprises/{enterprise}/issues/{number}/pull_requests"
ENTERPRISE_PRS = "enterprises/{enterprise}/pull_requests"
ENTERPRISE_LABELS = "enterprises/{enterprise}/labels"
ENTERPRISE_ISSUE_STATUSES = "enterprises/{enterprise}/issue/statuses"
ENTERPRISE_MEMBERS_V8 = "v8/enterprises/{enterprise}/members"
ENTERPRISE_MEMBER_V8 = "v8/enterprises/{enterprise}/members/{username}"
ENTERPRISE_MEMBERSHIP = "v8/enterprises/{enterprise}/memberships/{username}"
ENTERPRISE_LABELS_V8 = "v8/enterprises/{enterprise}/labels"
ENTERPRISE_NEW_LABEL = "v8/enterprises/{enterprise_id}/label"
ENTERPRISE_LABEL = "v8/enterprises/{enterprise_id}/label/{label_id}"
ENTERPRISE_ISSUE_FIELDS = "v8/enterprises/{enterprise_id}/issue_extend_field"
ENTERPRISE_CUSTOM_ROLES = "v8/enterprise/{enterprise_id}/customized_roles"
ENTERPRISE_PROJECTS = "v8/enterprises/{enterprise}/groups/projects"
ENTERPRISE_ISSUE_SEARCH = "v8/enterprises/{enterprise_id}/issues"
ENTERPRISE_MILESTONES = "v8/enterprises/{enterprise}/milestones"
ENTERPRISE_MILESTONE = "v8/enterprises/{enterprise}/milestones/{milestone_id}"

# --- CI (Actions, v8) -----------------------------------------------------------------------------------------

ACTION_RUNS = "v8/repos/{owner}/{repo}/actions/runs"
ACTION_RUN = "v8/repos/{owner}/{repo}/actions/runs/{run_id}"
ACTION_RUN_JOBS = "v8/repos/{owner}/{repo}/actions/runs/{run_id}/jobs"
ACTION_RUN_JOB = "v8/repos/{owner}/{repo}/actions/runs/{run_id}/jobs/{job_id}"
ACTION_JOB_LOG = "v8/repos/{owner}/{repo}/actions/runs/{run_id}/jobs/{job_id}/download_log"
ACTION_RUN_RERUN = "v8/repos/{owner}/{repo}/actions/runs/{run_id}/rerun"
ACTION_RUN_RETRY = "v8/repos/{owner}/{repo}/actions/runs/{run_id}/retry"
ACTION_RUN_STOP = "v8/repos/{owner}/{repo}/actions/runs/{run_id}/stop"
ACTION_RUN_ARTIFACTS = "v8/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts"
ACTION_ARTIFACTS = "v8/repos/{owner}/{repo}/actions/artifacts"
ACTION_ARTIFACT = "v8/repos/{owner}/{repo}/actions/artifacts/{artifact_id}"
ACTION_ARTIFACT_ZIP = "v8/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/zip"
# AtomGit's template for the same download; `zip` is the only format either client names.
ACTION_ARTIFACT_ARCHIVE = "v8/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}"
ACTION_WORKFLOWS = "v8/repos/{owner}/{repo}/actions/workflows"
ACTION_WORKFLOW_VALIDATE = "v8/repos/{owner}/{repo}/actions/workflows/validate"
ACTION_WORKFLOW_DISPATCHES = "v8/repos/{owner}/{repo}/actions/workflows/{workflow}/dispatches"
ACTION_RUNNERS = "v8/repos/{owner}/{repo}/actions/runners"
ACTION_SHARED_RUNNERS = "v8/repos/{owner}/{repo}/actions/runners/shared-runners"
ACTION_RUNNER_SETS = "v8/repos/{owner}/{repo}/actions/runner-sets"
ACTION_SHARED_RUNNER_SETS = "v8/repos/{owner}/{repo}/actions/shared-runner-sets"
ORG_RUNNER_GROUPS = "v8/orgs/{org}/actions/runner-groups"
ORG_RUNNER_GROUP = "v8/orgs/{org}/actions/runner-groups/{runner_group_id}"
ORG_RUNNER_GROUP_RUNNERS = "v8/orgs/{org}/actions/runner-groups/{runner_group_id}/runners"
ORG_RUNNER_GROUP_RUNNER_SETS = "v8/orgs/{org}/actions/runner-groups/{runner_group_id}/runner-sets"
ORG_RUNNER_GROUP_SHARED_NAMESPACES = "v8/orgs/{org}/actions/runner-groups/{runner_group_id}/shared-namespaces"
# Not GitCode's API: an artifact's download redirects to a pre-signed URL on GitCode's object storage, another host.
# The simulator serves that storage on its own host under this path; no tool builds it (the redirect names it).
ARTIFACT_OBJECT = "objects/artifacts/{artifact_id}.zip"


def all_templates() -> dict[str, str]:
    """Every template here by its name."""
    return {k: v for k, v in globals().items() if k.isupper() and isinstance(v, str)}


# --- requests that remove, though their method is not DELETE ----------------------------------------------------

# "METHOD template" of the writes that take away what is there: a list replaced whole (what is left out goes), passes
# withdrawn, a repository given away or frozen. A tool whose examples send one of these, or any DELETE, is
# destructive (tests/test_registry.py derives it from the examples), so its annotation and --no-destructive say so.
REMOVING = frozenset(
    {
        f"PUT {ISSUE_LABELS}",  # the issue's labels become those given
        f"PUT {PR_LABELS}",  # the PR's labels become those given
        f"PATCH {OWNER_ISSUE}",  # labels and assignees given replace the old ones
        f"PATCH {PULL}",  # labels given replace the old ones
        f"POST {PR_REVIEWERS}",  # add=false: the PR's reviewers become those given
        f"POST {PR_TESTERS}",  # add=false: the PR's testers become those given
        f"PATCH {PR_ASSIGNEES}",  # reset_all: the reviewers' approvals are withdrawn
        f"PATCH {PR_TESTERS}",  # reset_all: the testers' passes are withdrawn
        f"PUT {PROJECT_LABELS}",  # the repository's project labels become those given
        f"PUT {ISSUE_BRANCHES}",  # the issue's linked branches become those given
        f"PUT {REPO_REVIEW_SETTINGS}",  # reviewers and testers given replace the default ones of new PRs
        f"POST {REPO_TRANSFER}",  # the repository leaves its owner
        f"POST {ORG_REPO_TRANSFER}",  # the repository leaves its organization
        f"PUT {ORG_REPO_STATUS}",  # archived: no one may write to it any more
    }
)


def collaborator_username(username: str) -> str:
    """A username for the collaborator paths. `self-permission` is GitCode's own segment beside {username}
    (REPO_SELF_PERMISSION): as a username it would reach another endpoint, so it is refused (in any case; GitCode
    may ignore case in names)."""
    if username.strip().lower() == "self-permission":
        raise InvalidArgument("username", "'self-permission' is not a username; leave username out for your own")
    return username


# GitCode's OAuth scopes, in the reference's order (also the order an authorization request lists them in): the
# server asks for them (oauth/scopes.py) and the simulator's OAuth pages grant them.
GITCODE_SCOPES = (
    "all_user",
    "all_key",
    "all_groups",
    "all_projects",
    "all_pr",
    "all_issue",
    "all_note",
    "all_hook",
    "all_repository",
)
