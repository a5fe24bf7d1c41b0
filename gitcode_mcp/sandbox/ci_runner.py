"""The simulator's CI runner: reads a workflow file (a small YAML subset), checks it as `workflows/validate` would, and
"runs" its jobs against a commit's files, producing each step's outcome and log.

Nothing is executed. A `run:` step is emulated by what it runs: `pip install` prints what a pip install prints (and
fails when the runner's network is down: the simulator's fault knob), `pytest` evaluates the commit's tests with a
tiny evaluator of `assert f("arg") == "expected"` over the commit's own `def f(x): return <expr>` (literals, names,
f-strings, `+`, and str methods: the evaluator reads the code with `ast`, it never runs it), anything else echoes.
The log lines follow GitHub-style runner output (`##[group]`, `##[error]`), which GitCode Actions' logs resemble.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

WORKFLOW_DIR = ".gitcode/workflows/"


# --- a YAML subset: block mappings and lists, scalars, inline lists; every node keeps its line ----------------------


@dataclass
class Node:
    value: Any  # str | list[Node] | dict[str, Node]
    line: int


class YamlError(ValueError):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def _scalar(text: str, line: int) -> Node:
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        return Node([_scalar(part, line) for part in text[1:-1].split(",") if part.strip()], line)
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return Node(text, line)


def _strip_comment(raw: str) -> str:
    out, quote = [], ""
    for i, char in enumerate(raw):
        if char in "'\"" and not quote:
            quote = char
        elif char == quote:
            quote = ""
        elif char == "#" and not quote and (i == 0 or raw[i - 1] in " \t"):
            break
        out.append(char)
    return "".join(out).rstrip()


def parse_yaml(text: str) -> Node:
    rows: list[tuple[int, int, str]] = []  # (line number, indentation, content)
    for number, raw in enumerate(text.splitlines(), 1):
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            raise YamlError(number, raw.index("\t") + 1, "found character '\\t' that cannot start any token")
        content = _strip_comment(raw)
        if content.strip():
            rows.append((number, len(content) - len(content.lstrip()), content.strip()))
    if not rows:
        raise YamlError(1, 1, "the file is empty")
    node, rest = _block(rows, 0, rows[0][1])
    if rest < len(rows):
        number, indent, _ = rows[rest]
        raise YamlError(number, indent + 1, "did not find expected key (bad indentation)")
    return node


def _block(rows: list[tuple[int, int, str]], at: int, indent: int) -> tuple[Node, int]:
    first_line = rows[at][0]
    if rows[at][2].startswith("- ") or rows[at][2] == "-":
        items: list[Node] = []
        while at < len(rows) and rows[at][1] == indent and rows[at][2].startswith("-"):
            number, _, content = rows[at]
            body = content[1:].strip()
            if not body:
                child, at = _block(rows, at + 1, rows[at + 1][1]) if at + 1 < len(rows) else (Node("", number), at + 1)
                items.append(child)
                continue
            if re.match(r"^[^'\"\[][^:]*:(\s|$)", body):  # "- key: value": a mapping starting on the dash's line
                rows[at] = (number, indent + 2, body)
                child, at = _block(rows, at, indent + 2)
            else:
                child, at = _scalar(body, number), at + 1
            items.append(child)
        return Node(items, first_line), at
    mapping: dict[str, Node] = {}
    while at < len(rows) and rows[at][1] == indent:
        number, _, content = rows[at]
        match = re.match(r"^([^:]+?):(\s+(.*))?$", content)
        if match is None or content.startswith("-"):
            raise YamlError(number, indent + 1, "could not find expected ':'")
        key, value = match.group(1).strip().strip("'\""), (match.group(3) or "").strip()
        if value in ("|", ">"):  # a block scalar: the more indented lines that follow, as text
            end = at + 1
            while end < len(rows) and rows[end][1] > indent:
                end += 1
            mapping[key], at = Node("\n".join(r[2] for r in rows[at + 1 : end]), number), end
        elif value:
            mapping[key], at = _scalar(value, number), at + 1
        elif at + 1 < len(rows) and rows[at + 1][1] > indent:
            mapping[key], at = _block(rows, at + 1, rows[at + 1][1])
            mapping[key].line = number  # a block value is reported at its key's line
        else:
            mapping[key], at = Node("", number), at + 1
    if at < len(rows) and rows[at][1] > indent:
        raise YamlError(rows[at][0], rows[at][1] + 1, "mapping values are not allowed here (bad indentation)")
    return Node(mapping, first_line), at


# --- workflows ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepSpec:
    name: str
    run: str = ""
    uses: str = ""
    artifact: str = ""  # an upload-artifact step's artifact name
    always: bool = False  # `if: always()`: runs after a failed step too


@dataclass(frozen=True)
class JobSpec:
    key: str
    name: str
    needs: tuple[str, ...]
    steps: tuple[StepSpec, ...]


@dataclass(frozen=True)
class WorkflowSpec:
    path: str
    name: str
    triggers: frozenset[str]
    inputs: dict[str, bool]  # workflow_dispatch input -> required
    jobs: tuple[JobSpec, ...]


@dataclass(frozen=True)
class Problem:
    line: int
    column: int
    message: str


def _text(node: Node | None) -> str:
    return node.value if node is not None and isinstance(node.value, str) else ""


def _map(node: Node | None) -> dict[str, Node]:
    return node.value if node is not None and isinstance(node.value, dict) else {}


def check(text: str) -> tuple[Node | None, list[Problem]]:
    """The workflow's tree and its problems, with 1-based lines and columns (what `workflows/validate` reports)."""
    try:
        tree = parse_yaml(text)
    except YamlError as error:
        return None, [Problem(error.line, error.column, error.message)]
    top = _map(tree)
    if not isinstance(tree.value, dict):
        return None, [Problem(tree.line, 1, "a workflow must be a mapping")]
    problems = [Problem(1, 1, f"Required property '{key}' is missing") for key in ("on", "jobs") if key not in top]
    for key, job in _map(top.get("jobs")).items():
        spec = _map(job)
        for needed in ("runs-on", "steps"):
            if needed not in spec:
                problems.append(Problem(job.line, 3, f"job '{key}': required property '{needed}' is missing"))
    return tree, problems


def workflow(path: str, text: str) -> WorkflowSpec | None:
    tree, problems = check(text)
    if tree is None or problems:
        return None
    top = _map(tree)
    on = top["on"]
    triggers = frozenset(
        on.value
        if isinstance(on.value, dict)
        else [_text(n) for n in on.value]
        if isinstance(on.value, list)
        else [_text(on)]
    )
    dispatch = _map(_map(on).get("workflow_dispatch"))
    inputs = {k: _text(_map(v).get("required")) == "true" for k, v in _map(dispatch.get("inputs")).items()}
    jobs = []
    for key, job in _map(top["jobs"]).items():
        spec = _map(job)
        needs = spec.get("needs")
        steps = []
        for step in spec["steps"].value if isinstance(spec["steps"].value, list) else []:
            s = _map(step)
            run, uses = _text(s.get("run")), _text(s.get("uses"))
            artifact = _text(_map(s.get("with")).get("name")) if "upload-artifact" in uses else ""
            always = _text(s.get("if")).replace("${{", "").replace("}}", "").strip() == "always()"
            steps.append(StepSpec(_text(s.get("name")) or (f"Run {run}" if run else uses), run, uses, artifact, always))
        needed = [_text(n) for n in needs.value] if needs and isinstance(needs.value, list) else [_text(needs)]
        jobs.append(JobSpec(key, _text(spec.get("name")) or key, tuple(n for n in needed if n), tuple(steps)))
    name = _text(top.get("name")) or path.rsplit("/", 1)[-1]
    return WorkflowSpec(path, name, triggers, inputs, tuple(jobs))


def workflows(files: dict[str, bytes]) -> list[WorkflowSpec]:
    paths = [p for p in sorted(files) if p.startswith(WORKFLOW_DIR) and p.endswith((".yml", ".yaml"))]
    return [spec for p in paths if (spec := workflow(p, files[p].decode("utf-8", errors="replace")))]


# --- running a job --------------------------------------------------------------------------------------------------


@dataclass
class StepResult:
    name: str
    failed: bool
    log: list[str]
    seconds: float = 0.1


@dataclass
class JobResult:
    failed: bool
    steps: list[StepResult] = field(default_factory=list)
    report: dict[str, bytes] = field(default_factory=dict)  # files an upload-artifact step uploads


class _Unknown(Exception):
    pass


def _value(node: ast.expr, env: dict[str, str]) -> str:
    """An expression of the forms the evaluator knows, with the function's parameter bound; others raise _Unknown."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name) and node.id in env:
        return env[node.id]
    if isinstance(node, ast.JoinedStr):
        return "".join(_value(part, env) for part in node.values)
    if isinstance(node, ast.FormattedValue) and node.format_spec is None:
        return _value(node.value, env)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _value(node.left, env) + _value(node.right, env)
    methods = {
        "upper": str.upper,
        "lower": str.lower,
        "title": str.title,
        "capitalize": str.capitalize,
        "strip": str.strip,
    }
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in methods
        and not node.args
    ):
        return methods[node.func.attr](_value(node.func.value, env))
    raise _Unknown(ast.dump(node)[:60])


def _functions(files: dict[str, bytes]) -> dict[str, ast.FunctionDef]:
    found: dict[str, ast.FunctionDef] = {}
    for path, raw in files.items():
        if path.endswith(".py") and not path.startswith("tests/"):
            try:
                tree = ast.parse(raw.decode("utf-8", errors="replace"))
            except SyntaxError:
                continue
            found.update({n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)})
    return found


def _call(fn: ast.FunctionDef, argument: str) -> str:
    returned = next((n.value for n in ast.walk(fn) if isinstance(n, ast.Return) and n.value is not None), None)
    if returned is None or len(fn.args.args) != 1:
        raise _Unknown(fn.name)
    return _value(returned, {fn.args.args[0].arg: argument})


@dataclass
class TestOutcome:
    path: str
    name: str
    line: int
    source: str
    expected: str = ""
    actual: str | None = None  # None: could not be evaluated
    error: str = ""

    @property
    def passed(self) -> bool:
        return not self.error and self.actual == self.expected


def _tests(files: dict[str, bytes]) -> list[TestOutcome]:
    functions, found = _functions(files), []
    for path in sorted(p for p in files if re.fullmatch(r"tests/test_[^/]*\.py", p)):
        text = files[path].decode("utf-8", errors="replace")
        try:
            tree = ast.parse(text)
        except SyntaxError as error:
            found.append(TestOutcome(path, "<collection>", error.lineno or 1, "", error=f"SyntaxError: {error.msg}"))
            continue
        for test in (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")):
            for check_ in (n for n in test.body if isinstance(n, ast.Assert)):
                outcome = TestOutcome(path, test.name, check_.lineno, ast.get_source_segment(text, check_) or "")
                found.append(outcome)
                compare = check_.test
                try:
                    if not (
                        isinstance(compare, ast.Compare)
                        and isinstance(compare.ops[0], ast.Eq)
                        and isinstance(compare.left, ast.Call)
                        and isinstance(compare.left.func, ast.Name)
                    ):
                        raise _Unknown("assert")
                    fn = functions.get(compare.left.func.id)
                    if fn is None:
                        outcome.error = f"NameError: name '{compare.left.func.id}' is not defined"
                        break
                    outcome.expected = _value(compare.comparators[0], {})
                    outcome.actual = _call(fn, _value(compare.left.args[0], {}))
                except _Unknown:
                    outcome.error = "the simulator's test runner cannot evaluate this assertion"
                if not outcome.passed:
                    break
    return found


def _pytest(files: dict[str, bytes], repo_name: str) -> tuple[bool, list[str], dict[str, bytes]]:
    outcomes = _tests(files)
    by_test: dict[tuple[str, str], TestOutcome] = {}
    for o in outcomes:  # a test fails at its first failing assertion
        if (o.path, o.name) not in by_test or by_test[o.path, o.name].passed:
            by_test[o.path, o.name] = o
    tests = list(by_test.values())
    failed = [t for t in tests if not t.passed]
    log = [
        "============================= test session starts ==============================",
        "platform linux -- Python 3.12.3, pytest-8.3.4, pluggy-1.5.0",
        f"rootdir: /workspace/{repo_name}",
        f"collected {len(tests)} items",
        "",
    ]
    for path in dict.fromkeys(t.path for t in tests):
        marks = "".join("." if t.passed else "F" for t in tests if t.path == path)
        log.append(f"{path} {marks}".ljust(73) + "[100%]")
    if failed:
        log += ["", "=================================== FAILURES ==================================="]
        for t in failed:
            log.append(f"_{'_' * 30} {t.name} {'_' * 30}"[:80])
            log += ["", f"    def {t.name}():", f">       {t.source}"]
            if t.error:
                log.append(f"E       {t.error}")
            else:
                log += [
                    f"E       AssertionError: assert {t.actual!r} == {t.expected!r}",
                    "E         ",
                    f"E         - {t.expected}",
                    f"E         + {t.actual}",
                ]
            log += ["", f"{t.path}:{t.line}: AssertionError"]
        log.append("=========================== short test summary info ============================")
        for t in failed:
            reason = t.error or f"AssertionError: assert {t.actual!r} == {t.expected!r}"
            log.append(f"FAILED {t.path}::{t.name} - {reason}")
    passed = len(tests) - len(failed)
    summary = ", ".join(
        p for p in (f"{len(failed)} failed" if failed else "", f"{passed} passed" if passed else "") if p
    )
    log.append(f" {summary or 'no tests ran'} in 0.04s ".center(80, "="))
    cases = "".join(
        f'<testcase classname="{t.path}" name="{t.name}">'
        + ("" if t.passed else f'<failure message="assert {t.actual!r} == {t.expected!r}"/>')
        + "</testcase>"
        for t in tests
    )
    report = {
        "report/junit.xml": f'<testsuite tests="{len(tests)}" failures="{len(failed)}">{cases}</testsuite>\n'.encode(),
        "report/summary.txt": f"{summary or 'no tests ran'}\n".encode(),
        "report/coverage.bin": bytes([0x43, 0x4F, 0x56, 0x00]) + bytes(range(64)),
    }
    return not failed and bool(tests), log, report


PIP_PACKAGES = ["pytest==8.3.4", "pluggy==1.5.0", "iniconfig==2.0.0", "packaging==24.2"] + [
    f"dependency-{i:03d}==1.{i}.0" for i in range(60)
]


def _pip(command: str, network_down: bool) -> tuple[bool, list[str]]:
    log = [f"Obtaining file:///workspace ({command})"]
    for package in PIP_PACKAGES:
        log.append(f"Collecting {package}")
        if network_down and package.startswith("dependency-010"):
            return False, [
                *log,
                "  WARNING: Retrying (Retry(total=0, connect=None, read=None, redirect=None, status=None)) after "
                "connection broken by 'ReadTimeoutError(\"HTTPSConnectionPool(host='pypi.org', port=443): Read timed "
                "out. (read timeout=15)\")'",
                "ERROR: Could not install packages due to an OSError: HTTPSConnectionPool(host='pypi.org', port=443): "
                "Max retries exceeded with url: /simple/dependency-010/ (Caused by ReadTimeoutError)",
            ]
        log.append(f"  Downloading {package.replace('==', '-')}-py3-none-any.whl (42 kB)")
    return True, [*log, "Successfully installed " + " ".join(p.replace("==", "-") for p in PIP_PACKAGES[:6]) + " ..."]


def run_job(job: JobSpec, files: dict[str, bytes], repo_name: str, sha: str, network_down: bool) -> JobResult:
    """A job's steps against a commit's files: the set-up, each step in turn until one fails, the clean-up."""
    result = JobResult(False, [StepResult("Set up job", False, ["Current runner version: '2.321.0'", "Job is ready"])])
    for step in job.steps:
        if result.failed and not step.always:
            continue
        log = [f"##[group]{step.name}", step.run or f"uses: {step.uses}", "##[endgroup]"]
        ok = True
        if step.uses.startswith("actions/checkout"):
            log += [f"Fetching the repository {repo_name}", f"HEAD is now at {sha[:7]}"]
        elif "upload-artifact" in step.uses:
            log += [f"Uploading artifact '{step.artifact}' ({len(result.report)} files)"]
        elif "pip install" in step.run:
            ok, lines = _pip(step.run, network_down)
            log += lines
        elif re.search(r"\bpytest\b", step.run):
            ok, lines, result.report = _pytest(files, repo_name)
            log += lines
        elif step.run:
            log += [line for line in step.run.splitlines() if line.strip()] + ["done"]
        if not ok:
            log.append("##[error]Process completed with exit code 1.")
        result.steps.append(StepResult(step.name, not ok, log))
        result.failed = result.failed or not ok
    result.steps.append(StepResult("Complete job", False, ["Cleaning up orphan processes"]))
    return result
