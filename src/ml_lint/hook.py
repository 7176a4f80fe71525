"""Running under pre-commit: which of its batches runs the repository-level rules.

pre-commit splits the file names it passes into batches (in parallel unless
`require_serial`, and always when the argument list is too long) and runs the
hook once per batch. Per-file rules look at their own batch; repository-level
rules must run in exactly one batch, or each violation is reported twice.

Every batch can work out the set pre-commit split, because pre-commit takes it
from git: the files changed between PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF,
else the staged files, else (`--all-files`) every tracked file — keeping only
those on disk that are files or symlinks (the hook's `types_or`). The
"anchor" is the smallest path of that set; only the batch holding it runs the
repository-level rules. A batch with no files is the only batch.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from pathlib import Path

from ml_lint.projects import Layout
from ml_lint.repo.comparison import Comparison
from ml_lint.repo.repository import Repository


def runs_repo_rules(repo: Repository, targets: frozenset[str], comparison: Comparison) -> bool:
    if not targets:
        return True
    for passed in _sets_pre_commit_passes(repo, comparison):
        if targets <= passed:
            anchor = next((p for p in sorted(passed) if _passable(repo.root / p)), None)
            return anchor is None or anchor in targets
    return True  # not a set pre-commit derives from git (`pre-commit run --files`): nothing to share


def projects_running_repo_rules(
    repo: Repository, targets: frozenset[str], comparison: Comparison, layout: Layout
) -> set[str]:
    """The projects whose repository-level rules this batch runs.

    Each project has its own anchor: the smallest path of the set pre-commit
    split that the project owns. A project that owns none of it (a commit that
    only deletes its files) goes with the repository's anchor.
    """
    projects = set(layout.projects)
    if layout.single:
        return projects if runs_repo_rules(repo, targets, comparison) else set()
    if not targets:
        return projects
    for passed in _sets_pre_commit_passes(repo, comparison):
        if targets <= passed:
            anchors: dict[str | None, str] = {}
            first: str | None = None
            for path in sorted(passed):
                owner = layout.owner(path)
                if (owner not in anchors or first is None) and _passable(repo.root / path):
                    anchors.setdefault(owner, path)
                    first = first or path
                    if len(anchors) > len(projects):
                        break
            shared = first is None or first in targets
            return {p for p in projects if (anchors[p] in targets if p in anchors else shared)}
    return projects


def _sets_pre_commit_passes(repo: Repository, comparison: Comparison) -> Iterator[AbstractSet[str]]:
    """The candidate sets, from the narrowest: a batch belongs to the first that holds it."""
    if comparison.mode == "base":
        yield {c.current_path for c in repo.changes(comparison)}
    staged = Comparison("staged")
    yield {c.current_path for c in repo.changes(staged) if c.status != "D"}
    yield repo.file_set - repo.untracked


def _passable(path: Path) -> bool:
    """What pre-commit passes with `types_or: [file, symlink]`: not a folder, not a socket."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISDIR(mode) and not stat.S_ISSOCK(mode)
