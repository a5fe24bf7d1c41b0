"""Tasks on issues, labels and pull request triage."""

from __future__ import annotations

from typing import Any

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.areas.pulls.render import merge_rules
from tests.tasks import Agent, Task, kettle

SEEDED_LABELS = {
    1: ["enhancement"],
    2: ["bug"],
    4: ["documentation"],
    5: ["Bug"],
    6: ["defect"],
    7: ["enhancement"],
    8: ["wontfix"],
}


async def label_crashes(agent: Agent) -> None:
    found = await agent.json("list_issues", text="crash")
    for issue in found["items"]:
        if "bug" not in issue.get("labels", []):
            await agent.json("update_issue", number=issue["number"], labels=[*issue.get("labels", []), "bug"])


def labelled_crashes(sandbox: Sandbox, _: Any) -> None:
    issues = kettle(sandbox).issues
    assert {n for n, i in issues.items() if "bug" in i.labels and i.state == "open"} == {3, 9}
    assert {n: i.labels for n, i in issues.items() if n not in (3, 9) and i.labels} == SEEDED_LABELS


async def ask_for_steps(agent: Agent) -> None:
    listed = await agent.json("list_issues", bodies=True)
    for issue in listed["items"]:
        if not issue.get("body"):
            await agent.json(
                "create_issue_comment",
                number=issue["number"],
                body="Thanks for the report! What are the steps to reproduce it, and which kettle version is it?",
            )


def asked_for_steps(sandbox: Sandbox, _: Any) -> None:
    commented = {n: [c.body for c in i.comments] for n, i in kettle(sandbox).issues.items() if i.comments}
    assert set(commented) == {3, 9} and "steps to reproduce" in commented[9][-1]


async def assign_memory_issue(agent: Agent) -> list[int]:
    found = await agent.json("list_issues", text="memory")
    for issue in found["items"]:
        await agent.json("update_issue", number=issue["number"], assignees=["bob"])
    return [issue["number"] for issue in found["items"]]


def assigned_memory_issue(sandbox: Sandbox, answer: Any) -> None:
    assert answer == [5]
    assert {n for n, i in kettle(sandbox).issues.items() if [a.login for a in i.assignees] == ["bob"]} == {5}


async def fold_labels(agent: Agent) -> None:
    pulls = (await agent.json("list_pull_requests", state="all", per_page=100))["items"]
    for old in ("Bug", "defect"):
        issues = (await agent.json("list_issues", state="all", labels=[old], per_page=100))["items"]
        for item in issues + [pr for pr in pulls if old in pr.get("labels", [])]:
            labels = list(dict.fromkeys("bug" if name == old else name for name in item["labels"]))
            if item in issues:
                await agent.json("update_issue", number=item["number"], labels=labels)
            else:
                await agent.json("set_pull_request_labels", number=item["number"], action="replace", labels=labels)
        await agent.json("delete_label", name=old)


def folded_labels(sandbox: Sandbox, _: Any) -> None:
    repo = kettle(sandbox)
    assert not {"Bug", "defect"} & repo.labels
    assert repo.issues[5].labels == ["bug"] and repo.issues[6].labels == ["bug"]


async def delete_unused_labels(agent: Agent) -> list[str]:
    labels = {label["name"] for label in await agent.json("list_labels")}
    used: set[str] = set()
    for listing in ("list_issues", "list_pull_requests"):
        page = 1
        while True:
            listed = await agent.json(listing, state="all", per_page=100, page=page)
            used |= {name for item in listed["items"] for name in item.get("labels", [])}
            if not listed["has_more"]:
                break
            page += 1
    unused = sorted(labels - used)
    for name in unused:
        await agent.json("delete_label", name=name)
    return unused


def deleted_unused_labels(sandbox: Sandbox, answer: Any) -> None:
    assert answer == ["stale"]
    assert kettle(sandbox).labels == {"bug", "Bug", "defect", "enhancement", "documentation", "wontfix"}


async def close_wontfix(agent: Agent) -> None:
    listed = await agent.json("list_issues", labels=["wontfix"])
    for issue in listed["items"]:
        await agent.json(
            "create_issue_comment", number=issue["number"], body="Closing: this is out of scope for kettle (wontfix)."
        )
        await agent.json("update_issue", number=issue["number"], state="closed")


def closed_wontfix(sandbox: Sandbox, _: Any) -> None:
    issue = kettle(sandbox).issues[8]
    assert issue.state == "closed" and "wontfix" in issue.comments[-1].body
    assert [n for n, i in kettle(sandbox).issues.items() if i.state == "closed"] == [1, 2, 8]


async def blocked_pull_requests(agent: Agent) -> dict[int, list[str]]:
    listed = await agent.json("list_pull_requests")
    blocked = {}
    for item in listed["items"]:
        pr = await agent.json("get_pull_request", number=item["number"])
        if pr.get("mergeable") is False:
            blocked[pr["number"]] = sorted(pr.get("merge_blockers", {}))
    return blocked


def found_blocked_pull_requests(sandbox: Sandbox, answer: Any) -> None:
    repo = kettle(sandbox)
    alice = sandbox.world.users["alice"]
    truth = {
        n: sorted(
            rule.removesuffix("_passed") for rule, ok in merge_rules(sandbox.world, repo, pr, alice).items() if not ok
        )
        for n, pr in repo.pulls.items()
        if pr.state == "open" and not all(merge_rules(sandbox.world, repo, pr, alice).values())
    }
    assert answer == truth == {4: ["conflict"], 5: ["work_in_progress"]}


async def breaking_changes(agent: Agent) -> list[int]:
    found = await agent.json("list_pull_requests", state="all", text="breaking change")
    return [pr["number"] for pr in found["items"]]


def found_breaking_changes(sandbox: Sandbox, answer: Any) -> None:
    assert answer == [n for n, pr in kettle(sandbox).pulls.items() if "breaking change" in pr.body.lower()] == [5]


TASKS = [
    Task(
        "label-crash-reports",
        "triage",
        "Label every open issue that mentions a crash as bug.",
        label_crashes,
        labelled_crashes,
    ),
    Task(
        "ask-for-steps",
        "triage",
        "Ask the reporters of open issues that came without a description for the steps to reproduce.",
        ask_for_steps,
        asked_for_steps,
    ),
    Task(
        "assign-memory-issue",
        "triage",
        "Somebody reported memory trouble; find that issue and assign it to bob.",
        assign_memory_issue,
        assigned_memory_issue,
    ),
    Task(
        "close-wontfix",
        "triage",
        "Close the open issues labelled wontfix, saying why.",
        close_wontfix,
        closed_wontfix,
    ),
    Task(
        "fold-duplicate-labels",
        "label clean-up",
        "Fold the labels 'Bug' and 'defect' into 'bug': move their issues and pull requests over, then delete them.",
        fold_labels,
        folded_labels,
    ),
    Task(
        "delete-unused-labels",
        "label clean-up",
        "Delete the labels that no issue or pull request uses.",
        delete_unused_labels,
        deleted_unused_labels,
    ),
    Task(
        "blocked-pull-requests",
        "triage",
        "Which open pull requests cannot be merged right now, and why?",
        blocked_pull_requests,
        found_blocked_pull_requests,
    ),
    Task(
        "breaking-changes",
        "search",
        "Which pull requests announce a breaking change?",
        breaking_changes,
        found_breaking_changes,
    ),
]
