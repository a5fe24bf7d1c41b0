"""Every GitCode path template is named once, in gitcode_mcp/endpoints.py; the simulator routes each one, and each
(method, template) once; every route answers the paths it names (none is shadowed by another); and a tool's examples
reach every endpoint."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

from gitcode_mcp import endpoints
from gitcode_mcp.endpoints import ACTION_ARTIFACT_ARCHIVE, ACTION_ARTIFACT_ZIP, all_templates
from gitcode_mcp.paths import FILE_PATH_PARAMS, INT_PARAMS, placeholders
from gitcode_mcp.registry import all_tools
from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.core import ROUTES, find_route

PACKAGE = Path(endpoints.__file__).parent
# AtomGit's template for an artifact's download, `…/{archive_format}`, is the GitCode CLI's `…/zip` with the one format
# either client names: the tools send the CLI's, the simulator answers both (and refuses any other format).
SAME_ENDPOINT = {ACTION_ARTIFACT_ARCHIVE: ACTION_ARTIFACT_ZIP}

Sandbox()  # the simulator's areas register their routes when it is first made


def sample_path(template: str) -> str:
    """A path the template names, each placeholder filled with a value of its kind."""
    values = {
        n: "7" if n in INT_PARAMS else "a/b.txt" if n in FILE_PATH_PARAMS else f"x{n}" for n in placeholders(template)
    }
    return template.format(**values)


def test_each_template_is_named_once() -> None:
    templates = all_templates()
    assert templates and len(set(templates.values())) == len(templates)
    # One path, one set of placeholder names: what api_path checks follows the name.
    shapes = Counter(re.sub(r"\{[^}]+\}", "{}", t) for t in templates.values())
    assert [s for s, n in shapes.items() if n > 1] == []


def test_no_module_but_endpoints_writes_a_template() -> None:
    """A string equal to a template anywhere else in the package is a template written twice (those of one word,
    `user` or `orgs`, are words too)."""
    templates = {t for t in all_templates().values() if "/" in t}
    found = []
    for source in PACKAGE.rglob("*.py"):
        if source.name == "endpoints.py":
            continue
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Constant) and node.value in templates:
                found.append(f"{source.relative_to(PACKAGE)}:{node.lineno} {node.value}")
    assert found == []


def test_the_simulator_routes_every_endpoint_and_each_method_once() -> None:
    templates = set(all_templates().values())
    assert {r.template for r in ROUTES} == templates
    twice = [key for key, n in Counter((r.method, r.template) for r in ROUTES).items() if n > 1]
    assert twice == []


def test_every_route_answers_its_own_paths() -> None:
    """Where two routes match one path (a literal segment where the other has a placeholder), the one with more fixed
    text answers; no route is ever shadowed, and no two tie."""
    for r in ROUTES:
        path = sample_path(r.template)
        found = find_route(r.method, path)
        assert found is not None and found[0] is r, (r.method, r.template, found and found[0].template)
        rivals = [o for o in ROUTES if o is not r and o.method == r.method and o.pattern.match(path)]
        assert all(o.literal < r.literal for o in rivals), (r.template, [o.template for o in rivals])


def test_every_endpoint_is_reached_by_a_tools_examples() -> None:
    sent = {send.split(" ", 1)[1] for tool in all_tools() for example in tool.examples for send in example.sends}
    assert sent <= set(all_templates().values())
    missing = [name for name, t in all_templates().items() if SAME_ENDPOINT.get(t, t) not in sent]
    assert missing == []


def test_each_route_is_answered_in_the_area_of_a_toolset_that_reaches_it() -> None:
    """The simulator's areas mirror the toolsets: sandbox/areas/<toolset>(.py or /) answers what that toolset's tools
    send, so a tool and its simulator route are found under the same name."""
    toolsets: dict[str, set[str]] = {}
    for tool in all_tools():
        for example in tool.examples:
            for send in example.sends:
                toolsets.setdefault(send, set()).add(tool.toolset)
    elsewhere = []
    for r in ROUTES:
        area = r.handler.__module__.removeprefix("gitcode_mcp.sandbox.areas.").split(".")[0]
        reached_by = toolsets.get(f"{r.method} {r.template}")
        if reached_by and area not in reached_by:
            elsewhere.append((r.method, r.template, area, sorted(reached_by)))
    assert elsewhere == []
