"""Rules x repository -> violations.

The engine runs every active rule's checks, drops what a path filter or a
notebook's opt-out hides, applies fixes when asked, and stamps each finding
with its rule's id, name and severity. Checks never think about severity or
output; the engine never thinks about exit codes, baselines or formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ml_lint.checks import KINDS
from ml_lint.checks.base import CheckSkipped, Context, Kind
from ml_lint.notebooks import scan
from ml_lint.repo.comparison import Comparison
from ml_lint.repo.repository import Repository
from ml_lint.result import Finding, Violation
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


@dataclass
class Outcome:
    violations: list[Violation]
    notes: list[str] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)


def run(ruleset: RuleSet, repo: Repository, job: Job) -> Outcome:
    filters = ruleset.filters
    if filters.exclude:  # a view costs a call per file: only for a config that excludes some
        repo = repo.without(filters.excluded)  # excluded files are not checked at all
    ctx = Context(
        repo, ruleset.placeholders, job.targets, comparison=job.comparison, notes=list(repo.notes),
        protected_paths=_protected(ruleset),
    )  # fmt: skip
    checks = [
        (rule, number, options, KINDS[options.kind])
        for rule in job.rules
        for number, options in enumerate(rule.check)
        if job.repo_rules or KINDS[options.kind].scope != "repo"
    ]
    if not job.fix:  # fixes change the working tree: a diff started now would miss that
        for _, _, options, kind in checks:
            if kind.prefetch is not None:
                kind.prefetch(options, ctx)
    notebook_checks = [
        scan.NotebookCheck(rule.id, n, options) for rule, n, options, kind in checks if kind.scope == "notebook"
    ]
    notebooks = scan.run(ctx, notebook_checks, use_cache=job.use_cache)
    optouts = dict(notebooks.optouts)
    outcome = Outcome([], ctx.notes)
    outcome.notes.extend(notebooks.notes)
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
            f for f in found if not filters.suppressed(rule.id, f.path) and not _opted_out(repo, optouts, rule, kind, f)
        ]
        if job.fix and findings and kind.fixable(options):
            findings = _apply_fix(kind, options, ctx, findings, outcome)
        outcome.violations.extend(_stamp(rule, f) for f in findings)
    outcome.violations.sort(key=Violation.sort_key)
    return outcome


def _protected(ruleset: RuleSet) -> tuple[str, ...]:
    """Paths of every protecting check (active or not): fixes never write there."""
    return tuple(
        pattern
        for rule in ruleset.rules
        for options in rule.check
        if KINDS[options.kind].protects
        for pattern in getattr(options, "paths", ())
    )


def _apply_fix(
    kind: Kind[object], options: object, ctx: Context, findings: list[Finding], outcome: Outcome
) -> list[Finding]:
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


def _opted_out(
    repo: Repository, optouts: dict[str, list[str]], rule: Rule, kind: Kind[object], finding: Finding
) -> bool:
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


def _stamp(rule: Rule, finding: Finding) -> Violation:
    message = f"{finding.message}; {rule.hint}" if rule.hint else finding.message
    return Violation(
        rule.id, rule.name, rule.severity, finding.path, message, finding.line, finding.column, finding.cell
    )
