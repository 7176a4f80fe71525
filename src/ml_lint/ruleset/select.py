"""Which rules a run applies: the config's, narrowed by --select and --ignore."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ml_lint.errors import UsageError
from ml_lint.ruleset import Rule, RuleSet


def resolve_rules(ruleset: RuleSet, keys: Iterable[str], option: str) -> set[str]:
    """Rule ids for ids or names given on the command line; unknown ones are an error."""
    ids = set()
    for key in keys:
        rule = ruleset.rule(key)
        if rule is None:
            known = ", ".join(r.id for r in ruleset.rules)
            raise UsageError(f"{option}: unknown rule '{key}'. Rules of spec '{ruleset.name}': {known}")
        ids.add(rule.id)
    return ids


def active_rules(ruleset: RuleSet, select: Sequence[str] | None, ignore: Sequence[str]) -> list[Rule]:
    """Rules the config turns off stay off unless named in `select`."""
    if select is not None and not select:
        raise UsageError("--select needs at least one rule id or name, e.g. --select ML201,ML202")
    selected = resolve_rules(ruleset, select, "--select") if select is not None else None
    ignored = resolve_rules(ruleset, ignore, "--ignore") | (ruleset.disabled - (selected or set()))
    return [r for r in ruleset.rules if (selected is None or r.id in selected) and r.id not in ignored]
