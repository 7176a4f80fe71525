"""Several projects in one repository: which folders are project roots, and which project owns a file.

A folder holding `.ml-lint.yaml`, `.ml-lint.yml` or a `pyproject.toml` with a
`[tool.ml-lint]` table is a project root. The repository root is a project
when it has a config of its own, or when no sub-folder does. Each file
belongs to its nearest enclosing project only: a project inside a project
takes its files away from the outer one.

Project configs are found in the repository's one file listing (tracked and
untracked-not-ignored files), never by walking the disk; only the
`pyproject.toml` files of the listing are read, to look for the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ml_lint.repo.fs import read_file
from ml_lint.repo.repository import Repository

CONFIG_NAMES = (".ml-lint.yaml", ".ml-lint.yml")
PYPROJECT = "pyproject.toml"
# `[tool.ml-lint]`, `[tool."ml-lint"]`, `[tool.ml-lint.rules]` (not `[tool.ml-lint-extras]`), or under
# `[tool]` the keys `ml-lint = {...}` and `ml-lint.extends = ...`. Found without parsing the TOML
# (its import alone costs a hook 5 ms); loading the config parses it and reports what is wrong.
_TOOL_TABLE = re.compile(
    rb'^\s*\[\s*tool\s*\.\s*("ml-lint"|ml-lint)\s*[\].]|^\s*("ml-lint"|ml-lint)\s*(=\s*\{|\.)', re.M
)
_READ_LIMIT = 1 << 20
_ENDINGS = (*CONFIG_NAMES, PYPROJECT)


@dataclass(frozen=True)
class Layout:
    """The project roots of a repository, '' being the repository root, sorted."""

    projects: tuple[str, ...] = ("",)

    @property
    def single(self) -> bool:
        return self.projects == ("",)

    def owner(self, path: str) -> str | None:
        """The nearest project enclosing `path` (a file or folder), or None when no project does."""
        path = path.strip("/")
        while path:
            if path in self._roots:
                return path
            path = path.rpartition("/")[0]
        return "" if "" in self._roots else None

    @cached_property
    def _roots(self) -> frozenset[str]:
        return frozenset(self.projects)

    def inside(self, project: str) -> tuple[str, ...]:
        """The projects strictly inside `project`."""
        lead = f"{project}/" if project else ""
        return tuple(p for p in self.projects if p != project and p.startswith(lead))

    def below(self, folder: str) -> tuple[str, ...]:
        """The projects at or below `folder`."""
        folder = folder.strip("/")
        return tuple(p for p in self.projects if not folder or p == folder or p.startswith(folder + "/"))

    def view(self, repo: Repository, project: str) -> Repository:
        """The repository as `project` sees it: its files only, paths relative to its root."""
        inner = self.inside(project)
        return repo if not project and not inner else repo.subtree(project, inner)


def find_layout(repo: Repository, tool_tables: dict[str, bool] | None = None) -> Layout:
    """The projects of `repo`, from its file listing."""
    return layout_of(repo.root, repo.files, tool_tables if tool_tables is not None else {})


def layout_of(root: Path, files: list[str], tool_tables: dict[str, bool]) -> Layout:
    """The projects that `files` (a listing of the repository at `root`) make.

    `tool_tables` remembers which pyproject.toml files have the table, for a second look.
    """
    found: set[str] = set()
    configs = [path for path in files if path.endswith(_ENDINGS)]  # the one pass over every file: cheap
    for path in configs:
        folder, _, name = path.rpartition("/")
        if name == PYPROJECT and path not in tool_tables:
            tool_tables[path] = has_tool_table(root / path)
        if name in CONFIG_NAMES or (name == PYPROJECT and tool_tables[path]):
            found.add(folder)
    # A config that another config links to (`.ml-lint.yaml -> configs/ml-lint.yaml`) is that
    # project's config kept elsewhere, not a project of its own.
    found -= {folder for folder in map(lambda path: _linked_folder(root, path), configs) if folder is not None}
    if not found - {""}:
        return Layout()
    # The root has a config of its own: maybe an untracked, ignored one the listing leaves out.
    if "" not in found and _has_config(root):
        found.add("")
    return Layout(tuple(sorted(found)))


def _linked_folder(root: Path, path: str) -> str | None:
    """The folder of the file that config `path` links to, when it is a link to a config in the repository."""
    link = root / path
    if not link.is_symlink():
        return None
    try:
        target = link.resolve().relative_to(root.resolve()).as_posix()
    except (OSError, ValueError):
        return None
    return target.rpartition("/")[0] if target.endswith(_ENDINGS) else None


def has_tool_table(path: Path, follow_symlinks: bool = False) -> bool:
    """Whether the pyproject.toml at `path` has a [tool.ml-lint] table: then it is a project's config.

    The layout never reads through a link (a linked config is that of the folder it links to);
    the config loader does, as it reads the config itself.
    """
    try:
        return bool(_TOOL_TABLE.search(read_file(path, limit=_READ_LIMIT, follow_symlinks=follow_symlinks)))
    except (OSError, ValueError):
        return False


@dataclass(frozen=True)
class Place:
    """Where a folder stands: its repository and the project whose config governs it."""

    repository: Path | None  # the top of the git working tree; None outside git
    layout: Layout = Layout()
    project: Path | None = None  # the governing project's root; None when no config governs the folder

    @property
    def root(self) -> Path | None:
        """What ml-lint treats as the folder's project: the governing one, else the repository."""
        return self.project or self.repository


def place_of(folder: Path) -> Place:
    """The repository and project around `folder` (an existing folder); outside git nothing is listed."""
    from ml_lint.repo.git import GitNotFound
    from ml_lint.repo.repository import git_root

    try:
        top = git_root(folder)
    except GitNotFound:
        top = None
    if top is None:
        return Place(None)
    repo = Repository.discover(top)
    layout = find_layout(repo)
    try:
        here = folder.resolve().relative_to(repo.root.resolve()).as_posix()
    except ValueError:
        return Place(repo.root, layout)
    owner = layout.owner("" if here == "." else here)
    if owner is None or (layout.single and not _has_config(repo.root)):
        return Place(repo.root, layout)
    return Place(repo.root, layout, repo.root / owner if owner else repo.root)


def _has_config(folder: Path) -> bool:
    return any((folder / name).is_file() for name in CONFIG_NAMES) or has_tool_table(folder / PYPROJECT)
