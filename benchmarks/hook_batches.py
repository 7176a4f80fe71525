"""The hook with many files: `pre-commit run --all-files` vs a plain `ml-lint check` (issue 13, case 6).

    python benchmarks/hook_batches.py [--folders 10000] [--runs 3]

Generates a repository with FOLDERS develop folders of 4 files each, then
times (median of --runs): `ml-lint check`; `pre-commit run --all-files` with
ml-lint as a `repo: local` hook (pre-commit splits the paths into command
lines of about 128 KiB, so ml-lint runs once per batch); and the same
pre-commit run with a no-op hook (`true`), pre-commit's own overhead. The
target: hook time net of that overhead under 10x the plain check.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEMPLATE = [
    "configs", "assets", "data/raw", "data/processed", "data/tmp", "data/scripts", "data/eda",
    "research/deliver/runs", "research/templates", "production/jobs/training", "production/services",
    "production/src", "production/tests", "production/tools",
]  # fmt: skip
HOOK = """repos:
- repo: local
  hooks:
  - id: {id}
    name: {id}
    entry: {entry}
    language: system
    types_or: [file, symlink]
    always_run: true
    require_serial: true
"""


def build(root: Path, folders: int) -> None:
    for folder in TEMPLATE:
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / ".gitkeep").write_text("")
    (root / "README.md").write_text("# Bench\n")
    (root / "LICENSE").write_text("MIT\n")
    (root / ".gitignore").write_text("".join(f"data/{d}/*\n!data/{d}/.gitkeep\n" for d in ("raw", "processed", "tmp")))
    develop = root / "research/develop"
    for i in range(folders):
        folder = develop / f"2024-05-01_user{i}_experiment-{i}"
        folder.mkdir(parents=True)
        for name in ("train.py", "eval.py", "params.yaml", "notes.md"):
            (folder / name).write_text("x\n")
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.com",
           "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.com"}  # fmt: skip
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "bench"]):
        subprocess.run(["git", *args], cwd=root, check=True, env=env)


def timed(argv: list[str], cwd: Path, runs: int) -> float:
    subprocess.run(argv, cwd=cwd, capture_output=True)  # warm: page cache, ml-lint's cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, cwd=cwd, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folders", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ml_lint = shutil.which("ml-lint") or f"{sys.executable} -m ml_lint"
    with tempfile.TemporaryDirectory(prefix="ml-lint-hook-bench-") as folder:
        root = Path(folder)
        build(root, args.folders)
        check = timed([*ml_lint.split(), "check", "-q"], root, args.runs)
        pre_commit = [sys.executable, "-m", "pre_commit", "run", "--all-files", "--config"]
        (root.parent / f"{root.name}-hook.yaml").write_text(
            HOOK.format(id="ml-lint", entry=f"{ml_lint} check --hook --")
        )
        (root.parent / f"{root.name}-noop.yaml").write_text(HOOK.format(id="noop", entry="true"))
        try:
            hook = timed([*pre_commit, str(root.parent / f"{root.name}-hook.yaml")], root, args.runs)
            noop = timed([*pre_commit, str(root.parent / f"{root.name}-noop.yaml")], root, args.runs)
        finally:
            for suffix in ("hook", "noop"):
                (root.parent / f"{root.name}-{suffix}.yaml").unlink()
    files = args.folders * 4
    net = hook - noop
    print(f"{args.folders} develop folders ({files} files), median of {args.runs}:")
    print(f"  ml-lint check                          {check:6.2f} s")
    print(f"  pre-commit run --all-files (ml-lint)   {hook:6.2f} s")
    print(f"  pre-commit run --all-files (no-op)     {noop:6.2f} s")
    print(f"  hook net of pre-commit: {net:.2f} s = {net / check:.1f}x the plain check (target < 10x)")
    return 0 if net < 10 * check else 1


if __name__ == "__main__":
    sys.exit(main())
