"""Shared fixtures: real git repositories in temp dirs, the CLI run in-process, real pre-commit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from ml_lint.cli import main

# The suite is a gate: its property tests replay the same examples every run,
# so a red run always means a change broke something. To hunt for new
# counterexamples: pytest --hypothesis-profile=explore (fresh random examples).
settings.register_profile("gate", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile("gate")

TEMPLATE_DIRS = [
    "configs", "assets",
    "data/raw", "data/processed", "data/tmp", "data/scripts", "data/eda",
    "research/develop", "research/deliver/runs", "research/templates",
    "production/jobs/evaluation", "production/jobs/inference", "production/jobs/processing",
    "production/jobs/training", "production/jobs/pipelines",
    "production/services", "production/src", "production/tests", "production/tools",
]  # fmt: skip
GITIGNORE = "".join(f"data/{d}/*\n!data/{d}/.gitkeep\n" for d in ("raw", "processed", "tmp"))


@pytest.fixture(autouse=True)
def isolated_git(tmp_path_factory, monkeypatch):
    """Every test gets git with a known identity and no user/system config."""
    home = tmp_path_factory.mktemp("home")
    config = home / ".gitconfig"
    config.write_text("[user]\n\tname = Test User\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(home))
    for var in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "PRE_COMMIT_FROM_REF", "PRE_COMMIT_TO_REF", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)


@dataclass
class Repo:
    root: Path

    def write(self, path: str, content: str | bytes = "") -> Path:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
        return target

    def notebook(self, path: str, nb) -> Path:
        import nbformat

        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(target))
        return target

    def git(self, *args: str, env: dict | None = None) -> str:
        proc = subprocess.run(
            ["git", *args], cwd=self.root, capture_output=True, text=True,
            env={**os.environ, **(env or {})},
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    def commit(self, message: str = "commit", *, author: str | None = None) -> None:
        self.git("add", "-A")
        extra = ["--author", author] if author else []
        self.git("commit", "-q", "--allow-empty", "-m", message, *extra)

    def diverge(self, path: str, base: str, theirs: str, ours: str, branch: str = "feature") -> None:
        """Commit `path` as `base`; then `branch` changes it to `theirs` and the current branch to `ours`:
        merging one into the other conflicts."""
        self.write(path, base)
        self.commit("base")
        self.git("checkout", "-q", "-b", branch)
        self.write(path, theirs)
        self.git("commit", "-qam", branch)
        self.git("checkout", "-q", "-")
        self.write(path, ours)
        self.git("commit", "-qam", "ours")

    def template(self) -> Repo:
        """The full ML project template layout, clean under the built-in spec."""
        self.write("README.md", "# Churn prediction\n")
        self.write("LICENSE", "MIT License\n")
        self.write(".gitignore", GITIGNORE)
        for folder in TEMPLATE_DIRS:
            self.write(f"{folder}/.gitkeep")
        (self.root / "production/src/.gitkeep").unlink()
        self.write("production/src/pyproject.toml", '[project]\nname = "churn"\n')
        return self


@pytest.fixture
def repo(tmp_path) -> Repo:
    """An empty git repository."""
    root = tmp_path / "repo"
    root.mkdir()
    r = Repo(root)
    r.git("init", "-q")
    return r


@pytest.fixture
def template(repo) -> Repo:
    """A committed, clean ML project template."""
    repo.template().commit("template")
    return repo


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run `ml-lint ARGS...` in-process from `cwd`."""

    def run(*args: str, cwd: Path) -> Run:
        monkeypatch.chdir(cwd)
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse usage errors
            code = exc.code
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


# -- real pre-commit running this checkout as its hook repository ----------------

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """(path, commit) of a snapshot of this checkout (its files as they are now), as pre-commit's hook repository."""

    def git(cwd: Path, *args: str) -> str:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout

    snapshot = tmp_path_factory.mktemp("hook-repo")
    listed = git(PROJECT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        if (PROJECT / name).is_file():
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PROJECT / name, snapshot / name)
    ident = ["-c", "user.name=t", "-c", "user.email=t@example.com"]
    git(snapshot, "init", "-q")
    git(snapshot, "add", "-A")
    git(snapshot, *ident, "commit", "-q", "-m", "snapshot")
    return snapshot, git(snapshot, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory) -> Path:
    """One PRE_COMMIT_HOME for the session: the hook's virtualenv is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def pre_commit(cwd: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args], cwd=cwd, capture_output=True, text=True,
        env={**os.environ, **(env or {})},
    )  # fmt: skip


def install_hook(repo: Repo, hook_repo: tuple[Path, str], extra: str = "", top: str = "") -> None:
    """Commit a .pre-commit-config.yaml using the ml-lint hook (`extra`: its further keys) and install it."""
    path, rev = hook_repo
    repo.write(
        ".pre-commit-config.yaml", f"{top}repos:\n- repo: {path}\n  rev: {rev}\n  hooks:\n  - id: ml-lint\n{extra}"
    )
    repo.commit("pre-commit config")
    run = pre_commit(repo.root, "install", "--hook-type", "pre-commit", "--hook-type", "pre-push")
    assert run.returncode == 0, run.stderr
