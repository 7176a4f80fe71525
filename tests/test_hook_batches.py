"""`check --hook` run the way pre-commit runs it: the same file list, split into batches.

pre-commit's own functions build the list (staged files, all files, or the
files between two refs), filter it like the hook's `types_or`, shuffle and
partition it; every batch runs in turn. Together the batches must report
exactly what one run over the whole list reports: nothing twice, nothing lost.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter

import pytest
from pre_commit import git as pre_commit_git
from pre_commit.commands.run import Classifier
from pre_commit.lang_base import _shuffled
from pre_commit.xargs import partition

DELIVER = "research/deliver/2024-05-01_churn-model.ipynb"


def passed_files(how: str, *, from_ref: str = "") -> list[str]:
    if how == "staged":
        names = pre_commit_git.get_staged_files()
    elif how == "all-files":
        names = pre_commit_git.get_all_files()
    else:
        names = pre_commit_git.get_changed_files(from_ref, "HEAD")
    classifier = Classifier(names)  # drops names not on disk, like pre-commit
    return list(classifier.by_types(classifier.filenames, types=[], types_or=["file", "symlink"], exclude_types=[]))


def batches(files: list[str], serial: bool) -> tuple[tuple[str, ...], ...]:
    if not serial:
        files = _shuffled(files)
    # A small length limit forces several batches even with require_serial.
    return partition([], files, target_concurrency=1 if serial else 3, _max_length=400)


# One pre-commit run: a parent process (PRE_COMMIT=1 in its environment, as
# pre-commit sets it) that runs every batch as its child, in turn or in parallel.
PARENT = """
import json, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
parts, parallel = json.load(sys.stdin)
def run(part):
    cmd = [sys.executable, "-m", "ml_lint", "check", "--hook", "--format", "json", "--", *part]
    return subprocess.run(cmd, capture_output=True, text=True).__dict__
with ThreadPoolExecutor(3 if parallel else 1) as pool:
    print(json.dumps([{k: r[k] for k in ("returncode", "stdout", "stderr")} for r in pool.map(run, parts)]))
"""


def run_batches(cli, repo, parts, *, parallel: bool = False) -> Counter:
    parent = subprocess.run(
        [sys.executable, "-c", PARENT], input=json.dumps([parts, parallel]), cwd=repo.root,
        capture_output=True, text=True, env={**os.environ, "PRE_COMMIT": "1"}, timeout=120,
    )  # fmt: skip
    assert parent.returncode == 0, parent.stderr
    found: Counter = Counter()
    for run in json.loads(parent.stdout):
        assert run["returncode"] in (0, 1), run["stderr"]
        found.update((v["rule"], v["path"], v["message"]) for v in json.loads(run["stdout"])["violations"])
    return found


@pytest.fixture
def busy(template):
    """A repo with repo-level problems (deleted deliverable, no LICENSE) and many staged files."""
    template.write(DELIVER, "{}")
    template.commit("deliver")
    template.git("rm", "-q", DELIVER, "LICENSE")
    for i in range(30):
        template.write(f"research/develop/Untitled {i}.py", "1\n")  # ML201, per file
        template.write(f"production/src/pkg/module_{i}.py", "1\n")
    template.git("add", "-A")
    return template


@pytest.mark.parametrize("serial", [True, False], ids=["require_serial", "parallel"])
@pytest.mark.parametrize("how", ["staged", "all-files", "refs"])
def test_batches_report_each_violation_once(busy, cli, monkeypatch, how, serial):
    monkeypatch.chdir(busy.root)
    from_ref = ""
    if how == "refs":
        from_ref = busy.git("rev-parse", "HEAD").strip()
        busy.commit("the change being pushed")
        monkeypatch.setenv("PRE_COMMIT_FROM_REF", from_ref)
        monkeypatch.setenv("PRE_COMMIT_TO_REF", "HEAD")
    if how == "all-files":
        busy.write("production/src/pkg/module_0.py", "2\n")  # staged and unstaged files mixed
        busy.git("add", "production/src/pkg/module_0.py")
    files = passed_files(how, from_ref=from_ref)
    parts = batches(files, serial)
    assert len(parts) >= 3

    found = run_batches(cli, busy, parts, parallel=not serial)
    whole = run_batches(cli, busy, [tuple(files)])
    assert found == whole
    assert max(found.values()) == 1
    rules = {rule for rule, _, _ in found}
    assert {"ML001", "ML201"} <= rules
    # ML303 compares the index (or the pushed commits) with the base.
    assert ("ML303", DELIVER) in {(rule, path) for rule, path, _ in found}


def test_no_files_passed_runs_repo_rules_only(template, cli):
    # A commit that only deletes: pre-commit passes no file name (always_run).
    template.git("rm", "-q", "LICENSE")
    run = cli("check", "--hook", cwd=template.root)
    assert run.code == 1
    assert "LICENSE: ML001 [required-path]" in run.out


def test_per_file_rules_look_only_at_the_batch(template, cli):
    template.write("research/develop/Untitled.ipynb", "{}")
    template.write("research/develop/Other.py", "1\n")
    template.git("add", "-A")
    run = cli("check", "--hook", "research/develop/Other.py", cwd=template.root)
    assert "research/develop/Other.py: ML201" in run.out
    assert "Untitled.ipynb" not in run.out
