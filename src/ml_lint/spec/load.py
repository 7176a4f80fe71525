"""Layout specs: the YAML that says what a repository must look like.

A spec is data: placeholders for naming patterns and a list of rules, each
with a stable id, a name, a default severity, user documentation and one or
more checks of a registered kind. See docs/spec.md for the format.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError, model_validator

from ml_lint.checks import KINDS
from ml_lint.checks.base import CheckOptions
from ml_lint.errors import SpecError
from ml_lint.patterns import NamePattern, PatternError, Placeholder
from ml_lint.repo.fs import is_inside
from ml_lint.ruleset import Rule, find_rule
from ml_lint.spec.strict import StrictModel
from ml_lint.spec.yamlfile import YamlDocument, load_yaml


class Document(Protocol):
    """A parsed config or spec file that can say on which line a key is."""

    file: str
    data: Any

    def line_of(self, loc: tuple[Any, ...]) -> int | None: ...


class Spec(StrictModel):
    name: str
    description: str = ""
    # A built-in spec name or a spec file (relative to this one) whose
    # placeholders and rules this spec starts from; a rule with the same id
    # replaces the inherited one.
    extends: str | None = None
    placeholders: dict[str, Placeholder] = {}
    rules: list[Rule] = []

    @model_validator(mode="after")
    def _unique(self) -> Spec:
        if not self.rules and not self.extends:
            raise ValueError("a spec needs at least one rule under 'rules'")
        for attr in ("id", "name"):
            seen: set[str] = set()
            for rule in self.rules:
                value = getattr(rule, attr)
                if value in seen:
                    raise ValueError(f"two rules have the {attr} '{value}'")
                seen.add(value)
        return self

    def rule(self, key: str) -> Rule | None:
        return find_rule(self.rules, key)


def builtin_dir() -> Path:
    packaged = Path(__file__).parents[1] / "rules"
    if packaged.is_dir():
        return packaged
    # An editable install runs from the checkout, where rules/ sits at the top.
    return Path(__file__).resolve().parents[3] / "rules"


def builtin_names() -> list[str]:
    return sorted(p.stem for p in builtin_dir().glob("*.yaml"))


ENTRY_POINT_GROUP = "ml_lint.specs"
NAME = re.compile(r"[a-z0-9][a-z0-9_.-]*")


@dataclass(frozen=True)
class PackageSpec:
    """A spec an installed package provides: entry point `NAME = "module:file.yaml"` in group ml_lint.specs."""

    name: str
    value: str  # the entry point's value, e.g. "acme_specs:acme.yaml"
    distribution: str
    version: str
    package: Path | None  # the module's folder; None when it cannot be found
    file: Path | None  # the YAML file inside it; None when the value names no file there
    metadata: Path | None  # the distribution's METADATA: its stamp changes when the package does

    @property
    def display(self) -> str:
        return f"<{self.distribution} {self.version}: {self.name}>"

    def problem(self) -> str | None:
        """Why this entry point gives no spec, or None."""
        module, sep, resource = self.value.partition(":")
        if not sep or not resource:
            return f"entry point '{self.name} = {self.value}' must be 'module:file.yaml' (a file inside the module)"
        if self.package is None:
            return f"module '{module}' of entry point '{self.name}' is not an installed package folder"
        if self.file is None:
            return f"'{resource}' is not a file inside {module} (entry point '{self.name}' of {self.distribution})"
        return None


@lru_cache(maxsize=1)
def package_specs() -> dict[str, PackageSpec]:
    """Specs of installed packages by name (the first distribution wins a name two provide)."""
    from importlib.metadata import distributions

    found: dict[str, PackageSpec] = {}
    for dist in distributions():
        for entry in dist.entry_points:
            if entry.group != ENTRY_POINT_GROUP or entry.name in found:
                continue
            found[entry.name] = _package_spec(entry.name, entry.value, dist)
    return dict(sorted(found.items()))


def _package_spec(name: str, value: str, dist: Any) -> PackageSpec:
    import importlib.util

    module, _, resource = (part.strip() for part in value.partition(":"))
    package = file = None
    try:
        found = importlib.util.find_spec(module) if module else None
    except (ImportError, ValueError):
        found = None
    locations = list(found.submodule_search_locations or []) if found is not None else []
    if locations:
        package = Path(locations[0]).resolve()
        candidate = (package / resource).resolve() if resource else None
        if candidate is not None and candidate.is_file() and is_inside(candidate, package):
            file = candidate
    path = getattr(dist, "_path", None)  # a PathDistribution's .dist-info folder
    metadata = path / "METADATA" if isinstance(path, Path) and (path / "METADATA").is_file() else None
    meta_name = dist.metadata["Name"] if dist.metadata is not None else None
    return PackageSpec(name, value, meta_name or "?", dist.version or "?", package, file, metadata)


def specs_listing() -> str:
    """`ml-lint rules --specs`: every spec `extends` can name, and where it comes from."""
    rows = [(name, "built-in", str(builtin_dir() / f"{name}.yaml")) for name in builtin_names()]
    for name, packaged in package_specs().items():
        where = f"{packaged.distribution} {packaged.version} ({packaged.value})"
        shadowed = name in builtin_names()
        problem = "shadowed by the built-in spec of that name" if shadowed else packaged.problem()
        rows.append((name, where, f"unusable: {problem}" if problem else str(packaged.file)))
    width = [max(len(row[i]) for row in rows) for i in (0, 1)]
    return "".join(f"{n:<{width[0]}}  {w:<{width[1]}}  {f}\n" for n, w, f in rows)


def resolve(name_or_path: str, relative_to: Path | None = None, confine: Path | None = None) -> tuple[Path, str]:
    """(file, display name) of a built-in spec name, a package spec name, or a spec file path.

    With `confine`, a spec file must lie inside that folder once `..` and
    symlinks are resolved: a repository's config may not read files outside
    it, and a package's spec may not read files outside the package.
    """
    if re.fullmatch(r"[a-z0-9-]+", name_or_path) and name_or_path in builtin_names():
        return builtin_dir() / f"{name_or_path}.yaml", f"<built-in {name_or_path}>"
    if NAME.fullmatch(name_or_path) and not name_or_path.endswith((".yaml", ".yml")):
        packaged = package_specs().get(name_or_path)
        if packaged is not None:
            problem = packaged.problem()
            if problem is not None:
                raise SpecError(name_or_path, None, None, problem)
            assert packaged.file is not None
            return packaged.file, packaged.display
    path = Path(name_or_path)
    if relative_to is not None and not path.is_absolute():
        path = relative_to / path
    if not path.is_file():
        known = ", ".join(builtin_names())
        installed = ", ".join(package_specs()) or "none installed"
        raise SpecError(
            name_or_path, None, None,
            f"no such spec file, built-in spec (built-in: {known}) or package spec (ml_lint.specs: {installed}); "
            "list them with `ml-lint rules --specs`",
        )  # fmt: skip
    if (
        confine is not None
        and not is_inside(path, confine)
        and any(p.package == confine for p in package_specs().values())
    ):
        raise SpecError(
            name_or_path, None, None,
            "the spec file is outside the package; a package's spec may only extend built-in specs, "
            "other packages' specs (by name) or spec files inside its own package",
        )  # fmt: skip
    if confine is not None and not is_inside(path, confine):
        raise SpecError(
            name_or_path, None, None,
            "the spec file is outside the repository; a repository's config may only extend built-in "
            "specs or spec files inside the repository (give any other spec with --spec or --config)",
        )  # fmt: skip
    return path, str(name_or_path)


def load_spec(
    name_or_path: str = "ml-project",
    relative_to: Path | None = None,
    confine: Path | None = None,
    sources: list[Path] | None = None,
) -> Spec:
    """A spec by built-in name or file; with `confine`, every file of its `extends` chain must lie inside it.

    Each file read is appended to `sources`.
    """
    path, display = resolve(name_or_path, relative_to, confine)
    return _load_chain(path, display, (), _confine(path, confine), [] if sources is None else sources)


def _confine(path: Path, confine: Path | None) -> Path | None:
    """Where the specs a spec file extends must lie: a package's spec never reads outside its package."""
    resolved = path.resolve()
    for packaged in package_specs().values():
        if packaged.file == resolved and packaged.package is not None:
            return packaged.package
    return confine


def package_sources(sources: list[Path]) -> list[Path]:
    """The METADATA files of the packages whose specs are among `sources` (their versions key the cache)."""
    resolved = {path.resolve() for path in sources}
    return [p.metadata for p in package_specs().values() if p.file in resolved and p.metadata is not None]


def _load_chain(path: Path, display: str, chain: tuple[Path, ...], confine: Path | None, sources: list[Path]) -> Spec:
    """A spec file with its `extends` chain resolved, innermost first."""
    sources.append(path)
    try:
        doc, spec = _read_spec(path, display, _stamp(path))
        if spec.extends is None:
            return spec
    except SpecError as exc:
        raise exc.in_spec() from None
    here = path.resolve()
    line = doc.line_of(("extends",))
    try:
        parent_path, parent_display = resolve(spec.extends, path.parent, confine)
    except SpecError as exc:
        raise SpecError(doc.file, line, "extends", exc.problem) from None
    if parent_path.resolve() in (*chain, here):
        raise SpecError(doc.file, line, "extends", f"'{spec.extends}' extends this file again: a cycle")
    parent = _load_chain(parent_path, parent_display, (*chain, here), _confine(parent_path, confine), sources)
    try:
        return _merge(parent, spec, doc)
    except SpecError as exc:
        raise exc.in_spec() from None


@lru_cache(maxsize=64)
def _read_spec(path: Path, display: str, stamp: object) -> tuple[YamlDocument, Spec]:
    """A spec file parsed and validated, once per run: the projects of a repository share their specs.

    `stamp` (the file's) is part of the key, so an edited file is read again.
    """
    doc = load_yaml(path, display)
    spec = validate_spec(doc, check_patterns=False)
    if spec.extends is None:
        _check_patterns(spec, doc, spec.rules)
    return doc, spec


def _stamp(path: Path) -> object:
    from ml_lint.cache import source_stamp  # a link and what it points to: editing either is a new spec

    return (str(path.resolve()), tuple(source_stamp(path) or ()))


def _merge(parent: Spec, child: Spec, doc: YamlDocument) -> Spec:
    rules = {rule.id: rule for rule in parent.rules}
    rules.update((rule.id, rule) for rule in child.rules)  # same id: replaced in place
    try:
        merged = Spec(
            name=child.name,
            description=child.description or parent.description,
            placeholders={**parent.placeholders, **child.placeholders},
            rules=list(rules.values()),
        )
    except ValidationError as exc:
        raise SpecError(
            doc.file, doc.line_of(("rules",)), "rules", exc.errors()[0]["msg"].removeprefix("Value error, ")
        ) from None
    _check_patterns(merged, doc, child.rules)
    return merged


def validate_spec(doc: YamlDocument, check_patterns: bool = True) -> Spec:
    if not isinstance(doc.data, dict):
        raise SpecError(doc.file, 1, None, "a spec must be a mapping with 'name' and 'rules'")
    try:
        spec = Spec.model_validate(doc.data)
    except ValidationError as exc:
        raise spec_error(doc, exc) from None
    if check_patterns:
        _check_patterns(spec, doc, spec.rules)
    return spec


MAX_REPORTED = 10  # problems of one file reported at once: enough to fix in one go


def spec_error(
    doc: Document, exc: ValidationError, prefix: tuple[str | int, ...] = (), tags: Collection[str] = frozenset(KINDS)
) -> SpecError:
    """pydantic's errors (up to MAX_REPORTED), located in the YAML (or TOML) file; `tags` are union tags to drop."""
    located = [_locate_error(doc, error, prefix, tags) for error in exc.errors()[:MAX_REPORTED]]
    line, key, message = located[0]
    more = [
        f"\n  {doc.file}:{ln or '?'}: at '{k}': {m}" if k else f"\n  {doc.file}:{ln or '?'}: {m}"
        for ln, k, m in located[1:]
    ]
    if more:
        count = len(exc.errors())
        shown = f" (first {MAX_REPORTED} of {count})" if count > MAX_REPORTED else ""
        message += f"\nand {len(more)} more problem{'s' if len(more) > 1 else ''}{shown}:" + "".join(more)
    return SpecError(doc.file, line, key, message)


def _locate_error(
    doc: Document, error: Any, prefix: tuple[str | int, ...], tags: Collection[str]
) -> tuple[int | None, str | None, str]:
    loc = (*prefix, *(part for part in error["loc"] if part not in tags))
    message = error["msg"].removeprefix("Value error, ")
    unknown = re.match(r"unknown key '(.*?)';", message)
    if unknown:  # point at the misspelt key itself, not at the mapping holding it
        loc = (*loc, unknown.group(1))
    duplicate = re.match(r"two rules have the (id|name) '(.*)'$", message)
    if duplicate and not loc:  # point at the second rule that uses it
        loc = _duplicate_loc(doc.data, *duplicate.groups())
    if error["type"] in ("literal_error", "enum"):
        message = f"{message} (got {error.get('input')!r})"
    return doc.line_of(loc), ".".join(map(str, loc)) or None, message


def _duplicate_loc(data: Any, attr: str, value: str) -> tuple[str | int, ...]:
    rules = data.get("rules") if isinstance(data, dict) else None
    indexes = [i for i, r in enumerate(rules or []) if isinstance(r, dict) and str(r.get(attr)) == value]
    return ("rules", indexes[1], attr) if len(indexes) > 1 else ()


def check_name_templates(
    check: CheckOptions, placeholders: dict[str, Placeholder], doc: Document, loc: tuple[str | int, ...]
) -> None:
    """A check's naming templates use known placeholders; `loc` locates its `patterns`."""
    for k, template in enumerate(KINDS[check.kind].name_templates(check)):
        try:
            NamePattern.compile(template, placeholders)
        except PatternError as exc:
            raise SpecError(doc.file, doc.line_of((*loc, k)), ".".join(map(str, loc)), str(exc)) from None


def _check_patterns(spec: Spec, doc: YamlDocument, written: list[Rule]) -> None:
    """Every naming pattern of the rules written in `doc` uses known placeholders."""
    for i, rule in enumerate(written):
        for j, check in enumerate(rule.check):
            check_name_templates(check, spec.placeholders, doc, ("rules", i, "check", j, "patterns"))
