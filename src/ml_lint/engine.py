"""Rules x repository -> violations.

The engine runs every active rule's checks, drops what a notebook opted out
of, applies fixes when asked, and stamps each finding with its rule's id,
name and severity. Checks never think about severity or output.
"""

from __future__ import annotations

from collections.abc import Iterable

from ml_lint.checks import KINDS
from ml_lint.checks.base import CheckSkipped, Context
from ml_lint.comparison import Comparison
from ml_lint.errors import UsageError
from ml_lint.repo import Repository
from ml_lint.spec import RuleSpec, Spec
from ml_lint.violation import Finding, Result, Violation


def resolve_rules(spec: Spec, keys: Iterable[str], option: str) -> set[str]:
    """Rule ids for ids or names given on the command line; unknown ones are an error."""
    ids = set()
    for key in keys:
        rule = spec.rule(key)
        if rule is None:
            known = ", ".join(r.id for r in spec.rules)
            raise UsageError(f"{option}: unknown rule '{key}'. Rules of spec '{spec.name}': {known}")
        ids.add(rule.id)
    return ids


def active_rules(spec: Spec, select: set[str] | None, ignore: set[str]) -> list[RuleSpec]:
    return [r for r in spec.rules if (select is None or r.id in select) and r.id not in ignore]


def run(
    spec: Spec,
    repo: Repository,
    *,
    targets: frozenset[str] | None = None,
    comparison: Comparison = Comparison(),
    repo_rules: bool = True,
    select: set[str] | None = None,
    ignore: set[str] = frozenset(),
    fix: bool = False,
    strict: bool = False,
) -> Result:
    """`repo_rules=False` skips repository-level checks (another hook batch runs them)."""
    ctx = Context(repo, spec.placeholders, targets, comparison, notes=list(repo.notes))
    rules = active_rules(spec, select, ignore)
    violations: list[Violation] = []
    fixed: list[str] = []
    for rule in rules:
        for options in rule.check:
            kind = KINDS[options.kind]
            if not repo_rules and kind.SCOPE == "repo":
                continue
            try:
                findings = [f for f in kind.check(options, ctx) if not _opted_out(ctx, rule, f)]
            except CheckSkipped as exc:
                ctx.notes.append(f"{rule.id} {rule.name} skipped: {exc}")
                continue
            if fix and findings and hasattr(kind, "fix"):
                findings = _apply_fix(kind, options, ctx, findings, fixed)
            violations.extend(_stamp(rule, f) for f in findings)
    violations.sort(key=Violation.sort_key)
    return Result(violations, [r.info() for r in rules], notes=ctx.notes, fixed=fixed, strict=strict)


def _apply_fix(kind, options, ctx: Context, findings: list[Finding], fixed: list[str]) -> list[Finding]:
    remaining = list(findings)
    try:
        for finding, description in kind.fix(options, ctx, findings):
            remaining.remove(finding)
            fixed.append(description)
    except OSError as exc:
        ctx.notes.append(f"could not fix {exc.filename or ''}: {exc.strerror}")
    return remaining


def _opted_out(ctx: Context, rule: RuleSpec, finding: Finding) -> bool:
    """A notebook may opt out of rules: metadata {"ml-lint": {"ignore": ["ML304"]}}."""
    if not finding.path.endswith(".ipynb") or finding.path not in ctx.repo.file_set:
        return False
    notebook = ctx.notebook(finding.path)
    metadata = getattr(notebook, "metadata", None)
    settings = metadata.get("ml-lint") if isinstance(metadata, dict) else None
    ignored = settings.get("ignore") if isinstance(settings, dict) else None
    return isinstance(ignored, list) and (rule.id in ignored or rule.name in ignored)


def _stamp(rule: RuleSpec, finding: Finding) -> Violation:
    message = f"{finding.message}; {rule.hint}" if rule.hint else finding.message
    return Violation(
        rule.id, rule.name, rule.severity, finding.path, message, finding.line, finding.column, finding.cell
    )
