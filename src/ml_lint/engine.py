"""Rules x repository -> violations.

The engine runs every active rule's checks, drops what a path filter or a
notebook's opt-out hides, applies fixes when asked, and stamps each finding
with its rule's id, name and severity. Checks never think about severity or
output; the engine never thinks about exit codes, baselines or formats.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple, cast

from ml_lint.checks import KINDS
from ml_lint.checks.base import CheckSkipped, Context, Kind, NotebookOptions, literal_prefix
from ml_lint.notebooks import scan
from ml_lint.repo.comparison import Comparison
from ml_lint.repo.fs import dry_run, read_file
from ml_lint.repo.pathmatch import path_matcher
from ml_lint.repo.repository import Repository
from ml_lint.result import Finding, Severity, Violation
from ml_lint.ruleset import Rule, RuleSet


@dataclass(frozen=True)
class Job:
    """What to check: which rules, which files, compared with what."""

    rules: tuple[Rule, ...]  # the active rules
    # Files named on the command line (as pre-commit passes them); None: the whole repository.
    targets: frozenset[str] | None = None
    comparison: Comparison = Comparison()
    repo_rules: bool = True  # False: another hook batch runs the repository-level checks
    fix: bool = False
    use_cache: bool = True
    # Report only violations on paths the comparison added, modified or renamed (either name).
    only_changed: bool = False
    diff: bool = False  # with fix: record what the fixes would write instead of writing it


@dataclass
class Outcome:
    violations: list[Violation]
    notes: list[str] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)
    # A dry run's planned writes: repo-relative path -> (bytes now, bytes after; None: deleted).
    planned: dict[str, tuple[bytes, bytes | None]] = field(default_factory=dict)


class Prepared(NamedTuple):
    """A project's run, set up: what `prefetch` starts the git work for and `run` then checks."""

    ruleset: RuleSet
    job: Job
    ctx: Context
    checks: list[tuple[Rule, int, Any, Kind[Any]]]


def prepare(ruleset: RuleSet, repo: Repository, job: Job) -> Prepared:
    filters = ruleset.filters
    if filters.exclude:  # a view costs a call per file: only for a config that excludes some
        repo = repo.without(filters.excluded)  # excluded files are not checked at all
    ctx = Context(
        repo, ruleset.placeholders, job.targets, comparison=job.comparison,
        protected_paths=_protected(ruleset), forbidden_paths=_forbidden(ruleset),
    )  # fmt: skip
    checks = [
        (rule, number, options, KINDS[options.kind])
        for rule in job.rules
        for number, options in enumerate(rule.check)
        if job.repo_rules or KINDS[options.kind].scope != "repo"
    ]
    return Prepared(ruleset, job, ctx, checks)


def prefetch(prepared: Prepared) -> None:
    """Start (or, for a project of a bigger repository, note) the git work `run` will need.

    A monorepo's run calls it for every project before any runs, so that projects share one git log.
    Fixes change the working tree: a diff started before them would miss that.
    """
    if not prepared.job.fix:
        for _, _, options, kind in prepared.checks:
            if kind.prefetch is not None:
                kind.prefetch(options, prepared.ctx)


def run(prepared: Prepared) -> Outcome:
    ruleset, job, ctx, checks = prepared
    filters = ruleset.filters
    repo = ctx.repo
    prefetch(prepared)
    # A notebook kind's options name the notebooks to read (`paths`): tests/test_registry.py checks it.
    notebook_checks = [
        scan.NotebookCheck(rule.id, n, cast(NotebookOptions, options))
        for rule, n, options, kind in checks
        if kind.scope == "notebook"
    ]
    notebooks = scan.run(ctx, notebook_checks, use_cache=job.use_cache)
    optouts = dict(notebooks.optouts)
    outcome = Outcome([], ctx.notes)
    outcome.notes.extend(notebooks.notes)
    for path, ignored in sorted(optouts.items()):
        outcome.notes.extend(
            f"{path}: its \"ml-lint\" metadata ignores '{key}', which is not a rule of spec '{ruleset.name}'"
            for key in ignored
            if ruleset.rule(key) is None
        )
    # --fix --diff: one dry run for every fix, so that a fix sees what an earlier one would have written.
    with dry_run() if job.diff else nullcontext() as planned:
        for rule, number, options, kind in checks:
            try:
                found = (
                    notebooks.findings.get((rule.id, number), [])
                    if kind.scope == "notebook"
                    else kind.findings(options, ctx)
                )
            except CheckSkipped as exc:
                outcome.notes.append(f"{rule.id} {rule.name} skipped: {exc}")
                continue
            findings = [
                f
                for f in found
                if not filters.suppressed(rule.id, f.path) and not _opted_out(repo, optouts, rule, kind, f)
            ]
            fixable = kind.fixable(options)
            if job.fix and findings and fixable:
                findings = _apply_fix(kind, options, ctx, findings, outcome)
            outcome.violations.extend(_stamp(rule, f, fixable and not ctx.protected(f.path)) for f in findings)
    outcome.planned = _planned(ctx.repo.root, planned or {})
    if repo.is_git:
        outcome.violations = _clean_on_arrival(ruleset, repo, job.comparison, outcome.violations)
        if job.only_changed:
            touched = changed_paths(repo, job.comparison)[1]
            outcome.violations = [v for v in outcome.violations if v.path in touched]
    outcome.violations.sort(key=Violation.sort_key)
    return outcome


def changed_paths(repo: Repository, comparison: Comparison) -> tuple[frozenset[str], frozenset[str]]:
    """(paths the comparison adds, paths it adds, modifies or renames — either name)."""
    changes = repo.changes(comparison)
    added = {c.current_path for c in changes if c.status in "AC"}
    if comparison.mode == "worktree":  # a file git does not track yet is new in the working tree
        added |= repo.untracked
    touched = added | {p for c in changes if c.status != "D" for p in (c.path, c.new_path) if p}
    return frozenset(added), frozenset(touched)


def _clean_on_arrival(
    ruleset: RuleSet, repo: Repository, comparison: Comparison, violations: list[Violation]
) -> list[Violation]:
    """A protected file cannot be fixed once committed: what is wrong with it when
    the comparison adds it is an error, whatever the rule's severity."""
    protecting: list[tuple[str, ...]] = [
        tuple(getattr(options, "paths", ()))
        for rule in ruleset.rules
        for options in rule.check
        if KINDS[options.kind].protects
    ]
    guards = [(path_matcher(paths), _folders(paths)) for paths in protecting if paths]
    if not guards or not violations:
        return violations
    at_risk = {v.path: words for v in violations for matches, words in guards if matches(v.path)}
    if not at_risk:
        return violations  # no git diff needed
    added = changed_paths(repo, comparison)[0]
    return [
        replace(
            v,
            severity=Severity.ERROR,
            message=f"{v.message} — {at_risk[v.path]} files cannot be fixed after they are committed",
            fixable=False,
        )
        if v.path in at_risk and v.path in added
        else v
        for v in violations
    ]


def _folders(patterns: tuple[str, ...]) -> str:
    """The folders protecting patterns are anchored in, in words: 'research/deliver'."""
    folders = dict.fromkeys(literal_prefix(p) or p.rstrip("/*") for p in patterns if not p.startswith("!"))
    return " and ".join(folders)


def _protected(ruleset: RuleSet) -> tuple[str, ...]:
    """Paths of every protecting check (active or not): fixes never write there."""
    return tuple(
        pattern
        for rule in ruleset.rules
        for options in rule.check
        if KINDS[options.kind].protects
        for pattern in getattr(options, "paths", ())
    )


def _forbidden(ruleset: RuleSet) -> tuple[tuple[tuple[str, ...], bool], ...]:
    """Paths each forbidding check (`Kind.forbids`) forbids, for the rules the config leaves on
    (whatever --select says: a run's selection does not change what is allowed)."""
    return tuple(
        (tuple(getattr(options, "paths", ())), getattr(options, "ignore_case", False))
        for _, options in ruleset.enabled_checks()
        if KINDS[options.kind].forbids
    )


def _apply_fix(kind: Kind[Any], options: Any, ctx: Context, findings: list[Finding], outcome: Outcome) -> list[Finding]:
    assert kind.fix is not None
    remaining = list(findings)
    # What the spec says must never change is never written, whatever the fix.
    fixable = [f for f in findings if not ctx.protected(f.path)]
    try:
        for finding, description in kind.fix(options, ctx, fixable):
            remaining.remove(finding)
            outcome.fixed.append(description)
    except OSError as exc:
        outcome.notes.append(f"could not fix {exc.filename or ''}: {exc.strerror}")
    return remaining


def _planned(root: Path, writes: dict[Path, bytes | None]) -> dict[str, tuple[bytes, bytes | None]]:
    """A dry run's writes as repo-relative path -> (bytes now, bytes after; None: deleted)."""
    planned = {}
    for path, data in writes.items():
        try:
            old = read_file(path)
        except OSError:
            old = b""  # a new file
        planned[path.relative_to(root).as_posix()] = (old, data)
    return planned


def _opted_out(repo: Repository, optouts: dict[str, list[str]], rule: Rule, kind: Kind[Any], finding: Finding) -> bool:
    """A notebook may opt out of rules: metadata {"ml-lint": {"ignore": ["ML304"]}}.

    Not of a check that guards the notebook's own changes (`unchanged`): the
    edit that adds the opt-out would otherwise excuse itself.
    """
    if not kind.opt_out or not finding.path.endswith(".ipynb") or finding.path not in repo.file_set:
        return False
    if finding.path not in optouts:  # a notebook the pass did not read
        optouts[finding.path] = scan.read_optouts(repo, finding.path)
    ignored = optouts[finding.path]
    return rule.id in ignored or rule.name in ignored


def _stamp(rule: Rule, finding: Finding, fixable: bool = False) -> Violation:
    message = f"{finding.message}; {rule.hint}" if rule.hint else finding.message
    return Violation(
        rule.id, rule.name, rule.severity, finding.path, message, finding.line, finding.column, finding.cell,
        finding.key or finding.message, fixable,
    )  # fmt: skip
