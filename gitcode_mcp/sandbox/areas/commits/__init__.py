"""Commits, from the repository's history (Repo.log): lists newest first with the documented filters, one commit with
its changed files and stats (`show_diff`), its diff and patch as text, comparisons `base...head`, comments on commits,
and code contribution per branch.

Shapes follow the GitCode reference pages of these operations (docs.gitcode.com, "Commit"): list items and the
single commit with `commit.author`/`committer`, `parents`, `stats` and, only with `show_diff=true`, `files` as names
and URLs; the diff and patch endpoints answer text, not JSON; a comment's create answer carries a string `id`,
while lists and reads carry the integer one.
"""
