"""A cache of per-notebook findings, so an unchanged notebook is never re-read.

Entries are keyed by path and the file's stat stamp (size, mtime, ctime, inode)
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

from ml_lint.fs import atomic_write

CACHE_DIR = ".ml-lint-cache"
CACHE_FILE = "notebooks-v1.json"


def stamp(path: Path) -> list[int] | None:
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    # ctime changes on every write and cannot be set back, unlike mtime.
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


class NotebookCache:
    def __init__(self, root: Path, fingerprint: str, enabled: bool = True):
        self.folder = root / CACHE_DIR
        self.fingerprint = fingerprint
        self.enabled = enabled
        self.entries: dict[str, dict] = {}
        self.dirty = False
        if enabled:
            self._load()

    def _load(self) -> None:
        try:
            data = json.loads((self.folder / CACHE_FILE).read_bytes())
        except (OSError, ValueError):
            return  # no cache yet, or a damaged one: start over
        if isinstance(data, dict) and data.get("fingerprint") == self.fingerprint:
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
        if not (self.enabled and self.dirty):
            return
        try:
            self.folder.mkdir(exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                atomic_write(ignore, b"# Created by ml-lint: this cache is never committed.\n*\n")
            payload = {"fingerprint": self.fingerprint, "entries": self.entries}
            atomic_write(self.folder / CACHE_FILE, json.dumps(payload, separators=(",", ":")).encode())
        except OSError:
            pass  # a read-only checkout still gets its report, just no cache
