"""The result cache never changes what is reported: cached runs == --no-cache runs."""

from __future__ import annotations

import json
import os

import pytest
from nbformat import v4

from ml_lint.cache import CACHE_FILE
from ml_lint.notebooks import scan as notebook_pass

DELIVER = "research/deliver/2024-05-01_churn-model.ipynb"
TEMPLATE = "research/templates/model-training.ipynb"


def report(cli, repo, *extra):
    run = cli("check", "--format", "json", *extra, cwd=repo.root)
    return json.loads(run.out)["violations"]


def assert_cache_agrees(cli, repo, *extra):
    fresh = report(cli, repo, "--no-cache", *extra)
    cached = report(cli, repo, *extra)
    assert cached == fresh
    return cached


def notebook(*counts, outputs=False):
    nb = v4.new_notebook()
    nb.cells = [v4.new_markdown_cell("# T")] + [
        v4.new_code_cell(f"x{i}", execution_count=c, outputs=[v4.new_output("stream", text="1")] if outputs else [])
        for i, c in enumerate(counts)
    ]
    return nb


@pytest.fixture
def warm(template, cli):
    (template.root / "research/templates/.gitkeep").unlink()
    template.notebook(DELIVER, notebook(1, 2, outputs=True))
    template.notebook(TEMPLATE, notebook(None))
    assert report(cli, template) == []  # populates the cache
    assert (template.root / ".ml-lint-cache").is_dir()
    return template


def test_cache_is_ignored_by_git_and_not_reported(warm, cli):
    warm.commit("notebooks")
    report(cli, warm)
    assert warm.git("status", "--porcelain", "--ignored") == "!! .ml-lint-cache/\n"
    assert_cache_agrees(cli, warm)


def test_edit_same_size_is_seen(warm, cli):
    path = warm.root / DELIVER
    before = path.read_bytes()
    path.write_bytes(before.replace(b'"execution_count": 2', b'"execution_count": 0'))
    assert len(path.read_bytes()) == len(before)
    assert [v["rule"] for v in assert_cache_agrees(cli, warm)] == ["ML304"]


def test_edit_with_mtime_restored_is_seen(warm, cli):
    path = warm.root / TEMPLATE
    st = path.stat()
    path.write_bytes(path.read_bytes().replace(b'"execution_count": null', b'"execution_count": 7'))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert [v["rule"] for v in assert_cache_agrees(cli, warm)] == ["ML302"]


def test_rename_is_seen(warm, cli):
    (warm.root / TEMPLATE).rename(warm.root / "research/templates/Bad Name.ipynb")
    found = assert_cache_agrees(cli, warm)
    assert [v["rule"] for v in found] == ["ML203"]


def test_config_or_selection_change_is_seen(warm, cli):
    warm.notebook(DELIVER, notebook(2, 1, outputs=True))
    assert [v["rule"] for v in assert_cache_agrees(cli, warm)] == ["ML304"]
    assert assert_cache_agrees(cli, warm, "--ignore", "ML304") == []
    assert [v["rule"] for v in assert_cache_agrees(cli, warm, "--select", "ML304")] == ["ML304"]


def test_spec_change_is_seen(warm, cli, tmp_path):
    from ml_lint.spec.load import builtin_dir

    spec = (builtin_dir() / "ml-project.yaml").read_text()
    custom = tmp_path / "spec.yaml"
    # Same spec, but templates may keep their outputs and deliver needs none.
    custom.write_text(spec.replace("outputs: forbidden", "outputs: required"))
    found = assert_cache_agrees(cli, warm, "--spec", str(custom))
    assert [(v["rule"], v["path"]) for v in found] == [("ML302", TEMPLATE)]


def test_tool_upgrade_starts_a_new_cache(warm, cli, monkeypatch):
    entries = warm.root / ".ml-lint-cache" / CACHE_FILE
    before = json.loads(entries.read_text())["fingerprint"]
    monkeypatch.setattr(notebook_pass, "__version__", "99.0")
    assert_cache_agrees(cli, warm)
    assert json.loads(entries.read_text())["fingerprint"] != before


def test_damaged_cache_is_rebuilt(warm, cli):
    (warm.root / ".ml-lint-cache" / CACHE_FILE).write_bytes(b"\x00garbage")
    warm.notebook(DELIVER, notebook(None, outputs=False))
    assert [v["rule"] for v in assert_cache_agrees(cli, warm)] == ["ML301"]


def test_no_cache_writes_nothing(template, cli):
    report(cli, template, "--no-cache")
    assert not (template.root / ".ml-lint-cache").exists()


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="one CPU: the worker pool is never used")
def test_worker_pool_reports_what_one_process_does(template, cli, monkeypatch):
    for i in range(12):
        template.notebook(f"research/templates/t{i}.ipynb", notebook(i + 1))  # ML302 on each
        template.notebook(f"research/deliver/2024-05-0{i % 9 + 1}_n{i}.ipynb", notebook(2, 1, outputs=True))
    template.write("research/develop/2024-05-01_jdoe_broken.ipynb", "{")
    alone = report(cli, template, "--no-cache")
    monkeypatch.setattr(notebook_pass, "PARALLEL_BYTES", 0)
    pooled = report(cli, template, "--no-cache")
    assert pooled == alone
    assert {v["rule"] for v in pooled} >= {"ML302", "ML304", "ML306"}
