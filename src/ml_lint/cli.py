"""Command line: argparse and exit codes only; the check itself is ml_lint.run."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from ml_lint import __version__
from ml_lint.errors import UsageError
from ml_lint.repo.git import GitError
from ml_lint.report import FORMATS

if TYPE_CHECKING:
    from ml_lint.spec.config import Project


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ml-lint", description="Check a repository against a layout spec (default: the ML project template)."
    )
    parser.add_argument("--version", action="version", version=f"ml-lint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    # No abbreviations: `--base` must never be read as `--baseline`.
    check = commands.add_parser(
        "check", help="lint a repository (no PATH: the whole repository around the current folder)",
        description="Lint a repository. Without PATH, the whole repository that contains the current folder is "
        "checked; with PATHs, per-file rules look only at the files in them (repository-level rules still run).",
        allow_abbrev=False,
    )  # fmt: skip
    check.add_argument(
        "paths", nargs="*", metavar="PATH",
        help="folders or files to check (default: the whole repository that contains the current folder)",
    )  # fmt: skip
    check.add_argument(
        "--format", action="append", metavar="FORMAT[=FILE]", type=_output,
        help=f"output format: {', '.join(FORMATS)} (default: text; github inside GitHub Actions). "
        "Repeat it to write several reports from one run, e.g. --format github --format sarif=results.sarif",
    )  # fmt: skip
    check.add_argument("--output", metavar="FILE", help="write the report to FILE instead of stdout")
    check.add_argument("--spec", metavar="NAME|FILE", help="built-in spec name or spec file (default: ml-project)")
    check.add_argument(
        "--config", metavar="FILE", help="config file (default: .ml-lint.yaml or pyproject.toml at the repo root)"
    )
    baseline = check.add_mutually_exclusive_group()
    baseline.add_argument("--baseline", metavar="FILE", help="hide the violations recorded in FILE")
    baseline.add_argument("--write-baseline", metavar="FILE", help="record the current violations in FILE and pass")
    check.add_argument(
        "--select", metavar="ID,...", help="run only these rules (ids, names or id prefixes such as ML3)"
    )
    check.add_argument("--ignore", metavar="ID,...", help="skip these rules (ids, names or id prefixes)")
    check.add_argument("--strict", action="store_true", help="warnings fail too")
    check.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even with failing violations (2 still means ml-lint failed)"
    )
    check.add_argument(
        "--statistics", action="store_true", help="print one line per rule with its count instead of the violations"
    )
    check.add_argument(
        "--only-changed", action="store_true",
        help="report only violations on paths the comparison (--base, --staged, the hook, or the working tree vs "
        "HEAD) added, modified or renamed: clean as you code",
    )  # fmt: skip
    check.add_argument("--fix", action="store_true", help="repair what can be repaired, then report the rest")
    check.add_argument(
        "--diff", action="store_true",
        help="with --fix: print a unified diff of what --fix would change and write nothing (exit 1 if anything would)",
    )  # fmt: skip
    compare = check.add_mutually_exclusive_group()
    compare.add_argument("--staged", action="store_true", help="what changed: the index vs HEAD (as committed)")
    compare.add_argument("--base", metavar="REF", help="what changed: HEAD vs merge-base(REF, HEAD), e.g. origin/main")
    check.add_argument(
        "--hook", action="store_true",
        help="run as the pre-commit hook: PATHs are one batch of pre-commit's files; implies --staged "
        "unless pre-commit passes PRE_COMMIT_FROM_REF/PRE_COMMIT_TO_REF",
    )  # fmt: skip
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
    check.add_argument(
        "--show-settings", action="store_true",
        help="print the spec, every config file read, each rule's severity and options, excludes and per-path "
        "ignores, then exit without checking",
    )  # fmt: skip
    check.add_argument("-q", "--quiet", action="store_true", help="print violations only, no summary")
    check.set_defaults(func=cmd_check)

    rules = commands.add_parser("rules", help="list the rules of the active spec")
    rules.add_argument("--spec", metavar="NAME|FILE")
    rules.add_argument("--config", metavar="FILE")
    rules.add_argument("--markdown", action="store_true", help="print a Markdown table")
    rules.add_argument("--reference", action="store_true", help="print the full Markdown rule reference")
    rules.add_argument("--kinds", action="store_true", help="print the Markdown reference of the check kinds")
    rules.add_argument(
        "--specs", action="store_true",
        help="list the specs `extends` can name: built-in ones and those of installed packages (ml_lint.specs)",
    )  # fmt: skip
    rules.set_defaults(func=cmd_rules)

    explain = commands.add_parser("explain", help="show the full documentation of one rule")
    explain.add_argument("rule", metavar="RULE", help="rule id or name")
    explain.add_argument("--spec", metavar="NAME|FILE")
    explain.add_argument("--config", metavar="FILE")
    explain.set_defaults(func=cmd_explain)

    init = commands.add_parser("init", help="scaffold the spec's layout into DIR (never overwrites)")
    init.add_argument(
        "dir", nargs="?", metavar="DIR",
        help="the project folder (default: the project around the current folder, else the current folder)",
    )  # fmt: skip
    init.add_argument(
        "--spec", metavar="NAME|FILE", help="built-in spec name or spec file (default: the config's, else ml-project)"
    )
    init.set_defaults(func=cmd_init)

    new = commands.add_parser(
        "new", help="create a correctly named file (default: a notebook) in FOLDER", allow_abbrev=False
    )
    new.add_argument("folder", metavar="FOLDER", help="a folder with a naming rule, e.g. research/develop")
    new.add_argument("description", metavar="DESCRIPTION", help="what the file is about, e.g. 'sales EDA'")
    new.add_argument("--from", dest="source", metavar="FILE", help="copy FILE (outputs kept or stripped by the rules)")
    new.add_argument(
        "--set", dest="values", action="append", default=[], metavar="NAME=VALUE", type=_assignment,
        help="the value of a placeholder of the naming pattern, e.g. --set US_id=US12",
    )  # fmt: skip
    new.set_defaults(func=cmd_new)

    schema = commands.add_parser("schema", help="print the JSON Schema of the spec or config format")
    schema.add_argument("which", choices=("spec", "config"))
    schema.set_defaults(func=cmd_schema)
    return parser


def entry() -> NoReturn:
    """The `ml-lint` command: main(), then exit without tearing the interpreter down.

    A run leaves a hundred thousand objects behind (the listing, its indexes)
    that Python would free one by one on the way out, ~20 ms of every hook
    run; the operating system frees the process at once. Files are closed by
    then, and the output is flushed here.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass  # the reader went away (`ml-lint check | head`): the exit code still says how the check went
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    # A run lasts a second and leaves little cyclic garbage: collecting every
    # 700 allocations costs ~20 ms of a warm check and frees nothing.
    gc.set_threshold(100_000, 50, 50)
    parser = build_parser()
    args = parser.parse_args(_hook_args_first(parser, sys.argv[1:] if argv is None else argv))
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"ml-lint: error: {exc}", file=sys.stderr)
        return 2
    except GitError as exc:
        print(f"ml-lint: error: git failed, so the repository could not be read: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug in ml-lint, not bad input: say so briefly
        if os.environ.get("ML_LINT_DEBUG"):
            raise
        print(
            f"ml-lint: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in ml-lint; rerun with ML_LINT_DEBUG=1 for details and report it.",
            file=sys.stderr,
        )
        return 2


def _hook_args_first(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """`check --hook -- ARGS FILES`: move the hook's `args:` (pre-commit puts them after the entry's `--`) before it.

    pre-commit runs `entry + args + files`, and the entry ends in `--` so that a
    file named `--ignore=ML101` stays a file. What follows `--` and names an
    option of `check` is an option only while it is not a path that exists:
    pre-commit passes existing files only, so a file always stays a file.
    """
    if "--hook" not in argv or "--" not in argv:
        return argv
    cut = argv.index("--")
    check = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices["check"]
    options, rest = [], argv[cut + 1 :]
    while rest and rest[0].startswith("-") and not os.path.lexists(rest[0]):
        action = check._option_string_actions.get(rest[0].partition("=")[0])
        if action is None:
            break
        takes_value = action.nargs != 0 and "=" not in rest[0]
        options += rest[: 1 + takes_value]
        rest = rest[1 + takes_value :]
    return [*argv[:cut], *options, "--", *rest]


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def _output(value: str) -> tuple[str, str | None]:
    fmt, sep, file = value.partition("=")
    if fmt not in FORMATS:
        raise argparse.ArgumentTypeError(f"unknown format '{fmt}' (choose from {', '.join(FORMATS)})")
    if sep and not file:
        raise argparse.ArgumentTypeError(f"'{value}' names no file: write {fmt}=FILE")
    return fmt, file or None


def _assignment(value: str) -> tuple[str, str]:
    name, sep, text = value.partition("=")
    if not sep or not name or not text:
        raise argparse.ArgumentTypeError(f"'{value}' is not NAME=VALUE, e.g. --set US_id=US12")
    return name.strip("{}"), text


def cmd_new(args: argparse.Namespace) -> int:
    from functools import cache, partial

    from ml_lint.new import Request, create

    request = Request(args.folder, args.description, args.source, tuple(args.values))
    created = create(request, cache(partial(_git_user, Path(args.folder))))
    print(created.as_posix())
    return 0


def _git_user(folder: Path) -> str | None:
    from ml_lint.repo.git import GitError, GitNotFound, run_git

    start = folder if folder.is_dir() else Path(".")
    for key in ("user.email", "user.name"):
        try:
            value = run_git(["config", key], start).decode().strip()
        except (GitError, GitNotFound):
            value = ""
        if value:
            return value
    return None


def cmd_check(args: argparse.Namespace) -> int:
    from ml_lint.run import CheckRequest, Output, execute

    if args.show_settings:
        return _show_settings(args)
    if args.diff and not args.fix:
        raise UsageError("--diff shows what --fix would change: use --fix --diff")
    outputs = [Output(fmt, file) for fmt, file in args.format or ()]
    to_stdout = [o for o in outputs if o.file is None]
    if len(to_stdout) > 1:
        raise UsageError(
            "only one --format can go to standard output: give the others a file, e.g. --format sarif=results.sarif"
        )
    if args.output:
        if not outputs:
            from ml_lint.run import default_format

            outputs = [Output(default_format(os.environ))]
        outputs = [Output(o.format, args.output) if o.file is None else o for o in outputs]
    request = CheckRequest(
        paths=tuple(args.paths), staged=args.staged, base=args.base, hook=args.hook,
        select=_split(args.select) if args.select is not None else None, ignore=_split(args.ignore),
        fix=args.fix, strict=args.strict, baseline=args.baseline, write_baseline=args.write_baseline,
        config=args.config, spec=args.spec, use_cache=not args.no_cache, outputs=tuple(outputs), quiet=args.quiet,
        only_changed=args.only_changed, exit_zero=args.exit_zero, statistics=args.statistics, diff=args.diff,
    )  # fmt: skip
    return execute(request)


def _show_settings(args: argparse.Namespace) -> int:
    from ml_lint.projects import place_of
    from ml_lint.spec import docs
    from ml_lint.spec.config import load_project

    start = Path(args.paths[0]) if args.paths else Path(".")
    folder = start if start.is_dir() else start.parent
    place = place_of(folder)
    root = place.root or folder
    print(docs.settings(load_project(root, args.config, args.spec), root, place), end="")
    return 0


def _active_project(args: argparse.Namespace) -> Project:
    """The spec and config in force for the project around the current folder."""
    from ml_lint.projects import place_of
    from ml_lint.spec.config import load_project

    return load_project(place_of(Path(".")).root or Path("."), args.config, args.spec)


def cmd_rules(args: argparse.Namespace) -> int:
    from ml_lint.spec import docs

    if args.kinds:  # the same for every spec
        print(docs.check_kinds_reference(), end="")
        return 0
    if args.specs:
        from ml_lint.spec.load import specs_listing

        print(specs_listing(), end="")
        return 0
    ruleset = _active_project(args).ruleset
    if args.reference:
        print(docs.rule_reference(ruleset), end="")
    elif args.markdown:
        print(docs.rules_table(ruleset), end="")
    else:
        print(docs.rules_listing(ruleset), end="")
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    from ml_lint.ruleset.select import resolve_rules
    from ml_lint.spec import docs

    project = _active_project(args)
    ruleset = project.ruleset
    [rule_id] = resolve_rules(ruleset, [args.rule], "explain")
    rule = ruleset.rule(rule_id)
    assert rule is not None
    print(docs.explain(rule, ruleset, overridden=rule_id in project.overridden, config=project.source), end="")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from ml_lint.spec.config import load_project
    from ml_lint.spec.scaffold import pre_commit_advice, scaffold

    # Without DIR, the project around the current folder (where `check` would look), else here.
    root = Path(args.dir) if args.dir is not None else (_init_root(Path(".")))
    if root.exists() and not root.is_dir():
        raise UsageError(f"'{root}' is not a folder. Give the folder to scaffold the project into.")
    project = load_project(root, spec=args.spec)
    done: list[str] = []
    extends = None
    if not project.source:  # an existing config stays the project's config; otherwise write one
        extends = _extends(args.spec or "ml-project", root, done)
    nested = _inside_a_repository(root)
    done += scaffold(root, project.ruleset, extends, hook_config=not nested)
    # pre-commit reads the repository root's config only: a project in a sub-folder gets advice for the root.
    advice = pre_commit_advice(root) if not nested else []
    if nested and extends is not None:
        done.append(
            "a project in a sub-folder of the repository: pre-commit reads the repository root's "
            ".pre-commit-config.yaml, so add the ml-lint hook there (once for every project)"
        )
    print("\n".join(done) if done else "Nothing to do: the layout is already there.")
    if advice:
        print("\n" + "\n\n".join(advice))
    if done:
        print(
            "\nNext steps:\n"
            "  1. Fill in what the new files ask for: `ml-lint check` lists every placeholder left.\n"
            "  2. Install the hooks: `pip install pre-commit && pre-commit install` (commit and push are checked).\n"
            "  3. Commit the layout: `git add -A && git commit -m 'Project layout'`.\n"
            "  4. Check any time with `ml-lint check`."
        )
    return 0


def _inside_a_repository(folder: Path) -> bool:
    """Whether `folder` (which may not exist yet) lies below the top of a git working tree."""
    from ml_lint.repo.fs import existing_folder
    from ml_lint.repo.git import GitNotFound
    from ml_lint.repo.repository import git_root

    try:
        top = git_root(existing_folder(folder))
    except GitNotFound:
        return False
    return top is not None and top.resolve() != folder.resolve()


def _init_root(here: Path) -> Path:
    from ml_lint.projects import place_of

    found = place_of(here).project
    if found is None:
        return here
    relative = os.path.relpath(found, here.resolve())
    return Path(relative)


def _extends(spec: str, root: Path, done: list[str]) -> str:
    """How the new project's config names a spec given on the command line.

    A repository's config may only extend specs inside it, so a spec file
    from elsewhere is copied into the project first.
    """
    from ml_lint.repo.fs import atomic_write, read_file
    from ml_lint.spec.load import builtin_names
    from ml_lint.spec.yamlfile import load_yaml

    if spec in builtin_names():
        return spec
    source = Path(spec).resolve()
    relative = Path(os.path.relpath(source, root.resolve())).as_posix()
    if not relative.startswith("../"):
        return relative
    parent = load_yaml(source, spec).data.get("extends")
    if parent is not None and parent not in builtin_names():
        raise UsageError(
            f"the spec '{spec}' is outside '{root}' and extends '{parent}': copy both into the folder, "
            "then run init with the copy (a repository's config may only extend specs inside it)."
        )
    copy = root / source.name
    data = read_file(source, follow_symlinks=True)
    if copy.exists() and read_file(copy) != data:
        raise UsageError(f"'{copy}' already exists and differs from '{spec}': init never overwrites a file.")
    if not copy.exists():
        root.mkdir(parents=True, exist_ok=True)
        atomic_write(copy, data)
        done.append(f"copied {spec} to {source.name}")
    return source.name


def cmd_schema(args: argparse.Namespace) -> int:
    from ml_lint.spec.schema import json_schema_text

    print(json_schema_text(args.which), end="")
    return 0
