"""The `check` use case: a CheckRequest in, one Result out, written in every format asked for.

The policy of a run lives here: which repository and files, which rules
(the config's, --select and --ignore), what to compare with, the baseline and
the default output format inside GitHub Actions.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from contextlib import ExitStack
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ml_lint.cache import CACHE_DIR
from ml_lint.errors import UsageError
from ml_lint.repo.comparison import choose
from ml_lint.repo.repository import Repository, below, locate, resolve_path

if TYPE_CHECKING:
    from ml_lint.engine import Job
    from ml_lint.projects import Layout
    from ml_lint.repo.comparison import Comparison
    from ml_lint.result import Result, RuleDoc, Violation
    from ml_lint.ruleset import RuleSet

DEFAULT_FORMAT = "text"


# Named tuples, not dataclasses: importing dataclasses (~8 ms) would delay starting git.
class Output(NamedTuple):
    format: str
    file: str | None = None  # None: standard output


class CheckRequest(NamedTuple):
    paths: tuple[str, ...] = ()  # none: the repository around the current folder
    staged: bool = False
    base: str | None = None
    hook: bool = False  # PATHs are one batch of pre-commit's files
    select: tuple[str, ...] | None = None  # rule ids, names or id prefixes
    ignore: tuple[str, ...] = ()
    fix: bool = False
    strict: bool = False
    baseline: str | None = None
    write_baseline: str | None = None
    config: str | None = None
    spec: str | None = None
    use_cache: bool = True
    outputs: tuple[Output, ...] = ()  # none: the default format on standard output
    quiet: bool = False
    only_changed: bool = False  # report only paths the comparison added, modified or renamed
    exit_zero: bool = False  # violations never fail the run (2 still means the tool failed)
    statistics: bool = False  # text: one count per rule instead of the violations
    diff: bool = False  # with fix: print a unified diff of what --fix would change, write nothing


def execute(request: CheckRequest, environ: Mapping[str, str] = os.environ) -> int:
    """Run the check, write its reports, and return the exit code."""
    result = check(request, environ)
    if request.diff:
        return _print_diff(result)
    if request.write_baseline:
        from ml_lint import baseline

        baseline.write_baseline(Path(request.write_baseline), result.violations)
        print(f"Recorded {len(result.violations)} violations in {request.write_baseline}.")
        return 0
    for output in request.outputs or (Output(default_format(environ)),):
        if request.hook and output.format == "text" and output.file is None and not (result.violations or result.fixed):
            continue  # a clean commit stays silent (the hook is verbose so that warnings show)
        _write_report(result, output, request, environ)
    return 0 if request.exit_zero else result.exit_code


def default_format(environ: Mapping[str, str]) -> str:
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else DEFAULT_FORMAT


def check(request: CheckRequest, environ: Mapping[str, str] = os.environ) -> Result:
    comparison = choose(staged=request.staged, base=request.base, hook=request.hook, environ=environ)
    repo_rules = True
    if request.hook:  # decided first: a batch without repository-level rules lists less
        from ml_lint.hook import runs_repo_rules

        options = [f"{key}={value}" for key, value in sorted(request._asdict().items()) if key != "paths"]
        repo_rules = runs_repo_rules(Path.cwd(), options)  # pre-commit runs hooks at the root
    rulesets: dict[tuple[Path, bool], RuleSet] = {}  # loaded once, for the listing and for the plan
    index_view, untracked = comparison.mode != "worktree", repo_rules or not request.paths
    # Deciding takes the rules, read before git may start: only when a run likely needs less than every file
    # (without --select a repository-level rule is active, unless another hook batch runs them).
    # A batch of more files than pathspecs allowed lists everything anyway: no need to decide.
    few = len(request.paths) <= _MAX_PATHSPECS
    likely = bool(request.select or (request.hook and not repo_rules and few)) and bool(request.paths or request.select)
    narrow = partial(_pathspecs, request, repo_rules, rulesets) if likely else None
    repo, targets = locate(
        list(request.paths), index_view=index_view, untracked=untracked, narrow=narrow, always=_ALWAYS
    )
    if request.only_changed and not repo.is_git:
        raise UsageError(
            "--only-changed needs a comparison, and this folder is not in a git repository: "
            "run it in a git checkout (with --base REF, --staged, or against HEAD), or drop --only-changed."
        )
    # git lists the files in the background meanwhile: import the rest now.
    from ml_lint import baseline, engine
    from ml_lint.projects import find_layout

    if not request.use_cache:  # the spec will be validated: import what validates it (~0.1 s) meanwhile too
        from ml_lint.ruleset.load import import_validation

        import_validation()

    tool_tables: dict[str, bool] = {}  # pyproject.toml -> has a [tool.ml-lint] table: read once
    tracked = repo.prepare()  # while git still walks the tree for untracked files
    if tracked is not None and request.use_cache:
        _read_cached_rulesets(request, repo.root, tracked, tool_tables, rulesets)
        if not (request.fix or repo.partial) and _reads_changes(request, repo_rules, rulesets.values()):
            repo.prefetch_changes(comparison)  # the diff every project reads: started while git still lists
    layout = find_layout(repo, tool_tables)
    if repo.partial and not layout.single:  # each project's own rules decide what it needs: list everything
        repo, targets = locate(list(request.paths), index_view=index_view, untracked=untracked)
        layout = find_layout(repo, tool_tables)
    known = baseline.read_baseline(Path(request.baseline)) if request.baseline else None
    if request.hook:
        targets = targets or frozenset()  # no file passed: per-file rules have nothing to look at
    chosen = _chosen(request, repo, layout)
    owned = _targets_by_project(request, repo, layout, chosen, targets)
    # A project this run has nothing to do for is not planned: its rule set is not even loaded.
    if request.hook and not layout.single:  # the batch that runs repository-level rules runs them everywhere
        chosen = [project for project in chosen if owned[project] or repo_rules]
    elif request.paths and not request.hook:
        chosen = [project for project in chosen if owned[project] is None or owned[project]]
    plans = [
        _plan(request, repo, project, owned[project], comparison, rulesets, layout, repo_rules) for project in chosen
    ]
    prepared = [engine.prepare(plan.ruleset, plan.view, plan.job) for plan in plans]
    for project in prepared:  # the git work of every project starts now, and runs meanwhile
        engine.prefetch(project)
    repo.prefetch_wanted_authors()  # the projects' one history
    with ExitStack() as run_wide:
        if len(plans) > 1:  # the projects share one notebook worker pool, and a second core
            from ml_lint.notebooks.scan import shared_workers
            from ml_lint.split import split_map

            run_wide.enter_context(shared_workers(len(plans)))
            outcomes = split_map(engine.run, prepared, partial(_may_split, request, repo))
        else:
            outcomes = [engine.run(project) for project in prepared]
    repo.settle()  # a git call started ahead for a project this run did not check: its scratch files go too
    from ml_lint.result import Result, Violation

    violations: list[Violation] = []
    rules: dict[str, RuleDoc] = {}
    notes, fixed = list(repo.notes), list[str]()
    planned: dict[str, tuple[bytes, bytes | None]] = {}
    for plan, outcome in zip(plans, outcomes, strict=True):
        lead = f"{plan.project}/" if plan.project else ""
        violations.extend(_moved(v, lead) for v in outcome.violations)
        notes.extend(f"{plan.project}: {note}" if lead else note for note in outcome.notes)
        fixed.extend(f"{plan.project}: {done}" if lead else done for done in outcome.fixed)
        planned.update((lead + path, change) for path, change in outcome.planned.items())
        for rule in plan.job.rules:
            rules.setdefault(rule.id, rule)
    violations.sort(key=Violation.sort_key)
    baselined = 0
    if request.write_baseline:  # a committed baseline records only what CI will see too
        violations = baseline.recordable(violations, repo)
    if known is not None:
        violations, baselined = baseline.subtract(violations, known)
        if known.note:
            notes.append(known.note)
    return Result(violations, list(rules.values()), notes, fixed, baselined, request.strict, planned)


def _print_diff(result: Result) -> int:
    """`--fix --diff`: a unified diff of what --fix would change; exit 1 if anything would."""
    import difflib

    chunks: list[str] = []
    for path, (old, new) in sorted(result.planned.items()):
        before = old.decode("utf-8", "surrogateescape").splitlines(keepends=True)
        after = [] if new is None else new.decode("utf-8", "surrogateescape").splitlines(keepends=True)
        to = "/dev/null" if new is None else f"b/{path}"
        lines = list(difflib.unified_diff(before, after, f"a/{path}", to))
        if not lines:  # an empty file deleted (or written empty): only the headers say it
            lines = [f"--- a/{path}\n", f"+++ {to}\n"]
        chunks.extend(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
    _write("".join(chunks), None)
    from ml_lint.report.text import counted

    if result.fixed:
        print(f"Would fix {counted(len(result.fixed), 'problem')}; nothing was written.", file=sys.stderr)
    return 1 if result.planned else 0


class _Plan(NamedTuple):
    project: str
    view: Repository
    ruleset: RuleSet
    job: Job


def _chosen(request: CheckRequest, repo: Repository, layout: Layout) -> list[str]:
    """The projects a run looks at: those of the PATHs given, else the one around the current folder."""
    if layout.single:
        return [""]
    if request.paths:
        return list(layout.projects)  # narrowed to the targets' owners by _plan
    here = _relative(Path("."), repo.root)
    if here is None or not here:
        return list(layout.projects)
    owner = layout.owner(here)
    return sorted({*([owner] if owner is not None else []), *layout.below(here)})


def _may_split(request: CheckRequest, repo: Repository) -> bool:
    """Whether the remaining projects may be shared with a forked process (see ml_lint.split)."""
    from ml_lint.notebooks.scan import workers_started

    if request.fix or workers_started():
        return False  # fixes write in one process, in order; a worker pool already uses the cores
    repo.settle()
    return True


def _targets_by_project(
    request: CheckRequest, repo: Repository, layout: Layout, projects: list[str], targets: frozenset[str] | None
) -> dict[str, frozenset[str] | None]:
    """Each project's targets, relative to it; None: all its files (no PATHs, or a folder PATH holding it)."""
    if targets is None or layout.single:
        return dict.fromkeys(projects, targets)
    owned: dict[str | None, set[str]] = {}
    for target in targets:  # each target's owner once, not once per project
        owned.setdefault(layout.owner(target), set()).add(target)
    folders = [folder for folder in _folders(request.paths, repo.root) if folder is not None]
    found: dict[str, frozenset[str] | None] = {}
    for project in projects:
        whole = any(folder == "" or project == folder or project.startswith(folder + "/") for folder in folders)
        cut = len(project) + 1 if project else 0
        found[project] = None if whole and not request.hook else frozenset(t[cut:] for t in owned.get(project, ()))
    return found


def _plan(
    request: CheckRequest,
    repo: Repository,
    project: str,
    targets: frozenset[str] | None,
    comparison: Comparison,
    rulesets: dict[tuple[Path, bool], RuleSet],
    layout: Layout,
    repo_rules: bool,
) -> _Plan:
    from ml_lint.engine import Job
    from ml_lint.ruleset.select import active_rules

    view = layout.view(repo, project)
    # A cache that git sees came with the repository, not from an earlier run: never trust it.
    # Outside git nothing ignores the cache folder: write none there.
    use_cache = request.use_cache and view.is_git and not view.files_under(CACHE_DIR)
    ruleset = _ruleset(request, view.root, use_cache, rulesets)
    rules = active_rules(ruleset, request.select, request.ignore)
    job = Job(tuple(rules), targets, comparison, repo_rules, request.fix, use_cache, request.only_changed, request.diff)
    return _Plan(project, view, ruleset, job)


def _read_cached_rulesets(
    request: CheckRequest,
    root: Path,
    tracked: list[str],
    tool_tables: dict[str, bool],
    rulesets: dict[tuple[Path, bool], RuleSet],
) -> None:
    """Read the cached rule sets of the projects the tracked files make, while git walks the tree for untracked
    files (a monorepo's twenty cache files). The full listing may add or drop a project: then one is read
    for nothing, or later. Nothing is validated or written here."""
    from ml_lint.projects import layout_of
    from ml_lint.ruleset.load import cached_ruleset

    for project in layout_of(root, tracked, tool_tables).projects:
        folder = root / project if project else root
        # A cache git lists came with the repository: _plan never trusts it. Before git has walked the tree,
        # a cache folder that ignores itself (as ml-lint makes it) stands for "not listed".
        if below(tracked, f"{project}/{CACHE_DIR}" if project else CACHE_DIR):
            continue
        if not (folder / CACHE_DIR / ".gitignore").is_file():
            continue
        if (folder, True) not in rulesets and (found := cached_ruleset(folder, request.config, request.spec)):
            rulesets[(folder, True)] = found


def _reads_changes(request: CheckRequest, repo_rules: bool, rulesets: Iterable[RuleSet]) -> bool:
    """Whether a run with these rule sets asks git what changed (--only-changed, or a rule protecting files)."""
    from ml_lint.checks import KINDS
    from ml_lint.ruleset.select import active_rules

    try:
        return request.only_changed or (
            repo_rules
            and any(
                KINDS[options.kind].protects
                for ruleset in rulesets
                for rule in active_rules(ruleset, request.select, request.ignore)
                for options in rule.check
            )
        )
    except UsageError:
        return False  # an unknown --select rule: the plan says so


def _ruleset(request: CheckRequest, root: Path, use_cache: bool, rulesets: dict[tuple[Path, bool], RuleSet]) -> RuleSet:
    """The rule set of the project at `root`, loaded once per run."""
    from ml_lint.ruleset.load import load_ruleset

    key = (root, use_cache)
    if key not in rulesets:
        rulesets[key] = load_ruleset(root, request.config, request.spec, use_cache=use_cache)
    return rulesets[key]


# Set only by tests/test_narrowed_listing.py, which compares narrowed runs with full ones.
FULL_LISTING = "ML_LINT_FULL_LISTING"
# Project configs and the cache folder: the layout and the cache decision need them wherever they are.
_ALWAYS = (
    *(f":(glob)**/{name}" for name in (".ml-lint.yaml", ".ml-lint.yml", "pyproject.toml")),
    f":(literal){CACHE_DIR}/",
)
# git tests every file against every pathspec: past a few hundred, listing everything is cheaper
# (a pre-commit batch passes thousands of files).
_MAX_PATHSPECS = 256


def _pathspecs(
    request: CheckRequest, repo_rules: bool, rulesets: dict[tuple[Path, bool], RuleSet], root: Path
) -> tuple[str, ...] | None:
    """The git pathspecs that list every file the root project's active rules look at (None: all files).

    Per-file and notebook checks look only at the PATHs (and the files below
    folder PATHs); a naming check looks at the entries of its folders, below
    their literal part. A repository-level check needs everything.
    """
    if os.environ.get(FULL_LISTING):
        return None
    from ml_lint.checks import KINDS
    from ml_lint.ruleset.select import active_rules

    use_cache = request.use_cache and not _tracked_cache(root)
    ruleset = _ruleset(request, root, use_cache, rulesets)
    wanted: set[str] = set()
    targets = cache(partial(_target_pathspecs, request.paths, root))  # the same for every per-file check
    for rule in active_rules(ruleset, request.select, request.ignore):
        for options in rule.check:
            scope = KINDS[options.kind].scope
            if scope == "repo" and not repo_rules:
                continue  # another hook batch runs it
            needs = _folder_pathspecs(options) if KINDS[options.kind].reads_folders else None
            if needs is None and scope != "repo":
                needs = targets()
            if needs is None:
                return None
            wanted.update(needs)
    found = tuple(sorted(wanted))
    return found if len(found) <= _MAX_PATHSPECS else None


def _tracked_cache(root: Path) -> bool:
    """Whether git lists the cache folder (then it came with the repository: never trusted)."""
    from ml_lint.repo.git import GitError, run_git

    try:
        listed = run_git(["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", _ALWAYS[-1]], root)
    except GitError:
        return True  # not knowing: trust nothing
    return bool(listed)


def _folder_pathspecs(options: object) -> tuple[str, ...] | None:
    """Pathspecs of the folders a check lists (`options.folders`): each pattern's part before its first wildcard."""
    found = []
    for pattern in getattr(options, "folders", ()):
        literal = []
        for part in pattern.strip("/").split("/"):
            if any(c in part for c in "*?["):
                break
            literal.append(part)
        if not literal:
            return None  # a wildcard at the top: every folder
        found.append(":(literal)" + "/".join(literal) + "/")
    return tuple(found)


def _target_pathspecs(paths: tuple[str, ...], root: Path) -> tuple[str, ...] | None:
    """The PATHs as literal pathspecs from `root` (a folder with its files); None when one is the root or outside."""
    if len(paths) > _MAX_PATHSPECS:
        return None  # a pre-commit batch of thousands of files: listing everything is cheaper
    found = []
    real_root = os.path.realpath(root)
    folders: dict[str, str] = {}
    for path in paths:
        is_dir = os.path.isdir(path) and not os.path.islink(path)
        rel = os.path.relpath(resolve_path(path, is_dir, folders), real_root)  # as locate() resolves it
        if rel == "." or rel.startswith(".." + os.sep) or rel == ".." or os.path.isabs(rel):
            return None
        found.append(":(literal)" + rel.replace(os.sep, "/") + ("/" if is_dir else ""))
    return tuple(found) or None


def _folders(paths: tuple[str, ...], root: Path) -> list[str | None]:
    """The folders among PATHs, relative to the repository root."""
    return [_relative(Path(p), root) for p in paths if os.path.isdir(p) and not os.path.islink(p)]


def _relative(path: Path, root: Path) -> str | None:
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None
    return "" if rel == "." else rel


def _moved(violation: Violation, lead: str) -> Violation:
    """A project's violation with its path (and that path quoted in its message) as the repository has it."""
    if not lead:
        return violation
    path = lead + violation.path
    from dataclasses import replace

    message = violation.message.replace(f"'{violation.path}'", f"'{path}'", 1)
    return replace(violation, path=path, message=message)


def _write_report(result: Result, output: Output, request: CheckRequest, environ: Mapping[str, str]) -> None:
    from ml_lint import report

    to_terminal = output.file is None and sys.stdout.isatty()
    color = output.format == "text" and to_terminal and "NO_COLOR" not in environ
    if request.statistics and output.format == "text":
        from ml_lint.report.text import statistics

        _write(statistics(result), output.file)
    else:
        _write(report.render(result, output.format, color=color, quiet=request.quiet), output.file)
    if output.format == "github" and environ.get("GITHUB_STEP_SUMMARY"):
        from ml_lint.report.github import step_summary

        _append_step_summary(step_summary(result), environ["GITHUB_STEP_SUMMARY"])


def _append_step_summary(markdown: str, path: str) -> None:
    # GitHub gathers what every step appends; a summary we cannot write must
    # not turn a lint result into a tool failure.
    try:
        with open(path, "ab") as summary:
            summary.write(markdown.encode("utf-8"))
    except OSError as exc:
        print(f"ml-lint: warning: cannot append the step summary to '{path}': {exc.strerror}", file=sys.stderr)


def _write(text: str, output: str | None) -> None:
    from ml_lint.repo.fs import atomic_write
    from ml_lint.report.encoding import output_bytes

    # Paths are reported as stored; undecodable bytes go back out unchanged.
    data = output_bytes(text)
    if output:
        try:
            atomic_write(Path(output), data)
        except OSError as exc:
            raise UsageError(f"cannot write the report to '{output}': {exc.strerror}") from None
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
