"""What every check kind shares: the kind record, the run context, the option
types and helpers to find files."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Annotated, Any, Generic, Literal, Protocol, TypeVar

from ml_lint.frozen import Bounds, Validated
from ml_lint.patterns import NamePattern, Placeholder
from ml_lint.repo.comparison import Comparison
from ml_lint.repo.pathmatch import check_inside, check_patterns, path_matcher
from ml_lint.repo.repository import Repository, below
from ml_lint.result import Finding

if TYPE_CHECKING:
    from ml_lint.notebooks.reader import Cell, Notebook, NotebookError


def _gitignore_patterns(patterns: tuple[str, ...]) -> tuple[str, ...]:
    try:
        check_patterns(patterns)
    except ValueError as exc:
        raise ValueError(f"not a gitignore pattern: {exc}") from None
    return patterns


def _inside_repository(paths: tuple[str, ...]) -> tuple[str, ...]:
    check_inside(paths)  # a spec comes with the repository it checks: it may not reach outside
    return paths


# Paths and folders (with `*` wildcards) of the repository, never outside it.
RepoPaths = Annotated[tuple[str, ...], Validated(_inside_repository)]
# The same, at least one.
NonEmptyRepoPaths = Annotated[tuple[str, ...], Bounds(min_length=1), Validated(_inside_repository)]
# gitignore-style patterns of the files a check looks at.
GitignorePatterns = Annotated[tuple[str, ...], Validated(_gitignore_patterns)]
# The same, at least one.
Patterns = Annotated[tuple[str, ...], Bounds(min_length=1), Validated(_gitignore_patterns)]
# A list that may not be empty.
NonEmpty = Bounds(min_length=1)


class CheckOptions(Protocol):
    """What every kind's `Options` dataclass has: the kind's name."""

    @property
    def kind(self) -> str: ...


class NotebookOptions(CheckOptions, Protocol):
    """What a notebook kind's `Options` have besides: which notebooks to read."""

    @property
    def paths(self) -> tuple[str, ...]: ...


OptionsT = TypeVar("OptionsT", bound=CheckOptions)
Scope = Literal["files", "repo", "notebook"]


class CheckSkipped(Exception):
    """A check cannot run here (e.g. no git history); the message says why, as a note."""


@dataclass(frozen=True)
class Kind(Generic[OptionsT]):
    """One check kind: what a module of ml_lint.checks registers.

    scope "files": `check` looks only at the files named on the command line
    when there are some; "repo": `check` always looks at the whole repository
    (both may raise CheckSkipped); "notebook": the notebook pass calls
    `check_notebook` once per parsed notebook matching `options.paths`.
    """

    name: str
    doc: str  # the module docstring: the user documentation of the kind
    options: type[OptionsT]
    scope: Scope
    check: Callable[[OptionsT, Context], Iterable[Finding]] | None = None
    check_notebook: Callable[[OptionsT, str, Notebook], Iterable[Finding]] | None = None
    # Repairs findings, yielding (finding, what was done) for each one repaired.
    fix: Callable[[OptionsT, Context, list[Finding]], Iterable[tuple[Finding, str]]] | None = None
    can_fix: Callable[[OptionsT], bool] = lambda options: True
    # Starts slow git work early, so that it runs while the notebooks are checked.
    prefetch: Callable[[OptionsT, Context], None] | None = None
    # False: a notebook's metadata cannot opt out of this kind's findings.
    opt_out: bool = True
    # The notebook pass also hands over files it cannot read (as NotebookError).
    reads_unreadable: bool = False
    # True: the files of `options.paths` must never change, so fixes never write them.
    protects: bool = False
    # True: the files of `options.paths` (`options.ignore_case`) must not be committed at all.
    forbids: bool = False
    # True: looks only at the entries of `options.folders` (a run with PATHs lists just those folders).
    reads_folders: bool = False
    # The naming templates of these options, whose placeholders the spec must define.
    name_templates: Callable[[OptionsT], Iterable[str]] = lambda options: ()

    def fixable(self, options: Any) -> bool:
        return self.fix is not None and self.can_fix(options)

    def findings(self, options: Any, ctx: Context) -> list[Finding]:
        """Everything `check` finds, collected here so that CheckSkipped surfaces in one place."""
        assert self.check is not None, f"{self.name} checks notebooks one by one"
        return list(self.check(options, ctx))

    def notebook_findings(self, options: Any, path: str, notebook: Notebook | NotebookError) -> list[Finding]:
        assert self.check_notebook is not None, f"{self.name} is not a notebook check"
        return list(self.check_notebook(options, path, notebook))  # type: ignore[arg-type]


@dataclass
class Context:
    """What a check may look at during one run. Checks never run git themselves."""

    repo: Repository
    placeholders: dict[str, Placeholder]
    # Files named on the command line (as pre-commit passes them); None means
    # the whole repository. Per-file checks look only at these.
    targets: frozenset[str] | None = None
    # What "changed" means in this run (see ml_lint.repo.comparison).
    comparison: Comparison = Comparison()
    notes: list[str] = field(default_factory=list)
    # Paths the spec says must never change once committed: --fix never writes them.
    protected_paths: tuple[str, ...] = ()
    # The patterns (and ignore_case) of each forbidden-paths check of the rules
    # the config leaves on: what the spec says must not be committed.
    forbidden_paths: tuple[tuple[tuple[str, ...], bool], ...] = ()
    _matches: dict[tuple[tuple[str, ...], bool], list[str]] = field(default_factory=dict)

    def candidates(self, folder: str = "") -> list[str]:
        """Files below `folder` that per-file checks should look at."""
        files = self.repo.files_under(folder)
        if self.targets is None:
            return files
        if len(self.targets) < len(files):  # a hook run: look up the few targets, not every file
            return below(self._listed_targets, folder)
        return [f for f in files if f in self.targets]

    @cached_property
    def _listed_targets(self) -> list[str]:
        """The targets that are files of the repository, sorted."""
        return sorted(t for t in self.targets or () if t in self.repo.file_set)

    def targeted(self, path: str) -> bool:
        """Whether `path` (a file, or a folder ending in '/') concerns this run's targets.

        A folder target ("data/raw/", from a folder PATH) covers everything under
        it, files only on disk included. Set look-ups only: the cost grows with
        the number of targets, never with targets x entries.
        """
        if self.targets is None or path in self.targets:
            return True
        if path.endswith("/") and path in self._target_folders:
            return True  # a folder holding a target
        if not self._folder_targets:
            return False
        parts = path.rstrip("/").split("/")
        return any("/".join(parts[:depth]) + "/" in self.targets for depth in range(1, len(parts)))

    def entries(self, folder: str) -> dict[str, bool]:
        """The entries of `folder` (name -> is a folder) that concern this run's targets.

        All of them without targets or with a folder target; else the targets
        and the folders holding them, read from an index of the targets built
        once, so a batch of pre-commit's files costs what its files cost, not
        what the repository's 10,000 folders cost.
        """
        if self.targets is None or self._folder_targets:
            return self.repo.entries(folder)
        return self._target_entries.get(folder.strip("/"), {})

    @cached_property
    def _target_entries(self) -> dict[str, dict[str, bool]]:
        """Folder -> its entries that are targets of the repository or hold one."""
        index: dict[str, dict[str, bool]] = {}
        for target in self.targets or ():
            if target not in self.repo.file_set:
                continue  # as repo.entries() has it: files of the repository only
            parts = target.split("/")
            for depth in range(len(parts)):
                is_dir = depth < len(parts) - 1 or target in self.repo.gitlinks
                index.setdefault("/".join(parts[:depth]), {})[parts[depth]] = is_dir
        return index

    @cached_property
    def _folder_targets(self) -> bool:
        """Whether a folder was given as a PATH (never in a hook run)."""
        return any(t.endswith("/") for t in self.targets or ())

    @cached_property
    def _target_folders(self) -> frozenset[str]:
        """Every folder ('a/', 'a/b/') that holds a target, built once."""
        folders: set[str] = set()
        for target in self.targets or ():
            parts = target.rstrip("/").split("/")
            folders.update("/".join(parts[:depth]) + "/" for depth in range(1, len(parts)))
        return frozenset(folders)

    def protected(self, path: str) -> bool:
        return bool(self.protected_paths) and path_matcher(self.protected_paths)(path)

    def forbidden(self) -> Callable[[str], bool]:
        """Whether a path is one a forbidden-paths check of the spec says must not be committed."""
        matchers = [path_matcher(paths, ignore_case) for paths, ignore_case in self.forbidden_paths if paths]
        return lambda path: any(matches(path) for matches in matchers)

    def pattern(self, template: str) -> NamePattern:
        return _compile(template, tuple(sorted(self.placeholders.items())))


def matching_files(ctx: Context, patterns: Iterable[str], *, ignore_case: bool = False) -> list[str]:
    """Candidate files matching gitignore-style `patterns` (a leading `!` excludes)."""
    key = (tuple(patterns), ignore_case)
    if key not in ctx._matches:
        matches = path_matcher(*key)
        patterns = key[0]
        # Only look below the folders the patterns are anchored in: on a big
        # repo that is a small slice of the sorted file list.
        prefixes = {literal_prefix(p) for p in patterns if not p.startswith("!")}
        ctx._matches[key] = [
            path
            for prefix in sorted({""} if "" in prefixes else prefixes)
            for path in matches.select(ctx.candidates(prefix))
        ]
    return ctx._matches[key]


def cell_key(cell: Cell) -> str:
    """A cell's identity for fingerprints: its type and content, never its position."""
    import hashlib

    digest = hashlib.sha256(f"{cell.cell_type}\0{cell.source}".encode("utf-8", "surrogateescape")).hexdigest()
    return f"cell {digest[:16]}"


def is_blank(cell: Cell) -> bool:
    return not cell.source.strip()


@lru_cache(maxsize=256)
def _compile(template: str, placeholders: tuple[tuple[str, Placeholder], ...]) -> NamePattern:
    return NamePattern.compile(template, dict(placeholders))


def literal_prefix(pattern: str) -> str:
    """The folder a gitignore-style pattern is anchored in ('' if it can match anywhere)."""
    # As in git, a pattern without a slash (a trailing one aside) matches at any depth.
    if "/" not in pattern.rstrip("/"):
        return ""
    pattern = pattern.lstrip("/")
    head = pattern.split("/")
    folder = []
    for part in head[:-1]:
        if any(c in part for c in "*?[\\!"):
            break
        folder.append(part)
    return "/".join(folder) if len(head) > 1 else ""
