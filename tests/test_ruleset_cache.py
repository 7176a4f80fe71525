"""The cached rule set: a warm run skips validation, and never reports anything else."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import nbformat
import pytest
from nbformat import v4

from ml_lint.ruleset import load as ruleset

CACHED = f".ml-lint-cache/{ruleset.CACHE_FILE}"
BAD_NAME = "research/develop/Untitled.ipynb"


def add_bad_name(repo):
    (repo.root / "research/develop/.gitkeep").unlink()
    repo.notebook(BAD_NAME, v4.new_notebook())


def report(cli, repo, *extra):
    run = cli("check", "--format", "json", *extra, cwd=repo.root)
    assert run.code in (0, 1), run.err
    return [(v["rule"], v["severity"], v["path"]) for v in json.loads(run.out)["violations"]]


def assert_cache_agrees(cli, repo, *extra):
    fresh = report(cli, repo, "--no-cache", *extra)
    assert report(cli, repo, *extra) == fresh  # fills the cache
    assert report(cli, repo, *extra) == fresh  # reads it
    return fresh


@pytest.fixture
def settled(monkeypatch):
    """Files written by a test count as settled at once (no racy-stamp wait)."""
    monkeypatch.setattr(ruleset, "RACY_NS", 0)


def test_warm_run_imports_neither_pydantic_nor_yaml(template, cli):
    add_bad_name(template)
    assert report(cli, template) == [("ML201", "error", BAD_NAME)]  # the built-in spec is settled
    assert (template.root / CACHED).is_file()
    probe = (
        "import sys; from ml_lint.cli import main; code = main(['check', '-q']); "
        "cold = ('pydantic', 'yaml', 'ml_lint.spec.config', 'ml_lint.spec.load'); "
        "print(code, sorted(m for m in cold if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=template.root, capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[-1] == "1 []"


def test_warm_run_remembers_how_the_spec_patterns_translate(template, cli):
    """pathspec translates the spec's gitignore patterns once, when the spec is validated."""
    add_bad_name(template)
    template.write("data/raw/sales.csv", "a,b\n")
    template.git("add", "--force", "data/raw/sales.csv")  # a dataset on its way into git
    args = ["check", "--format", "json", "--select", "ML101,ML201,ML302", BAD_NAME, "data/raw/sales.csv"]
    cold = report(cli, template, "--no-cache", *args[3:])
    assert {rule for rule, _, _ in cold} == {"ML101", "ML201"}
    assert report(cli, template, *args[3:]) == cold  # fills the cache
    probe = (
        f"import sys; from ml_lint.cli import main; code = main({args!r}); "
        "print(code, 'pathspec' in sys.modules, file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=template.root, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)["violations"] and out.stderr.splitlines()[-1] == "1 False"
    assert [(v["rule"], v["severity"], v["path"]) for v in json.loads(out.stdout)["violations"]] == cold


def test_config_and_spec_edits_are_seen(template, cli, settled):
    add_bad_name(template)
    assert assert_cache_agrees(cli, template) == [("ML201", "error", BAD_NAME)]
    template.write(".ml-lint.yaml", "rules:\n  ML201: {severity: warning}\n")  # a config appears
    assert assert_cache_agrees(cli, template) == [("ML201", "warning", BAD_NAME)]
    template.write(".ml-lint.yaml", "rules:\n  ML201: off\n")
    assert assert_cache_agrees(cli, template) == []
    # A spec file of the extends chain changes.
    template.write("lint/spec.yaml", "name: local\nextends: ml-project\nrules: []\n")
    template.write(".ml-lint.yaml", "extends: lint/spec.yaml\n")
    assert assert_cache_agrees(cli, template) == [("ML201", "error", BAD_NAME)]
    spec = template.root / "lint/spec.yaml"
    spec.write_text(
        spec.read_text().replace(
            "rules: []",
            "rules:\n  - {id: ML201, name: bad, severity: warning, summary: s, check: {kind: stale-keep-file}}",
        )
    )
    assert assert_cache_agrees(cli, template) == []
    (template.root / ".ml-lint.yaml").unlink()  # the config goes away
    assert assert_cache_agrees(cli, template) == [("ML201", "error", BAD_NAME)]


def test_pyproject_config_and_command_line_files_are_seen(template, cli, settled, tmp_path):
    add_bad_name(template)
    other = tmp_path / "other.yaml"
    other.write_text(
        "name: other\nrules:\n"
        "  - {id: X1, name: x, severity: error, summary: s, check: {kind: required-paths, paths: [missing/]}}\n"
    )
    assert assert_cache_agrees(cli, template, "--spec", str(other)) == [("X1", "error", "missing/")]
    template.write("pyproject.toml", '[tool.ml-lint]\nrules = {ML201 = "off"}\n')
    assert assert_cache_agrees(cli, template) == []
    config = tmp_path / "config.yaml"
    config.write_text("rules:\n  ML201: {severity: warning}\n")
    assert assert_cache_agrees(cli, template, "--config", str(config)) == [("ML201", "warning", BAD_NAME)]
    config.write_text("rules:\n  ML201: off\n")
    assert assert_cache_agrees(cli, template, "--config", str(config)) == []
    template.write("pyproject.toml", "[project]\nname = 'x'\n")  # no [tool.ml-lint] any more
    assert assert_cache_agrees(cli, template) == [("ML201", "error", BAD_NAME)]


def test_a_config_broken_after_a_cached_run_is_reported(template, cli, settled):
    template.write(".ml-lint.yaml", "rules:\n  ML201: off\n")
    assert_cache_agrees(cli, template)
    template.write(".ml-lint.yaml", "rules:\n  ML999: off\n")
    run = cli("check", cwd=template.root)
    assert run.code == 2 and "unknown rule 'ML999'" in run.err


def test_a_config_written_just_now_is_not_cached(template, cli):
    template.write(".ml-lint.yaml", "rules:\n  ML201: off\n")
    assert report(cli, template) == []
    assert not (template.root / CACHED).exists()


def hide_everything(root):
    """Tamper with the cached rule sets so that they disable every rule."""
    entries = json.loads((root / CACHED).read_text())
    for entry in entries.values():
        entry["ruleset"]["disabled"] = [rule["id"] for rule in entry["ruleset"]["rules"]]
    return entries


def test_a_cache_copied_from_another_checkout_is_never_used(template, cli, settled, tmp_path, monkeypatch):
    template.write(".ml-lint.yaml", "rules:\n  ML304: off\n")
    template.commit("config")
    report(cli, template)
    [entry] = hide_everything(template.root).values()
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(template.root), str(clone)], check=True)
    monkeypatch.chdir(clone)
    key = ruleset._key(clone, None, None)  # all that differs now: the config file's stamp
    (clone / ".ml-lint-cache").mkdir()
    (clone / CACHED).write_text(json.dumps({key: entry}))
    (clone / "research/develop/.gitkeep").unlink()
    nbformat.write(v4.new_notebook(), clone / BAD_NAME)
    run = cli("check", "--format", "json", cwd=clone)
    assert run.code == 1, run.err
    assert [v["rule"] for v in json.loads(run.out)["violations"]] == ["ML201"]


def test_a_cache_that_git_tracks_is_never_used(template, cli, settled):
    report(cli, template)
    (template.root / CACHED).write_text(json.dumps(hide_everything(template.root)))
    template.git("add", "-f", CACHED)
    add_bad_name(template)
    assert report(cli, template) == [("ML201", "error", BAD_NAME)]


def test_each_installation_has_its_own_entry(template, cli, monkeypatch):
    add_bad_name(template)
    report(cli, template)
    (template.root / CACHED).write_text(json.dumps(hide_everything(template.root)))
    monkeypatch.setattr(ruleset, "__file__", "/another/install/ml_lint/ruleset.py")
    assert report(cli, template) == [("ML201", "error", BAD_NAME)]
    assert len(json.loads((template.root / CACHED).read_text())) == 2


def test_the_cache_keeps_the_newest_entries(template, cli, settled, tmp_path):
    specs = [tmp_path / f"s{i}.yaml" for i in range(ruleset.MAX_ENTRIES + 2)]
    for spec in specs:  # one entry per command line
        spec.write_text(
            "name: s\nrules:\n  - {id: X1, name: x, severity: error, summary: s, check: {kind: stale-keep-file}}\n"
        )
        report(cli, template, "--spec", str(spec))
    entries = json.loads((template.root / CACHED).read_text())
    assert len(entries) == ruleset.MAX_ENTRIES
    newest = [ruleset._key(template.root, None, str(spec)) for spec in specs[-ruleset.MAX_ENTRIES :]]
    assert list(entries) == newest


def test_a_damaged_cache_is_ignored(template, cli):
    add_bad_name(template)
    report(cli, template)
    [(key, entry)] = json.loads((template.root / CACHED).read_text()).items()
    damaged = [
        b"\x00garbage", b"[]", b'{"key": 1}',
        json.dumps({key: {**entry, "ruleset": {"name": "x"}}}).encode(),
        json.dumps({key: {**entry, "ruleset": {**entry["ruleset"], "rules": [{"id": 1}]}}}).encode(),
        json.dumps({key: {**entry, "sources": {}}}).encode(),
    ]  # fmt: skip
    for damage in damaged:
        (template.root / CACHED).write_bytes(damage)
        assert report(cli, template) == [("ML201", "error", BAD_NAME)]


def test_no_cache_neither_reads_nor_writes_the_rule_set(template, cli):
    report(cli, template)
    shutil.rmtree(template.root / ".ml-lint-cache")
    report(cli, template, "--no-cache")
    assert not (template.root / ".ml-lint-cache").exists()
