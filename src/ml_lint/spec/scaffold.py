"""`ml-lint init`: lay out a new project from the spec's own rules.

Nothing here knows a template: required paths become files and folders,
`gitignored` folders and `naming` artefacts become .gitignore lines, `required-file` rules put a
stub of their first file into the folders created here. So the YAML that
checks a repository also scaffolds it, and a fresh scaffold passes `check`.
"""

from __future__ import annotations

import os
from pathlib import Path

from ml_lint import __version__
from ml_lint.checks import forbidden_text, gitignored, naming, required_file, required_paths
from ml_lint.errors import UsageError
from ml_lint.repo.fs import append_missing_lines
from ml_lint.repo.ignore import IgnoreRules
from ml_lint.ruleset import RuleSet

CONFIG_SCHEMA = "https://raw.githubusercontent.com/ml-lint/ml-lint/main/docs/schema/config.json"
HOOK_REPO = "https://github.com/ml-lint/ml-lint"


def _stub(name: str, project: str, marker: str | None = None) -> str:
    """Starter content that says what to write there.

    When the spec forbids a placeholder marker in the file (a `forbidden-text`
    check), each section to fill starts with that marker, as in the project
    template: the check warns until someone has written it.
    """
    todo = f"{marker}: " if marker else ""
    if name.lower() == "readme.md":
        return (
            f"# {project}\n\n{todo}What this project is for.\n\n## Installation\n\n{todo}How to set it up.\n\n"
            f"## Usage\n\n{todo}How to run it.\n"
        )
    if name.lower() in ("license", "license.md", "license.txt"):
        return f"{todo}Choose a licence for this project (https://choosealicense.com) and put its text here.\n"
    if name == "pyproject.toml":
        package = "".join(c if c.isalnum() else "-" for c in project.lower()).strip("-") or "project"
        return f'[project]\nname = "{package}"\nversion = "0.1.0"\n'
    return ""


def layout(
    ruleset: RuleSet, extends: str | None, project: str, hook_config: bool = True
) -> tuple[dict[str, str], list[str]]:
    """(path -> content of every file to create, lines .gitignore must have)."""
    checks = [check for rule in ruleset.rules for check in rule.check]
    markers = {
        name: check.markers[0] for check in checks if isinstance(check, forbidden_text.Options) for name in check.files
    }
    default_keep = ruleset.keep_file()
    keep: dict[str, str] = {}  # folder -> the file that keeps it in git while empty
    files: dict[str, str] = {}
    ignore: list[str] = []
    for check in checks:
        if isinstance(check, required_paths.Options):
            for path in check.paths:
                if path.endswith("/"):
                    keep.setdefault(path.strip("/"), default_keep)
                else:
                    files.setdefault(path, _stub(path.rsplit("/", 1)[-1], project, markers.get(path)))
        elif isinstance(check, gitignored.Options) and check.keep:
            # An ignored folder can only be committed through a file it keeps.
            name = default_keep if default_keep in check.keep else check.keep[0]
            for folder in (f.strip("/") for f in check.folders):
                keep[folder] = name
                ignore += gitignored.ignore_lines(check, folder)
    for check in checks:
        if isinstance(check, naming.Options):  # tool output that a naming rule says belongs in .gitignore
            ignore += check.artefacts
    for check in checks:
        if isinstance(check, required_file.Options):
            for folder in (f.strip("/") for f in check.folders if f.strip("/") in keep):
                files.setdefault(f"{folder}/{check.any_of[0]}", _stub(check.any_of[0], project))
    for folder, name in keep.items():
        # Only an otherwise empty folder needs a keep file; anywhere else it
        # would be stale.
        inside = [p for p in [*files, *(f + "/" for f in keep if f != folder)] if p.startswith(folder + "/")]
        if not inside:
            files.setdefault(f"{folder}/{name}", "")
    if extends is not None:
        files.setdefault(".ml-lint.yaml", f"# yaml-language-server: $schema={CONFIG_SCHEMA}\nextends: {extends}\n")
    if hook_config:  # pre-commit reads the repository root's only: not for a project in a sub-folder
        files.setdefault(".pre-commit-config.yaml", _pre_commit())
    return files, list(dict.fromkeys(ignore))


def _has_content(root: Path, folder: Path, rules: IgnoreRules) -> bool:
    """Whether `folder` already holds a file git would commit (not ignored)."""
    for current, dirs, names in os.walk(folder):
        rel = Path(current).relative_to(root).as_posix()
        dirs[:] = [d for d in dirs if d != ".git" and not rules.ignored(f"{rel}/{d}", True)]
        if any(not rules.ignored(f"{rel}/{n}") for n in names):
            return True
    return False


HOOK_ENTRY = f"  - repo: {HOOK_REPO}\n    rev: v{__version__}\n    hooks:\n      - id: ml-lint\n"
INSTALL_TYPES = "default_install_hook_types: [pre-commit, pre-push]\n"


def _pre_commit() -> str:
    # pre-push runs the ML303 check on what is pushed; `pre-commit install` installs both.
    return f"{INSTALL_TYPES}repos:\n{HOOK_ENTRY}"


def pre_commit_advice(root: Path) -> list[str]:
    """What an existing .pre-commit-config.yaml lacks, and exactly what to add (it is never rewritten)."""
    path = root / ".pre-commit-config.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    advice = []
    if "id: ml-lint" not in text:
        advice.append(f".pre-commit-config.yaml has no ml-lint hook: add under `repos:`\n{HOOK_ENTRY.rstrip()}")
    if "default_install_hook_types" not in text:
        advice.append(
            ".pre-commit-config.yaml does not install the pre-push hook that checks what is pushed: add at "
            f"its top\n  {INSTALL_TYPES.rstrip()}"
        )
    return advice


def scaffold(root: Path, ruleset: RuleSet, extends: str | None, hook_config: bool = True) -> list[str]:
    """Create what is missing under `root`; never overwrite. Returns what was done.

    `extends` goes into a new .ml-lint.yaml; None when the project has a config.
    """
    files, ignore = layout(ruleset, extends, root.resolve().name, hook_config)
    keep_files = {path for path, content in files.items() if not content and path.rpartition("/")[2].startswith(".")}
    done = []
    try:
        # .gitignore first: whether a folder needs its keep file depends on what it ignores.
        root.mkdir(parents=True, exist_ok=True)
        existed = (root / ".gitignore").exists()
        added = len(append_missing_lines(root / ".gitignore", ignore))
        rules = IgnoreRules(root)
        for path, content in sorted(files.items()):
            target = root / path
            if os.path.lexists(target):
                continue
            if path in keep_files and _has_content(root, target.parent, rules):
                continue  # a keep file there would be stale at once
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "x", encoding="utf-8", newline="\n") as out:  # "x": never overwrite
                out.write(content)
            done.append(f"created {path}")
        if added:
            done.append(
                f"added {added} line{'s' if added > 1 else ''} to .gitignore" if existed else "created .gitignore"
            )
    except OSError as exc:
        raise UsageError(f"cannot create {exc.filename}: {exc.strerror}") from None
    return done
