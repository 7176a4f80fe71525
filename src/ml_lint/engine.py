"""Rules x repository -> violations.

The engine runs every active rule's checks, drops what a notebook opted out
of, applies fixes when asked, and stamps each finding with its rule's id,
name and severity. Checks never think about severity or output.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ml_lint import baseline as baselines
from ml_lint.notebooks import scan as notebook_pass
from ml_lint.checks import KINDS
from ml_lint.checks.base import CheckSkipped, Context
from ml_lint.repo.comparison import Comparison
from ml_lint.errors import UsageError
from ml_lint.notebooks.scan import NotebookCheck
from ml_lint.repo.repository import Repository
from ml_lint.ruleset.load import PathFilters, Rule, RuleSet
from ml_lint.result import Finding, Result, Violation


def resolve_rules(spec: RuleSet, keys: Iterable[str], option: str) -> set[str]:
    """Rule ids for ids or names given on the command line; unknown ones are an error."""
    ids = set()
    for key in keys:
        rule = spec.rule(key)
        if rule is None:
            known = ", ".join(r.id for r in spec.rules)
            raise UsageError(f"{option}: unknown rule '{key}'. Rules of spec '{spec.name}': {known}")
        ids.add(rule.id)
    return ids


def active_rules(spec: RuleSet, select: set[str] | None, ignore: set[str]) -> list[Rule]:
    return [r for r in spec.rules if (select is None or r.id in select) and r.id not in ignore]


def run(
    spec: RuleSet,
    repo: Repository,
    *,
    targets: frozenset[str] | None = None,
    comparison: Comparison = Comparison(),
    repo_rules: bool = True,
    select: set[str] | None = None,
    ignore: set[str] = frozenset(),
    fix: bool = False,
    strict: bool = False,
    use_cache: bool = True,
    filters: PathFilters = PathFilters(),
    baseline: Counter | None = None,
) -> Result:
    """`repo_rules=False` skips repository-level checks (another hook batch runs them)."""
    if filters.exclude:  # a view costs a call per file: only for a config that excludes some
        repo = repo.without(filters.excluded)  # excluded files are not checked at all
    ctx = Context(
        repo, spec.placeholders, targets, comparison=comparison, notes=list(repo.notes),
        protected_paths=_protected(spec),
    )  # fmt: skip
    rules = active_rules(spec, select, ignore)
    if not fix:  # fixes change the working tree: a diff started now would miss that
        _prefetch(rules, ctx, repo_rules)
    by_check: dict[int, list[Finding]] = {}
    per_notebook = [
        NotebookCheck(rule.id, options) for rule in rules for options in rule.check if KINDS[options.kind].SCOPE == "notebook"
    ]
    for check, finding in notebook_pass.run(ctx, per_notebook, use_cache=use_cache):
        by_check.setdefault(id(check.options), []).append(finding)

    violations: list[Violation] = []
    fixed: list[str] = []
    for rule in rules:
        for options in rule.check:
            kind = KINDS[options.kind]
            if not repo_rules and kind.SCOPE == "repo":
                continue
            found = by_check.get(id(options), []) if kind.SCOPE == "notebook" else kind.check(options, ctx)
            try:
                findings = [f for f in found if not filters.suppressed(rule.id, f.path) and not _opted_out(ctx, rule, kind, f)]
            except CheckSkipped as exc:
                ctx.notes.append(f"{rule.id} {rule.name} skipped: {exc}")
                continue
            if fix and findings and hasattr(kind, "fix"):
                findings = _apply_fix(kind, options, ctx, findings, fixed)
            violations.extend(_stamp(rule, f) for f in findings)
    violations.sort(key=Violation.sort_key)
    baselined = 0
    if baseline is not None:
        violations, baselined = baselines.subtract(violations, baseline)
    infos = [r.info() for r in rules]
    return Result(violations, infos, notes=ctx.notes, fixed=fixed, baselined=baselined, strict=strict)


def _prefetch(rules: list[Rule], ctx: Context, repo_rules: bool) -> None:
    """Let checks start their git calls now: git then runs while the notebooks are checked."""
    for rule in rules:
        for options in rule.check:
            kind = KINDS[options.kind]
            if hasattr(kind, "prefetch") and (repo_rules or kind.SCOPE != "repo"):
                kind.prefetch(options, ctx)


def _protected(spec: RuleSet) -> tuple[str, ...]:
    """Patterns of every `unchanged` check, active or not: fixes never write there."""
    return tuple(
        pattern
        for rule in spec.rules
        for options in rule.check
        if options.kind == "unchanged"
        for pattern in options.paths
    )


def _apply_fix(kind, options, ctx: Context, findings: list[Finding], fixed: list[str]) -> list[Finding]:
    remaining = list(findings)
    # What the spec says must never change is never written, whatever the fix.
    fixable = [f for f in findings if not ctx.protected(f.path)]
    try:
        for finding, description in kind.fix(options, ctx, fixable):
            remaining.remove(finding)
            fixed.append(description)
    except OSError as exc:
        ctx.notes.append(f"could not fix {exc.filename or ''}: {exc.strerror}")
    return remaining


def _opted_out(ctx: Context, rule: Rule, kind, finding: Finding) -> bool:
    """A notebook may opt out of rules: metadata {"ml-lint": {"ignore": ["ML304"]}}.

    Not of a check that guards the notebook's own changes (`unchanged`): the
    edit that adds the opt-out would otherwise excuse itself.
    """
    if not getattr(kind, "OPT_OUT", True):
        return False
    if not finding.path.endswith(".ipynb") or finding.path not in ctx.repo.file_set:
        return False
    ignored = notebook_pass.optouts_of(ctx, finding.path)
    return rule.id in ignored or rule.name in ignored


def _stamp(rule: Rule, finding: Finding) -> Violation:
    message = f"{finding.message}; {rule.hint}" if rule.hint else finding.message
    return Violation(
        rule.id, rule.name, rule.severity, finding.path, message, finding.line, finding.column, finding.cell
    )
