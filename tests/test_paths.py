"""api_path: no argument can add a segment, climb out of its endpoint or reach another host."""

from __future__ import annotations

import httpx2
import pytest

from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import api_path, route_pattern

LABEL = "repos/{owner}/{repo}/labels/{name}"


@pytest.mark.parametrize(
    ("template", "values", "expected"),
    [
        (LABEL, {"owner": "alice", "repo": "demo", "name": "users/x"}, "repos/alice/demo/labels/users%2Fx"),
        (
            "repos/{owner}/{repo}/branches/{branch}",
            {"owner": "a", "repo": "b", "branch": "feature/x y"},
            "repos/a/b/branches/feature%2Fx%20y",
        ),
        (LABEL, {"owner": "a", "repo": "b", "name": "bug?x=1#y"}, "repos/a/b/labels/bug%3Fx%3D1%23y"),
        (LABEL, {"owner": "a", "repo": "b", "name": "..."}, "repos/a/b/labels/..."),
        (
            "repos/{owner}/{repo}/contents/{path}",
            {"owner": "a", "repo": "b", "path": "docs//a b/c?.md"},
            "repos/a/b/contents/docs/a%20b/c%3F.md",
        ),
        (
            "repos/{owner}/{repo}/pulls/{number}",
            {"owner": "a.b", "repo": "c-d_e", "number": 7},
            "repos/a.b/c-d_e/pulls/7",
        ),
    ],
)
def test_values_are_encoded_by_kind(template: str, values: dict, expected: str) -> None:
    assert api_path(template, **values) == expected


def test_an_encoded_value_stays_in_its_endpoint_on_the_wire() -> None:
    path = api_path(LABEL, owner="alice", repo="demo", name="users/x?y=1#z")
    url = httpx2.URL("https://api.gitcode.com/api/v5/").join(path)
    assert url.host == "api.gitcode.com" and url.raw_path.startswith(b"/api/v5/repos/alice/demo/labels/")


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"owner": "..", "repo": "b", "name": "x"}, "owner"),
        ({"owner": "a/b", "repo": "b", "name": "x"}, "owner"),
        ({"owner": "a", "repo": "b?c", "name": "x"}, "repo"),
        ({"owner": "a", "repo": "b", "name": ".."}, "name"),
        ({"owner": "a", "repo": "b", "name": "."}, "name"),
        # a value that climbs once a proxy decodes it, though it is sent encoded
        ({"owner": "a", "repo": "b", "name": "../../../../users/x"}, "name"),
        ({"owner": "a", "repo": "b", "name": "..%2F..%2Fusers"}, "name"),
        ({"owner": "a", "repo": "b", "name": "%2e%2e"}, "name"),
        ({"owner": "a", "repo": "b", "name": "%252E%252E%252Fx"}, "name"),
        ({"owner": "a", "repo": "b", "name": "x\\..\\y"}, "name"),
        ({"owner": "a", "repo": "b", "name": "\u200b\u200b"}, "name"),
        ({"owner": "a", "repo": "b", "name": ""}, "name"),
        ({"owner": "a", "repo": "b", "name": "  "}, "name"),
        ({"owner": "a", "repo": "b", "name": "x" * 256}, "name"),
        ({"owner": "a", "repo": "b", "name": None}, "name"),
        ({"owner": "a", "repo": "b", "name": True}, "name"),
    ],
)
def test_unsafe_values_are_refused_naming_the_argument(values: dict, named: str) -> None:
    with pytest.raises(InvalidArgument, match=f"Invalid argument `{named}`"):
        api_path(LABEL, **values)


@pytest.mark.parametrize("number", [0, -1, True, "1", 2**31])
def test_integers_must_be_positive_integers(number: object) -> None:
    with pytest.raises(InvalidArgument, match="`number`"):
        api_path("repos/{owner}/{repo}/pulls/{number}", owner="a", repo="b", number=number)


def test_a_template_gets_exactly_its_values() -> None:
    with pytest.raises(TypeError):
        api_path(LABEL, owner="a", repo="b")
    with pytest.raises(TypeError):
        api_path(LABEL, owner="a", repo="b", name="x", extra="y")


def test_routes_match_what_api_path_builds() -> None:
    pattern = route_pattern("repos/{owner}/{repo}/pulls/{number}/files")
    assert pattern.match(api_path("repos/{owner}/{repo}/pulls/{number}/files", owner="a", repo="b", number=3))
    assert not pattern.match("repos/a/b/pulls/x/files")  # a non-numeric number reaches no route: 404
    label = route_pattern(LABEL).match(api_path(LABEL, owner="a", repo="b", name="x/y"))
    assert label and label["name"] == "x%2Fy"
