"""A run lists only what its active rules need (issue 17): that must never change a result.

Every single-rule --select of the built-in spec runs twice on the benchmark
generator's small repository, once with the narrowed listing and once with
ML_LINT_FULL_LISTING=1 (the switch exists for this comparison only), and the
JSON reports must be equal: without PATHs, with a sample of files across the
folders (untracked, deleted and glob-character names among them), and with
folder PATHs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ml_lint.repo.repository import Repository
from ml_lint.report import render
from ml_lint.ruleset.load import load_ruleset
from ml_lint.run import FULL_LISTING, CheckRequest, check

GENERATE = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"
SAMPLE = 20
GLOBBY = "research/templates/[wip] *draft?.ipynb"  # a literal name that is also a glob matching others


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generator's small repository, with an untracked, an ignored and a deleted file besides."""
    root = tmp_path_factory.mktemp("narrowed") / "repo"
    options = ["--files", "2000", "--notebooks", "200", "--seed", "1", "--violation-rate", "0.05", "--shape", "small"]
    subprocess.run([sys.executable, str(GENERATE), str(root), *options], check=True, capture_output=True)
    with_outputs = sorted((root / "research/deliver").rglob("*.ipynb"))[0]
    (root / GLOBBY).write_bytes(with_outputs.read_bytes())  # untracked, named with glob characters, fails ML302
    (root / "data/raw/local.csv").write_text("a,b\n")  # ignored
    deleted = sorted((root / "research/develop").rglob("*.ipynb"))[0]
    deleted.unlink()  # tracked, gone from the working tree
    return root


def _rule_ids(root: Path) -> list[str]:
    return [rule.id for rule in load_ruleset(root, use_cache=False).rules]


def _sample(root: Path) -> list[str]:
    """SAMPLE files spread evenly over the sorted listing, SAMPLE files with violations, and the glob-named one."""
    files = Repository.discover(root).files
    failing = sorted({v.path for v in check(CheckRequest(use_cache=False)).violations if v.path in files})
    return sorted({*_spread(files), *_spread(failing), GLOBBY})


def _spread(paths: list[str]) -> list[str]:
    return paths[:: max(1, len(paths) // SAMPLE)][:SAMPLE]


def _report(paths: list[str], rule: str) -> str:
    request = CheckRequest(paths=tuple(paths), select=(rule,), use_cache=False)
    return render(check(request, os.environ), "json")


@pytest.mark.parametrize("arguments", ["none", "files", "folders"])
def test_a_narrowed_listing_reports_what_the_full_listing_does(
    generated: Path, monkeypatch: pytest.MonkeyPatch, arguments: str
) -> None:
    monkeypatch.chdir(generated)
    monkeypatch.setenv(FULL_LISTING, "1")
    paths = {"none": [], "files": _sample(generated), "folders": ["research/templates", "data/raw"]}[arguments]
    differ = []
    for rule in _rule_ids(generated):
        monkeypatch.delenv(FULL_LISTING, raising=False)
        narrowed = _report(paths, rule)
        monkeypatch.setenv(FULL_LISTING, "1")
        full = _report(paths, rule)
        if narrowed != full:
            differ.append(rule)
    assert not differ, f"narrowed listings changed the report of {differ}"


def test_per_file_rules_with_file_paths_list_only_those_files(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ml_lint.run import _pathspecs

    monkeypatch.chdir(generated)
    monkeypatch.delenv(FULL_LISTING, raising=False)
    request = CheckRequest(paths=("research/templates/x.ipynb",), select=("ML302",), use_cache=False)
    assert _pathspecs(request, True, {}, generated) == (":(literal)research/templates/x.ipynb",)
    naming = CheckRequest(select=("ML201", "ML203"), use_cache=False)
    assert _pathspecs(naming, True, {}, generated) == (":(literal)research/develop/", ":(literal)research/templates/")
    assert _pathspecs(CheckRequest(select=("ML001",), use_cache=False), True, {}, generated) is None


@pytest.fixture(scope="module")
def monorepo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generator's monorepo: projects with configs of their own."""
    root = tmp_path_factory.mktemp("narrowed-monorepo") / "repo"
    options = ["--files", "900", "--notebooks", "90", "--seed", "2", "--violation-rate", "0.1", "--projects", "3"]
    subprocess.run([sys.executable, str(GENERATE), str(root), *options], check=True, capture_output=True)
    return root


@pytest.mark.parametrize("rule", ["ML101", "ML201", "ML302", "ML306", "ML403"])
def test_a_monorepo_reports_alike_with_narrowed_and_full_listings(
    monorepo: Path, monkeypatch: pytest.MonkeyPatch, rule: str
) -> None:
    monkeypatch.chdir(monorepo)
    monkeypatch.setenv(FULL_LISTING, "1")
    paths = [path for path in _sample(monorepo) if path != GLOBBY]  # no glob-named file here
    for arguments in ([], paths):
        full = _report(arguments, rule)
        monkeypatch.delenv(FULL_LISTING)
        assert _report(arguments, rule) == full
        monkeypatch.setenv(FULL_LISTING, "1")
