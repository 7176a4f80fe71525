"""The rules a check run applies: the spec with the config merged in, as plain data.

Validating a spec and config takes pydantic and YAML, whose imports alone
cost a quarter of a second, on every commit. What validation produces depends
only on the files it read, so it is kept in the cache as JSON together with
those files' stamps; while no stamp changes, a run starts from that JSON and
imports neither. ml_lint.spec and ml_lint.config are the validating side.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from ml_lint import __version__
from ml_lint.cache import read_entry, source_stamp, write_entry
from ml_lint.checks import fixable
from ml_lint.pathmatch import PathMatcher, path_matcher
from ml_lint.patterns import Placeholder
from ml_lint.violation import RuleInfo, Severity

if TYPE_CHECKING:
    from ml_lint.config import Project

CACHE_FILE = "ruleset-v2.json"  # key -> entry, for each installation, folder and command line
MAX_ENTRIES = 8
# A file whose ctime is this close to the load may have changed during it
# (coarse file system clocks included); its content is not worth caching.
RACY_NS = 2_000_000_000
R = TypeVar("R")


class ValidatedOptions:
    """One check's validated options as attributes (a nested mapping becomes one too)."""

    def __init__(self, data: dict[str, Any]):
        self.__dict__.update({key: _attributes(value) for key, value in data.items()}, _json=data)

    def as_json(self) -> dict[str, Any]:
        return self._json


def _attributes(value: Any) -> Any:
    if isinstance(value, dict):
        return ValidatedOptions(value)
    if isinstance(value, list):
        return [_attributes(item) for item in value]
    return value


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: Severity
    summary: str
    description: str
    hint: str | None
    check: tuple[ValidatedOptions, ...]

    def info(self) -> RuleInfo:
        return RuleInfo(self.id, self.name, self.severity, self.summary, self.description.strip(), fixable(self.check))


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
        return self.excluded(path) or any(rule_id in ids and path_matcher((pattern,))(path) for pattern, ids in self.ignores)


@dataclass(frozen=True)
class RuleSet:
    name: str  # the spec's
    placeholders: dict[str, Placeholder]
    rules: tuple[Rule, ...]
    disabled: frozenset[str] = frozenset()  # rules the config turns off
    filters: PathFilters = PathFilters()

    def rule(self, key: str) -> Rule | None:
        return find_rule(self.rules, key)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RuleSet:
        return cls(
            data["name"],
            {name: Placeholder(**fields) for name, fields in data["placeholders"].items()},
            tuple(
                Rule(**{**rule, "severity": Severity(rule["severity"]), "check": tuple(map(ValidatedOptions, rule["check"]))})
                for rule in data["rules"]
            ),
            frozenset(data["disabled"]),
            PathFilters(tuple(data["exclude"]), tuple((p, frozenset(ids)) for p, ids in data["ignores"])),
        )


def find_rule(rules: Iterable[R], key: str) -> R | None:
    """A rule (of a RuleSet or a validated spec) by id, case-insensitive, or by name."""
    return next((rule for rule in rules if key.upper() == rule.id or key == rule.name), None)


def project_json(project: Project) -> dict[str, Any]:
    """A validated ml_lint.config.Project as the JSON RuleSet.from_json reads."""
    spec = project.spec
    return {
        "name": spec.name,
        "placeholders": {name: p.model_dump(mode="json") for name, p in spec.placeholders.items()},
        "rules": [
            {
                "id": rule.id, "name": rule.name, "severity": rule.severity.value, "summary": rule.summary,
                "description": rule.description, "hint": rule.hint,
                "check": [options.model_dump(mode="json") for options in rule.check],
            }
            for rule in spec.rules
        ],
        "disabled": sorted(project.disabled),
        "exclude": list(project.filters.exclude),
        "ignores": [[pattern, sorted(ids)] for pattern, ids in project.filters.ignores],
    }  # fmt: skip


def load_ruleset(root: Path, config_file: str | None = None, spec: str | None = None, *, use_cache: bool = True) -> RuleSet:
    """The rule set for the repository at `root` (see ml_lint.config.load_project for the arguments)."""
    key = _key(root, config_file, spec)
    cached = read_entry(root, CACHE_FILE) if use_cache else None
    entries = cached if isinstance(cached, dict) else {}
    if _fresh(entries.get(key)):
        try:
            return RuleSet.from_json(entries[key]["ruleset"])
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # a damaged entry: validate again
    from ml_lint.config import load_project  # pydantic and YAML: only when the cache cannot answer

    started = time.time_ns()
    project = load_project(root, config_file, spec)
    data = project_json(project)
    if use_cache:
        sources = {str(path): source_stamp(path) for path in (*_candidates(root, config_file), *project.sources)}
        # s[2::4]: the ctimes of the link and of its target.
        if all(s is None or max(s[2::4]) < started - RACY_NS for s in sources.values()):
            entries.pop(key, None)  # re-inserted last: the oldest entries go first
            kept = list(entries.items())[-(MAX_ENTRIES - 1) :]
            write_entry(root, CACHE_FILE, {**dict(kept), key: {"sources": sources, "ruleset": data}})
    return RuleSet.from_json(data)


def _key(root: Path, config_file: str | None, spec: str | None) -> str:
    # Each installation has its own entry: an editable one may differ from a
    # release of the same version (pre-commit's and the user's often coexist).
    described = [__version__, str(Path(__file__).parent), os.getcwd(), str(root), config_file, spec]
    return hashlib.sha256(json.dumps(described).encode()).hexdigest()


def _candidates(root: Path, config_file: str | None) -> list[Path]:
    """Files whose appearance would change which config is found."""
    from ml_lint.config import CONFIG_FILE, PYPROJECT

    return [] if config_file else [root / CONFIG_FILE, root / PYPROJECT]


def _fresh(entry: Any) -> bool:
    # Every rule set comes from at least one spec file.
    if not isinstance(entry, dict) or not isinstance(entry.get("sources"), dict) or not entry["sources"]:
        return False
    return all(source_stamp(Path(path)) == recorded for path, recorded in entry["sources"].items())
