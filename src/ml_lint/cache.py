"""ml-lint's cache: per-notebook findings, so an unchanged notebook is never
re-read, and the validated rule set (ml_lint.ruleset.load).

Notebook entries are keyed by path and the file's stat stamp (size, mtime, ctime, inode)
and the whole file is tied to a fingerprint of ml-lint's version and the checks'
configuration: change either and the cache starts empty. It lives in
`.ml-lint-cache/` at the repo root, which ignores itself for git. Writes are
atomic, so parallel hook processes (pre-commit runs several) never see a torn
file; the last writer wins, which costs at most some re-reads.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ml_lint.repo.fs import atomic_write, read_file

CACHE_DIR = ".ml-lint-cache"
CACHE_FILE = "notebooks-v2.json"  # v2: findings carry their fingerprint key


def stamp(path: Path | str) -> list[int] | None:
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    # ctime changes on every write and cannot be set back, unlike mtime.
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def source_stamp(path: Path | str) -> list[int] | None:
    """The stamp of a config or spec file: of the link itself and of what it points to.

    Configs are read through symlinks (`.ml-lint.yaml -> configs/ml-lint.yaml`),
    so editing the target must make a cached rule set stale, as must re-pointing the link.
    """
    own = stamp(path)
    if own is None:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return own + [-1, -1, -1, -1]  # a dangling link
    return own + [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def entry_size(root: Path, name: str) -> int:
    """The size of the cache entry `name` (0 when there is none): reading it costs about as much as its size."""
    try:
        return os.stat(root / CACHE_DIR / name, follow_symlinks=False).st_size
    except OSError:
        return 0


def read_entry(root: Path, name: str) -> object:
    """The JSON stored under `name` in the repo's cache; None if missing or damaged."""
    folder = root / CACHE_DIR
    if folder.is_symlink():
        return None  # committed as a link out of the repo: never read or write through it
    try:
        return json.loads(read_file(folder / name))
    except (OSError, ValueError, RecursionError):
        return None  # no cache yet, or a damaged one: start over


def cache_folder(root: Path) -> Path | None:
    """The repo's cache folder, made (ignoring itself for git) if need be; None when it is a
    link committed out of the repo: never written through. OSError when it cannot be made."""
    folder = root / CACHE_DIR
    if folder.is_symlink():
        return None
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        atomic_write(ignore, b"# Created by ml-lint: this cache is never committed.\n*\n")
    return folder


def write_entry(root: Path, name: str, payload: object) -> None:
    try:
        folder = cache_folder(root)
        if folder is not None:
            atomic_write(folder / name, json.dumps(payload, separators=(",", ":")).encode())
    except OSError:
        pass  # a read-only checkout still gets its report, just no cache


class NotebookCache:
    def __init__(self, root: Path, fingerprint: str, enabled: bool = True):
        self.root = root
        self.fingerprint = fingerprint
        self.enabled = enabled
        self.entries: dict[str, dict] = {}
        self.dirty = False
        data = read_entry(root, CACHE_FILE) if enabled else None
        if isinstance(data, dict) and data.get("fingerprint") == fingerprint:
            entries = data.get("entries")
            self.entries = entries if isinstance(entries, dict) else {}

    def get(self, path: str, current: list[int] | None) -> dict | None:
        entry = self.entries.get(path) if self.enabled and current else None
        return entry if isinstance(entry, dict) and entry.get("stamp") == current else None

    def put(self, path: str, current: list[int] | None, entry: dict) -> None:
        if self.enabled and current:
            self.entries[path] = {**entry, "stamp": current}
            self.dirty = True

    def save(self) -> None:
        if self.enabled and self.dirty:
            write_entry(self.root, CACHE_FILE, {"fingerprint": self.fingerprint, "entries": self.entries})
