"""Several projects in one repository (contract §4): each file is checked by its nearest project."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from contextlib import contextmanager

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from ml_lint.projects import Layout

DELIVER = "2024-05-01_churn-model.ipynb"


def _project(repo, folder: str, config: str = "extends: ml-project\n") -> None:
    """The clean template in `folder`, with a config making it a project."""
    from tests.conftest import GITIGNORE, TEMPLATE_DIRS

    repo.write(f"{folder}/README.md", "# Project\n")
    repo.write(f"{folder}/LICENSE", "MIT\n")
    repo.write(f"{folder}/.gitignore", GITIGNORE)
    repo.write(f"{folder}/.ml-lint.yaml", config)
    for sub in TEMPLATE_DIRS:
        if sub != "production/src":
            repo.write(f"{folder}/{sub}/.gitkeep")
    repo.write(f"{folder}/production/src/pyproject.toml", '[project]\nname = "x"\n')


def _delivered() -> nbformat.NotebookNode:
    cell = new_code_cell("print(1)", execution_count=1, outputs=[new_output("stream", name="stdout", text="1\n")])
    return new_notebook(cells=[new_markdown_cell("# Churn"), cell])


@pytest.fixture
def mono(repo):
    _project(repo, "projects/churn")
    _project(repo, "projects/fraud")
    repo.write("tools/anything.txt", "not in a project\n")
    repo.commit("two projects")
    return repo


def _paths(run) -> list[tuple[str, str]]:
    return [(v["path"], v["rule"]) for v in json.loads(run.out)["violations"]]


def test_each_file_is_checked_by_its_project_and_paths_stay_repository_relative(mono, cli):
    mono.write("projects/churn/research/develop/Untitled.ipynb", nbformat.writes(new_notebook()))
    (mono.root / "projects/fraud/LICENSE").unlink()
    run = cli("check", "--format", "json", cwd=mono.root)
    assert run.code == 1, run.err
    assert _paths(run) == [
        ("projects/churn/research/develop/.gitkeep", "ML003"),
        ("projects/churn/research/develop/Untitled.ipynb", "ML201"),
        ("projects/fraud/LICENSE", "ML001"),
    ]
    messages = [v["message"] for v in json.loads(run.out)["violations"]]
    assert messages[1].startswith("'Untitled.ipynb' does not match")
    # The root has no config and sub-folders do: it is no project, so it misses nothing.


def test_from_inside_a_project_only_that_project_is_checked(mono, cli):
    mono.write("projects/churn/research/develop/Untitled.ipynb", nbformat.writes(new_notebook()))
    (mono.root / "projects/fraud/LICENSE").unlink()
    run = cli("check", "--format", "json", cwd=mono.root / "projects/churn")
    assert _paths(run) == [
        ("projects/churn/research/develop/.gitkeep", "ML003"),
        ("projects/churn/research/develop/Untitled.ipynb", "ML201"),
    ]
    # A folder below the project: the same project, whole.
    assert _paths(cli("check", "--format", "json", cwd=mono.root / "projects/churn/research")) == _paths(run)
    # A PATH inside one project checks those files with that project's rules.
    run = cli("check", "--format", "json", "projects/fraud", cwd=mono.root)
    assert _paths(run) == [("projects/fraud/LICENSE", "ML001")]


def test_a_config_in_a_project_governs_it(mono, cli):
    mono.write("projects/fraud/.ml-lint.yaml", "extends: ml-project\nrules: {ML001: off}\n")
    (mono.root / "projects/fraud/LICENSE").unlink()
    (mono.root / "projects/churn/LICENSE").unlink()
    run = cli("check", "--format", "json", cwd=mono.root)
    assert _paths(run) == [("projects/churn/LICENSE", "ML001")]


@pytest.mark.parametrize("name", [".ml-lint.yaml", ".ml-lint.yml"])
def test_a_projects_config_is_read_by_either_name(mono, cli, name):
    (mono.root / "projects/fraud/.ml-lint.yaml").unlink(missing_ok=True)
    mono.write(f"projects/fraud/{name}", "extends: ml-project\nrules: {ML001: off}\n")
    (mono.root / "projects/fraud/LICENSE").unlink()
    run = cli("check", "--format", "json", "--no-cache", cwd=mono.root)
    assert _paths(run) == []


def test_the_root_is_a_project_when_it_has_a_config_and_never_sees_the_inner_projects(mono, cli):
    mono.write(".ml-lint.yaml", "extends: ml-project\n")
    run = cli("check", "--format", "json", "--select", "ML001", cwd=mono.root)
    assert run.code == 1, run.err
    assert _paths(run) == [
        ("LICENSE", "ML001"), ("README.md", "ML001"), ("configs/", "ML001"),
        ("data/", "ML001"), ("production/", "ML001"), ("research/", "ML001"),
    ]  # fmt: skip


def test_nested_project_files_belong_to_the_inner_project_only(repo, cli):
    _project(repo, "team")
    _project(repo, "team/research/develop/2024-05-01_jdoe_sub-project")
    repo.write("team/research/develop/2024-05-01_jdoe_sub-project/research/develop/Bad Name.ipynb", "")
    repo.commit()
    run = cli("check", "--format", "json", "--select", "ML201,ML003", cwd=repo.root)
    # The outer project does not see the inner one: its research/develop holds only its .gitkeep.
    assert _paths(run) == [
        ("team/research/develop/2024-05-01_jdoe_sub-project/research/develop/.gitkeep", "ML003"),
        ("team/research/develop/2024-05-01_jdoe_sub-project/research/develop/Bad Name.ipynb", "ML201"),
    ]


def test_a_pyproject_table_makes_a_project_and_other_pyprojects_do_not(repo, cli):
    _project(repo, "a")
    repo.write("b/pyproject.toml", '[project]\nname = "b"\n\n[tool.ml-lint]\nextends = "ml-project"\n')
    repo.commit()
    run = cli("check", "--format", "json", "--select", "ML001", cwd=repo.root)
    assert [p for p, _ in _paths(run)] == [
        "b/LICENSE",
        "b/README.md",
        "b/configs/",
        "b/data/",
        "b/production/",
        "b/research/",
    ]


def test_layout_owner():
    layout = Layout(("", "a", "a/b"))
    assert [layout.owner(p) for p in ("x", "a/x", "a/b/x", "a/bc/x", "a/b")] == ["", "a", "a/b", "a", "a/b"]
    assert Layout(("a",)).owner("b/x") is None
    assert layout.inside("a") == ("a/b",) and layout.inside("") == ("a", "a/b")


def test_deliver_files_of_a_project_are_protected(mono, cli):
    mono.notebook(f"projects/churn/research/deliver/{DELIVER}", _delivered())
    mono.commit("deliver")
    mono.git("checkout", "-q", "-b", "feature")
    nb = _delivered()
    nb.cells[1].outputs[0].text = "2\n"
    mono.notebook(f"projects/churn/research/deliver/{DELIVER}", nb)
    run = cli("check", "--format", "json", "--select", "ML303", cwd=mono.root)
    assert _paths(run) == [(f"projects/churn/research/deliver/{DELIVER}", "ML303")]
    message = json.loads(run.out)["violations"][0]["message"]
    deliverable = f"projects/churn/research/deliver/{DELIVER}"
    assert message == (
        f"'{deliverable}' was modified since the last commit: restore it with "
        f"`git restore --source=HEAD --staged --worktree -- {deliverable}`; to re-run it, copy it into "
        "research/develop under a develop name (outputs stripped): "
        f"`ml-lint new projects/churn/research/develop churn-model --from {deliverable}`"
    )
    mono.git("add", "-A")
    assert _paths(cli("check", "--format", "json", "--staged", "--select", "ML303", cwd=mono.root)) == _paths(run)
    mono.commit("re-run")
    run = cli("check", "--format", "json", "--base", "main", "--select", "ML303", cwd=mono.root)
    assert _paths(run) == [(f"projects/churn/research/deliver/{DELIVER}", "ML303")]
    assert "since main" in run.out


PRE_COMMIT_RUN = """
import json, subprocess, sys
hook = [sys.executable, "-m", "ml_lint", "check", "--hook", "--format", "json", "--select", "ML303,ML003", "--"]
outs = [subprocess.run([*hook, *part], capture_output=True, text=True).stdout for part in json.load(sys.stdin)]
print(json.dumps(outs))
"""


def test_hook_runs_each_projects_repository_rules_once(mono, cli):
    """pre-commit batches: ML303 of each project runs in exactly one batch, even for a project passing no file."""
    mono.notebook(f"projects/churn/research/deliver/{DELIVER}", _delivered())
    mono.commit("deliver")
    (mono.root / f"projects/churn/research/deliver/{DELIVER}").unlink()  # only a deletion in churn
    mono.write("projects/fraud/research/develop/2024-05-01_jdoe_a.py", "")
    mono.write("projects/fraud/research/develop/2024-05-01_jdoe_b.py", "")
    mono.git("add", "-A")
    batches = [
        ["projects/fraud/research/develop/2024-05-01_jdoe_a.py"],
        ["projects/fraud/research/develop/2024-05-01_jdoe_b.py"],
    ]
    # One pre-commit run: PRE_COMMIT=1 and one parent process running every batch, as pre-commit does.
    parent = subprocess.run(
        [sys.executable, "-c", PRE_COMMIT_RUN], input=json.dumps(batches), cwd=mono.root, capture_output=True,
        text=True, env={**os.environ, "PRE_COMMIT": "1"}, timeout=120, check=True,
    )  # fmt: skip
    found = [(v["path"], v["rule"]) for out in json.loads(parent.stdout) for v in json.loads(out)["violations"]]
    assert sorted(found) == [
        ("projects/churn/research/deliver/2024-05-01_churn-model.ipynb", "ML303"),
        ("projects/fraud/research/develop/.gitkeep", "ML003"),
    ]


def test_baseline_and_sarif_use_repository_paths(mono, cli, tmp_path):
    (mono.root / "projects/fraud/LICENSE").unlink()
    baseline = tmp_path / "baseline.json"
    assert cli("check", "--write-baseline", str(baseline), cwd=mono.root).code == 0
    assert json.loads(baseline.read_text())["violations"][0]["path"] == "projects/fraud/LICENSE"
    assert cli("check", "--baseline", str(baseline), cwd=mono.root).code == 0
    run = cli("check", "--format", "sarif", cwd=mono.root)
    [result] = json.loads(run.out)["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "projects/fraud/LICENSE"


def test_single_author_reads_one_history_for_every_project(mono, cli):
    for project in ("churn", "fraud"):
        mono.write(f"projects/{project}/research/develop/2024-05-01_jdoe_x.py", "1\n")
    mono.commit("jdoe", author="J Doe <jdoe@example.com>")
    mono.write("projects/fraud/research/develop/2024-05-01_jdoe_x.py", "2\n")
    mono.commit("other", author="A Smith <asmith@example.com>")
    run = cli("check", "--format", "json", "--select", "ML501", cwd=mono.root)
    assert _paths(run) == [("projects/fraud/research/develop/2024-05-01_jdoe_x.py", "ML501")]


def test_init_inside_a_repository_creates_a_project_that_check_then_uses(repo, cli):
    repo.write("README.md", "mono\n")
    repo.commit()
    run = cli("init", "ml-project", cwd=repo.root)
    assert run.code == 0, run.err
    assert "created .ml-lint.yaml" in run.out and "add the ml-lint hook there" in run.out
    assert not (repo.root / "ml-project/.pre-commit-config.yaml").exists()  # pre-commit reads the root's only
    repo.write("ml-project/research/develop/Untitled.ipynb", nbformat.writes(new_notebook()))
    run = cli("check", "--format", "json", "--select", "ML001,ML201", cwd=repo.root / "ml-project")
    assert _paths(run) == [("ml-project/research/develop/Untitled.ipynb", "ML201")]
    # init from a folder of the project completes that project, not a new one inside it
    (repo.root / "ml-project/configs/.gitkeep").unlink()
    run = cli("init", cwd=repo.root / "ml-project/research")
    assert run.out.startswith("created configs/.gitkeep\n\nNext steps:\n")
    assert (repo.root / "ml-project/configs/.gitkeep").exists()
    assert not (repo.root / "ml-project/research/.ml-lint.yaml").exists()


def test_projects_share_one_worker_pool_for_their_notebooks(mono, cli, monkeypatch):
    """Each project's notebooks are few, the run's are many: the projects read them in one pool."""
    from ml_lint.notebooks import scan

    for project in ("projects/churn", "projects/fraud"):
        output = new_output("stream", name="stdout", text="1\n")
        notebook = new_notebook(cells=[new_code_cell("print(1)", outputs=[output])])
        mono.write(f"{project}/research/templates/with-outputs.ipynb", nbformat.writes(notebook))
    serial = _paths(cli("check", "--format", "json", "--no-cache", cwd=mono.root))
    assert ("projects/fraud/research/templates/with-outputs.ipynb", "ML302") in serial
    pools = []
    real = scan.shared_workers

    @contextmanager
    def counted(projects):
        with real(projects):
            yield
            pools.append(scan._shared.pool)

    monkeypatch.setattr(scan, "PARALLEL_BYTES", 1)  # every project's notebooks call for workers
    monkeypatch.setattr(scan, "shared_workers", counted)
    assert _paths(cli("check", "--format", "json", "--no-cache", cwd=mono.root)) == serial
    assert len(pools) == 1 and pools[0] is not None  # one pool, started once, for both projects


def test_many_projects_are_shared_with_a_forked_process_and_report_the_same(repo, cli, monkeypatch):
    """Past two projects a forked child checks half of them (a second core): the report is the same."""
    from ml_lint import split

    projects = [f"projects/p{n}" for n in range(5)]
    for project in projects:
        _project(repo, project)
        repo.notebook(f"{project}/research/deliver/{DELIVER}", _delivered())
        repo.write(f"{project}/research/develop/2024-05-01_jdoe_x.py", "1\n")
    repo.commit("five projects", author="J Doe <jdoe@example.com>")
    last = projects[-1]  # checked by the child: it must see git's answers (changes, authors)
    repo.write(f"{last}/research/develop/2024-05-01_jdoe_x.py", "2\n")
    repo.commit("other", author="A Smith <asmith@example.com>")
    nb = _delivered()
    nb.cells[1].outputs[0].text = "2\n"
    repo.notebook(f"{last}/research/deliver/{DELIVER}", nb)
    repo.write(f"{projects[0]}/research/develop/Untitled.ipynb", nbformat.writes(new_notebook()))
    forks = []
    real_fork = os.fork

    def counted():
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(os, "fork", counted)
    can_fork = split._can_fork
    for args in (("--format", "json"), ("--format", "json", "--no-cache"), ("--format", "sarif")):
        monkeypatch.setattr(split, "_can_fork", lambda: False)
        alone = cli("check", *args, cwd=repo.root)
        monkeypatch.setattr(split, "_can_fork", can_fork)
        shared = cli("check", *args, cwd=repo.root)
        assert (shared.code, shared.out, shared.err) == (alone.code, alone.out, alone.err)
    assert len(forks) == 3
    shared = cli("check", "--format", "json", cwd=repo.root)
    found = _paths(shared)
    assert (f"{last}/research/deliver/{DELIVER}", "ML303") in found
    assert (f"{last}/research/develop/2024-05-01_jdoe_x.py", "ML501") in found
    assert (f"{projects[0]}/research/develop/Untitled.ipynb", "ML201") in found


def test_cached_rule_sets_read_ahead_follow_the_full_listing(mono, cli, monkeypatch):
    """Rule sets are read from the cache while git still looks for untracked files, for the projects the
    tracked files make: a project only an untracked config makes, or one whose config was deleted, still
    gets what --no-cache gives."""
    from ml_lint.ruleset import load

    monkeypatch.setattr(load, "RACY_NS", 0)  # the configs just written count as settled
    _project(mono, "projects/new")  # untracked: git lists it only after walking the tree
    mono.write("projects/new/research/develop/Untitled.ipynb", nbformat.writes(new_notebook()))
    (mono.root / "projects/fraud/.ml-lint.yaml").unlink()  # tracked, gone from the working tree
    cold = cli("check", "--format", "json", "--no-cache", cwd=mono.root)
    assert ("projects/new/research/develop/Untitled.ipynb", "ML201") in _paths(cold)
    assert not any(path.startswith("projects/fraud/") for path, _ in _paths(cold))
    for _ in range(2):  # fills the caches, then reads them ahead
        warm = cli("check", "--format", "json", cwd=mono.root)
        assert (warm.code, warm.out, warm.err) == (cold.code, cold.out, cold.err)


def test_the_diff_starts_once_for_every_project_and_only_for_rules_that_read_it(mono, cli, monkeypatch):
    from ml_lint import projects
    from ml_lint.repo import history
    from ml_lint.ruleset import load

    monkeypatch.setattr(load, "RACY_NS", 0)  # the configs just written count as settled
    started = []
    real = history.start_changes

    def counted(root, comparison):
        started.append(comparison.mode)
        return real(root, comparison)

    monkeypatch.setattr(history, "start_changes", counted)
    real_layout = projects.find_layout
    monkeypatch.setattr(projects, "find_layout", lambda *a: started.append("layout") or real_layout(*a))
    started.clear()
    assert cli("check", cwd=mono.root).code == 0
    assert started == ["layout", "worktree"]  # ML303 reads it: one diff for both projects
    started.clear()
    assert cli("check", cwd=mono.root).code == 0
    assert started == ["worktree", "layout"]  # rule sets cached: started while git still lists
    started.clear()
    assert cli("check", "--select", "ML201", cwd=mono.root).code == 0
    assert "worktree" not in started


def test_a_diff_started_ahead_for_a_project_not_checked_leaves_nothing_behind(mono, tmp_path, monkeypatch):
    """The fraud project protects its deliver files, churn does not: a run from inside churn started the
    diff for nothing, and the command (which exits without tearing the interpreter down) must still
    remove the diff's scratch copy of the index."""
    (mono.root / "projects/churn/.ml-lint.yaml").write_text("extends: ml-project\nrules:\n  ML303: off\n")
    mono.commit("churn protects nothing")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    command = [sys.executable, "-m", "ml_lint", "check", "-q"]
    time.sleep(2.1)  # the configs are old enough for their rule sets to be cached
    # From churn: fraud's rule set is cached (for this folder), then read ahead when only churn is checked.
    for paths in (["../fraud"], ["../fraud"], []):
        run = subprocess.run([*command, *paths], cwd=mono.root / "projects/churn", env=env, capture_output=True)
        assert run.returncode == 0, run.stderr
        assert list(scratch.iterdir()) == []


def test_a_run_loads_the_rules_of_the_projects_it_checks_only(mono, cli):
    """PATHs in one project: another project's config is not read (a broken one fails only runs that check it)."""
    (mono.root / "projects/fraud/.ml-lint.yaml").write_text("rules:\n  ML999: off\n")
    run = cli("check", "--no-cache", "projects/churn/README.md", cwd=mono.root)
    assert run.code == 0, run.err
    run = cli("check", "--no-cache", cwd=mono.root)
    assert run.code == 2 and "unknown rule 'ML999'" in run.err


def test_show_settings_lists_the_projects_and_shows_the_one_around_the_folder(mono, cli):
    (mono.root / "projects/churn/.ml-lint.yaml").write_text("extends: ml-project\nrules:\n  ML001: off\n")
    run = cli("check", "--show-settings", cwd=mono.root / "projects/churn/research")
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[1:3] == [
        "projects (each file is checked by its nearest one): projects/churn, projects/fraud",
        "project shown: projects/churn",
    ]
    assert "  .ml-lint.yaml" in lines and "  ML001 required-path: off" in lines
    run = cli("check", "--show-settings", "projects/fraud", cwd=mono.root)
    assert "project shown: projects/fraud" in run.out and "  ML001 required-path: error" in run.out
    run = cli("check", "--show-settings", cwd=mono.root)  # the root is no project here
    assert "project shown: none governs this folder" in run.out
    assert "`ml-lint check --show-settings projects/fraud`" in run.out


@pytest.mark.parametrize(
    ("table", "is_config"),
    [
        ('[tool]\nml-lint.extends = "ml-project"\n', True),  # a dotted key under [tool] is the same table
        ('[tool.ml-lint-extras]\nextends = "ml-project"\n', False),  # another tool's table
    ],
)
def test_the_layout_and_the_config_loader_agree_on_a_pyproject_table(repo, cli, table, is_config):
    _project(repo, "a")
    repo.write("b/pyproject.toml", '[project]\nname = "b"\n\n' + table)
    repo.commit()
    layout = cli("check", "--show-settings", cwd=repo.root).out.splitlines()[1]
    assert ("b" in layout.split(": ")[1].split(", ")) == is_config
    run = cli("check", "--show-settings", cwd=repo.root / "b")
    assert ("  pyproject.toml" in run.out.splitlines()) == is_config
