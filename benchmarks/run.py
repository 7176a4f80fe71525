"""Benchmark ml-lint against its floors and peers on generated repositories.

    python benchmarks/run.py [--runs 5] [--files 50000] [--notebooks 2000]
                             [--small-files 5000] [--ml-lint CMD] [--json FILE]

Every command runs once untimed (page cache, ml-lint's cache), then --runs
rounds in which each command runs once, round-robin, so that load from other
processes on the machine spreads over all rows alike. Reported: median and
min wall time and the peak RSS of each command, ratios to the floors and
peers, and PASS/FAIL against the performance targets. A row whose tool is
missing is skipped with the reason. See benchmarks/README.md.
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

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
PEERS = HERE / ".peers"
REPOS = HERE / "repos"
MANIFEST = ".git/bench-manifest.json"
LS_LINT_BIN = PEERS / "npm" / "node_modules" / "@ls-lint" / "ls-lint" / "bin"
NBSTRIPOUT = PEERS / "venv" / "bin" / "nbstripout"
NB_CLEAN = PEERS / "venv" / "bin" / "nb-clean"
SETUP_HINT = "run benchmarks/setup_peers.sh"
GNU_TIME = "/usr/bin/time"


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
    ok_codes: tuple[int, ...] = (0,)
    before: Callable[[], None] | None = None  # untimed, around every run
    after: Callable[[], None] | None = None
    skipped: str | None = None
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


@dataclass(frozen=True)
class Target:
    label: str
    key: str
    limit: float
    unit: str
    baseline: str | None = None  # ratio to this case's median; None = absolute

    def value(self, cases: dict[str, Case]) -> float | None:
        case = cases[self.key]
        if not case.measured:
            return None
        if self.unit == "MiB":
            return case.peak_rss_mib  # None without GNU time
        if self.baseline is None:
            return case.median
        base = cases[self.baseline]
        return case.median / base.median if base.measured else None


TARGETS = [
    Target("cold check ≤ 2.5× Python floor", "cold", 2.5, "×", "floor-python"),
    Target("warm check ≤ 4× git ls-files", "warm", 4.0, "×", "git-ls-files"),
    Target("staged hook ≤ 0.3 s", "staged", 0.3, "s"),
    Target("--version ≤ 0.15 s", "version", 0.15, "s"),
    Target("naming rules ≤ 2× ls-lint", "naming", 2.0, "×", "ls-lint"),
    Target("cold check peak RSS ≤ 200 MiB", "cold", 200, "MiB"),
]

# what each case is compared with in the ratio column
COMPARISONS = {
    "cold": ["floor-python"],
    "warm": ["git-ls-files"],
    "naming": ["ls-lint"],
    "ml302": ["nbstripout", "nb-clean"],
    "cold@small": ["floor-python@small"],
    "warm@small": ["git-ls-files@small"],
}


def run_once(argv: list[str], cwd: Path) -> tuple[float, int, str]:
    """Wall seconds, exit code and the tail of stderr of one run."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        code = subprocess.run(
            argv,
            check=False,
            cwd=cwd,
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
            seconds, code, stderr = run_once(argv, case.cwd)
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


def ensure_repo(files: int, notebooks: int, seed: int, rate: float) -> tuple[Path, dict]:
    """The cached generated repo for these parameters, generating it if needed."""
    path = REPOS / f"files{files}-nb{notebooks}-seed{seed}-rate{rate:g}"
    manifest = path / MANIFEST
    if not manifest.exists():  # absent or interrupted generation
        shutil.rmtree(path, ignore_errors=True)
        print(f"generating {path.relative_to(PROJECT)} ...", flush=True)
        generated = subprocess.run(
            [
                sys.executable,
                str(HERE / "generate.py"),
                str(path),
                "--files",
                str(files),
                "--notebooks",
                str(notebooks),
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
    elif (HERE / ".peers" / "ml-lint" / "bin" / "ml-lint").exists():  # setup_peers.sh: a regular install
        cmd = [str(HERE / ".peers" / "ml-lint" / "bin" / "ml-lint")]
    elif shutil.which("ml-lint"):
        cmd = [shutil.which("ml-lint")]
    elif (PROJECT / ".venv" / "bin" / "ml-lint").exists():
        cmd = [str(PROJECT / ".venv" / "bin" / "ml-lint")]
    else:
        return None, "ml-lint not installed (pip install -e . in a venv, or pass --ml-lint CMD)"
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


def build_cases(ml: list[str] | None, ml_reason: str, big: Path, small: Path | None) -> list[Case]:
    check = [*ml, "check", "--format", "json"] if ml else []
    no_ml = None if ml else ml_reason
    files = tracked(big)
    templates = [f for f in files if f.startswith("research/templates/") and f.endswith(".ipynb")]
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
    no_templates = None if templates else "the repo has no template notebook"
    no_staged = no_ml or (None if develop else "the repo has no develop notebook to stage")
    cases = [
        Case("git-ls-files", "floor: git ls-files", ["git", "ls-files"], big),
        Case(
            "floor-python",
            "floor: benchmarks/floor.py",
            [sys.executable, str(HERE / "floor.py"), "."],
            big,
        ),
        Case(
            "cold",
            "ml-lint check --no-cache (cold)",
            [*check, "--no-cache"],
            big,
            (0, 1),
            skipped=no_ml,
        ),
        Case("warm", "ml-lint check (warm)", check, big, (0, 1), skipped=no_ml),
        Case(
            "staged",
            "ml-lint check --staged FILE (hook)",
            [*check, "--staged", str(develop)],
            big,
            (0, 1),
            before=edit and edit.apply,
            after=edit and edit.undo,
            skipped=no_staged,
        ),
        Case(
            "version",
            "ml-lint --version (start-up)",
            [*(ml or []), "--version"],
            big,
            skipped=no_ml,
        ),
        Case(
            "naming",
            "ml-lint --select ML201,ML202,ML203",
            [*check, "--no-cache", "--select", "ML201,ML202,ML203"],
            big,
            (0, 1),
            skipped=no_ml,
        ),
        Case(
            "ls-lint",
            "peer: ls-lint (same naming rules)",
            [str(LS_LINT), "-config", str(HERE / "ls-lint.yml")],
            big,
            (0, 1),
            skipped=peer(LS_LINT),
        ),
        Case(
            "ml302",
            "ml-lint --select ML302",
            [*check, "--no-cache", "--select", "ML302"],
            big,
            (0, 1),
            skipped=no_ml,
        ),
        # Both peers told to look at outputs and counts only, as ML302 does.
        Case(
            "nbstripout",
            "peer: nbstripout --verify templates",
            [str(NBSTRIPOUT), "--verify", "--keep-id", *templates],
            big,
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
            (0, 1),
            skipped=peer(NB_CLEAN) or no_templates,
        ),
    ]
    if small:
        cases += [
            Case("git-ls-files@small", "floor: git ls-files", ["git", "ls-files"], small),
            Case(
                "floor-python@small",
                "floor: benchmarks/floor.py",
                [sys.executable, str(HERE / "floor.py"), "."],
                small,
            ),
            Case(
                "cold@small",
                "ml-lint check --no-cache (cold)",
                [*check, "--no-cache"],
                small,
                (0, 1),
                skipped=no_ml,
            ),
            Case("warm@small", "ml-lint check (warm)", check, small, (0, 1), skipped=no_ml),
        ]
    return cases


def planted_found(case: Case, manifest: dict) -> dict:
    """Which planted violations the cold check reports (a sanity check, not a test)."""
    if not case.measured:
        return {"error": f"cold check did not run: {case.skipped or case.error}"}
    result = subprocess.run(case.argv, cwd=case.cwd, check=False, capture_output=True, text=True)
    try:
        reported = {(v["rule"], v["path"].rstrip("/")) for v in json.loads(result.stdout)["violations"]}
    except (ValueError, KeyError, TypeError) as exc:
        return {"error": f"cold check output is not the contract's JSON ({exc})"}
    missed = [p for p in manifest["planted"] if (p["rule"], p["path"]) not in reported]
    return {
        "found": len(manifest["planted"]) - len(missed),
        "planted": len(manifest["planted"]),
        "missed": missed,
    }


# ----- report --------------------------------------------------------------------------


def table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def report(cases: dict[str, Case], big_files: int, small_files: int | None) -> str:
    rows = [["command", "repo", "median s", "min s", "peak RSS MiB", "ratio"]]
    for case in cases.values():
        repo = f"{(small_files if case.key.endswith('@small') else big_files) / 1000:g}k"
        if not case.measured:
            rows.append([case.label, repo, "skipped", "", "", case.skipped or case.error or ""])
            continue
        bases = [cases[k] for k in COMPARISONS.get(case.key, []) if cases[k].measured]
        ratio = ", ".join(f"{case.median / b.median:.2f}× {b.key.removesuffix('@small')}" for b in bases)
        rss = "n/a" if case.peak_rss_mib is None else f"{case.peak_rss_mib:.0f}"
        rows.append([case.label, repo, f"{case.median:.3f}", f"{min(case.seconds):.3f}", rss, ratio])
    out = [table(rows), ""]
    if small_files:
        parts = []
        for key in ("cold", "warm", "floor-python", "git-ls-files"):
            a, b = cases[f"{key}@small"], cases[key]
            if a.measured and b.measured:
                parts.append(f"{key} {a.median:.2f}→{b.median:.2f} s (×{b.median / a.median:.1f})")
        out.append(
            f"scaling {small_files / 1000:g}k→{big_files / 1000:g}k files (×{big_files / small_files:g}): "
            + ("; ".join(parts) or "nothing measured")
        )
        out.append("")
    target_rows = [["target", "measured", "result"]]
    for t in TARGETS:
        value = t.value(cases)
        if value is None:
            target_rows.append([t.label, "-", "SKIP"])
            continue
        shown = f"{value:.2f}{t.unit}" if t.unit == "×" else f"{value:.3f} s" if t.unit == "s" else f"{value:.0f} MiB"
        target_rows.append([t.label, shown, "PASS" if value <= t.limit else "FAIL"])
    out.append(table(target_rows))
    return "\n".join(out)


def raw_figures(cases: dict[str, Case], repos: dict, versions: dict, planted: dict) -> dict:
    return {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "versions": versions,
        "repos": repos,
        "planted_violations_found": planted,
        "cases": {
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
        },
        "targets": [
            {
                "target": t.label,
                "value": t.value(cases),
                "limit": t.limit,
                "pass": None if t.value(cases) is None else t.value(cases) <= t.limit,
            }
            for t in TARGETS
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--files", type=int, default=50_000, help="files in the main repo (default 50000)")
    parser.add_argument("--notebooks", type=int, default=2_000, help="notebooks in the main repo (default 2000)")
    parser.add_argument(
        "--small-files",
        type=int,
        default=5_000,
        help="files in the scaling repo, notebooks scaled alike (default 5000; 0 = no scaling row)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--violation-rate", type=float, default=0.03)
    parser.add_argument(
        "--ml-lint",
        metavar="CMD",
        help="command to run ml-lint (default: the regular install made by setup_peers.sh, "
        "else ml-lint on PATH, else .venv/bin/ml-lint)",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the raw figures to FILE")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    big, big_manifest = ensure_repo(args.files, args.notebooks, args.seed, args.violation_rate)
    small = small_manifest = None
    if args.small_files:
        small_notebooks = round(args.notebooks * args.small_files / args.files)
        small, small_manifest = ensure_repo(args.small_files, small_notebooks, args.seed, args.violation_rate)

    ml, ml_version = find_ml_lint(args.ml_lint)
    versions = {
        "ml-lint": ml_version if ml else None,
        "git": tool_version(["git", "--version"]),
        "ls-lint": tool_version([str(LS_LINT), "--version"]),
        "nbstripout": tool_version([str(NBSTRIPOUT), "--version"]),
        "nb-clean": tool_version([str(NB_CLEAN), "--version"]),
    }
    print("versions: " + ", ".join(f"{k} {v or '(missing)'}" for k, v in versions.items()))

    cases = {c.key: c for c in build_cases(ml, ml_version, big, small)}
    rss = gnu_time_works()
    if not rss:
        print(f"{GNU_TIME} (GNU time) not usable: peak RSS not measured")
    print(f"warm-up round, then {args.runs} timed rounds over {len(cases)} commands ...", flush=True)
    for round_no in range(args.runs + 1):
        for case in cases.values():
            measure(case, timed=round_no > 0, rss=rss)

    planted = planted_found(cases["cold"], big_manifest)

    print()
    print(report(cases, args.files, args.small_files or None))
    if "error" in planted:
        print(f"\nplanted violations: not checked, {planted['error']}")
    else:
        print(f"\nplanted violations reported by the cold check: {planted['found']}/{planted['planted']}")
        for p in planted["missed"][:10]:
            print(f"  not reported: {p['rule']} {p['path']}")
    if args.json:
        repos = {"main": big_manifest | {"path": str(big)}}
        if small:
            repos["small"] = small_manifest | {"path": str(small)}
        for repo in repos.values():
            repo.pop("planted")
        args.json.write_text(json.dumps(raw_figures(cases, repos, versions, planted), indent=1) + "\n")
        print(f"\nraw figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
