"""The `check` use case: a CheckRequest in, one Result out, written in every format asked for.

The policy of a run lives here: which repository and files, which rules
(the config's, --select and --ignore), what to compare with, the baseline and
the default output format inside GitHub Actions.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from ml_lint.errors import UsageError
from ml_lint.repo.comparison import Comparison, choose
from ml_lint.repo.repository import locate
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


def execute(request: CheckRequest, environ: Mapping[str, str] = os.environ) -> int:
    """Run the check, write its reports, and return the exit code."""
    result = check(request, environ)
    if request.write_baseline:
        from ml_lint import baseline

        baseline.write_baseline(Path(request.write_baseline), result.violations)
        print(f"Recorded {len(result.violations)} violations in {request.write_baseline}.")
        return 0
    for output in request.outputs or (Output(default_format(environ)),):
        _write_report(result, output, request.quiet, environ)
    return result.exit_code


def default_format(environ: Mapping[str, str]) -> str:
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else DEFAULT_FORMAT


def check(request: CheckRequest, environ: Mapping[str, str] = os.environ) -> Result:
    comparison = choose(staged=request.staged, base=request.base, hook=request.hook, environ=environ)
    repo_rules = True
    if request.hook:  # decided first: a batch without repository-level rules lists less
        from ml_lint.hook import runs_repo_rules

        options = [f"{key}={value}" for key, value in sorted(asdict(request).items()) if key != "paths"]
        repo_rules = runs_repo_rules(Path.cwd(), options)  # pre-commit runs hooks at the root
    repo, targets = locate(
        list(request.paths), index_view=comparison.mode != "worktree", untracked=repo_rules or not request.paths
    )
    # git lists the files in the background meanwhile: import the rest now,
    # pathspec included (every spec has gitignore patterns to compile).
    import pathspec  # noqa: F401

    from ml_lint import baseline, engine
    from ml_lint.cache import CACHE_DIR
    from ml_lint.ruleset.load import load_ruleset
    from ml_lint.ruleset.select import active_rules

    # A cache that git sees came with the repository, not from an earlier run: never trust it.
    use_cache = request.use_cache and not repo.files_under(CACHE_DIR)
    ruleset = load_ruleset(repo.root, request.config, request.spec, use_cache=use_cache)
    rules = active_rules(ruleset, request.select, request.ignore)
    known = baseline.read_baseline(Path(request.baseline)) if request.baseline else None
    if request.hook:
        targets = targets or frozenset()  # no file passed: per-file rules have nothing to look at
    job = engine.Job(tuple(rules), targets, comparison, repo_rules, request.fix, use_cache)
    outcome = engine.run(ruleset, repo, job)
    violations, baselined = outcome.violations, 0
    if known is not None:
        violations, baselined = baseline.subtract(violations, known)
    return Result(violations, rules, outcome.notes, outcome.fixed, baselined, request.strict)


def _write_report(result: Result, output: Output, quiet: bool, environ: Mapping[str, str]) -> None:
    from ml_lint import report

    to_terminal = output.file is None and sys.stdout.isatty()
    color = output.format == "text" and to_terminal and "NO_COLOR" not in environ
    _write(report.render(result, output.format, color=color, quiet=quiet), output.file)
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
