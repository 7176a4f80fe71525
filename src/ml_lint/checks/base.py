"""What every check kind shares: the run context and helpers to find files."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from ml_lint.comparison import Comparison
from ml_lint.pathmatch import path_matcher
from ml_lint.patterns import NamePattern, Placeholder
from ml_lint.repo import Repository

if TYPE_CHECKING:
    from ml_lint.notebook import Cell


class CheckSkipped(Exception):
    """A check cannot run here (e.g. no git history); the message says why, as a note."""


@dataclass
class Context:
    """What a check may look at during one run. Checks never run git themselves."""

    repo: Repository
    placeholders: dict[str, Placeholder]
    # Files named on the command line (as pre-commit passes them); None means
    # the whole repository. Per-file checks look only at these.
    targets: frozenset[str] | None = None
    # What "changed" means in this run (see ml_lint.comparison).
    comparison: Comparison = Comparison()
    notes: list[str] = field(default_factory=list)
    # Paths the spec says must never change once committed: --fix never writes them.
    protected_paths: tuple[str, ...] = ()
    # Rules each notebook opts out of (its metadata), filled by the notebook pass.
    optouts: dict[str, list[str]] = field(default_factory=dict)
    _matches: dict[tuple, list[str]] = field(default_factory=dict)

    def candidates(self, folder: str = "") -> list[str]:
        """Files below `folder` that per-file checks should look at."""
        files = self.repo.files_under(folder)
        if self.targets is None:
            return files
        if len(self.targets) < len(files):  # a hook run: look up the few targets, not every file
            prefix = folder.rstrip("/") + "/" if folder else ""
            return sorted(t for t in self.targets if t.startswith(prefix) and t in self.repo.file_set)
        return [f for f in files if f in self.targets]

    def targeted(self, path: str) -> bool:
        """Whether `path` (a file, or a folder ending in '/') concerns this run's targets.

        A folder target ("data/raw/", from a folder PATH) covers everything under
        it, files only on disk included. Set look-ups only: the cost grows with
        the number of targets, never with targets x entries.
        """
        if self.targets is None or path in self.targets:
            return True
        if path.endswith("/") and path in self._target_folders:
            return True  # a folder holding a target
        if not self._folder_targets:
            return False
        parts = path.rstrip("/").split("/")
        return any("/".join(parts[:depth]) + "/" in self.targets for depth in range(1, len(parts)))

    @cached_property
    def _folder_targets(self) -> bool:
        """Whether a folder was given as a PATH (never in a hook run)."""
        return any(t.endswith("/") for t in self.targets or ())

    @cached_property
    def _target_folders(self) -> frozenset[str]:
        """Every folder ('a/', 'a/b/') that holds a target, built once."""
        folders: set[str] = set()
        for target in self.targets or ():
            parts = target.rstrip("/").split("/")
            folders.update("/".join(parts[:depth]) + "/" for depth in range(1, len(parts)))
        return frozenset(folders)

    def protected(self, path: str) -> bool:
        return bool(self.protected_paths) and path_matcher(self.protected_paths)(path)

    def pattern(self, template: str) -> NamePattern:
        return _compile(template, tuple(sorted(self.placeholders.items())))


def matching_files(ctx: Context, patterns: list[str], *, ignore_case: bool = False) -> list[str]:
    """Candidate files matching gitignore-style `patterns` (a leading `!` excludes)."""
    key = (tuple(patterns), ignore_case)
    if key not in ctx._matches:
        matches = path_matcher(*key)
        # Only look below the folders the patterns are anchored in: on a big
        # repo that is a small slice of the sorted file list.
        prefixes = {literal_prefix(p) for p in patterns if not p.startswith("!")}
        ctx._matches[key] = [
            path
            for prefix in sorted({""} if "" in prefixes else prefixes)
            for path in matches.select(ctx.candidates(prefix))
        ]
    return ctx._matches[key]


def is_blank(cell: Cell) -> bool:
    return not cell.source.strip()


@lru_cache(maxsize=256)
def _compile(template: str, placeholders: tuple) -> NamePattern:
    return NamePattern.compile(template, dict(placeholders))


def literal_prefix(pattern: str) -> str:
    """The folder a gitignore-style pattern is anchored in ('' if it can match anywhere)."""
    pattern = pattern.lstrip("/")
    head = pattern.split("/")
    folder = []
    for part in head[:-1]:
        if any(c in part for c in "*?[\\!"):
            break
        folder.append(part)
    return "/".join(folder) if len(head) > 1 else ""
