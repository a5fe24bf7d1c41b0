"""Pull requests, in the shapes of the live answers recorded in docs/gitcode-behaviour.md (PR cann/ge!1647 and the
cann-gitcode-mcp fixtures): no counts on a single PR, `mergeable_state` with its rules and reasons, the PR files
`patch` object, sparse comment-create answers, and timeline vs diff comments decided by the fields sent. Lists
sort by `order_by` + `direction` and refuse `sort` without `direction` (probe); list items carry `added_lines`,
`removed_lines` and `notes` (live). A fork PR's head branch lives in the fork ({user}/{repo}), seeded as bob/demo.
Merges apply the head's files to the base and record the merge commit, refused while a merge rule fails; approvals,
reviewers, testers and labels change the PR they are on."""
