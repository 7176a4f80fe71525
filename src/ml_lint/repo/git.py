"""The one place ml-lint runs git. Rules never do."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from ml_lint.errors import UsageError


class GitError(Exception):
    """git ran and failed; `stderr` says why."""

    def __init__(self, args: list[str], stderr: str):
        self.stderr = stderr.strip()
        super().__init__(f"git {' '.join(args)}: {self.stderr}")


class GitNotFound(Exception):
    """No git executable on PATH."""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # Stable, locale-independent output; never prompt, never page.
    env.update(LC_ALL="C", GIT_TERMINAL_PROMPT="0", GIT_PAGER="cat", GIT_OPTIONAL_LOCKS="0")
    return env


def run_git(args: list[str], cwd: Path, *, env: dict[str, str] | None = None) -> bytes:
    return start_git(args, cwd, env=env).output()


class PendingGit:
    """A git command running in the background; `output()` waits for it.

    Its output goes to unnamed temporary files, not pipes: several commands can
    run side by side without one blocking on a pipe nobody is reading yet.
    """

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str] | None):
        self.args, self.cwd = args, cwd
        self._stdout, self._stderr = tempfile.TemporaryFile(), tempfile.TemporaryFile()
        try:
            self._process = subprocess.Popen(
                ["git", "-c", "core.quotePath=false", *args],
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=self._stdout,
                stderr=self._stderr,
                env={**_env(), **(env or {})},
            )
        except FileNotFoundError:
            self._close()
            raise GitNotFound() from None

    def output(self) -> bytes:
        returncode = self._process.wait()
        self._stdout.seek(0)
        self._stderr.seek(0)
        stdout, stderr = self._stdout.read(), self._stderr.read().decode("utf-8", "replace")
        self._close()
        if returncode != 0:
            if "dubious ownership" in stderr:
                raise UsageError(
                    f"git refuses to read the repository at {self.cwd} because it is owned by another user. "
                    f"If you trust it, run: git config --global --add safe.directory '{self.cwd}'"
                )
            raise GitError(self.args, stderr)
        return stdout

    def cancel(self) -> None:
        """Stop the command: its output is no longer wanted."""
        self._process.kill()
        self._process.wait()
        self._close()

    def _close(self) -> None:
        self._stdout.close()
        self._stderr.close()


def start_git(args: list[str], cwd: Path, *, env: dict[str, str] | None = None) -> PendingGit:
    """Start `git args` in `cwd` without waiting for it."""
    return PendingGit(args, cwd, env)


def split_z(output: bytes) -> list[str]:
    """NUL-separated git output -> paths, undecodable bytes kept via surrogateescape."""
    # One decode of the whole output: 50,000 fsdecode() calls cost 0.1 s.
    items = output.decode("utf-8", "surrogateescape").split("\0")
    if items[-1] == "":
        items.pop()  # the terminator of the last item
    return [item for item in items if item] if "" in items else items  # a scan in C, not a test per item


def read_index_blob(root: str | Path, path: str) -> bytes | None:
    """The staged content of `path`, for a tracked file that is not on disk
    (a sparse checkout's skip-worktree file); None if git has no such file."""
    try:
        # ":./PATH" is relative to `root`, which may be a project folder below the top.
        return run_git(["cat-file", "blob", f":./{path}"], Path(root))
    except (GitError, GitNotFound):
        return None
