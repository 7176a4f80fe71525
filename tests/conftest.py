"""Shared fixtures: real git repositories in temp dirs, the CLI run in-process."""

from __future__ import annotations

import os
import subprocess
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
