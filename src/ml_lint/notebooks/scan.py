"""One pass over the notebooks: each is read and parsed once, every notebook
check that applies to it runs, and it is dropped before the next one, so
memory does not grow with the number of notebooks.

Unchanged notebooks come from the cache. The rest are parsed in worker
processes when there are enough of them to pay for the start-up (JSON
decoding is CPU-bound and a big repo has gigabytes of notebook outputs).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import astuple, dataclass, field
from functools import partial
from typing import Any

from ml_lint import __version__
from ml_lint.cache import CACHE_FILE, NotebookCache, entry_size, stamp
from ml_lint.checks import KINDS
from ml_lint.checks.base import CheckOptions, Context, NotebookOptions, matching_files
from ml_lint.frozen import encode
from ml_lint.notebooks.reader import Notebook, NotebookError, parse_notebook
from ml_lint.repo.repository import Repository, read_checked_out
from ml_lint.result import Finding
from ml_lint.split import can_fork, usable_cores

LFS_POINTER = b"version https://git-lfs.github.com/spec/v1\n"
LFS_NOTICE = "Git LFS pointer: run `git lfs pull` (actions/checkout: `lfs: true`)"
FINDINGS_FORMAT = 3  # the shape of a cached finding: a change invalidates every cache
PARALLEL_BYTES = 64 * 1024 * 1024  # below this, a worker pool costs more than it saves


@dataclass(frozen=True)
class NotebookCheck:
    """Check number `number` of rule `rule`: the key its findings are returned under."""

    rule: str
    number: int
    options: NotebookOptions


@dataclass
class Scan:
    """What one pass found: findings by (rule, check number), each notebook's opt-outs, notes."""

    findings: dict[tuple[str, int], list[Finding]] = field(default_factory=dict)
    optouts: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def fingerprint(checks: list[NotebookCheck]) -> str:
    described = [[c.rule, encode(c.options)] for c in checks]
    return hashlib.sha256(json.dumps([__version__, FINDINGS_FORMAT, described], sort_keys=True).encode()).hexdigest()


def run(ctx: Context, checks: list[NotebookCheck], *, use_cache: bool) -> Scan:
    plan: dict[str, list[int]] = {}
    for index, check in enumerate(checks):
        for path in matching_files(ctx, check.options.paths):
            if path.endswith(".ipynb"):
                plan.setdefault(path, []).append(index)
    root = str(ctx.repo.root)
    stamps = {path: stamp(os.path.join(root, path)) for path in plan}  # os.path: 2,000 pathlib joins cost 15 ms
    # A hook run reads a notebook or two: parsing them is cheaper than reading a cache bigger than they are.
    size = sum(current[0] for current in stamps.values() if current)
    use_cache = use_cache and size >= entry_size(ctx.repo.root, CACHE_FILE)
    cache = NotebookCache(ctx.repo.root, fingerprint(checks) if use_cache else "", enabled=use_cache)
    results: dict[str, dict[str, Any]] = {}
    todo: list[tuple[str, list[int], list[int] | None]] = []
    for path, indexes in plan.items():
        current = stamps[path]
        entry = cache.get(path, current)
        if entry is not None and set(indexes) <= set(entry["checked"]):
            results[path] = entry
        else:
            todo.append((path, indexes, current))
    for (path, _, current), entry in zip(todo, _evaluate(ctx, checks, todo), strict=False):
        results[path] = entry
        if entry["error"] is None:
            cache.put(path, current, entry)
    cache.save()

    scan = Scan()
    pointers = sorted(path for path, entry in results.items() if entry.get("lfs"))
    for check, finding in _lfs_findings(checks, plan, pointers):
        scan.findings.setdefault((check.rule, check.number), []).append(finding)
    for path in sorted(results):
        entry = results[path]
        if entry.get("lfs"):
            continue
        if entry["error"]:
            scan.notes.append(f"cannot read {path}: {entry['error']}")
        scan.optouts[path] = entry["optout"]
        scan.notes.extend(f"{path}: {problem}" for problem in entry.get("optout_problems", ()))
        wanted = set(plan[path])
        for i, *found in entry["findings"]:
            if i in wanted:
                scan.findings.setdefault((checks[i].rule, checks[i].number), []).append(Finding(*found))
    return scan


def _lfs_findings(
    checks: list[NotebookCheck], plan: dict[str, list[int]], pointers: list[str]
) -> list[tuple[NotebookCheck, Finding]]:
    """One invalid-notebook finding for all the LFS pointers of the run, not one error each.

    A checkout without Git LFS (actions/checkout's default) has pointer files
    where the notebooks should be: nothing about them can be checked until
    the real files are fetched, and that is what the message says to do.
    """
    for path in pointers:
        for index in plan[path]:
            if KINDS[checks[index].options.kind].reads_unreadable:
                count = f"{len(pointers)} notebooks are" if len(pointers) > 1 else "this notebook is"
                message = f"{LFS_NOTICE}: {count} Git LFS pointer files, not checked"
                return [(checks[index], Finding(path, message, key="git lfs pointers"))]
    return []


def _evaluate(
    ctx: Context, checks: list[NotebookCheck], todo: list[tuple[str, list[int], Any]]
) -> Iterator[dict[str, Any]]:
    options = [check.options for check in checks]
    jobs = [(str(ctx.repo.root), path, indexes) for path, indexes, _ in todo]
    check_one = partial(_check_one, options)
    total = sum(current[0] for _, _, current in todo if current)
    workers = min(usable_cores(), 8)
    # The projects of a monorepo share one pool: each reads its part of the run's notebooks.
    if workers < 2 or total < PARALLEL_BYTES / (_shared.projects or 1) or not can_fork():
        yield from map(check_one, jobs)
        return
    import multiprocessing

    if _shared.projects is None:  # a run of its own
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(check_one, jobs, chunksize=8)
        return
    if _shared.pool is None:
        _shared.pool = multiprocessing.get_context("fork").Pool(workers)
    yield from _shared.pool.imap(check_one, jobs, chunksize=8)


class _SharedWorkers:
    """The worker pool of a run over several projects (see shared_workers)."""

    projects: int | None = None
    pool: Any = None  # a multiprocessing Pool, started by the first project that needs it


_shared = _SharedWorkers()


@contextmanager
def shared_workers(projects: int) -> Iterator[None]:
    """Within: the notebook passes of `projects` projects share one worker pool."""
    _shared.projects, _shared.pool = projects, None
    try:
        yield
    finally:
        pool, _shared.projects, _shared.pool = _shared.pool, None, None
        if pool is not None:
            pool.terminate()


def workers_started() -> bool:
    """Whether the projects' shared worker pool is running (a forked copy of this process must not use it)."""
    return _shared.pool is not None


def _check_one(options: Sequence[CheckOptions], job: tuple[str, str, list[int]]) -> dict[str, Any]:
    """Read, parse and check one notebook; the result is plain data (cacheable, picklable)."""
    root, path, indexes = job
    entry: dict[str, Any] = {"checked": indexes, "findings": [], "optout": [], "error": None}
    try:
        data = read_checked_out(root, path)
        if data.startswith(LFS_POINTER):
            entry["lfs"] = True
            return entry
        parsed: Notebook | NotebookError = parse_notebook(data)
    except NotebookError as exc:
        parsed = exc
    except OSError as exc:
        entry["error"] = exc.strerror or str(exc)
        return entry
    if isinstance(parsed, Notebook):
        entry["optout"] = _optouts(parsed)
        entry["optout_problems"] = optout_problems(parsed)
    for index in indexes:
        kind = KINDS[options[index].kind]
        if isinstance(parsed, Notebook) or kind.reads_unreadable:
            entry["findings"] += [[index, *astuple(f)] for f in kind.notebook_findings(options[index], path, parsed)]
    return entry


def _optouts(notebook: Notebook) -> list[str]:
    """Rules a notebook opts out of: metadata {"ml-lint": {"ignore": ["ML304"]}}."""
    settings = notebook.metadata.get("ml-lint")
    ignored = settings.get("ignore") if isinstance(settings, dict) else None
    return [str(r) for r in ignored] if isinstance(ignored, list) else []


def optout_problems(notebook: Notebook) -> list[str]:
    """What is wrong with a notebook's "ml-lint" metadata, which would otherwise be ignored silently."""
    settings = notebook.metadata.get("ml-lint")
    example = 'write {"ml-lint": {"ignore": ["ML304"]}}'
    if settings is None:
        return []
    if not isinstance(settings, dict):
        return [f'its "ml-lint" metadata is not a mapping, so it is ignored: {example}']
    problems = [
        f"its \"ml-lint\" metadata has an unknown key '{key}' (the only key is 'ignore'): {example}"
        for key in settings
        if key != "ignore"
    ]
    ignored = settings.get("ignore")
    if "ignore" in settings and not isinstance(ignored, list):
        problems.append(f'its "ml-lint" metadata "ignore" is not a list, so it is ignored: {example}')
    return problems


def read_optouts(repo: Repository, path: str) -> list[str]:
    """Opt-outs of a notebook the pass did not read (for a finding of another kind)."""
    try:
        return _optouts(parse_notebook(repo.read_bytes(path)))
    except (NotebookError, OSError):
        return []
