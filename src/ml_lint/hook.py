"""Running under pre-commit: which of its batches runs the repository-level rules.

pre-commit splits the file names it passes into batches (in parallel unless
`require_serial`, and always when the argument list is too long) and runs the
hook once per batch. Per-file rules look at their own batch; repository-level
rules (ML001, ML102, ML303, ...) must run in exactly one batch of each run.

No batch can tell from its files which batch it is: pre-commit may pass any
subset of the changed files (only the conflicted ones while finishing a merge,
fewer after a global or hook `exclude:`), so a rule such as "the batch holding
the smallest path" can pick no batch at all. What every batch of one run does
share is its parent, the pre-commit process. So the first batch to create a
marker named after that process (pid and start time), the repository and the
hook's options runs the repository-level rules; O_EXCL makes that exactly one
batch even when batches run in parallel. A `--hook` run outside pre-commit
(PRE_COMMIT unset: a person, a script) is a single run and always runs them.
If no marker can be written, a batch runs them too: twice is better than never.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from ml_lint.cache import cache_folder

MARKER_PREFIX = "hook-run-"
MARKER_MAX_AGE = 3600  # seconds; a hook run never lasts this long


def runs_repo_rules(root: Path, options: list[str]) -> bool:
    """Whether this batch is the one of its pre-commit run that runs repository-level rules."""
    if os.environ.get("PRE_COMMIT") != "1":
        return True
    key = "\0".join([str(os.getppid()), _start_time(os.getppid()), str(root), *options])
    name = MARKER_PREFIX + hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    try:
        folder = cache_folder(root)
        if folder is None:
            return True  # committed as a link out of the repo: never write through it
        fd = os.open(folder / name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False  # another batch of this run has them
    except OSError:
        return True
    os.close(fd)
    _forget_old_markers(folder)
    return True


def _start_time(pid: int) -> str:
    """When process `pid` started (Linux), so that a reused pid is another run."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        return ""  # elsewhere: pid alone; old markers are removed after an hour


def _forget_old_markers(folder: Path) -> None:
    cutoff = time.time() - MARKER_MAX_AGE
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith(MARKER_PREFIX) and entry.stat(follow_symlinks=False).st_mtime < cutoff:
                    os.unlink(entry.path)
    except OSError:
        pass
