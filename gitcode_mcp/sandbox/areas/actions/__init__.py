"""Actions (CI, API v8): workflow runs that pass and fail, their jobs, steps and logs, re-runs as new attempts, stops,
dispatches, workflow validation, artifacts with files, runners and runner groups.

Shapes are the GitCode CLI's (api/queries_actions.go: `workflow_runs` with `workflow_run_id`, `head_sha`, `actor`,
`start_time`/`end_time` in epoch milliseconds; a run's detail nests `stages` of `jobs` of `steps`; `total_count` beside
every list), statuses its watch command's (COMPLETED, RUNNING, FAILED, CANCELED, IGNORED; INIT for a job not started
yet, CodeArts' word). A job's log is a ZIP of its step logs (CLI job log); an artifact's `zip` answers 302 to a
pre-signed object storage URL (CLI DownloadActionsArtifact), which this app serves under /objects/ and which refuses a
request that carries a token. rerun, retry (its `job_run_ids`) and stop follow GitCode's reference pages. Designed,
with no witness: `run_attempt`, and what rerun/retry/stop refuse (GitHub Actions' rules: a running run is not re-run,
only failed jobs are retried, a finished run is not stopped).

Runs follow pushes: a branch whose files hold a workflow with a push trigger gets a run for each new head commit, its
jobs taking a fraction of a second each (ci_runner.py emulates them against the commit's files). Seeded:
gitcode-guild/pipelines with run 1 (main, passed, a test-report artifact), run 2 (branch `lowercase`, its test job
failed on an assertion, a report too) and run 3 (a nightly soak test, running for hours).
`Actions.of(world).runner_faults` makes the next jobs that install packages fail on the network, as a flaky runner does.
"""
