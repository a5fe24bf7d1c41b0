"""The seeded pull requests' surroundings: bob's fork of alice/demo and a reply in PR 2's discussion."""

from __future__ import annotations

from gitcode_mcp.sandbox.state import Comment, Repo, World


def seed(world: World) -> None:
    """A fork of alice/demo owned by bob, with a branch to open a cross-repository PR from; and a reply in the
    seeded discussion of PR 2, nested as live answers nest replies. Fixed ids: the shared counter is left alone,
    so the other areas' ids do not move."""
    demo = world.repo("alice", "demo")
    if demo is None:
        return
    if world.repo("bob", "demo") is None:
        main = dict(demo.branches[demo.default_branch])
        fix = {**main, "README.md": b"# demo\n\nA repository to try gitcode-mcp on, from a fork.\n"}
        fork = Repo(8_300_001, world.users["bob"], "demo", branches={"main": main, "fix-readme": fix}, parent=demo)
        world.repos[fork.full_name] = fork
    if 2 in demo.pulls and demo.pulls[2].comments and not demo.pulls[2].comments[0].replies:
        root = demo.pulls[2].comments[0]
        root.replies.append(
            Comment(
                8_300_002,
                root.discussion_id,
                world.users["alice"],
                "Yes: the docs use it.",
                "2026-11-21T11:30:00+08:00",
            )
        )
