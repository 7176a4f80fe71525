"""`ml-lint init`: the layout comes from the spec; a fresh scaffold passes `check`."""

from __future__ import annotations

import json
import subprocess

import pytest
import yaml

import ml_lint

CUSTOM_SPEC = """\
name: tiny
rules:
  - id: T001
    name: required
    severity: error
    summary: The backbone is missing.
    check: {kind: required-paths, paths: [README.md, notebooks/, data/raw/, src/]}
  - id: T002
    name: raw-ignored
    severity: error
    summary: data/raw is not ignored.
    check: {kind: gitignored, folders: [data/raw], keep: [.keep]}
  - id: T003
    name: src-installable
    severity: warning
    summary: src has no packaging.
    check: {kind: required-file, folders: [src], any_of: [setup.py, pyproject.toml]}
"""


def test_fresh_init_passes_with_only_the_placeholders_to_fill(repo, cli):
    run = cli("init", cwd=repo.root)
    assert run.code == 0
    assert "created README.md" in run.out and "created .gitignore" in run.out
    repo.commit("scaffold")
    check = cli("check", "--format", "json", cwd=repo.root)
    assert check.code == 0
    left = {(v["rule"], v["path"]) for v in json.loads(check.out)["violations"]}
    assert left == {("ML002", "README.md"), ("ML002", "LICENSE")}  # the stubs carry the template's #TODO
    assert cli("check", "--strict", cwd=repo.root).code == 1  # --strict fails until they are filled
    for name in ("README.md", "LICENSE"):
        path = repo.root / name
        path.write_text(path.read_text().replace("#TODO: ", ""))
    assert cli("check", "--strict", cwd=repo.root).code == 0


def test_layout_is_derived_from_the_spec(repo, cli):
    cli("init", cwd=repo.root)
    root = repo.root
    assert (root / "configs/.gitkeep").is_file()
    assert (root / "research/deliver/runs/.gitkeep").is_file()
    assert not (root / "research/deliver/.gitkeep").exists()  # it holds runs/: a keep file would be stale
    assert not (root / "data/.gitkeep").exists()
    assert (root / "production/src/pyproject.toml").read_text().startswith("[project]\n")
    assert not (root / "production/src/.gitkeep").exists()
    assert "#TODO: What this project is for." in (root / "README.md").read_text()
    assert (root / "LICENSE").read_text().startswith("#TODO: Choose a licence")
    assert "data/raw/*\n!data/raw/.gitkeep\n" in (root / ".gitignore").read_text()
    assert yaml.safe_load((root / ".ml-lint.yaml").read_text()) == {"extends": "ml-project"}
    assert "# yaml-language-server: $schema=" in (root / ".ml-lint.yaml").read_text()
    hooks = yaml.safe_load((root / ".pre-commit-config.yaml").read_text())
    assert hooks["repos"][0]["hooks"] == [{"id": "ml-lint"}]
    assert hooks["repos"][0]["rev"] == f"v{ml_lint.__version__}"  # the installed version's tag
    assert hooks["default_install_hook_types"] == ["pre-commit", "pre-push"]


def test_init_never_overwrites_and_is_idempotent(repo, cli):
    repo.write("README.md", "# Mine\n")
    repo.write(".gitignore", "*.pyc")  # no final newline
    first = cli("init", cwd=repo.root)
    assert "created README.md" not in first.out
    assert "added 20 lines to .gitignore" in first.out  # data folders (with DVC's files) and tool output
    assert (repo.root / "README.md").read_text() == "# Mine\n"
    assert (repo.root / ".gitignore").read_text().startswith("*.pyc\ndata/raw/*\n")
    snapshot = {p: p.read_bytes() for p in repo.root.rglob("*") if p.is_file() and ".git/" not in p.as_posix()}
    second = cli("init", cwd=repo.root)
    assert second.out == "Nothing to do: the layout is already there.\n"
    assert {p: p.read_bytes() for p in snapshot} == snapshot


def test_init_into_a_new_dir_with_a_custom_spec(cli, repo):
    target = repo.root / "project"
    target.mkdir()
    (target / "tiny.yaml").write_text(CUSTOM_SPEC)
    run = cli("init", "project", "--spec", "project/tiny.yaml", cwd=repo.root)
    assert run.code == 0
    created = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    # A project in a sub-folder of a repository: pre-commit reads the root's config only.
    assert created == [
        ".gitignore", ".ml-lint.yaml", "README.md",
        "data/raw/.keep", "notebooks/.gitkeep", "src/setup.py", "tiny.yaml",
    ]  # fmt: skip
    assert (target / ".gitignore").read_text() == "data/raw/*\n!data/raw/.keep\n"
    assert yaml.safe_load((target / ".ml-lint.yaml").read_text())["extends"] == "tiny.yaml"


def test_init_copies_a_spec_from_outside_into_the_new_project(tmp_path, cli, repo):
    # A repository's config may not extend a spec outside it, so init copies it in.
    spec = tmp_path / "tiny.yaml"
    spec.write_text(CUSTOM_SPEC)
    run = cli("init", "project", "--spec", str(spec), cwd=repo.root)
    assert run.code == 0 and f"copied {spec} to tiny.yaml" in run.out
    assert (repo.root / "project/tiny.yaml").read_text() == CUSTOM_SPEC
    assert yaml.safe_load((repo.root / "project/.ml-lint.yaml").read_text())["extends"] == "tiny.yaml"
    subprocess.run(["git", "init", "-q"], cwd=repo.root / "project", check=True)
    assert cli("check", "--strict", cwd=repo.root / "project").code == 0


def test_custom_spec_scaffold_passes_its_own_check(cli, repo):
    # Inside the repository: a repo's config may not extend a spec outside it (docs/security.md).
    (repo.root / "tiny.yaml").write_text(CUSTOM_SPEC)
    cli("init", "--spec", "tiny.yaml", cwd=repo.root)
    repo.commit("scaffold")
    run = cli("check", "--strict", cwd=repo.root)  # the spec comes from the new .ml-lint.yaml
    assert run.code == 0, run.out


def test_existing_config_decides_the_spec_and_is_kept(tmp_path, cli, repo):
    (repo.root / "tiny.yaml").write_text(CUSTOM_SPEC)
    repo.write("pyproject.toml", '[tool.ml-lint]\nextends = "tiny.yaml"\n')
    cli("init", cwd=repo.root)
    assert (repo.root / "notebooks/.gitkeep").is_file()
    assert not (repo.root / ".ml-lint.yaml").exists()


def test_init_target_that_is_a_file_is_exit_2(repo, cli):
    repo.write("afile", "x")
    run = cli("init", "afile", cwd=repo.root)
    assert run.code == 2 and "is not a folder" in run.err


def test_init_says_exactly_what_an_existing_pre_commit_config_lacks(repo, cli):
    existing = "repos:\n  - repo: https://github.com/psf/black\n    rev: 24.4.2\n    hooks:\n      - id: black\n"
    repo.write(".pre-commit-config.yaml", existing)
    run = cli("init", cwd=repo.root)
    assert run.code == 0
    assert (repo.root / ".pre-commit-config.yaml").read_text() == existing  # never rewritten
    snippet = (
        ".pre-commit-config.yaml has no ml-lint hook: add under `repos:`\n"
        f"  - repo: https://github.com/ml-lint/ml-lint\n    rev: v{ml_lint.__version__}\n    hooks:\n"
        "      - id: ml-lint\n"
    )
    assert snippet in run.out
    assert "add at its top\n  default_install_hook_types: [pre-commit, pre-push]\n" in run.out
    # What it says to add makes a config pre-commit reads, with the hook.
    fixed = "default_install_hook_types: [pre-commit, pre-push]\n" + existing + snippet.split("`repos:`\n")[1]
    assert yaml.safe_load(fixed)["repos"][1]["hooks"] == [{"id": "ml-lint"}]


def test_init_prints_next_steps(repo, cli):
    run = cli("init", cwd=repo.root)
    steps = run.out.split("Next steps:\n")[1]
    assert "`ml-lint check` lists every placeholder left" in steps
    assert "`pip install pre-commit && pre-commit install`" in steps


def test_release_procedure_creates_the_tag_init_pins():
    from pathlib import Path

    contributing = (Path(__file__).parents[1] / "CONTRIBUTING.md").read_text()
    assert "python -c 'import ml_lint; print(ml_lint.__version__)'" in contributing
    assert 'git tag -a "v$version"' in contributing and 'git push origin "v$version"' in contributing


def test_outside_git_no_command_walks_the_folder_to_find_its_project(cli, tmp_path, monkeypatch):
    """Outside git no config is looked for by listing files: a big folder costs init, rules and new nothing."""
    from ml_lint.repo.repository import Repository

    monkeypatch.setattr(Repository, "walk", classmethod(lambda cls, *a, **k: pytest.fail("walked the folder")))
    plain = tmp_path / "plain"
    plain.mkdir()
    assert cli("rules", cwd=plain).code == 0
    assert cli("explain", "ML201", cwd=plain).code == 0
    assert cli("init", cwd=plain).code == 0
