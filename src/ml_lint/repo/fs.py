"""How ml-lint reads and writes files of the (untrusted) repository.

Reads never block on a FIFO or device, are bounded in size, and by default
do not follow a symlink (it may point outside the repository). Writes (only
--fix and the cache) are atomic.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MAX_READ_BYTES = 256 * 1024 * 1024

# While a dry run (`--fix --diff`) is on: what the fixes would write, by path
# (None: delete). Nothing reaches the disk.
_dry_run: dict[Path, bytes | None] | None = None


@contextmanager
def dry_run() -> Iterator[dict[Path, bytes | None]]:
    """Record the writes and deletions of fixes instead of making them."""
    global _dry_run
    _dry_run, previous = {}, _dry_run
    try:
        yield _dry_run
    finally:
        _dry_run = previous


def remove(path: Path) -> None:
    """Delete a file (a fix's deletion; recorded only during a dry run)."""
    if _dry_run is not None:
        _dry_run[path] = None
        return
    os.unlink(path)


def existing_folder(path: Path) -> Path:
    """`path` resolved if it is a folder, else its nearest existing ancestor (a folder not created yet)."""
    found = path.resolve()
    while not found.is_dir():
        found = found.parent
    return found


def read_file(path: str | Path, *, limit: int | None = None, follow_symlinks: bool = False) -> bytes:
    """The bytes of a regular file; OSError with a clear strerror for anything else."""
    limit = MAX_READ_BYTES if limit is None else limit
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_symlinks and os.path.islink(path):
            raise OSError(errno.ELOOP, "it is a symbolic link, which ml-lint does not follow", str(path)) from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # a FIFO would block forever, a device never end
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        if st.st_size > limit:
            raise OSError(errno.EFBIG, f"larger than {_size(limit)}", str(path))
        chunks = []
        total = 0
        while chunk := os.read(fd, 1 << 20):
            total += len(chunk)
            if total > limit:  # it grew while we read
                raise OSError(errno.EFBIG, f"larger than {_size(limit)}", str(path))
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def is_inside(path: Path, folder: Path) -> bool:
    """Whether `path`, with symlinks and `..` resolved, lies inside `folder`."""
    return path.resolve().is_relative_to(folder.resolve())


def fixable(root: Path, path: str) -> Path:
    """The file at repo-relative `path`, if --fix may replace or delete it.

    A fix never writes through a symlink, nor below a folder that leads out of the repository.
    """
    target = root / path
    if target.is_symlink() or not is_inside(target.parent, root):
        raise OSError(errno.EPERM, "it is a symbolic link or leads out of the repository", path)
    return target


def _size(limit: int) -> str:
    return f"{limit // 2**20} MiB" if limit >= 2**20 else f"{limit} bytes"


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data`: readers see the old bytes or the new, never a mix."""
    if _dry_run is not None:
        _dry_run[path] = data
        return
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = 0o644
    tmp = _written_beside(path, data, mode)
    try:
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def create_new(path: Path, data: bytes) -> None:
    """Create `path` holding `data`, whole or not at all; FileExistsError if the name exists (never replaced)."""
    mask = os.umask(0)
    os.umask(mask)
    tmp = _written_beside(path, data, 0o666 & ~mask)  # the mode a plain open() would give
    try:
        os.link(tmp, path)  # fails if the name exists, even if it appeared meanwhile
    finally:
        os.unlink(tmp)


def _written_beside(path: Path, data: bytes, mode: int) -> str:
    """A temporary file in `path`'s folder holding `data` on disk, with `mode`."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".ml-lint-tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def append_missing_lines(path: Path, lines: list[str]) -> list[str]:
    """Atomically add the `lines` a text file lacks at its end; returns those added."""
    current = current_text(path)
    amended, missing = with_missing_lines(current, lines)
    if missing:
        atomic_write(path, amended)
    return missing


def current_text(path: Path) -> bytes:
    """A file's bytes as fixes see them: a dry run's pending write, else the file, else empty."""
    pending = _dry_run.get(path) if _dry_run is not None else None
    return pending if pending is not None else read_file(path) if path.exists() else b""


def with_missing_lines(current: bytes, lines: list[str]) -> tuple[bytes, list[str]]:
    """`current` with the `lines` it lacks added at its end, and those lines."""
    present = {line.strip() for line in current.decode("utf-8", "surrogateescape").splitlines()}
    missing = [line for line in dict.fromkeys(lines) if line not in present]
    if not missing:
        return current, []
    separator = b"\n" if current and not current.endswith(b"\n") else b""
    return current + separator + "".join(line + "\n" for line in missing).encode("utf-8", "surrogateescape"), missing
