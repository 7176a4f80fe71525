"""Git history questions: what changed since a base, who changed which file.

Every answer comes from one git call (plus cheap ref look-ups), read with -z
so that any file name works. The Repository exposes these; checks never call
them directly.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import NamedTuple

from ml_lint.errors import UsageError
from ml_lint.repo.comparison import Comparison
from ml_lint.repo.git import GitError, run_git, split_z, start_git

FETCH_HINT = (
    "fetch the history first, e.g. `git fetch --unshallow origin`, or in GitHub Actions "
    "actions/checkout with `fetch-depth: 0`"
)


class Change(NamedTuple):
    """One entry of `git diff --name-status`: A, C, D, M, R, T or U."""

    status: str
    path: str  # the path in the base (for A: the new path)
    new_path: str | None = None  # R and C only
    base: str | None = None  # the commit compared with, for a base comparison (the merge base)

    @property
    def current_path(self) -> str:
        return self.new_path or self.path


@contextmanager
def scratch_index(root: Path) -> Iterator[str]:
    """A throw-away copy of the index, outside the repository.

    `git diff` against the working tree refreshes the index's stat data and
    writes it back, GIT_OPTIONAL_LOCKS=0 or not; ml-lint never writes to .git.
    """
    index = Path(root, run_git(["rev-parse", "--git-path", "index"], root).decode().strip())
    with tempfile.TemporaryDirectory(prefix="ml-lint-") as folder:
        copy = os.path.join(folder, "index")
        try:
            # copy2 keeps the mtime: git trusts a cached stat only when the file is
            # older than the index, and a fresh mtime would make racy edits look clean.
            shutil.copy2(index, copy)
        except FileNotFoundError:
            pass  # no index yet: git reads the missing copy as an empty index, as it would the original
        yield copy


def commit_of(root: Path, ref: str) -> str | None:
    """The commit `ref` names, or None (unknown ref, or HEAD on an unborn branch)."""
    try:
        out = run_git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], root)
    except GitError:
        return None
    return out.decode().strip() or None


def is_shallow(root: Path) -> bool:
    return run_git(["rev-parse", "--is-shallow-repository"], root).decode().strip() == "true"


def start_changes(root: Path, comparison: Comparison) -> Callable[[], list[Change]]:
    """What `comparison` says changed, from one `git diff -z --name-status -M`.

    The diff starts in the background; call the result for its changes.

    Only the staged and working-tree diffs run ahead: the base comparison
    resolves refs first, and its errors must surface when the changes are asked for.
    """
    diff = ["diff", "-z", "--name-status", "-M", "--no-ext-diff", "--ignore-submodules"]
    if comparison.mode == "staged":
        # Without a commit git compares the index with HEAD, or with nothing on an unborn branch.
        staged = start_git([*diff, "--cached"], root)
        return lambda: _parse(staged.output())
    if comparison.mode == "worktree":
        if commit_of(root, "HEAD") is None:
            return list  # first commit: nothing existed before, so nothing was modified
        scratch = ExitStack()
        index = scratch.enter_context(scratch_index(root))
        worktree = start_git([*diff, "HEAD"], root, env={"GIT_INDEX_FILE": index})

        def collect() -> list[Change]:
            with scratch:  # the index copy lives until git is done with it
                return _parse(worktree.output())

        return collect
    return lambda: _changes_since_base(root, comparison, diff)


def _changes_since_base(root: Path, comparison: Comparison, diff: list[str]) -> list[Change]:
    base, head = _base_and_head(root, comparison)
    if head is None:
        return []
    return [change._replace(base=base) for change in _parse(run_git([*diff, base, head], root))]


def _base_and_head(root: Path, comparison: Comparison) -> tuple[str, str | None]:
    """(merge-base commit, head commit); head None on an unborn HEAD."""
    base = commit_of(root, comparison.base or "")
    if base is None:
        raise UsageError(_not_found(root, comparison.source, comparison.base or ""))
    head = commit_of(root, comparison.head)
    if head is None:
        if comparison.head == "HEAD":
            return base, None
        raise UsageError(_not_found(root, "PRE_COMMIT_TO_REF", comparison.head))
    try:
        merge_base = run_git(["merge-base", base, head], root).decode().strip()
    except GitError:
        merge_base = ""
    if not merge_base:
        why = "this is a shallow clone: " + FETCH_HINT if is_shallow(root) else "they share no history"
        raise UsageError(f"cannot compare with {comparison.base}: no common ancestor with {comparison.head} ({why}).")
    return merge_base, head


def _not_found(root: Path, source: str, ref: str) -> str:
    if is_shallow(root):
        todo = f"this is a shallow clone: {FETCH_HINT}"
    else:
        todo = "check the name, or fetch it (e.g. `git fetch origin main`)"
    return f"{source} '{ref}' is not a commit in this repository: {todo}."


def _parse(output: bytes) -> list[Change]:
    items = [os.fsdecode(item) for item in output.split(b"\0")]
    found: list[Change] = []
    i = 0
    while i < len(items) and items[i]:
        status = items[i][:1]
        if status in "RC":  # R100 old new
            found.append(Change(status, items[i + 1], items[i + 2]))
            i += 3
        else:
            found.append(Change(status, items[i + 1]))
            i += 2
    return found


def start_undelivered(root: Path, paths: tuple[str, ...]) -> Callable[[], frozenset[str]]:
    """Which of `paths` have a HEAD version that was never pushed (contract §4).

    A file is delivered once its HEAD version is reachable from a remote-tracking
    branch: the paths some commit of HEAD that no remote-tracking branch holds
    touched are not. With no remote-tracking branch at all, HEAD counts as delivered.
    Asked only about protected files that changed, so the common hook run pays nothing.
    """

    def collect() -> frozenset[str]:
        if not paths or not run_git(["for-each-ref", "--count=1", "--format=x", "refs/remotes/"], root).strip():
            return frozenset()
        log = [
            "--literal-pathspecs",
            "log",
            "-z",
            "--no-renames",
            "--format=",
            "--name-only",
            "HEAD",
            "--not",
            "--remotes",
            "--",
        ]
        return frozenset(split_z(run_git([*log, *paths], root))) & frozenset(paths)

    return collect


def start_authors(root: Path, folders: tuple[str, ...]) -> Callable[[], dict[str, set[str]]]:
    """File path -> the emails of everyone who committed a change to it, from one `git log`.

    The log starts in the background; call the result for the answer.
    """
    pathspecs = [f for f in folders if f] or ["."]
    log = start_git(
        ["--literal-pathspecs", "log", "-z", "--no-renames", "--format=%x00<%aE>", "--name-only", "--", *pathspecs],
        root,
    )

    def collect(of: Collection[str] | None = None) -> dict[str, set[str]]:
        try:
            out = log.output()
        except GitError:
            if commit_of(root, "HEAD") is None:
                return {}  # no commit yet: no history
            raise
        return _parse_log(out, of)

    return collect


def _parse_log(output: bytes, of: Collection[str] | None = None) -> dict[str, set[str]]:
    """File -> authors, for every file of the log or only those `of`."""
    # Each commit is "\0<EMAIL>\0\nNAME\0NAME\0...": an empty item comes before
    # every header (never empty, even for an empty email), and a newline
    # separates the header from the first name. One decode of the whole log:
    # a name per item costs a second a million files.
    found: dict[str, set[str]] = {}
    author, first = "", False
    after_gap = True
    for item in output.decode("utf-8", "surrogateescape").split("\0"):
        if not item:
            after_gap = True
            continue
        if after_gap:
            author, first, after_gap = item[1:-1].lower(), True, False
            continue
        if first:
            item, first = item[1:], False  # the newline after the header
        if of is not None and item not in of:
            continue
        authors = found.get(item)
        if authors is None:
            found[item] = {author}
        else:
            authors.add(author)
    return found
