"""The rules a check run applies: the spec with the config merged in.

Plain frozen dataclasses (ml_lint.frozen): the spec side validates YAML into
them; ml_lint.ruleset.load rebuilds them from the cache without pydantic.
Nothing here imports pydantic, YAML or TOML.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, ClassVar, TypeVar

from ml_lint.checks import KINDS, AnyOptions, stale_keep_file
from ml_lint.frozen import Bounds, OneOrMany, Strict
from ml_lint.patterns import Placeholder
from ml_lint.repo.pathmatch import PathMatcher, path_matcher
from ml_lint.result import Severity

R = TypeVar("R", bound="Rule")


@dataclass(frozen=True)
class Examples(Strict):
    """Names or situations that pass and fail the rule (docs and tests use them)."""

    ALIASES: ClassVar[dict[str, str]] = {"passing": "pass", "failing": "fail"}
    passing: tuple[str, ...] = ()
    failing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule(Strict):
    id: Annotated[str, Bounds(pattern=r"^[A-Z]+[0-9]+$")]
    name: Annotated[str, Bounds(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    severity: Severity
    summary: str
    check: Annotated[tuple[AnyOptions, ...], Bounds(min_length=1), OneOrMany]
    description: str = ""
    hint: str | None = None
    examples: Examples = Examples()

    @property
    def fixable(self) -> bool:
        """Whether `--fix` can repair some of what this rule finds."""
        return any(KINDS[options.kind].fixable(options) for options in self.check)


@dataclass(frozen=True)
class PathFilters:
    """Which paths are not checked at all, and which rules skip which paths."""

    exclude: tuple[str, ...] = ()
    ignores: tuple[tuple[str, frozenset[str]], ...] = ()  # (gitignore pattern, rule ids)

    @cached_property
    def _exclude(self) -> PathMatcher | None:
        return path_matcher(self.exclude) if self.exclude else None

    def excluded(self, path: str) -> bool:
        return self._exclude is not None and self._exclude(path)

    def suppressed(self, rule_id: str, path: str) -> bool:
        return self.excluded(path) or any(
            rule_id in ids and path_matcher((pattern,))(path) for pattern, ids in self.ignores
        )


@dataclass(frozen=True)
class RuleSet:
    name: str  # the spec's
    placeholders: dict[str, Placeholder]
    rules: tuple[Rule, ...]
    disabled: frozenset[str] = frozenset()  # rules the config turns off
    filters: PathFilters = PathFilters()

    def rule(self, key: str) -> Rule | None:
        return find_rule(self.rules, key)

    def keep_file(self) -> str:
        """The file that keeps an empty folder in git: the one the spec's stale-keep-file check knows."""
        checks = (options for rule in self.rules for options in rule.check)
        found = (c.name for c in checks if isinstance(c, stale_keep_file.Options))
        return next(found, stale_keep_file.Options.name)

    def enabled_checks(self) -> Iterator[tuple[Rule, AnyOptions]]:
        """(rule, check options) of every rule the config leaves on, whatever a run selects."""
        return ((rule, options) for rule in self.rules if rule.id not in self.disabled for options in rule.check)


def find_rule(rules: Iterable[R], key: str) -> R | None:
    """A rule by id, case-insensitive, or by name."""
    return next((rule for rule in rules if key.upper() == rule.id or key == rule.name), None)
