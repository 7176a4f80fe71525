"""Project configuration: `.ml-lint.yaml` (or `.ml-lint.yml`) or `[tool.ml-lint]` in pyproject.toml.

A config names the spec it starts from (`extends`), overrides rules and
placeholders, and says which paths are not checked at all (`exclude`) or not
by some rules (`per-path-ignores`). Loading merges it onto the spec and
validates the result, so every error points at the config file and line.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, TypeAdapter, ValidationError

from ml_lint.checks import KINDS, AnyOptions
from ml_lint.errors import SpecError
from ml_lint.frozen import encode, option_names
from ml_lint.patterns import Placeholder
from ml_lint.projects import CONFIG_NAMES, PYPROJECT, has_tool_table
from ml_lint.repo.fs import is_inside, read_file
from ml_lint.repo.pathmatch import check_patterns
from ml_lint.result import Severity
from ml_lint.ruleset import PathFilters, Rule, RuleSet
from ml_lint.spec.load import Document, Spec, check_name_templates, load_spec, spec_error
from ml_lint.spec.strict import StrictModel
from ml_lint.spec.yamlfile import MAX_BYTES, YamlDocument, load_yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

TOML_TABLE = ("tool", "ml-lint")


class RuleOverride(BaseModel):
    """Changes to one rule: its severity, options of its check, or all its checks.

    Besides `severity` and `check`, any option of the rule's check kind may be
    given (`patterns`, `folders`, `paths`, ...); which ones depends on the rule
    and is checked when the config is applied.
    """

    model_config = ConfigDict(extra="allow", frozen=True)

    severity: Severity | None = None
    check: list[AnyOptions] | None = Field(default=None, description="replaces all checks of the rule")


def _setting_kind(value: Any) -> str:
    return "override" if isinstance(value, (dict, RuleOverride)) else "switch"


# `off` is YAML 1.1 for false, so `ML304: off` arrives here as False. A
# mapping is always an override, so its errors are not drowned in union noise.
RuleSetting = Annotated[
    Union[  # noqa: UP007
        Annotated[Literal[False, True, "off", "on"], Tag("switch")],
        Annotated[RuleOverride, Tag("override")],
    ],
    Discriminator(_setting_kind),
]
UNION_TAGS = {*KINDS, "switch", "override"}


class Config(StrictModel):
    """The project configuration file."""

    extends: str = Field(default="ml-project", description="built-in spec name or spec file to start from")
    placeholders: dict[str, Placeholder] = Field(default={}, description="added to or replacing the spec's")
    rules: dict[str, RuleSetting] = Field(default={}, description="rule id or name -> off, or overrides")
    exclude: list[str] = Field(default=[], description="gitignore-style patterns of paths never checked")
    per_path_ignores: dict[str, list[str]] = Field(
        default={}, alias="per-path-ignores", description="gitignore-style pattern -> rule ids or names"
    )


@dataclass(frozen=True)
class Project:
    """The active spec with the config applied, and the rules the config turned off."""

    spec: Spec
    disabled: frozenset[str] = frozenset()
    filters: PathFilters = PathFilters()
    source: str | None = None  # the config file, if any
    sources: tuple[Path, ...] = ()  # every file read: the config and the spec files
    overridden: frozenset[str] = frozenset()  # rules whose options the config changed

    @property
    def ruleset(self) -> RuleSet:
        return RuleSet(
            self.spec.name, dict(self.spec.placeholders), tuple(self.spec.rules), self.disabled, self.filters
        )


def config_candidates(root: Path, config_file: str | None) -> list[Path]:
    """Files whose appearance would change which config is found."""
    return [] if config_file else [*(root / name for name in CONFIG_NAMES), root / PYPROJECT]


def find_config(root: Path) -> Path | None:
    """The repo's config file: .ml-lint.yaml or .ml-lint.yml, else pyproject.toml with [tool.ml-lint]."""
    found = [root / name for name in CONFIG_NAMES if (root / name).is_file()]
    if len(found) > 1:
        raise SpecError(
            _display(found[1]), None, None,
            f"both {CONFIG_NAMES[0]} and {CONFIG_NAMES[1]} exist, so which one applies is unclear: "
            "merge them into one and delete the other",
        )  # fmt: skip
    if found:
        return found[0]
    pyproject = root / PYPROJECT
    return pyproject if pyproject.is_file() and has_tool_table(pyproject, follow_symlinks=True) else None


def load_project(root: Path, config_file: str | None = None, spec: str | None = None) -> Project:
    """The spec (`spec` overrides the config's `extends`) with the repo's config applied.

    A config found in the repository is untrusted (it comes with the changes
    being checked): it and the spec files it extends must lie inside the
    repository. A config or spec named on the command line is the user's own.
    """
    path = Path(config_file) if config_file else find_config(root)
    sources: list[Path] = []
    if path is None:
        return Project(load_spec(spec or "ml-project", sources=sources), sources=tuple(sources))
    confine = None if config_file else root
    if confine is not None and not is_inside(path, confine):
        raise SpecError(
            _display(path),
            None,
            None,
            "the config is a symlink to a file outside the repository; ml-lint does not follow it",
        )
    doc = _load_document(path, config_file or _display(path))
    config = _validate(doc)
    sources.append(path)
    if spec is not None:
        base = load_spec(spec, sources=sources)
    else:
        try:
            base = load_spec(config.extends, path.parent, confine, sources=sources)
        except SpecError as exc:
            if exc.line is not None:  # an error inside the spec file itself
                raise
            raise SpecError(doc.file, doc.line_of(("extends",)), "extends", exc.problem) from None
    return replace(apply(config, doc, base), sources=tuple(sources))


def _read(path: Path) -> str:
    try:
        return read_file(path, limit=MAX_BYTES, follow_symlinks=True).decode("utf-8-sig")
    except OSError as exc:
        raise SpecError(str(path), None, None, f"cannot read file: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise SpecError(str(path), None, None, "file is not UTF-8 text") from None


def _display(path: Path) -> str:
    """The path as users see it: relative to the current folder when below it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _load_document(path: Path, display: str) -> YamlDocument | TomlDocument:
    if path.suffix != ".toml":
        return load_yaml(path, display)
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _toml_error_line(str(exc))
        raise SpecError(display, line, None, f"not valid TOML: {exc}") from None
    except RecursionError:
        raise SpecError(display, None, None, "not valid TOML: nested too deeply") from None
    # A pyproject.toml, or any TOML file with a [tool] table, holds the config in
    # [tool.ml-lint]; another TOML file is the config itself.
    table: Any = data
    if path.name == PYPROJECT or "tool" in data:
        tool = data.get("tool")
        table = tool.get("ml-lint") if isinstance(tool, dict) else None
        if table is None:
            raise SpecError(
                display, None, None,
                "it has no [tool.ml-lint] table, so it configures nothing for ml-lint: add one "
                "(e.g. `[tool.ml-lint]` then `extends = \"ml-project\"`) or give another --config",
            )  # fmt: skip
    return TomlDocument(display, table, text)


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


class TomlDocument:
    """A TOML config with a best-effort line finder (tomllib keeps no positions)."""

    def __init__(self, file: str, data: Any, text: str):
        self.file, self.data, self.lines = file, data, text.splitlines()

    def line_of(self, loc: tuple) -> int | None:
        # Find each key of the path in turn, below the [tool.ml-lint] header.
        line = self._find(r"\[\s*tool\s*\.\s*\"?ml-lint\"?", 0) if self.file.endswith(PYPROJECT) else None
        for part in loc:
            if not isinstance(part, str):
                break
            found = self._find(r'(?:^|[\s.\[{,])["\']?' + re.escape(part) + r'["\']?\s*[=.\]]', line or 0)
            if found is None:
                break
            line = found
        return line

    def _find(self, pattern: str, start: int) -> int | None:
        regex = re.compile(pattern)
        for number in range(max(start - 1, 0), len(self.lines)):
            if regex.search(self.lines[number].split("#", 1)[0]):
                return number + 1
        return None


def _validate(doc: YamlDocument | TomlDocument) -> Config:
    if doc.data is None:
        return Config()
    if not isinstance(doc.data, dict):
        raise SpecError(doc.file, 1, None, "a config must be a mapping of keys such as 'extends' and 'rules'")
    try:
        return Config.model_validate(doc.data)
    except ValidationError as exc:
        raise spec_error(doc, exc, (), UNION_TAGS) from None


def apply(config: Config, doc: YamlDocument | TomlDocument, spec: Spec) -> Project:
    """The spec with the config merged onto it, validated; errors point into `doc`."""
    placeholders = {**spec.placeholders, **config.placeholders}
    rules = {rule.id: rule for rule in spec.rules}
    disabled: set[str] = set()
    for key, setting in config.rules.items():
        rule = _rule(spec, key, doc, ("rules", key))
        if setting in (False, "off"):
            disabled.add(rule.id)
        elif isinstance(setting, RuleOverride):
            rules[rule.id] = _override(rule, setting, doc, ("rules", key), placeholders)
    merged = spec.model_copy(update={"placeholders": placeholders, "rules": list(rules.values())})
    changed = frozenset(rule.id for rule in spec.rules if rules[rule.id].check != rule.check)
    return Project(merged, frozenset(disabled), _filters(config, doc, spec), doc.file, overridden=changed)


def _rule(spec: Spec, key: str, doc: Document, loc: tuple[str | int, ...]) -> Rule:
    rule = spec.rule(key)
    if rule is None:
        known = ", ".join(r.id for r in spec.rules)
        raise SpecError(
            doc.file,
            doc.line_of(loc),
            ".".join(map(str, loc)),
            f"unknown rule '{key}' in spec '{spec.name}'; known rules: {known}",
        )
    return rule


def _override(
    rule: Rule, setting: RuleOverride, doc: Document, loc: tuple[str, ...], placeholders: dict[str, Placeholder]
) -> Rule:
    checks = list(setting.check) if setting.check is not None else list(rule.check)
    for option, value in (setting.model_extra or {}).items():
        owners = [i for i, check in enumerate(checks) if option in option_names(check)]
        where = doc.line_of((*loc, option))
        if option == "placeholders":
            raise SpecError(
                doc.file,
                where,
                f"{'.'.join(loc)}.{option}",
                "placeholders are shared by all rules: set them under the top-level 'placeholders:' key",
            )
        if not owners:
            allowed = sorted({"severity", "check"} | {f for c in checks for f in option_names(c)})
            raise SpecError(
                doc.file,
                where,
                f"{'.'.join(loc)}.{option}",
                f"unknown key '{option}' for rule {rule.id}; allowed keys: {', '.join(allowed)}",
            )
        if len(owners) > 1:
            raise SpecError(
                doc.file,
                where,
                f"{'.'.join(loc)}.{option}",
                f"rule {rule.id} has {len(owners)} checks with '{option}': replace them all with 'check:'",
            )
        i = owners[0]
        try:
            checks[i] = _adapter(AnyOptions).validate_python({**encode(checks[i]), option: value})
        except ValidationError as exc:
            raise spec_error(doc, exc, loc, UNION_TAGS) from None
        check_name_templates(checks[i], placeholders, doc, (*loc, option))
    if setting.check is not None:
        for j, check in enumerate(checks):
            check_name_templates(check, placeholders, doc, (*loc, "check", j, "patterns"))
    severity = setting.severity or rule.severity
    try:  # validated again as a whole: replace() would let an empty `check` through
        return _adapter(Rule).validate_python(
            {**encode(rule), "examples": rule.examples, "severity": severity, "check": checks}
        )
    except ValidationError as exc:
        raise spec_error(doc, exc, loc, UNION_TAGS) from None


@cache
def _adapter(kind: Any) -> TypeAdapter[Any]:
    """A validator for `kind`, built when an override first needs one (building it costs time)."""
    return TypeAdapter(kind)


def _filters(config: Config, doc: Document, spec: Spec) -> PathFilters:
    _check_gitignore_patterns(config.exclude, doc, ("exclude",))
    ignores = []
    for pattern, keys in config.per_path_ignores.items():
        loc = ("per-path-ignores", pattern)
        ids = frozenset(_rule(spec, key, doc, (*loc, i)).id for i, key in enumerate(keys))
        _check_gitignore_patterns([pattern], doc, loc)
        ignores.append((pattern, ids))
    return PathFilters(tuple(config.exclude), tuple(ignores))


def _check_gitignore_patterns(patterns: list[str], doc: Document, loc: tuple[str | int, ...]) -> None:
    try:
        check_patterns(patterns)
    except ValueError as exc:  # pathspec's GitWildMatchPatternError is a ValueError
        raise SpecError(
            doc.file, doc.line_of(loc), ".".join(map(str, loc)), f"not a gitignore pattern: {exc}"
        ) from None
