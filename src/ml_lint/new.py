"""`ml-lint new FOLDER DESCRIPTION`: create a file named the way the spec wants, in the right project.

Nothing here knows a template. FOLDER must be a folder of a `naming` check;
the first of its patterns whose placeholders can all be filled gives the name:
`--set NAME=VALUE`, then a date placeholder is today, then a placeholder's
`default`, then `fill: git-user` takes git's user.email (else user.name);
the DESCRIPTION, slugified, fills the one placeholder left. Copies (`--from`)
lose their outputs when the destination's `notebook-outputs` check forbids
them, or when the source's requires them and the destination has none (a
re-run); otherwise they keep them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ml_lint.checks import naming, notebook_outputs
from ml_lint.errors import UsageError
from ml_lint.patterns import NamePattern, Placeholder
from ml_lint.repo.pathmatch import path_matcher
from ml_lint.repo.repository import segment_matches
from ml_lint.ruleset import RuleSet


@dataclass(frozen=True)
class Request:
    folder: str
    description: str
    source: str | None = None
    values: tuple[tuple[str, str], ...] = ()  # --set NAME=VALUE


def slug(text: str) -> str:
    """Lowercase ASCII letters and digits in words joined by '-'."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def create(request: Request, git_user: Callable[[], str | None], today: date | None = None) -> Path:
    """Create the file (or folder) and return its path; UsageError when it cannot be done.

    `git_user` is asked only when a placeholder is filled from git's user.
    """
    from ml_lint.projects import place_of
    from ml_lint.repo.fs import existing_folder
    from ml_lint.ruleset.load import load_ruleset

    folder = Path(request.folder)
    existing = existing_folder(folder)
    root = place_of(existing).root or existing
    try:
        relative = folder.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise UsageError(f"'{request.folder}' is outside the project at {root}.") from None
    ruleset = load_ruleset(root)
    options = _naming_check(ruleset, relative)
    description = slug(request.description)
    if not description:
        raise UsageError(f"the description '{request.description}' has no letters or digits: describe the file.")
    name = _render(ruleset, options, dict(request.values), description, git_user, today or date.today())
    if options.entries == "folders":
        return _create_folder(folder / name, ruleset.keep_file())
    source = Path(request.source) if request.source else None
    suffix = "".join(source.suffixes) if source is not None else ".ipynb"
    target = folder / (name + suffix)
    if source is None:
        data = _new_notebook(request.description)
    else:
        data = _copy(ruleset, root, source, f"{relative}/{name}{suffix}")
    _write_new(target, data)
    return target


def _naming_check(ruleset: RuleSet, folder: str) -> naming.Options:
    governed: list[str] = []
    for _, options in ruleset.enabled_checks():
        if isinstance(options, naming.Options):
            governed += options.folders
            if any(_folder_matches(f, folder) for f in options.folders):
                return options
    raise UsageError(
        f"no naming rule governs '{folder}', so there is no name to follow. Folders with naming rules: "
        f"{', '.join(dict.fromkeys(governed)) or 'none'}."
    )


def _folder_matches(pattern: str, folder: str) -> bool:
    parts, names = pattern.strip("/").split("/"), folder.strip("/").split("/")
    return len(parts) == len(names) and all(segment_matches(n, p) for p, n in zip(parts, names, strict=True))


def _render(
    ruleset: RuleSet,
    options: naming.Options,
    given: dict[str, str],
    description: str,
    git_user: Callable[[], str | None],
    today: date,
) -> str:
    missing: list[list[str]] = []
    for template in options.patterns:
        pattern = NamePattern.compile(template, ruleset.placeholders)
        names = [s.text for s in pattern.segments if s.placeholder is not None]
        values: dict[str, str] = {}
        for segment in pattern.segments:
            if segment.placeholder is not None and segment.text not in values:
                value = _value(segment.text, segment.placeholder, given, git_user, today)
                if value is not None:
                    values[segment.text] = value
        unfilled = [n for n in dict.fromkeys(names) if n not in values]
        if len(unfilled) != 1:
            missing.append(unfilled[:-1] if unfilled else [])
            continue
        values[unfilled[0]] = description
        name = "".join(values[s.text] if s.placeholder is not None else s.text for s in pattern.segments)
        if pattern.matches(name):
            return name
        from ml_lint.patterns import explain_mismatch

        raise UsageError(f"{explain_mismatch(name, [pattern])}. Change the description or the --set values.")
    fewest = min(missing, key=len, default=[])
    sets = " ".join(f"--set {n}=VALUE" for n in fewest)
    raise UsageError(
        f"no naming pattern of this folder ({' or '.join(options.patterns)}) can be filled: "
        + (f"give {sets}." if fewest else "none has a placeholder for the description.")
    )


def _value(
    name: str, placeholder: Placeholder, given: dict[str, str], git_user: Callable[[], str | None], today: date
) -> str | None:
    if name in given:
        value = given[name]
        if not re.fullmatch(placeholder.regex, value):
            raise UsageError(f"--set {name}={value}: not {placeholder.describe()}.")
        return value
    if placeholder.date:
        return today.strftime(placeholder.date)
    if placeholder.default is not None:
        return placeholder.default
    if placeholder.fill == "git-user":
        return _user_id(git_user(), placeholder, name)
    return None


def _user_id(git_user: str | None, placeholder: Placeholder, name: str) -> str:
    """git's user.email local part (else user.name) made to match the placeholder."""
    raw = (git_user or "").split("@")[0].lower()
    for candidate in (re.sub(r"[^a-z0-9]", "", raw), re.sub(r"[^a-z0-9]", "", raw).lstrip("0123456789"), slug(raw)):
        if candidate and re.fullmatch(placeholder.regex, candidate):
            return candidate
    raise UsageError(
        f"cannot make {{{name}}} from git's user ('{git_user or ''}'): "
        f"give --set {name}=VALUE, or set it with `git config user.email you@example.com`."
    )


def _copy(ruleset: RuleSet, root: Path, source: Path, destination: str) -> bytes:
    from ml_lint.notebooks.reader import strip_outputs
    from ml_lint.repo.fs import read_file

    try:
        data = read_file(source, follow_symlinks=True)
    except OSError as exc:
        raise UsageError(f"cannot read '{source}': {exc.strerror}. Give an existing file with --from.") from None
    if not destination.endswith(".ipynb"):
        return data
    try:
        origin: str | None = source.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        origin = None
    rules = _output_rules(ruleset)
    to = {outputs for outputs, matches in rules if matches(destination)}
    since = {outputs for outputs, matches in rules if origin is not None and matches(origin)}
    if "forbidden" in to or ("required" in since and not to):
        try:
            return strip_outputs(data) or data
        except ValueError as exc:
            raise UsageError(f"'{source}' is not a notebook ml-lint can strip: {exc}") from None
    return data


def _output_rules(ruleset: RuleSet) -> list[tuple[str, Callable[[str], bool]]]:
    return [
        (options.outputs, path_matcher(tuple(options.paths)))
        for _, options in ruleset.enabled_checks()
        if isinstance(options, notebook_outputs.Options)
    ]


def _new_notebook(description: str) -> bytes:
    import nbformat
    from nbformat.v4 import new_markdown_cell, new_notebook

    notebook = new_notebook(cells=[new_markdown_cell(f"# {description.strip()}")])
    return (nbformat.writes(notebook) + "\n").encode("utf-8")


def _write_new(target: Path, data: bytes) -> None:
    """Write `target` atomically; never replace an existing file (exit 2 instead)."""
    from ml_lint.repo.fs import create_new

    if os.path.lexists(target):
        raise _exists(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        create_new(target, data)
    except FileExistsError:
        raise _exists(target) from None


def _exists(target: Path) -> UsageError:
    return UsageError(f"'{target}' already exists: ml-lint new never overwrites. Give another description.")


def _create_folder(target: Path, keep: str) -> Path:
    if os.path.lexists(target):
        raise _exists(target)
    target.mkdir(parents=True)
    (target / keep).touch()  # git keeps no empty folder
    return target
