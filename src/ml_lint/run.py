"""The `check` use case: a CheckRequest in, one Result out, written in every format asked for.

The policy of a run lives here: which repository and files, which rules
(the config's, --select and --ignore), what to compare with, the baseline and
the default output format inside GitHub Actions.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ml_lint.errors import UsageError
from ml_lint.repo.comparison import choose
from ml_lint.repo.repository import Repository
from ml_lint.result import Result

DEFAULT_FORMAT = "text"


@dataclass(frozen=True)
class Output:
    format: str
    file: str | None = None  # None: standard output


@dataclass(frozen=True)
class CheckRequest:
    paths: tuple[str, ...] = ()  # none: the repository around the current folder
    staged: bool = False
    base: str | None = None
    hook: bool = False  # PATHs are one batch of pre-commit's files
    select: tuple[str, ...] | None = None  # rule ids, names or id prefixes
    ignore: tuple[str, ...] = ()
    fix: bool = False
    strict: bool = False
    baseline: str | None = None
    write_baseline: str | None = None
    config: str | None = None
    spec: str | None = None
    use_cache: bool = True
    outputs: tuple[Output, ...] = ()  # none: the default format on standard output
    quiet: bool = False
    only_changed: bool = False  # report only paths the comparison added, modified or renamed
    exit_zero: bool = False  # violations never fail the run (2 still means the tool failed)
    statistics: bool = False  # text: one count per rule instead of the violations


def execute(request: CheckRequest, environ: Mapping[str, str] = os.environ) -> int:
    """Run the check, write its reports, and return the exit code."""
    result = check(request, environ)
    if request.write_baseline:
        from ml_lint import baseline

        baseline.write_baseline(Path(request.write_baseline), result.violations)
        print(f"Recorded {len(result.violations)} violations in {request.write_baseline}.")
        return 0
    for output in request.outputs or (Output(default_format(environ)),):
        if request.hook and output.format == "text" and output.file is None and not result.violations:
            continue  # a clean commit stays silent (the hook is verbose so that warnings show)
        _write_report(result, output, request, environ)
    return 0 if request.exit_zero else result.exit_code


def default_format(environ: Mapping[str, str]) -> str:
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else DEFAULT_FORMAT


def check(request: CheckRequest, environ: Mapping[str, str] = os.environ) -> Result:
    comparison = choose(staged=request.staged, base=request.base, hook=request.hook, environ=environ)
    repo, targets = locate(list(request.paths), index_view=comparison.mode != "worktree")
    if request.only_changed and not repo.is_git:
        raise UsageError(
            "--only-changed needs a comparison, and this folder is not in a git repository: "
            "run it in a git checkout (with --base REF, --staged, or against HEAD), or drop --only-changed."
        )
    # git lists the files in the background meanwhile: import the rest now,
    # pathspec included (every spec has gitignore patterns to compile).
    import pathspec  # noqa: F401

    from ml_lint import baseline, engine
    from ml_lint.cache import CACHE_DIR
    from ml_lint.hook import runs_repo_rules
    from ml_lint.ruleset.load import load_ruleset
    from ml_lint.ruleset.select import active_rules

    # A cache that git sees came with the repository, not from an earlier run: never trust it.
    # Outside git nothing ignores the cache folder: write none there.
    use_cache = request.use_cache and repo.is_git and not repo.files_under(CACHE_DIR)
    ruleset = load_ruleset(repo.root, request.config, request.spec, use_cache=use_cache)
    rules = active_rules(ruleset, request.select, request.ignore)
    known = baseline.read_baseline(Path(request.baseline)) if request.baseline else None
    repo_rules = True
    if request.hook:
        targets = targets or frozenset()  # no file passed: per-file rules have nothing to look at
        repo_rules = runs_repo_rules(repo, targets, comparison)
    job = engine.Job(tuple(rules), targets, comparison, repo_rules, request.fix, use_cache, request.only_changed)
    outcome = engine.run(ruleset, repo, job)
    violations, baselined = outcome.violations, 0
    if request.write_baseline:  # a committed baseline records only what CI will see too
        violations = baseline.recordable(violations, repo)
    if known is not None:
        violations, baselined = baseline.subtract(violations, known)
        if known.note:
            outcome.notes.append(known.note)
    return Result(violations, rules, outcome.notes, outcome.fixed, baselined, request.strict)


def locate(paths: list[str], *, index_view: bool = False) -> tuple[Repository, frozenset[str] | None]:
    """The repository and the files named on the command line (None: the whole repo)."""
    if not paths:  # the whole repository around the current folder
        return Repository.discover(Path("."), index_view=index_view), None
    given = [Path(p) for p in paths]
    for path in given:
        if not os.path.lexists(path):
            raise UsageError(f"path '{path}' does not exist. Give a folder or files inside the repository.")
    repo = Repository.discover(given[0], index_view=index_view)
    root = repo.root.resolve()
    targets: set[str] = set()
    for path in given:
        # Resolve the folder, not the file: a symlink in the repo is checked as itself.
        absolute = path.resolve() if path.is_dir() else path.absolute().parent.resolve() / path.name
        try:
            rel = absolute.relative_to(root).as_posix()
        except ValueError:
            raise UsageError(
                f"path '{path}' is outside the repository at {root}. Check one repository at a time."
            ) from None
        if rel == ".":
            return repo, None
        targets.update(repo.files_under(rel) if path.is_dir() else [rel])
    return repo, frozenset(targets)


def _write_report(result: Result, output: Output, request: CheckRequest, environ: Mapping[str, str]) -> None:
    from ml_lint import report

    to_terminal = output.file is None and sys.stdout.isatty()
    color = output.format == "text" and to_terminal and "NO_COLOR" not in environ
    if request.statistics and output.format == "text":
        from ml_lint.report.text import statistics

        _write(statistics(result), output.file)
    else:
        _write(report.render(result, output.format, color=color, quiet=request.quiet), output.file)
    if output.format == "github" and environ.get("GITHUB_STEP_SUMMARY"):
        from ml_lint.report.github import step_summary

        _append_step_summary(step_summary(result), environ["GITHUB_STEP_SUMMARY"])


def _append_step_summary(markdown: str, path: str) -> None:
    # GitHub gathers what every step appends; a summary we cannot write must
    # not turn a lint result into a tool failure.
    try:
        with open(path, "ab") as summary:
            summary.write(markdown.encode("utf-8"))
    except OSError as exc:
        print(f"ml-lint: warning: cannot append the step summary to '{path}': {exc.strerror}", file=sys.stderr)


def _write(text: str, output: str | None) -> None:
    from ml_lint.repo.fs import atomic_write
    from ml_lint.report.encoding import output_bytes

    # Paths are reported as stored; undecodable bytes go back out unchanged.
    data = output_bytes(text)
    if output:
        try:
            atomic_write(Path(output), data)
        except OSError as exc:
            raise UsageError(f"cannot write the report to '{output}': {exc.strerror}") from None
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
