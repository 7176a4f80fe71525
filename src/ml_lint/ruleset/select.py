"""Which rules a run applies: the config's, narrowed by --select and --ignore."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ml_lint.errors import UsageError
from ml_lint.ruleset import Rule, RuleSet


def resolve_rules(ruleset: RuleSet, keys: Iterable[str], option: str) -> set[str]:
    """Rule ids for ids, names or id prefixes (`ML3`) given on the command line; unknown ones are an error."""
    ids = set()
    for key in keys:
        rule = ruleset.rule(key)
        if rule is not None:
            ids.add(rule.id)
            continue
        prefixed = {r.id for r in ruleset.rules if r.id.startswith(key.upper())}
        if prefixed and option != "explain":  # `ML3`: every ML3xx, as in ruff
            ids |= prefixed
            continue
        raise UsageError(_unknown(ruleset, key, option))
    return ids


def _unknown(ruleset: RuleSet, key: str, option: str) -> str:
    import difflib

    names = [r.name for r in ruleset.rules] + [r.id for r in ruleset.rules]
    close = difflib.get_close_matches(key.replace("_", "-"), names, n=1, cutoff=0.6)
    if close:
        return f"{option}: unknown rule '{key}'. Did you mean '{close[0]}'?"
    known = ", ".join(r.id for r in ruleset.rules)
    return f"{option}: unknown rule '{key}'. Rules of spec '{ruleset.name}': {known}"


def active_rules(ruleset: RuleSet, select: Sequence[str] | None, ignore: Sequence[str]) -> list[Rule]:
    """Rules the config turns off stay off unless named in `select`."""
    if select is not None and not select:
        raise UsageError("--select needs at least one rule id or name, e.g. --select ML201,ML202")
    selected = resolve_rules(ruleset, select, "--select") if select is not None else None
    ignored = resolve_rules(ruleset, ignore, "--ignore") | (ruleset.disabled - (selected or set()))
    return [r for r in ruleset.rules if (selected is None or r.id in selected) and r.id not in ignored]
