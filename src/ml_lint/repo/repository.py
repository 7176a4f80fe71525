"""The repository being checked: which files it has, what is ignored.

"In the repo" means what would be committed: in a git repository the tracked
files plus untracked files that are not ignored (read with -z, so any name
works); outside git, a directory walk that honours .gitignore files.
"""

from __future__ import annotations

import bisect
import copy
import os
import stat
from collections.abc import Callable, Iterator, Mapping
from fnmatch import fnmatchcase
from functools import cached_property, partial
from pathlib import Path
from typing import Any

from ml_lint.errors import UsageError
from ml_lint.repo import history
from ml_lint.repo.comparison import Comparison
from ml_lint.repo.fs import read_file
from ml_lint.repo.git import GitError, GitNotFound, read_index_blob, run_git, split_z, start_git
from ml_lint.repo.ignore import IgnoreRules

# (files, untracked files, submodules): what a repository lists.
Listing = tuple[list[str], frozenset[str], frozenset[str]]
# The repository root -> the git pathspecs a run must list (None: every file).
Narrowing = Callable[[Path], "tuple[str, ...] | None"]


class Repository:
    def __init__(
        self,
        root: Path,
        files: list[str] | Callable[[], Listing],
        *,
        is_git: bool,
        notes: list[str] | None = None,
        untracked: frozenset[str] = frozenset(),
        partial: bool = False,
        shallow: bool | None = None,
        prepare: Callable[[], list[str] | None] = lambda: None,
    ):
        self.root = root
        # Reads what git has listed so far while it still walks the tree (see GitListing.prepare):
        # the tracked files, or None (nothing to read ahead, or git failed).
        self.prepare = prepare
        self._shallow = shallow  # None: ask git when it matters
        # True: the listing holds only the paths the active rules look at (see locate's `narrow`).
        self.partial = partial
        # Or a function that lists (files, untracked, submodules) when they are first needed.
        self._list_files = files if callable(files) else lambda: (files, untracked, frozenset())
        self.is_git = is_git
        self.notes = notes or []
        # History answers by question, and the git calls started for questions not answered yet.
        self._answers: dict[tuple, Any] = {}
        self._pending: dict[tuple, Callable[..., Any]] = {}
        # Folders whose authors the projects of a monorepo ask for, and the one log of them all.
        self._wanted: set[str] = set()
        self._shared: Mapping[str, set[str]] | None = None

    @classmethod
    def discover(
        cls,
        start: Path,
        *,
        index_view: bool = False,
        plain_root: Path | None = None,
        untracked: bool = True,
        narrow: Narrowing | None = None,
        always: tuple[str, ...] = (),
    ) -> Repository:
        """The repository containing `start` (a folder or a file).

        With `index_view`, tracked files are listed as the index has them (what
        a commit would contain) and git need not stat every file to find the
        ones deleted from the working tree: that costs a tenth of a second on a
        50,000-file repository, on every hook run. `narrow`, given the root,
        names the git pathspecs to list (None: everything); the pathspecs
        `always` are listed too when it names some.
        """
        folder = start if start.is_dir() else start.parent
        try:
            found = _git_root(folder)
        except GitNotFound:
            return cls.walk(plain_root or folder, note="git is not installed: treating the folder as a plain directory")
        if found is None:
            return cls.walk(plain_root or folder)
        root, shallow = found
        # git lists the files in the background while the caller carries on.
        listing = partial(GitListing, root, not index_view, untracked)  # with these pathspecs (None: all)
        # Listed while `narrow` decides (it may take a while): untracked ones need a walk of the tree.
        first = listing(always) if narrow is not None and always else None
        pathspecs = narrow(root) if narrow is not None else None
        if pathspecs is None:
            if first is not None:
                first.cancel()
            full = listing(None)
            return cls(root, full.result, is_git=True, shallow=shallow, prepare=full.prepare)
        rest = listing(pathspecs)
        listed = rest.result if first is None else lambda: _union(first.result(), rest.result())
        return cls(root, listed, is_git=True, partial=True, shallow=shallow)

    @classmethod
    def walk(cls, root: Path, note: str | None = None) -> Repository:
        root = root.resolve()
        notes = [note] if note else []
        return cls(root, _walk_files(root, notes), is_git=False, notes=notes)

    # -- which files ---------------------------------------------------------

    @cached_property
    def _listing(self) -> Listing:
        files, untracked, gitlinks = self._list_files()
        # git lists in sorted runs, which sorted() merges in linear time (a set
        # would shuffle them). Unmerged entries are listed once per stage: the
        # set of files, needed anyway, says whether there are duplicates to drop.
        files = sorted(files)
        self.file_set = frozenset(files)
        if len(self.file_set) != len(files):
            files = list(dict.fromkeys(files))
        return files, untracked, gitlinks

    @cached_property
    def files(self) -> list[str]:
        return self._listing[0]

    @cached_property
    def untracked(self) -> frozenset[str]:
        """Files of the repo that git does not track yet."""
        return self._listing[1]

    @cached_property
    def gitlinks(self) -> frozenset[str]:
        """Submodules: folders of the repo whose contents git does not list here."""
        return self._listing[2]

    def without(self, excluded: Callable[[str], bool]) -> Repository:
        """This repository as if the `excluded` files were not there."""
        view = copy.copy(self)
        view.__dict__.pop("file_set", None)  # cached from the file list
        view.files = [f for f in self.files if not excluded(f)]
        return view

    @cached_property
    def file_set(self) -> frozenset[str]:
        return frozenset(self.files)

    def is_folder(self, path: str) -> bool:
        """Whether `path` (with or without a trailing '/') is a folder holding a file of the repo."""
        prefix = path.rstrip("/") + "/"
        if self.gitlinks and prefix[:-1] in self.gitlinks:
            return True
        i = bisect.bisect_left(self.files, prefix)
        return prefix != "/" and i < len(self.files) and self.files[i].startswith(prefix)

    def exists(self, path: str) -> bool:
        """A file of the repo, or a folder holding one (`path` may end in '/')."""
        if path.endswith("/"):
            return self.is_folder(path)
        return path in self.file_set or self.is_folder(path)

    def folders_matching(self, pattern: str) -> list[str]:
        """Folders of the repo matching a path with `*`/`?` wildcards per segment."""
        pattern = pattern.strip("/")
        if not any(c in pattern for c in "*?["):
            return [pattern] if self.is_folder(pattern) else []
        # Walk down one segment at a time, listing only the folders on the way.
        found = [""]
        for part in pattern.split("/"):
            found = [
                f"{folder}/{name}" if folder else name
                for folder in found
                for name, is_dir in self.entries(folder).items()
                if is_dir and segment_matches(name, part)
            ]
        return sorted(found)

    def files_under(self, folder: str) -> list[str]:
        """Files anywhere below `folder` ('' for all), found by bisecting the sorted list."""
        return below(self.files, folder)

    def entries(self, folder: str) -> dict[str, bool]:
        """Names directly in `folder` -> whether each is a folder."""
        folder = folder.strip("/")
        prefix = folder + "/" if folder else ""
        files = self.files_under(folder)
        found: dict[str, bool] = {}
        i = 0
        while i < len(files):
            name, deeper, _ = files[i][len(prefix) :].partition("/")
            found[name] = bool(deeper)  # in sorted order a folder comes after a file of its name
            # Skip the rest of a subfolder: its paths sort before prefix + name + '0'.
            i = bisect.bisect_left(files, prefix + name + "0", i + 1) if deeper else i + 1
        for link in self.gitlinks:  # a submodule is a folder of its parent
            parent, _, name = link.rpartition("/")
            if parent == folder:
                found[name] = True
        return found

    def disk_entries(self, folder: str) -> dict[str, bool]:
        """Like entries(), but everything on disk, ignored files included."""
        try:
            with os.scandir(self.root / folder) as it:
                return {e.name: e.is_dir(follow_symlinks=False) for e in it}
        except OSError:
            return {}

    @cached_property
    def ignore_rules(self) -> IgnoreRules:
        # In a sparse checkout a tracked .gitignore may not be on disk: git's copy counts.
        return IgnoreRules(self.root, self._read_tracked if self.is_git else None)

    def _read_tracked(self, path: str) -> bytes | None:
        """A tracked .gitignore that is not on disk, as git has it; None when git tracks none there."""
        tracked = self._tracked_gitignores if self.partial else self.file_set
        return read_index_blob(self.root, path) if path in tracked else None

    @cached_property
    def _tracked_gitignores(self) -> frozenset[str]:
        # A partial listing does not hold every .gitignore: git lists them once (not one call per folder).
        try:
            return frozenset(split_z(run_git(["ls-files", "-z", "--", ":(glob)**/.gitignore"], self.root)))
        except GitError:
            return frozenset()

    # -- history (git only) --------------------------------------------------

    @cached_property
    def is_shallow(self) -> bool:
        return self._shallow if self._shallow is not None else history.is_shallow(self.root)

    def prefetch_changes(self, comparison: Comparison) -> None:
        """Start the git diff that changes() will need, so that it runs while other checks do."""
        self._start(("changes", comparison), history.start_changes, comparison)

    def changes(self, comparison: Comparison) -> list[history.Change]:
        """What changed between the comparison's base and now (one git diff per comparison)."""
        return self._answer(("changes", comparison), history.start_changes, comparison)

    def undelivered(self, paths: tuple[str, ...]) -> frozenset[str]:
        """Those of `paths` whose HEAD version was committed but never pushed."""
        return self._answer(("undelivered", paths), history.start_undelivered, paths)

    def prefetch_authors(self, folders: tuple[str, ...]) -> None:
        """Start the git log that authors() will need."""
        self._start(("authors", folders), history.start_authors, folders)

    def authors(self, folders: tuple[str, ...], of: frozenset[str] | None = None) -> Mapping[str, set[str]]:
        """File -> emails of its committers, for files below `folders` (one git log).

        With `of`, for those files only: a hook batch parses what it asks
        about, not the whole folder's log (the answer is not kept for others).
        """
        question = ("authors", folders)
        if of is None or question in self._answers:
            return self._answer(question, history.start_authors, folders)
        self._start(question, history.start_authors, folders)
        return self._pending.pop(question)(of)

    def want_authors(self, folders: tuple[str, ...]) -> None:
        """Note folders whose authors a project will ask for: shared_authors reads them all in one git log."""
        self._wanted |= set(folders)

    def prefetch_wanted_authors(self) -> None:
        """Start the one git log of every folder noted with want_authors, while the projects are checked."""
        if self._wanted:
            self.prefetch_authors(tuple(sorted(self._wanted)))

    def shared_authors(self, folders: tuple[str, ...]) -> Mapping[str, set[str]]:
        """authors() of every folder noted with want_authors (and `folders`), from one git log."""
        if not set(folders) <= self._wanted or self._shared is None:
            self._wanted |= set(folders)
            self._shared = self.authors(tuple(sorted(self._wanted)))
        return self._shared

    def settle(self) -> None:
        """Wait for every git call started ahead and keep its answer (a forked copy must not wait for them)."""
        for question in list(self._pending):
            self._answers[question] = self._pending.pop(question)()

    def _start(self, question: tuple, start: Callable, argument: Any) -> None:
        if question not in self._answers and question not in self._pending:
            self._pending[question] = start(self.root, argument)

    def _answer(self, question: tuple, start: Callable, argument: Any) -> Any:
        if question not in self._answers:
            self._start(question, start, argument)
            self._answers[question] = self._pending.pop(question)()
        return self._answers[question]

    # -- contents ------------------------------------------------------------

    def read_bytes(self, path: str) -> bytes:
        return read_checked_out(self.root, path, lambda: self.is_git and path in self.file_set)

    # -- projects ------------------------------------------------------------

    def outer(self, path: str) -> str:
        """A path of this repository (or project view) as the whole repository has it."""
        return path

    def subtree(self, prefix: str, skip: tuple[str, ...] = ()) -> Repository:
        """The files below folder `prefix` as a repository rooted there, minus the folders `skip`.

        A view of this repository's one listing (no git call): paths are
        relative to `prefix`, and history questions go to this repository,
        asked once for every view.
        """
        return SubRepository(self, prefix.strip("/"), tuple(s.strip("/") for s in skip))


def locate(
    paths: list[str],
    *,
    index_view: bool = False,
    untracked: bool = True,
    narrow: Narrowing | None = None,
    always: tuple[str, ...] = (),
) -> tuple[Repository, frozenset[str] | None]:
    """The repository to check and the PATHs given, as repo-relative targets (None: everything).

    The root is found once: from the current folder, or from the first PATH
    (a folder, or a file's folder; a symlink is an entry, never followed).
    In a hook git sets GIT_DIR and makes the current folder the work tree, so
    asking from a file's folder would make that folder the root. Outside git
    the current folder is the root, unless the first PATH is a folder outside
    it. Every PATH must lie inside that root; a folder PATH stands for
    everything under it (targets keep it as "folder/"). One lstat per PATH and
    one realpath per distinct folder: pre-commit passes thousands of files.
    """
    real_dirs: set[str] = set()
    for path in paths:
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            raise UsageError(f"path '{path}' does not exist. Give a folder or files inside the repository.") from None
        if stat.S_ISDIR(mode):
            real_dirs.add(path)
    cwd = Path.cwd()
    first_is_dir = not paths or paths[0] in real_dirs
    first = Path(paths[0]) if paths else cwd
    start = first if first_is_dir else first.absolute().parent
    if os.environ.get("GIT_DIR"):
        start = cwd  # git's work tree is GIT_WORK_TREE, else the current folder
    # Outside git: the current folder, or a folder PATH outside it.
    plain = first if first_is_dir and not first.resolve().is_relative_to(cwd.resolve()) else cwd
    repo = Repository.discover(
        start, index_view=index_view, plain_root=plain, untracked=untracked, narrow=narrow, always=always
    )
    if not paths:
        return repo, None
    root = os.path.realpath(repo.root)
    inside = root.rstrip(os.sep) + os.sep
    folders: dict[str, str] = {}  # folder as given -> its real path
    targets: set[str] = set()
    whole = False
    for path in paths:
        absolute = resolve_path(path, path in real_dirs, folders)
        if absolute == root:
            whole = True
            continue
        if not absolute.startswith(inside):
            raise UsageError(f"path '{path}' is outside the repository at {root}. Check one repository at a time.")
        rel = absolute[len(inside) :].replace(os.sep, "/")
        if path in real_dirs:
            if repo.is_git and os.path.exists(os.path.join(absolute, ".git")):
                raise UsageError(
                    f"path '{path}' is another git repository inside {root}. Check one repository at a time."
                )
            targets.add(rel + "/")
            targets.update(repo.files_under(rel))
        else:
            targets.add(rel)
    return repo, None if whole else frozenset(targets)


def read_checked_out(root: Path | str, path: str, tracked: Callable[[], bool] = lambda: True) -> bytes:
    """The bytes of file `path` of the working tree at `root`; a `tracked` file that is not on
    disk (outside a sparse checkout) as git's index has it. FileNotFoundError otherwise."""
    try:
        return read_file(os.path.join(root, path))
    except FileNotFoundError:
        data = read_index_blob(root, path) if tracked() else None
        if data is None:
            raise
        return data


def segment_matches(name: str, part: str) -> bool:
    """A folder's name against one segment of a folder pattern (`production/*`)."""
    # Like gitignore's `*`, a wildcard never picks a dot-folder (.ipynb_checkpoints/).
    return fnmatchcase(name, part) and (not name.startswith(".") or part.startswith("."))


def below(paths: list[str], folder: str) -> list[str]:
    """The sorted `paths` anywhere below `folder` ('' for all): two bisections, not a test per path."""
    if not folder:
        return paths
    prefix = folder.rstrip("/") + "/"
    start = bisect.bisect_left(paths, prefix)
    end = bisect.bisect_left(paths, prefix[:-1] + "0")  # '0' sorts right after '/'
    return paths[start:end]


def resolve_path(path: str, is_dir: bool, known: dict[str, str]) -> str:
    """A PATH's real location: a folder fully resolved, a file by its folder (a link stays a link)."""
    if is_dir:
        return os.path.realpath(path)
    head, name = os.path.split(path)
    return os.path.join(_resolved(head, known), name)


def _resolved(folder: str, known: dict[str, str]) -> str:
    """os.path.realpath(folder), with one lstat per folder not seen before
    (realpath checks every part of the path again for each of thousands of files)."""
    if folder not in known:
        parent, name = os.path.split(folder)
        if name in ("", ".", "..") or parent == folder:
            known[folder] = os.path.realpath(folder or ".")
        else:
            path = os.path.join(_resolved(parent, known), name)
            known[folder] = os.path.realpath(path) if os.path.islink(path) else path
    return known[folder]


class SubRepository(Repository):
    """One project of a repository that holds several: see Repository.subtree."""

    def __init__(self, parent: Repository, prefix: str, skip: tuple[str, ...]):
        super().__init__(parent.root / prefix if prefix else parent.root, [], is_git=parent.is_git)
        self.parent, self.prefix, self.skip = parent, prefix, skip
        self._lead = f"{prefix}/" if prefix else ""

    @cached_property
    def _listing(self) -> Listing:
        cut = len(self._lead)
        here = self.parent.files_under(self.prefix)
        for folder in self.skip:  # a nested project: one slice of the sorted list each
            start = bisect.bisect_left(here, folder + "/")
            end = bisect.bisect_left(here, folder + "0")  # '0' sorts right after '/'
            here = here[:start] + here[end:]
        untracked = self.parent.untracked
        files = [f[cut:] for f in here] if cut else list(here)
        # Each project looks through the shorter of the two: 20 projects must not cost 20 repositories.
        if len(untracked) < len(here):
            untracked_here = frozenset(f[cut:] for f in untracked if self._inner(f) is not None)
        else:
            untracked_here = frozenset(f[cut:] for f in here if f in untracked)
        return files, untracked_here, frozenset(g[cut:] for g in self.parent.gitlinks if self._inner(g) is not None)

    def undelivered(self, paths: tuple[str, ...]) -> frozenset[str]:
        found = self.parent.undelivered(tuple(self.outer(p) for p in paths))
        return frozenset(inner for path in found if (inner := self._inner(path)) is not None)

    def outer(self, path: str) -> str:
        """A path of this view as the repository has it."""
        return self._lead + path

    def _inner(self, path: str) -> str | None:
        if not path.startswith(self._lead) or any(path.startswith(s + "/") for s in self.skip):
            return None
        return path[len(self._lead) :]

    @cached_property
    def ignore_rules(self) -> IgnoreRules:
        return PrefixedIgnoreRules(self.parent.ignore_rules, self._lead)

    @cached_property
    def is_shallow(self) -> bool:
        return self.parent.is_shallow

    def prefetch_changes(self, comparison: Comparison) -> None:
        self.parent.prefetch_changes(comparison)

    def changes(self, comparison: Comparison) -> list[history.Change]:
        """The repository's changes that concern this project, with paths relative to it.

        A file moved in from elsewhere is an addition here (by its new path);
        one moved out keeps its old path and names the new one as the repository has it.
        """
        question = ("changes", comparison)  # asked by several rules of the project: mapped once
        if question in self._answers:
            return self._answers[question]
        found = []
        for change in self.parent.changes(comparison):
            old = self._inner(change.path)
            new = self._inner(change.new_path) if change.new_path else None
            if old is not None:
                found.append(
                    history.Change(
                        change.status, old, None if change.new_path is None else new or change.new_path, change.base
                    )
                )
            elif new is not None:
                found.append(history.Change("A", new, None, change.base))
        self._answers[question] = found
        return found

    def prefetch_authors(self, folders: tuple[str, ...]) -> None:
        self.parent.want_authors(self._outer_folders(folders))

    def _outer_folders(self, folders: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(self.outer(f) if f else self.prefix for f in folders)

    def authors(self, folders: tuple[str, ...], of: frozenset[str] | None = None) -> Mapping[str, set[str]]:
        # One log for every project: read whole, looked up by each project's paths.
        return _Inner(self.parent.shared_authors(self._outer_folders(folders)), self)


class _Inner(Mapping[str, set[str]]):
    """A repository-wide mapping by path, seen from one project: looked up by the project's paths
    (copying the project's part of it would cost every project the whole repository)."""

    def __init__(self, found: Mapping[str, set[str]], project: SubRepository):
        self._found, self._project = found, project

    def __getitem__(self, path: str) -> set[str]:
        outer = self._project.outer(path)
        if self._project._inner(outer) is None:
            raise KeyError(path)  # a nested project's file
        return self._found[outer]

    def __iter__(self) -> Iterator[str]:
        return (inner for path in self._found if (inner := self._project._inner(path)) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class PrefixedIgnoreRules(IgnoreRules):
    """The repository's ignore rules asked about paths of one project."""

    def __init__(self, rules: IgnoreRules, prefix: str):
        super().__init__(rules.root)
        self._rules, self._prefix = rules, prefix

    def ignored(self, path: str, is_dir: bool = False) -> bool:
        return self._rules.ignored(self._prefix + path, is_dir)

    def matched(self, path: str, is_dir: bool) -> bool:
        return self._rules.matched(self._prefix + path, is_dir)


def find_root(start: Path) -> Path:
    """The top of the git working tree around `start`, or `start` outside git."""
    try:
        return git_root(start) or start
    except GitNotFound:
        return start


def git_root(folder: Path) -> Path | None:
    """The top of the working tree holding `folder`; None when it is not in a repository."""
    found = _git_root(folder)
    return found[0] if found else None


def _git_root(folder: Path) -> tuple[Path, bool | None] | None:
    """The top of the working tree holding `folder` and whether the clone is shallow; None outside a repository."""
    try:
        # One git call answers both (a rule reading history asks whether it is shallow).
        answer = run_git(["rev-parse", "--show-toplevel", "--is-shallow-repository"], folder).decode()
    except GitError as exc:
        if "not a git repository" in exc.stderr:
            return None
        if "work tree" in exc.stderr:  # a bare repository, or inside .git
            raise UsageError(
                f"{folder} is not a working tree (a bare repository or a .git folder): run ml-lint in a checkout"
            ) from None
        raise UsageError(f"cannot use the git repository at {folder}: {exc.stderr}") from None
    top, _, shallow = answer.rstrip("\n").rpartition("\n")
    if not top:
        raise UsageError(f"{folder} is inside a git directory but not a working tree: run ml-lint in a checkout")
    return Path(top), {"true": True, "false": False}.get(shallow)


class GitListing:
    """The files of a git repository, listed by concurrent `git ls-files` calls.

    Tracked files (cheap: read from the index), untracked files that are not
    ignored (a walk of the working tree) and, unless the index is all that
    matters, the tracked files deleted from the working tree (a stat of every
    file): the walk and the stats overlap instead of running one after the other.
    """

    def __init__(
        self, root: Path, with_deleted: bool, with_untracked: bool = True, pathspecs: tuple[str, ...] | None = None
    ):
        self._root, self._with_deleted, self._with_untracked = root, with_deleted, with_untracked
        self._pathspecs = pathspecs
        # Listing only some paths: git lists the same files as it would in full, restricted to these.
        limit = ["--", *pathspecs] if pathspecs is not None else []
        # Submodules are listed by mode (gitlinks are 160000), which costs a longer
        # listing: only when a .gitmodules says there may be some.
        self._stage = (root / ".gitmodules").exists()
        self._tracked = start_git(["ls-files", "-z", "--stage" if self._stage else "--cached", *limit], root)
        self._tracked_read: tuple[list[str], frozenset[str]] | GitError | None = None
        # Without untracked files (a hook batch that runs no repository-level rule:
        # its files come from git), git need not walk the whole working tree.
        self._untracked = (
            start_git(["ls-files", "-z", "--others", "--exclude-standard", *limit], root) if with_untracked else None
        )
        self._deleted = start_git(["ls-files", "-z", "--deleted", *limit], root) if with_deleted else None

    def cancel(self) -> None:
        """Stop listing: the caller lists otherwise."""
        for pending in (self._tracked, self._untracked, self._deleted):
            if pending is not None:
                pending.cancel()

    def result(self) -> tuple[list[str], frozenset[str], frozenset[str]]:
        """(files of the repo, the untracked ones among them, submodule folders)."""
        try:
            return self._read()
        except GitError:
            if self._pathspecs is None:
                raise
            # git refuses some pathspecs (a file inside a submodule): list everything instead.
            return GitListing(self._root, self._with_deleted, self._with_untracked).result()

    def prepare(self) -> list[str] | None:
        """Read the tracked files now: git lists them long before it has walked the tree for untracked ones."""
        try:
            return self._tracked_files()[0]
        except GitError:
            return None  # result() says what went wrong

    def _tracked_files(self) -> tuple[list[str], frozenset[str]]:
        """(tracked files, submodule folders), read once (git's answer, or its error)."""
        if self._tracked_read is None:
            try:
                self._tracked_read = self._parse_tracked(self._tracked.output())
            except GitError as exc:
                self._tracked_read = exc
        if isinstance(self._tracked_read, GitError):
            raise self._tracked_read
        return self._tracked_read

    def _parse_tracked(self, output: bytes) -> tuple[list[str], frozenset[str]]:
        tracked = split_z(output)
        gitlinks: frozenset[str] = frozenset()
        if self._stage:  # "MODE SHA STAGE\tPATH"
            entries = [item.partition("\t") for item in tracked]
            gitlinks = frozenset(path for info, _, path in entries if info.startswith("160000 "))
            tracked = [path for info, _, path in entries if not info.startswith("160000 ")]
        return tracked, gitlinks

    def _read(self) -> tuple[list[str], frozenset[str], frozenset[str]]:
        tracked, gitlinks = self._tracked_files()
        # A path ending in '/' is an untracked nested repository: not ours to check.
        listed = self._untracked.output() if self._untracked is not None else b""
        untracked = [p for p in split_z(listed) if not p.endswith("/")]
        if self._deleted is not None:
            deleted = set(split_z(self._deleted.output()))
            if deleted:
                tracked = [p for p in tracked if p not in deleted]
        return tracked + untracked, frozenset(untracked), gitlinks


def _union(one: Listing, other: Listing) -> Listing:
    """Two listings of the same repository by different pathspecs as one (a file both list is kept once later)."""
    return one[0] + other[0], one[1] | other[1], one[2] | other[2]


def _walk_files(root: Path, notes: list[str]) -> list[str]:
    rules = IgnoreRules(root)
    files: list[str] = []

    def on_error(exc: OSError) -> None:
        notes.append(f"cannot read folder {exc.filename}: {exc.strerror}")

    for folder, dirnames, filenames in os.walk(root, onerror=on_error):
        rel = os.path.relpath(folder, root).replace(os.sep, "/")
        rel = "" if rel == "." else rel + "/"
        dirnames[:] = sorted(d for d in dirnames if d != ".git" and not rules.matched(rel + d, True))
        files.extend(rel + f for f in filenames if not rules.matched(rel + f, False))
    return files
