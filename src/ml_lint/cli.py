"""Command line: parse, load, run, report, exit code. Nothing else lives here."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ml_lint import __version__
from ml_lint.errors import UsageError
from ml_lint.git import GitError
from ml_lint.report import FORMATS



def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ml-lint", description="Check a repository against a layout spec (default: the ML project template)."
    )
    parser.add_argument("--version", action="version", version=f"ml-lint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    # No abbreviations: `--base` must never be read as `--baseline`.
    check = commands.add_parser("check", help="lint a repository (PATH defaults to '.')", allow_abbrev=False)
    check.add_argument("paths", nargs="*", metavar="PATH", help="repository folder, or files to check")
    check.add_argument(
        "--format", choices=FORMATS, help="output format (default: text; github inside GitHub Actions)"
    )
    check.add_argument("--output", metavar="FILE", help="write the report to FILE instead of stdout")
    check.add_argument("--spec", metavar="NAME|FILE", help="built-in spec name or spec file (default: ml-project)")
    check.add_argument("--config", metavar="FILE", help="config file (default: .ml-lint.yaml or pyproject.toml at the repo root)")
    baseline = check.add_mutually_exclusive_group()
    baseline.add_argument("--baseline", metavar="FILE", help="hide the violations recorded in FILE")
    baseline.add_argument("--write-baseline", metavar="FILE", help="record the current violations in FILE and pass")
    check.add_argument("--select", metavar="ID,...", help="run only these rules (ids or names)")
    check.add_argument("--ignore", metavar="ID,...", help="skip these rules (ids or names)")
    check.add_argument("--strict", action="store_true", help="warnings fail too")
    check.add_argument("--fix", action="store_true", help="repair what can be repaired, then report the rest")
    compare = check.add_mutually_exclusive_group()
    compare.add_argument("--staged", action="store_true", help="what changed: the index vs HEAD (as committed)")
    compare.add_argument("--base", metavar="REF", help="what changed: HEAD vs merge-base(REF, HEAD), e.g. origin/main")
    check.add_argument(
        "--hook", action="store_true",
        help="run as the pre-commit hook: PATHs are one batch of pre-commit's files; implies --staged "
        "unless pre-commit passes PRE_COMMIT_FROM_REF/PRE_COMMIT_TO_REF",
    )  # fmt: skip
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
    check.add_argument("-q", "--quiet", action="store_true", help="print violations only, no summary")
    check.set_defaults(func=cmd_check)

    rules = commands.add_parser("rules", help="list the rules of the active spec")
    rules.add_argument("--spec", metavar="NAME|FILE")
    rules.add_argument("--config", metavar="FILE")
    rules.add_argument("--markdown", action="store_true", help="print a Markdown table")
    rules.add_argument("--reference", action="store_true", help="print the full Markdown rule reference")
    rules.add_argument("--kinds", action="store_true", help="print the Markdown reference of the check kinds")
    rules.set_defaults(func=cmd_rules)

    explain = commands.add_parser("explain", help="show the full documentation of one rule")
    explain.add_argument("rule", metavar="RULE", help="rule id or name")
    explain.add_argument("--spec", metavar="NAME|FILE")
    explain.add_argument("--config", metavar="FILE")
    explain.set_defaults(func=cmd_explain)

    init = commands.add_parser("init", help="scaffold the spec's layout into DIR (never overwrites)")
    init.add_argument("dir", nargs="?", default=".", metavar="DIR")
    init.add_argument("--spec", metavar="NAME|FILE", help="built-in spec name or spec file (default: the config's, else ml-project)")
    init.set_defaults(func=cmd_init)

    schema = commands.add_parser("schema", help="print the JSON Schema of the spec or config format")
    schema.add_argument("which", choices=("spec", "config"))
    schema.set_defaults(func=cmd_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def cmd_check(args: argparse.Namespace) -> int:
    from ml_lint.comparison import choose

    comparison = choose(staged=args.staged, base=args.base, hook=args.hook, environ=os.environ)
    from ml_lint.hook import runs_repo_rules
    from ml_lint.repo import locate

    repo_rules = True
    if args.hook:  # decided first: a batch without repository-level rules lists less
        options = [f"{k}={v}" for k, v in sorted(vars(args).items()) if k not in ("paths", "func")]
        repo_rules = runs_repo_rules(Path.cwd(), options)  # pre-commit runs hooks at the root
    repo, targets = locate(args.paths, index_view=comparison.mode != "worktree", untracked=repo_rules or not args.paths)
    # git lists the files in the background meanwhile: import the rest now,
    # pathspec included (every spec has gitignore patterns to compile).
    import pathspec  # noqa: F401

    from ml_lint import baseline, engine, report
    from ml_lint.cache import CACHE_DIR
    from ml_lint.ruleset import load_ruleset

    # A cache that git sees came with the repository, not from an earlier run: never trust it.
    use_cache = not args.no_cache and not repo.files_under(CACHE_DIR)
    spec = load_ruleset(repo.root, args.config, args.spec, use_cache=use_cache)
    if args.select is not None and not _split(args.select):
        raise UsageError("--select needs at least one rule id or name, e.g. --select ML201,ML202")
    select = engine.resolve_rules(spec, _split(args.select), "--select") if args.select else None
    # Rules the config turns off stay off unless named in --select.
    ignore = engine.resolve_rules(spec, _split(args.ignore), "--ignore") | (spec.disabled - (select or set()))
    known = baseline.read_baseline(Path(args.baseline)) if args.baseline else None
    if args.hook:
        targets = targets or frozenset()  # no file passed: per-file rules have nothing to look at
    result = engine.run(
        spec, repo, targets=targets, comparison=comparison, repo_rules=repo_rules,
        select=select, ignore=ignore, fix=args.fix, strict=args.strict,
        use_cache=use_cache, filters=spec.filters, baseline=known,
    )  # fmt: skip
    if args.write_baseline:
        baseline.write_baseline(Path(args.write_baseline), result.violations)
        print(f"Recorded {len(result.violations)} violations in {args.write_baseline}.")
        return 0
    in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    fmt = args.format or ("github" if in_actions else "text")
    color = fmt == "text" and not args.output and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    _write(report.render(result, fmt, color=color, quiet=args.quiet), args.output)
    if fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        from ml_lint.report.github import step_summary

        _append_step_summary(step_summary(result), os.environ["GITHUB_STEP_SUMMARY"])
    return result.exit_code


def _append_step_summary(markdown: str, path: str) -> None:
    # GitHub gathers what every step appends; a summary we cannot write must
    # not turn a lint result into a tool failure.
    try:
        with open(path, "ab") as summary:
            summary.write(markdown.encode("utf-8"))
    except OSError as exc:
        print(f"ml-lint: warning: cannot append the step summary to '{path}': {exc.strerror}", file=sys.stderr)


def _write(text: str, output: str | None) -> None:
    from ml_lint.fs import atomic_write
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


def _active_project(args: argparse.Namespace):
    """The spec and config in force for the repository around the current folder."""
    from ml_lint.config import load_project
    from ml_lint.repo import find_root

    return load_project(find_root(Path(".")), args.config, args.spec)


def cmd_rules(args: argparse.Namespace) -> int:
    from ml_lint import docs

    if args.kinds:  # the same for every spec
        print(docs.check_kinds_reference(), end="")
        return 0
    project = _active_project(args)
    spec = project.spec
    if args.reference:
        print(docs.rule_reference(spec), end="")
    elif args.markdown:
        print(docs.rules_table(spec), end="")
    else:
        print(docs.rules_listing(spec, project.disabled), end="")
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    from ml_lint import docs
    from ml_lint.engine import resolve_rules

    spec = _active_project(args).spec
    [rule_id] = resolve_rules(spec, [args.rule], "explain")
    print(docs.explain(spec.rule(rule_id), spec), end="")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from ml_lint.config import load_project
    from ml_lint.scaffold import scaffold

    root = Path(args.dir)
    if root.exists() and not root.is_dir():
        raise UsageError(f"'{root}' is not a folder. Give the folder to scaffold the project into.")
    project = load_project(root, spec=args.spec)
    done: list[str] = []
    extends = None
    if not project.source:  # an existing config stays the project's config; otherwise write one
        extends = _extends(args.spec or "ml-project", root, done)
    done += scaffold(root, project.spec, extends)
    print("\n".join(done) if done else "Nothing to do: the layout is already there.")
    return 0


def _extends(spec: str, root: Path, done: list[str]) -> str:
    """How the new project's config names a spec given on the command line.

    A repository's config may only extend specs inside it, so a spec file
    from elsewhere is copied into the project first.
    """
    from ml_lint.fs import atomic_write, read_file
    from ml_lint.spec import builtin_names
    from ml_lint.yamlfile import load_yaml

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
    from ml_lint.schema import json_schema_text

    print(json_schema_text(args.which), end="")
    return 0
