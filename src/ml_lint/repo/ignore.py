"""The repository's own .gitignore files, evaluated the way git does.

Used to walk a folder that is not a git repository, and by rules that ask
whether the *shared* ignore rules (not a developer's global excludes) cover a
path.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ml_lint.repo.fs import read_file

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec


class IgnoreRules:
    def __init__(self, root: Path, read_tracked: Callable[[str], bytes | None] | None = None):
        self.root = root
        # Reads a tracked .gitignore that is not on disk (sparse checkout); None outside git.
        self._read_tracked = read_tracked
        self._specs: dict[str, GitIgnoreSpec | None] = {}
        self._folders: dict[str, bool] = {}  # folder -> matched

    def _spec(self, folder: str) -> GitIgnoreSpec | None:
        if folder not in self._specs:
            path = self.root / folder / ".gitignore"
            try:
                # Like git (2.32+), never through a symlink.
                data: bytes | None = read_file(path)
            except FileNotFoundError:
                data = self._read_tracked(posixpath.join(folder, ".gitignore")) if self._read_tracked else None
            except OSError:
                data = None
            if data is None:
                self._specs[folder] = None
            else:
                self._specs[folder] = _compile(tuple(data.decode("utf-8", "replace").splitlines()))
        return self._specs[folder]

    def with_root_text(self, text: bytes) -> IgnoreRules:
        """These rules as they would be with `text` as the root .gitignore (nothing is written)."""
        rules = IgnoreRules(self.root, self._read_tracked)
        rules._specs[""] = _compile(tuple(text.decode("utf-8", "replace").splitlines()))
        return rules

    def ignored(self, path: str, is_dir: bool = False) -> bool:
        """Whether `path` (repo-relative, POSIX) is ignored, or inside an ignored folder."""
        parts = path.split("/")
        for depth in range(1, len(parts)):
            if self.matched("/".join(parts[:depth]), True):
                return True  # git never looks inside an ignored folder
        return self.matched(path, is_dir)

    def matched(self, path: str, is_dir: bool) -> bool:
        if not is_dir:
            return self._match(path, is_dir)
        # A folder is asked about again for every path below it: answered once.
        if path not in self._folders:
            self._folders[path] = self._match(path, True)
        return self._folders[path]

    def _match(self, path: str, is_dir: bool) -> bool:
        # Deeper .gitignore files override shallower ones; within a file the
        # last matching pattern wins (pathspec handles that part).
        decision = False
        folder = ""
        for part in [""] + path.split("/")[:-1]:
            folder = posixpath.join(folder, part) if part else folder
            spec = self._spec(folder)
            if spec is None:
                continue
            relative = path[len(folder) + 1 :] if folder else path
            result = spec.check_file(relative + "/" if is_dir else relative)
            if result.include is not None:
                decision = result.include
        return decision


@lru_cache(maxsize=256)  # the projects of a monorepo often share one .gitignore: compiled once (~3 ms each)
def _compile(lines: tuple[str, ...]) -> GitIgnoreSpec:
    """The patterns of one .gitignore; a line git cannot use (`[z-a]`) is skipped, as git does."""
    from pathspec import GitIgnoreSpec  # its import costs 20 ms: only when asked

    try:
        return GitIgnoreSpec.from_lines(lines)
    except Exception:  # pathspec raises several types for a bad pattern: find the lines one by one
        usable = []
        for line in lines:
            try:
                GitIgnoreSpec.from_lines([line])
            except Exception:
                continue
            usable.append(line)
        return GitIgnoreSpec.from_lines(usable)
