"""The world's CI: workflows, runs and their attempts and jobs, artifacts (kept beside the area:
`Actions.of(world)`)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

from gitcode_mcp.sandbox.ci_runner import JobResult, JobSpec, WorkflowSpec
from gitcode_mcp.sandbox.state import CST, Kept, Repo, User, fake_sha

# The seeded runs of gitcode-guild/pipelines (see the module's doc), their artifacts and the org's runner group: the
# ids the tools' examples name.
PASSED_RUN = "8b64bcb51fe9eb8f0dab14fcec86ae79"
FAILED_RUN = "07dbac858c15005f7925cee9e047a653"
FAILED_JOB = "144a7c693d5192ddc4c83d005345d3eb"
RUNNING_RUN = "5b2d0e3c9a1f47e6b8c4d7a2e9f01b36"  # a nightly run that takes hours
REPORT_ARTIFACT = "eaeb4a5813754c3374b374aa624e8d53"
FAILED_REPORT_ARTIFACT = "71f720a45f47f31d47ba0ef1077f4d0a"
RUNNER_GROUP = "da824eba9bddc6abcec2759ce72a1159"
STATUSES = ("COMPLETED", "RUNNING", "FAILED", "CANCELED", "IGNORED", "PAUSED", "SUSPEND")
EVENTS = ("MR", "Push", "Manual")
REPO_ID = 8_720_101
SEEDED_WALL = int(datetime(2026, 12, 1, 10, 0, tzinfo=CST).timestamp() * 1000)


def new_id(*parts: object) -> str:
    return fake_sha("actions", *parts)[:32]


@dataclass
class Job:
    id: str
    spec: JobSpec
    sequence: int
    start: float  # seconds after its attempt began
    result: JobResult
    skipped: bool = False  # an earlier job failed: it never runs
    carried: bool = False  # a retry kept it from the attempt before, passed

    @property
    def seconds(self) -> float:
        return 0.0 if self.skipped or self.carried else sum(s.seconds for s in self.result.steps)


@dataclass
class Attempt:
    number: int
    began: float  # time.monotonic()
    wall: int  # epoch ms at `began`
    jobs: list[Job]
    stopped: float | None = None  # time.monotonic() of a stop


@dataclass
class Workflow:
    id: str
    spec: WorkflowSpec


@dataclass
class Run:
    id: str
    number: int
    workflow: Workflow
    repo: Repo
    branch: str
    sha: str
    event: str
    actor: User
    title: str
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def attempt(self) -> Attempt:
        return self.attempts[-1]


@dataclass
class Artifact:
    id: str
    name: str
    run: Run
    files: dict[str, bytes]
    created: int  # epoch ms

    def archive(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, data in sorted(self.files.items()):
                archive.writestr(zipfile.ZipInfo(path, date_time=(2026, 12, 1, 10, 0, 0)), data)
        return out.getvalue()


@dataclass
class Actions(Kept):
    """The world's CI: runs by id, artifacts by id, the head commit each branch had when last looked at
    (`Actions.of(world)`)."""

    runs: dict[str, Run] = field(default_factory=dict)
    artifacts: dict[str, Artifact] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)
    made: set[tuple[str, int, str]] = field(default_factory=set)  # (run, attempt, artifact name) already uploaded
    heads: dict[tuple[str, str], str] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)  # workflow id -> its last run number
    runner_faults: int = 0
    fixed_ids: dict[tuple[str, int, str], str] = field(default_factory=dict)  # the seeded artifacts' ids
