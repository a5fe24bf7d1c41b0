"""What a release ships: the sdist (whose own tests pass from it, unpacked), the MCP bundle (only what runs, and the
lock uv installs from), and the workflow that builds, tests and publishes both on a tag. All offline."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

import yaml
from hatchling.builders.sdist import SdistBuilder
from packaging.requirements import Requirement
from pathspec import GitIgnoreSpec

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
THIS = Path(__file__).name


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


# -- the sdist --------------------------------------------------------------------------------------------------------

# The tests that read files beside the package (the manifest, Dockerfile, deploy/, .ci/run, README, server.json,
# tests/data, the snapshots, the lock, the workflow), run again from the unpacked sdist.
READERS = [
    "tests/test_distribution.py",
    "tests/test_readme.py",
    "tests/test_server_json.py",
    "tests/test_operations.py",
    "tests/test_toolsnaps.py",
    f"tests/{THIS}",
]


def test_the_sdists_own_tests_pass_from_it(tmp_path: Path) -> None:
    built = Path(next(iter(SdistBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"]))))
    with tarfile.open(built) as sdist:
        sdist.extractall(tmp_path / "unpacked", filter="data")
    (unpacked,) = (tmp_path / "unpacked").iterdir()
    assert not (unpacked / ".git").exists()
    myself = f"tests/{THIS}::test_the_sdists_own_tests_pass_from_it"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--deselect", myself, *READERS],
        cwd=unpacked,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert re.search(r"\d+ passed", done.stdout) and "skipped" not in done.stdout, done.stdout[-500:]


# -- the bundle -------------------------------------------------------------------------------------------------------


def bundled(root: Path) -> set[str]:
    """The files `mcpb pack` puts in the bundle: it walks the directory and leaves out what the gitignore patterns of
    .mcpbignore match (a directory matched is not entered). GitIgnoreSpec reads them as git (and mcpb's `ignore`) do."""
    spec = GitIgnoreSpec.from_lines((root / ".mcpbignore").read_text(encoding="utf-8").splitlines())
    kept: set[str] = set()
    for where, dirs, files in os.walk(root):
        here = Path(where).relative_to(root)
        dirs[:] = [d for d in dirs if not spec.match_file((here / d).as_posix())]
        kept |= {(here / f).as_posix() for f in files if not spec.match_file((here / f).as_posix())}
    return kept


def test_the_bundle_carries_only_what_runs(tmp_path: Path) -> None:
    # A checkout after a test run and a local install: caches and a virtual environment beside the sources.
    for junk in (".venv/lib/site.py", "gitcode_mcp/__pycache__/server.cpython-311.pyc", ".pytest_cache/README.md"):
        (tmp_path / junk).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / junk).write_text("x")
    (tmp_path / ".mcpbignore").write_text((ROOT / ".mcpbignore").read_text(encoding="utf-8"))
    assert bundled(tmp_path) == set()  # nothing of that goes in

    files = bundled(ROOT)
    package = {p.relative_to(ROOT).as_posix() for p in (ROOT / "gitcode_mcp").rglob("*.py")}
    package.add("gitcode_mcp/tool_schemas.json")  # the listed schemas (tool_build.py)
    assert files == package | {"pyproject.toml", "uv.lock", "manifest.json", "README.md", "LICENSE"}
    manifest = json.loads((ROOT / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["server"]["entry_point"] in files
    assert manifest["server"]["mcp_config"]["args"][:2] == ["run", "--frozen"]  # exactly the locked versions


def test_the_lock_is_the_projects() -> None:
    """uv.lock (what the bundle installs, `uv run --frozen`) locks the dependencies pyproject.toml declares: after a
    change to them, `uv lock` must be run again."""
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    (root,) = [p for p in lock["package"] if p["name"] == project()["name"]]
    locked = {(r["name"], r.get("specifier", ""), r.get("marker", "")) for r in root["metadata"]["requires-dist"]}
    declared = {(r.name, str(r.specifier), "") for r in map(Requirement, project()["dependencies"])}
    for extra in ("test",):
        declared |= {
            (r.name, str(r.specifier), f"extra == '{extra}'")
            for r in map(Requirement, project()["optional-dependencies"][extra])
        }
    canonical = {(name, ",".join(sorted(spec.split(","))), marker) for name, spec, marker in locked}
    assert {(n, ",".join(sorted(s.split(","))), m) for n, s, m in declared} <= canonical
    assert {entry for entry in canonical if not entry[2]} == {
        (n, ",".join(sorted(s.split(","))), m) for n, s, m in declared if not m
    }


# -- the release workflow ---------------------------------------------------------------------------------------------


def test_the_release_workflow_is_valid() -> None:
    """Checked against SchemaStore's GitHub workflow schema, which check-jsonschema carries (no network)."""
    done = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_tag_tests_builds_and_publishes_with_trusted_publishing() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert workflow[True] == {"push": {"tags": ["v*"]}}  # YAML 1.1 reads the key `on` as true
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert [jobs["build"]["needs"], jobs["publish"]["needs"]] == ["test", "build"]
    steps = lambda job: [s.get("run", "") + s.get("uses", "") for s in jobs[job]["steps"]]  # noqa: E731
    assert "bash .ci/run" in steps("test")  # the README's test command, as CI runs it
    assert any("python3 -m build" in s for s in steps("build"))
    assert any(".ci/run" in s and "sdist" in s for s in steps("build"))
    # Only the publishing job may ask for an identity token, and it holds no secret.
    assert jobs["publish"]["permissions"] == {"id-token": "write"}
    assert all("permissions" not in job for name, job in jobs.items() if name != "publish")
    assert steps("publish")[-1] == "pypa/gh-action-pypi-publish@release/v1"
    assert "secrets." not in WORKFLOW.read_text(encoding="utf-8")
    # The tag must name the version the package says it is.
    assert re.search(r'__version__ = "\d+\.\d+\.\d+"', (ROOT / "gitcode_mcp" / "__init__.py").read_text())
