"""Benchmark ml-lint against its floors and peers on generated repositories.

    python benchmarks/run.py [--runs 5] [--shape default,small] [--cases GROUP,...]
                             [--quick] [--ml-lint CMD] [--ml-lint-baseline CMD]
                             [--json FILE]

Every command runs once untimed (page cache, ml-lint's cache), then --runs
rounds in which each command runs once, round-robin, so that load from other
processes on the machine spreads over all rows alike; each shape is one such
series. Reported: median and min wall time and the peak RSS of each command,
ratios to the floors, the peers and the baseline install, and PASS/FAIL against
the performance targets. A row whose tool is missing is skipped with the
reason. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generate import SHAPES, default_notebooks

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
PEERS = HERE / ".peers"
REPOS = HERE / "repos"
MANIFEST = ".git/bench-manifest.json"
LS_LINT_BIN = PEERS / "npm" / "node_modules" / "@ls-lint" / "ls-lint" / "bin"
NBSTRIPOUT = PEERS / "venv" / "bin" / "nbstripout"
NB_CLEAN = PEERS / "venv" / "bin" / "nb-clean"
PRE_COMMIT = PEERS / "venv" / "bin" / "pre-commit"
# pre-commit's store, kept apart from the user's ~/.cache/pre-commit
PRE_COMMIT_ENV = {"PRE_COMMIT_HOME": str(PEERS / "pre-commit-home")}
SETUP_HINT = "run benchmarks/setup_peers.sh"
GNU_TIME = "/usr/bin/time"

GROUPS = {
    "core": "floors, cold and warm checks, the one-file hook, --version",
    "scaling": "cold, warm and floors on the --small-files repo",
    "naming": "ML201-ML203 only vs ls-lint",
    "notebooks": "ML302 on the template notebooks vs nbstripout and nb-clean",
    "hook-all": "pre-commit run --all-files on the 10k-develop-folder repo vs a plain check",
    "monorepo": "20 projects of 2,500 files vs one 50k-file project",
}
QUICK_GROUPS = ["core", "naming", "notebooks"]
BASELINE_KEYS = ("cold", "warm", "staged", "version")  # rows timed for both installs
# The hook-all repo: 40,000 files in 10,000 develop folders for --files 50000
# (scaled with --files, so a small trial run stays small).
FOLDER_REPO_SHARE = 0.8
DEVELOP_FOLDERS_SHARE = 0.2
MONOREPO_PROJECTS = 20


def ls_lint_binary() -> Path:
    """The Go binary inside the npm package: its node wrapper would add start-up time to the peer."""
    system = platform.system().lower()
    arch = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
    return LS_LINT_BIN / f"ls-lint-{system}-{arch}"


LS_LINT = ls_lint_binary()


@dataclass
class Case:
    """One benchmarked command and its measurements."""

    key: str
    label: str
    argv: list[str]
    cwd: Path
    repo: str  # short label of the repository, for the table
    ok_codes: tuple[int, ...] = (0,)
    before: Callable[[], None] | None = None  # untimed, around every run
    after: Callable[[], None] | None = None
    skipped: str | None = None
    env: dict[str, str] | None = None  # added to the environment
    ml: bool = False  # runs the ml-lint under test (for the RSS target)
    error: str | None = None
    seconds: list[float] = field(default_factory=list)
    rss_kib: int | None = None  # from the untimed warm-up run

    @property
    def measured(self) -> bool:
        return bool(self.seconds) and not self.skipped and not self.error

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak_rss_mib(self) -> float | None:
        return None if self.rss_kib is None else self.rss_kib / 1024


Cases = dict[str, Case]


def median(cases: Cases, key: str) -> float | None:
    case = cases.get(key)
    return case.median if case and case.measured else None


def ratio(cases: Cases, key: str, base: str) -> float | None:
    a, b = median(cases, key), median(cases, base)
    return None if a is None or not b else a / b


def hook_net(cases: Cases) -> float | None:
    """pre-commit --all-files with ml-lint's hook minus pre-commit running `true` on the same files."""
    full, noop = median(cases, "precommit-ml-lint"), median(cases, "precommit-true")
    return None if full is None or noop is None else full - noop


def hook_net_ratio(cases: Cases) -> float | None:
    net, plain = hook_net(cases), median(cases, "plain-folders")
    return None if net is None or not plain else net / plain


def max_rss(cases: Cases) -> float | None:
    """Peak RSS over every row of the ml-lint under test: flat means no row needs much."""
    values = [c.peak_rss_mib for c in cases.values() if c.ml and c.measured and c.rss_kib]
    return max(values, default=None)


@dataclass(frozen=True)
class Target:
    label: str
    limit: float
    unit: str  # "×", "s" or "MiB"
    value: Callable[[Cases], float | None]


# Issue 17's targets.
TARGETS = [
    Target(
        "full cold check (--no-cache) ≤ 2.0× Python floor",
        2.0,
        "×",
        lambda c: ratio(c, "cold", "floor-python"),
    ),
    Target(
        "naming-only ≤ 1.5× ls-lint on research/",
        1.5,
        "×",
        lambda c: ratio(c, "naming", "ls-lint-research"),
    ),
    Target(
        "ML302 templates as args ≤ 0.3× nbstripout --verify",
        0.3,
        "×",
        lambda c: ratio(c, "ml302-args", "nbstripout"),
    ),
    Target(
        "ML302 templates as args ≤ 5× nb-clean check",
        5.0,
        "×",
        lambda c: ratio(c, "ml302-args", "nb-clean"),
    ),
    Target(
        "warm check ≤ 3× git ls-files --cached --others --exclude-standard",
        3.0,
        "×",
        lambda c: ratio(c, "warm", "git-ls-others"),
    ),
    Target("hook one file (--staged FILE) ≤ 0.3 s", 0.3, "s", lambda c: median(c, "staged")),
    Target("--version ≤ 0.15 s", 0.15, "s", lambda c: median(c, "version")),
    Target("peak RSS of every ml-lint row ≤ 200 MiB", 200, "MiB", max_rss),
    Target(
        "20-project monorepo ≤ 1.2× one 50k project (cold)",
        1.2,
        "×",
        lambda c: ratio(c, "mono-cold", "cold"),
    ),
    Target(
        "pre-commit --all-files (net) ≤ 10× plain check, 10k folders",
        10.0,
        "×",
        hook_net_ratio,
    ),
]

# what each case is compared with in the ratio column
COMPARISONS = {
    "cold": ["floor-python"],
    "warm": ["git-ls-files", "git-ls-others"],
    "naming": ["ls-lint", "ls-lint-research"],
    "ml302": ["nbstripout", "nb-clean"],
    "ml302-args": ["nbstripout", "nb-clean"],
    "cold@small": ["floor-python@small"],
    "warm@small": ["git-ls-files@small"],
    "mono-cold": ["cold"],
    "mono-warm": ["warm"],
    "precommit-ml-lint": ["precommit-true", "plain-folders"],
}


def run_once(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Wall seconds, exit code and the tail of stderr of one run."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        code = subprocess.run(
            argv,
            check=False,
            cwd=cwd,
            env=env and {**os.environ, **env},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
        ).returncode
        elapsed = time.perf_counter() - start
        err.seek(0)
        tail = err.read()[-2000:].decode(errors="replace").strip()
    return elapsed, code, tail


def gnu_time_works() -> bool:
    try:
        return subprocess.run([GNU_TIME, "-f", "%M", "true"], check=False, capture_output=True).returncode == 0
    except OSError:
        return False


def measure(case: Case, timed: bool, rss: bool) -> None:
    """One run of a case: timed, or (warm-up) under GNU time for its peak RSS.

    RSS comes from GNU time because a child forked from this Python process
    would report Python's own RSS as its high-water mark.
    """
    if case.skipped or case.error:
        return
    with tempfile.NamedTemporaryFile(mode="r") as rss_out:
        argv = [GNU_TIME, "-f", "%M", "-o", rss_out.name, *case.argv] if rss and not timed else case.argv
        if case.before:
            case.before()
        try:
            seconds, code, stderr = run_once(argv, case.cwd, case.env)
        finally:
            if case.after:
                case.after()
        if argv is not case.argv and code in case.ok_codes:
            case.rss_kib = int(rss_out.read().split()[-1])  # last line; GNU time may note the exit status first
    if code not in case.ok_codes:
        case.error = f"exit {code}: {stderr.splitlines()[-1] if stderr else 'no message'}"
    elif timed:
        case.seconds.append(seconds)


# ----- repositories ----------------------------------------------------------------


@dataclass(frozen=True)
class RepoSpec:
    """The generator's parameters for one benchmark repository."""

    files: int
    notebooks: int
    shape: str = "default"
    develop_folders: int = 0
    projects: int = 0

    def folder(self, seed: int, rate: float) -> Path:
        """The cache folder: its name holds every parameter (the default shape keeps the old names)."""
        name = f"files{self.files}-nb{self.notebooks}-seed{seed}-rate{rate:g}"
        if self.shape != "default":
            name += f"-{self.shape}"
        if self.develop_folders:
            name += f"-folders{self.develop_folders}"
        if self.projects:
            name += f"-projects{self.projects}"
        return REPOS / name

    def generator_args(self) -> list[str]:
        return [
            "--files",
            str(self.files),
            "--notebooks",
            str(self.notebooks),
            "--shape",
            self.shape,
            "--develop-folders",
            str(self.develop_folders),
            "--projects",
            str(self.projects),
        ]


def ensure_repo(spec: RepoSpec, seed: int, rate: float) -> tuple[Path, dict]:
    """The cached generated repo for these parameters, generating it if needed."""
    path = spec.folder(seed, rate)
    manifest = path / MANIFEST
    if not manifest.exists():  # absent or interrupted generation
        shutil.rmtree(path, ignore_errors=True)
        print(f"generating {path.relative_to(PROJECT)} ...", flush=True)
        generated = subprocess.run(
            [
                sys.executable,
                str(HERE / "generate.py"),
                str(path),
                *spec.generator_args(),
                "--seed",
                str(seed),
                "--violation-rate",
                str(rate),
            ],
            check=False,
        )
        if generated.returncode != 0:
            raise SystemExit(f"generating {path} failed (see the message above)")
    dirty = git(path, "status", "--porcelain", "--untracked-files=no")
    if dirty:  # an interrupted run left its staged change behind
        git(path, "reset", "-q", "--hard", "HEAD")
    return path, json.loads(manifest.read_text())


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def tracked(repo: Path) -> list[str]:
    return git(repo, "ls-files", "-z").split("\0")[:-1]


class StagedEdit:
    """Stage one modified develop notebook around each run, then restore it exactly.

    The original bytes and mtime come back, so ml-lint's cache still sees the
    file as unchanged for the warm rows.
    """

    def __init__(self, repo: Path, rel: str):
        self.repo, self.rel, self.path = repo, rel, repo / rel
        self.original = self.path.read_bytes()
        self.stat = self.path.stat()

    def apply(self) -> None:
        nb = json.loads(self.original)
        nb["cells"].append(
            {
                "cell_type": "markdown",
                "id": "benchedit",
                "metadata": {},
                "source": ["## Follow-up\n", "\n", "Re-run with the new split."],
            }
        )
        self.path.write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
        git(self.repo, "add", "--", self.rel)

    def undo(self) -> None:
        git(self.repo, "reset", "-q", "--", self.rel)
        self.path.write_bytes(self.original)
        os.utime(self.path, ns=(self.stat.st_atime_ns, self.stat.st_mtime_ns))


# ----- tools ---------------------------------------------------------------------------


def find_ml_lint(option: str | None) -> tuple[list[str] | None, str]:
    """The ml-lint command and its version, or None and why it cannot run."""
    if option:
        cmd = shlex.split(option)
        if "/" in cmd[0]:  # the cases run inside the generated repos
            cmd[0] = str(Path(cmd[0]).resolve())
    elif (HERE / ".peers" / "ml-lint" / "bin" / "ml-lint").exists():  # setup_peers.sh: a regular install
        cmd = [str(HERE / ".peers" / "ml-lint" / "bin" / "ml-lint")]
    elif shutil.which("ml-lint"):
        cmd = [shutil.which("ml-lint")]
    elif (PROJECT / ".venv" / "bin" / "ml-lint").exists():
        cmd = [str(PROJECT / ".venv" / "bin" / "ml-lint")]
    else:
        return (
            None,
            "ml-lint not installed (pip install -e . in a venv, or pass --ml-lint CMD)",
        )
    try:
        result = subprocess.run([*cmd, "--version"], check=False, capture_output=True, text=True, timeout=60)
    except OSError as exc:
        return None, f"cannot start {cmd[0]}: {exc.strerror}"
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        return None, f"`{shlex.join(cmd)} --version` failed: {last}"
    return cmd, result.stdout.strip()


def tool_version(argv: list[str]) -> str | None:
    try:
        result = subprocess.run(argv, check=False, capture_output=True, text=True, timeout=60)
    except OSError:
        return None
    return (result.stdout or result.stderr).strip().splitlines()[0] if result.returncode == 0 else None


def peer(path: Path) -> str | None:
    """Why a peer cannot run, or None if it can."""
    return None if path.exists() else f"{path.name} not installed ({SETUP_HINT})"


# ----- the cases -----------------------------------------------------------------------


def pre_commit_hook(entry: list[str]) -> dict | None:
    """ml-lint's hook from .pre-commit-hooks.yaml, run as `repo: local`, `language: system`.

    `language: system` with the command under test as entry times ml-lint as
    pre-commit runs it, without pre-commit building a venv of its own (which
    would also be a different install than the one under test). Every other
    key (types_or, always_run, require_serial, ...) is the published hook's.
    """
    try:
        import yaml  # pre-commit's own dependency; not one of ml-lint
    except ImportError:
        return None
    hooks = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "ml-lint")
    _, *args = shlex.split(hook["entry"])  # "ml-lint check --hook"
    keep = {k: v for k, v in hook.items() if k not in ("language", "minimum_pre_commit_version")}
    return keep | {"entry": shlex.join([*entry, *args]), "language": "system"}


def pre_commit_config(name: str, hook: dict) -> Path:
    """A config holding one local hook, outside every generated repo (JSON is valid YAML)."""
    path = REPOS / ".pre-commit" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"repos": [{"repo": "local", "hooks": [hook]}]}, indent=1) + "\n")
    return path


@dataclass
class Suite:
    """The cases of one shape, and the repositories they run on."""

    shape: str
    args: argparse.Namespace
    ml: list[str] | None
    ml_reason: str
    repos: dict[str, tuple[Path, dict]] = field(default_factory=dict)

    def spec(self, kind: str) -> RepoSpec:
        a = self.args
        main_notebooks = a.notebooks or default_notebooks(a.files, self.shape)

        def scaled(files: int) -> int:
            return round(main_notebooks * files / a.files)

        return {
            "main": RepoSpec(a.files, main_notebooks, self.shape),
            "scaling": RepoSpec(a.small_files, scaled(a.small_files), self.shape),
            "folders": RepoSpec(
                round(a.files * FOLDER_REPO_SHARE),
                scaled(round(a.files * FOLDER_REPO_SHARE)),
                self.shape,
                develop_folders=round(a.files * DEVELOP_FOLDERS_SHARE),
            ),
            "monorepo": RepoSpec(a.files, main_notebooks, self.shape, projects=MONOREPO_PROJECTS),
        }[kind]

    def repo(self, kind: str) -> Path:
        if kind not in self.repos:
            self.repos[kind] = ensure_repo(self.spec(kind), self.args.seed, self.args.violation_rate)
        return self.repos[kind][0]

    def label(self, kind: str) -> str:
        spec = self.spec(kind)
        size = f"{spec.files / 1000:g}k"
        if spec.projects:
            return f"{spec.projects}×{spec.files / spec.projects / 1000:g}k"
        return f"{size}/{spec.develop_folders / 1000:g}k dirs" if spec.develop_folders else size

    def check(self, *options: str) -> list[str]:
        return [*self.ml, "check", "--format", "json", *options] if self.ml else []

    def ml_case(self, key: str, label: str, argv: list[str], kind: str, **kw) -> Case:
        """A case running the ml-lint under test; exit 1 (violations found) is a normal result."""
        return Case(
            key,
            label,
            argv,
            self.repo(kind),
            self.label(kind),
            ok_codes=(0, 1),
            skipped=None if self.ml else self.ml_reason,
            ml=True,
            **kw,
        )

    # ----- one builder per group -----

    def core(self) -> list[Case]:
        big = self.repo("main")
        files = tracked(big)
        develop = next(
            (
                f
                for f in files
                if f.startswith("research/develop/")
                and f.endswith(".ipynb")
                and f.count("/") == 2
                and (big / f).stat().st_size > 0
            ),
            None,
        )
        edit = StagedEdit(big, develop) if develop else None
        label = self.label("main")
        return [
            Case("git-ls-files", "floor: git ls-files", ["git", "ls-files"], big, label),
            Case(
                "git-ls-others",
                "floor: git ls-files --cached --others --exclude-standard",
                ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                big,
                label,
            ),
            Case(
                "floor-python",
                "floor: benchmarks/floor.py",
                [sys.executable, str(HERE / "floor.py"), "."],
                big,
                label,
            ),
            self.ml_case(
                "cold",
                "ml-lint check --no-cache (cold)",
                self.check("--no-cache"),
                "main",
            ),
            self.ml_case("warm", "ml-lint check (warm)", self.check(), "main"),
            self.ml_case(
                "staged",
                "ml-lint check --staged FILE (hook)",
                self.check("--staged", str(develop)),
                "main",
                before=edit and edit.apply,
                after=edit and edit.undo,
            )
            if develop
            else Case(
                "staged",
                "ml-lint check --staged FILE (hook)",
                [],
                big,
                label,
                skipped="the repo has no develop notebook to stage",
            ),
            self.ml_case(
                "version",
                "ml-lint --version (start-up)",
                [*(self.ml or []), "--version"],
                "main",
            ),
        ]

    def scaling(self) -> list[Case]:
        small, label = self.repo("scaling"), self.label("scaling")
        return [
            Case(
                "git-ls-files@small",
                "floor: git ls-files",
                ["git", "ls-files"],
                small,
                label,
            ),
            Case(
                "floor-python@small",
                "floor: benchmarks/floor.py",
                [sys.executable, str(HERE / "floor.py"), "."],
                small,
                label,
            ),
            self.ml_case(
                "cold@small",
                "ml-lint check --no-cache (cold)",
                self.check("--no-cache"),
                "scaling",
            ),
            self.ml_case("warm@small", "ml-lint check (warm)", self.check(), "scaling"),
        ]

    def naming(self) -> list[Case]:
        big, label = self.repo("main"), self.label("main")
        return [
            self.ml_case(
                "naming",
                "ml-lint --select ML201,ML202,ML203 --no-cache",
                self.check("--no-cache", "--select", "ML201,ML202,ML203"),
                "main",
            ),
            Case(
                "ls-lint",
                "peer: ls-lint, whole tree minus ignores",
                [str(LS_LINT), "-config", str(HERE / "ls-lint.yml")],
                big,
                label,
                (0, 1),
                skipped=peer(LS_LINT),
            ),
            # Same regexes, but ls-lint walks research/ only: the least a
            # file-name linter must read for these three rules.
            Case(
                "ls-lint-research",
                "peer: ls-lint -workdir research",
                [
                    str(LS_LINT),
                    "-config",
                    str(HERE / "ls-lint-research.yml"),
                    "-workdir",
                    "research",
                ],
                big,
                label,
                (0, 1),
                skipped=peer(LS_LINT),
            ),
        ]

    def notebooks(self) -> list[Case]:
        big, label = self.repo("main"), self.label("main")
        templates = [f for f in tracked(big) if f.startswith("research/templates/") and f.endswith(".ipynb")]
        no_templates = None if templates else "the repo has no template notebook"
        return [
            self.ml_case(
                "ml302",
                "ml-lint --select ML302 --no-cache (whole repo)",
                self.check("--no-cache", "--select", "ML302"),
                "main",
            ),
            self.ml_case(
                "ml302-args",
                f"ml-lint --select ML302 --no-cache {len(templates)} templates as args",
                self.check("--no-cache", "--select", "ML302", *templates),
                "main",
            ),
            # Both peers told to look at outputs and counts only, as ML302 does.
            Case(
                "nbstripout",
                "peer: nbstripout --verify templates",
                [str(NBSTRIPOUT), "--verify", "--keep-id", *templates],
                big,
                label,
                (0, 1),
                skipped=peer(NBSTRIPOUT) or no_templates,
            ),
            Case(
                "nb-clean",
                "peer: nb-clean check templates",
                [
                    str(NB_CLEAN),
                    "check",
                    "--preserve-notebook-metadata",
                    "--preserve-cell-metadata",
                    *templates,
                ],
                big,
                label,
                (0, 1),
                skipped=peer(NB_CLEAN) or no_templates,
            ),
        ]

    def hook_all(self) -> list[Case]:
        repo, label = self.repo("folders"), self.label("folders")
        ml_hook = pre_commit_hook(self.ml) if self.ml else None
        why = (
            peer(PRE_COMMIT)
            or (None if self.ml else self.ml_reason)
            or (None if ml_hook else "PyYAML not importable to read .pre-commit-hooks.yaml")
        )
        cases = [
            self.ml_case(
                "plain-folders",
                "ml-lint check (plain, warm)",
                [*(self.ml or []), "check"],
                "folders",
            )
        ]
        if why:
            return cases + [
                Case(k, lbl, [], repo, label, skipped=why)
                for k, lbl in (
                    ("precommit-ml-lint", "pre-commit run --all-files (ml-lint hook)"),
                    ("precommit-true", "pre-commit run --all-files (`true` hook)"),
                )
            ]
        # The trivial hook gets the same file filter and batching, so the
        # difference is what ml-lint itself costs inside pre-commit.
        noop = ml_hook | {"id": "noop", "name": "noop", "entry": "true"}
        return cases + [
            Case(
                key,
                lbl,
                [
                    str(PRE_COMMIT),
                    "run",
                    "--all-files",
                    "--config",
                    str(pre_commit_config(f"{self.shape}-{name}", hook)),
                ],
                repo,
                label,
                (0, 1),
                env=PRE_COMMIT_ENV,
                ml=key == "precommit-ml-lint",
            )
            for key, lbl, name, hook in (
                (
                    "precommit-ml-lint",
                    "pre-commit run --all-files (ml-lint hook)",
                    "ml-lint",
                    ml_hook,
                ),
                (
                    "precommit-true",
                    "pre-commit run --all-files (`true` hook)",
                    "noop",
                    noop,
                ),
            )
        ]

    def monorepo(self) -> list[Case]:
        label = f"ml-lint check --no-cache, {MONOREPO_PROJECTS} projects"
        return [
            # the single-project reference: the same case as core's
            self.ml_case(
                "cold",
                "ml-lint check --no-cache (cold)",
                self.check("--no-cache"),
                "main",
            ),
            self.ml_case("warm", "ml-lint check (warm)", self.check(), "main"),
            self.ml_case("mono-cold", label, self.check("--no-cache"), "monorepo"),
            self.ml_case(
                "mono-warm",
                f"ml-lint check (warm), {MONOREPO_PROJECTS} projects",
                self.check(),
                "monorepo",
            ),
        ]

    def build(self, groups: list[str], baseline: list[str] | None) -> Cases:
        builders = {
            "core": self.core,
            "scaling": self.scaling,
            "naming": self.naming,
            "notebooks": self.notebooks,
            "hook-all": self.hook_all,
            "monorepo": self.monorepo,
        }
        cases: Cases = {}
        for group in groups:
            for case in builders[group]():
                cases.setdefault(case.key, case)  # a reference row shared by two groups runs once
        if baseline:
            for key in BASELINE_KEYS:
                if key in cases:
                    twin = baseline_twin(cases[key], self.ml, baseline)
                    cases[twin.key] = twin
        return cases


def baseline_twin(case: Case, ml: list[str] | None, baseline: list[str]) -> Case:
    """The same command with the baseline install in place of the ml-lint under test."""
    rest = case.argv[len(ml) :] if ml else []
    return Case(
        f"{case.key}~base",
        f"{case.label} [baseline]",
        [*baseline, *rest],
        case.cwd,
        case.repo,
        case.ok_codes,
        case.before,
        case.after,
        skipped=case.skipped if ml else "no ml-lint under test to compare with",
    )


def planted_found(case: Case | None, manifest: dict) -> dict:
    """Which planted violations the cold check reports (a sanity check, not a test)."""
    if case is None or not case.measured:
        return {"error": f"cold check did not run: {case and (case.skipped or case.error)}"}
    reported = reported_violations(case)
    if reported is None:
        return {"error": "cold check output is not the contract's JSON"}
    paths = {(v["rule"], v["path"].rstrip("/")) for v in reported}
    missed = [p for p in manifest["planted"] if (p["rule"], p["path"]) not in paths]
    return {
        "found": len(manifest["planted"]) - len(missed),
        "planted": len(manifest["planted"]),
        "missed": missed,
    }


def reported_violations(case: Case) -> list[dict] | None:
    result = subprocess.run(case.argv, cwd=case.cwd, check=False, capture_output=True, text=True)
    try:
        return list(json.loads(result.stdout)["violations"])
    except (ValueError, KeyError, TypeError):
        return None


def projects_honoured(case: Case | None) -> dict:
    """Whether the monorepo check saw the sub-projects: no violation outside projects/.

    An ml-lint without sub-project configs checks the root as one project and
    reports the template's missing paths there, so its timing is not the same work.
    """
    if case is None or not case.measured:
        return {"error": "monorepo check did not run"}
    reported = reported_violations(case)
    if reported is None:
        return {"error": "monorepo check output is not the contract's JSON"}
    outside = [v for v in reported if not v["path"].startswith("projects/")]
    return {
        "honoured": not outside,
        "violations": len(reported),
        "outside_projects": len(outside),
    }


# ----- report --------------------------------------------------------------------------


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
        for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def ratio_text(cases: Cases, case: Case) -> str:
    parts = [
        f"{case.median / b.median:.2f}× {b.key.removesuffix('@small')}"
        for b in (cases[k] for k in COMPARISONS.get(case.key, []) if k in cases)
        if b.measured
    ]
    base = cases.get(f"{case.key}~base")
    if base and base.measured:
        parts.insert(0, f"new/old {case.median / base.median:.2f}×")
    return ", ".join(parts)


def report(cases: Cases) -> str:
    rows = [["command", "repo", "median s", "min s", "peak RSS MiB", "ratio"]]
    for case in cases.values():
        if not case.measured:
            rows.append(
                [
                    case.label,
                    case.repo,
                    "skipped",
                    "",
                    "",
                    case.skipped or case.error or "",
                ]
            )
            continue
        rss = "n/a" if case.peak_rss_mib is None else f"{case.peak_rss_mib:.0f}"
        rows.append(
            [
                case.label,
                case.repo,
                f"{case.median:.3f}",
                f"{min(case.seconds):.3f}",
                rss,
                ratio_text(cases, case),
            ]
        )
    out = [table(rows), ""]
    out += derived_lines(cases)
    out.append(table(target_rows(cases)))
    return "\n".join(out)


def derived_lines(cases: Cases) -> list[str]:
    """Scaling and the pre-commit net cost: figures made of several rows."""
    out = []
    parts = []
    for key in ("cold", "warm", "floor-python", "git-ls-files"):
        a, b = cases.get(f"{key}@small"), cases.get(key)
        if a and b and a.measured and b.measured:
            parts.append(f"{key} {a.median:.2f}→{b.median:.2f} s (×{b.median / a.median:.1f})")
    if parts:
        out += [
            f"scaling {cases['cold@small'].repo}→{cases['cold'].repo} files: " + "; ".join(parts),
            "",
        ]
    net = hook_net(cases)
    if net is not None:
        plain = median(cases, "plain-folders")
        out += [
            f"pre-commit --all-files net of pre-commit's overhead: {net:.3f} s "
            f"= {net / plain:.2f}× the plain check ({plain:.3f} s)"
            if plain
            else f"pre-commit --all-files net of pre-commit's overhead: {net:.3f} s",
            "",
        ]
    return out


def target_rows(cases: Cases) -> list[list[str]]:
    rows = [["target", "measured", "result"]]
    for t in TARGETS:
        value = t.value(cases)
        if value is None:
            rows.append([t.label, "-", "SKIP"])
            continue
        shown = {
            "×": f"{value:.2f}×",
            "s": f"{value:.3f} s",
            "MiB": f"{value:.0f} MiB",
        }[t.unit]
        rows.append([t.label, shown, "PASS" if value <= t.limit else "FAIL"])
    return rows


def case_figures(cases: Cases) -> dict:
    return {
        k: {
            "label": c.label,
            "argv": c.argv[:12],
            "repo": str(c.cwd),
            "seconds": c.seconds,
            "peak_rss_kib": c.rss_kib,
            "median": c.median if c.measured else None,
            "skipped": c.skipped,
            "error": c.error,
        }
        for k, c in cases.items()
    }


def target_figures(cases: Cases) -> list[dict]:
    figures = []
    for t in TARGETS:
        value = t.value(cases)
        figures.append(
            {
                "target": t.label,
                "value": value,
                "limit": t.limit,
                "unit": t.unit,
                "pass": None if value is None else value <= t.limit,
            }
        )
    return figures


# ----- running -------------------------------------------------------------------------


def run_rounds(cases: Cases, runs: int, rss: bool) -> None:
    """One untimed warm-up round, then `runs` timed rounds, each command once per round."""
    print(
        f"warm-up round, then {runs} timed rounds over {len(cases)} commands ...",
        flush=True,
    )
    for round_no in range(runs + 1):
        for case in cases.values():
            measure(case, timed=round_no > 0, rss=rss)


def run_shape(
    shape: str,
    args: argparse.Namespace,
    ml: list[str] | None,
    ml_reason: str,
    baseline: list[str] | None,
    rss: bool,
) -> dict:
    """Build, run and print one shape's cases; return its figures for --json."""
    print(f"\n=== shape {shape} ===", flush=True)
    suite = Suite(shape, args, ml, ml_reason)
    cases = suite.build(args.cases, baseline)
    run_rounds(cases, args.runs, rss)
    main_manifest = suite.repos["main"][1] if "main" in suite.repos else None
    planted = planted_found(cases.get("cold"), main_manifest) if main_manifest else {"error": "no main repo"}
    projects = projects_honoured(cases.get("mono-cold")) if "mono-cold" in cases else None

    print()
    print(report(cases))
    if "error" in planted:
        print(f"\nplanted violations: not checked, {planted['error']}")
    else:
        print(f"\nplanted violations reported by the cold check: {planted['found']}/{planted['planted']}")
        for p in planted["missed"][:10]:
            print(f"  not reported: {p['rule']} {p['path']}")
    if projects and "error" in projects:
        print(f"monorepo sub-projects: not checked, {projects['error']}")
    elif projects:
        print(
            f"monorepo sub-projects honoured: {'yes' if projects['honoured'] else 'NO'} "
            f"({projects['outside_projects']} of {projects['violations']} violations outside "
            "projects/; NO means the root was checked as one project: not the same work)"
        )
    repos = {}
    for kind, (path, manifest) in suite.repos.items():
        repos[kind] = {k: v for k, v in manifest.items() if k != "planted"} | {"path": str(path)}
    return {
        "repos": repos,
        "planted_violations_found": planted,
        "monorepo_projects_honoured": projects,
        "derived": {
            "hook_net_seconds": hook_net(cases),
            "hook_net_ratio": hook_net_ratio(cases),
        },
        "cases": case_figures(cases),
        "targets": target_figures(cases),
    }


def comma_list(choices: list[str]) -> Callable[[str], list[str]]:
    def parse(text: str) -> list[str]:
        items = [t.strip() for t in text.split(",") if t.strip()]
        unknown = [t for t in items if t not in choices]
        if unknown or not items:
            raise argparse.ArgumentTypeError(f"choose from {', '.join(choices)}")
        return items

    return parse


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="groups: " + "; ".join(f"{k}: {v}" for k, v in GROUPS.items()),
    )
    parser.add_argument("--runs", type=int, help="timed rounds (default 5; 3 with --quick)")
    parser.add_argument(
        "--cases",
        type=comma_list(list(GROUPS)),
        help=f"groups to run, comma-separated (default: all; --quick: {','.join(QUICK_GROUPS)})",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a subset that runs in a few minutes: --runs 3, core,naming,notebooks",
    )
    parser.add_argument(
        "--shape",
        type=comma_list(sorted(SHAPES)),
        default=["default"],
        help="notebook shapes to run, comma-separated: default, small (default: default)",
    )
    parser.add_argument(
        "--files",
        type=int,
        default=50_000,
        help="files in the main repo (default 50000)",
    )
    parser.add_argument(
        "--notebooks",
        type=int,
        help="notebooks in the main repo (default: 2000, or 5000 for the small shape)",
    )
    parser.add_argument(
        "--small-files",
        type=int,
        default=5_000,
        help="files in the scaling repo, notebooks scaled alike (default 5000)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--violation-rate", type=float, default=0.03)
    parser.add_argument(
        "--ml-lint",
        metavar="CMD",
        help="command to run ml-lint (default: the regular install made by setup_peers.sh, "
        "else ml-lint on PATH, else .venv/bin/ml-lint)",
    )
    parser.add_argument(
        "--ml-lint-baseline",
        metavar="CMD",
        help="a second ml-lint install timed in the same rounds on the cold, warm, hook and "
        "--version rows; the ratio column shows new/old",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the raw figures to FILE")
    args = parser.parse_args(argv)
    args.runs = args.runs or (3 if args.quick else 5)
    args.cases = args.cases or (QUICK_GROUPS if args.quick else list(GROUPS))
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if "scaling" in args.cases and args.small_files <= 0:
        parser.error("the scaling group needs --small-files > 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    ml, ml_version = find_ml_lint(args.ml_lint)
    baseline, base_version = find_ml_lint(args.ml_lint_baseline) if args.ml_lint_baseline else (None, "")
    if args.ml_lint_baseline and not baseline:
        raise SystemExit(f"--ml-lint-baseline: {base_version}")
    versions = {
        "ml-lint": ml_version if ml else None,
        "ml-lint baseline": base_version or None,
        "git": tool_version(["git", "--version"]),
        "ls-lint": tool_version([str(LS_LINT), "--version"]),
        "nbstripout": tool_version([str(NBSTRIPOUT), "--version"]),
        "nb-clean": tool_version([str(NB_CLEAN), "--version"]),
        "pre-commit": tool_version([str(PRE_COMMIT), "--version"]),
    }
    print("versions: " + ", ".join(f"{k} {v or '(missing)'}" for k, v in versions.items()))
    print(f"groups: {','.join(args.cases)}; shapes: {','.join(args.shape)}; {args.runs} rounds")
    rss = gnu_time_works()
    if not rss:
        print(f"{GNU_TIME} (GNU time) not usable: peak RSS not measured")
    shapes = {shape: run_shape(shape, args, ml, ml_version, baseline, rss) for shape in args.shape}
    if args.json:
        figures = {
            "machine": {
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
                "python": platform.python_version(),
                "loadavg_at_end": os.getloadavg(),
            },
            "versions": versions,
            "commands": {"ml-lint": ml, "baseline": baseline},
            "runs": args.runs,
            "groups": args.cases,
            "shapes": shapes,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=1) + "\n")
        print(f"\nraw figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
