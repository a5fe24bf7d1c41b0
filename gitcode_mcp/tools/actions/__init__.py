"""Actions, GitCode's CI (API v8): workflow runs, their jobs and logs, waiting for a run, re-runs, stops and
dispatches, workflows and their validation, artifacts, runners and runner groups.

Evidence, beside each request: the GitCode CLI's api/queries_actions.go (every read, artifacts, workflows, validate,
dispatches, with the answer shapes its unit tests use), its pkg/cmd/actions/run/watch/watch.go (the run statuses,
which of them end a run) and pkg/cmd/actions/job/log/log.go (a job's log is a ZIP of its step logs);
AtomGit-MCP-Server's src/services/ActionsService.ts for the same templates and filters. `rerun`, `retry` and `stop`
follow GitCode's reference pages (docs.gitcode.com/docs/apis/post-api-v-8-repos-owner-repo-actions-runs-run-id-rerun,
-retry, -stop: no body for rerun and stop; retry's body `job_run_ids`, required; each answers `{success}`); what a
re-run does to the run (a new attempt of it) is designed from GitHub Actions.
"""

from __future__ import annotations

from gitcode_mcp.registry import Toolset

actions = Toolset("actions", "CI (Actions): runs, job logs, waiting for a run, re-runs, workflows, artifacts, runners")

# The simulator's seeded gitcode-guild/pipelines: run 1 passed (with a test report artifact), run 2 failed its test
# job (a failing assertion in the log), run 3 is still running.
PIPELINES = {"owner": "gitcode-guild", "repo": "pipelines"}
PASSED_RUN = "8b64bcb51fe9eb8f0dab14fcec86ae79"
FAILED_RUN = "07dbac858c15005f7925cee9e047a653"
FAILED_JOB = "144a7c693d5192ddc4c83d005345d3eb"
RUNNING_RUN = "5b2d0e3c9a1f47e6b8c4d7a2e9f01b36"  # a nightly run that takes hours
REPORT_ARTIFACT = "eaeb4a5813754c3374b374aa624e8d53"
FAILED_REPORT_ARTIFACT = "71f720a45f47f31d47ba0ef1077f4d0a"
RUNNER_GROUP = "da824eba9bddc6abcec2759ce72a1159"
GUILD = {"org": "gitcode-guild"}
