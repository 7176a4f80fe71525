"""The repository under check is untrusted: odd notebooks, names, links and checkouts.

Every case runs through the CLI and must end with a clear message and the
contract's exit code (0/1/2), never an internal error, and must still report
everything else it could check (a canary violation proves it).
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import xml.etree.ElementTree as ElementTree

import nbformat
import pytest
from nbformat import v4
from tests.conftest import Repo, Run

from ml_lint.cli import main
from ml_lint.repo import fs

CANARY = "research/develop/Untitled.ipynb"  # always an ML201 violation


def clean_run(run, codes=(0, 1)):
    assert run.code in codes, run.err
    assert "internal error" not in run.err and "Traceback" not in run.err, run.err


def with_canary(repo):
    repo.template()
    repo.notebook(CANARY, v4.new_notebook())
    return repo


def executed_notebook() -> dict:
    nb = v4.new_notebook(
        cells=[
            v4.new_markdown_cell("# Title"),
            v4.new_code_cell("print(1)", execution_count=1, outputs=[v4.new_output("stream", text="1\n")]),
        ],
        metadata={"ml-lint": {"ignore": ["ML304"]}},
    )
    return json.loads(nbformat.writes(nb))


# (path of a field, as keys/indexes) of every field ml-lint reads.
FIELDS = [
    ("nbformat",), ("nbformat_minor",), ("metadata",), ("metadata", "ml-lint"), ("metadata", "ml-lint", "ignore"),
    ("cells",), ("cells", 1), ("cells", 1, "cell_type"), ("cells", 1, "source"), ("cells", 1, "metadata"),
    ("cells", 1, "outputs"), ("cells", 1, "outputs", 0), ("cells", 1, "execution_count"), ("cells", 0, "source"),
]  # fmt: skip
WRONG_VALUES = [None, 7, -1.5, "text", [], {}, True, ["a", 3]]


def wrong_type_notebooks():
    for field in FIELDS:
        for value in WRONG_VALUES:
            document = executed_notebook()
            target = document
            for part in field[:-1]:
                target = target[part]
            target[field[-1]] = copy.deepcopy(value)
            yield json.dumps(document, indent=1).encode()


BROKEN_BYTES = [
    b"", b"   \n", b"\x89PNG\r\n\x1a\n\x00\x00", b"\xff\xfe{\x00", b'{"nbformat": 4, "cells": [',
    b"\xef\xbb\xbf{}", b"null", b"[]", b'"text"', b"{" * 100_000, b"[" * 100_000 + b"]" * 100_000,
    b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "source": '
    + b"[" * 100_000 + b"]" * 100_000 + b"}]}",
    b'{"nbformat": 4, "nbformat_minor": 5, "metadata": '
    + b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b', "cells": []}',
]  # fmt: skip


@pytest.mark.parametrize("fix", [False, True], ids=["check", "fix"])
def test_notebook_corpus_never_crashes(repo, cli, fix):
    with_canary(repo)
    corpus = [*BROKEN_BYTES, *wrong_type_notebooks()]
    # Deliver, eda and template folders: every notebook check (and the strip fix) sees them.
    for n, data in enumerate(corpus):
        for folder in ("research/deliver", "research/templates", "data/eda"):
            repo.write(f"{folder}/{n:03d}.ipynb", data)
    repo.commit("corpus")
    run = cli("check", "--format", "json", *(["--fix"] if fix else []), cwd=repo.root)
    clean_run(run, codes=(1,))
    violations = json.loads(run.out)["violations"]
    assert any(v["rule"] == "ML201" and v["path"] == CANARY for v in violations)
    invalid = {v["path"] for v in violations if v["rule"] == "ML306"}
    for n in range(len(BROKEN_BYTES)):
        assert f"research/deliver/{n:03d}.ipynb" in invalid


def test_fifty_megabyte_notebook(repo, cli):
    with_canary(repo)
    image = "A" * (50 * 2**20)
    nb = v4.new_notebook(cells=[
        v4.new_markdown_cell("# Big"),
        v4.new_code_cell("plot()", execution_count=1, outputs=[v4.new_output("display_data", {"image/png": image})]),
    ])  # fmt: skip
    repo.notebook("research/templates/big-plot.ipynb", nb)
    run = cli("check", "--no-cache", cwd=repo.root)
    clean_run(run)
    assert "research/templates/big-plot.ipynb:" in run.out and "ML302" in run.out
    assert CANARY in run.out


def test_notebook_over_the_read_limit_is_a_note(repo, cli, monkeypatch):
    with_canary(repo)
    repo.notebook("research/templates/plot.ipynb", v4.new_notebook(cells=[v4.new_markdown_cell("# " + "x" * 2000)]))
    monkeypatch.setattr(fs, "MAX_READ_BYTES", 1000)
    run = cli("check", "--no-cache", cwd=repo.root)
    clean_run(run)
    assert "note: cannot read research/templates/plot.ipynb: larger than 1000 bytes" in run.out
    assert CANARY in run.out


HOSTILE_NAMES = [
    "new\nline", "tab\there", 'quo"te', "single'quote", "back\\slash", "ünïcödé", "emoji-😀",
    "bad-\udcff-utf8", "esc-\x1b[31m-red", "rtl-\u202e-override", "-dash", "%25-percent,comma:colon", " space ",
]  # fmt: skip


@pytest.fixture
def cli_bytes(capsysbinary, monkeypatch):
    """Like `cli`, for output that is not valid UTF-8 (names as stored); decoded with surrogateescape."""

    def run(*args: str, cwd) -> Run:
        monkeypatch.chdir(cwd)
        code = main(list(args))
        out, err = capsysbinary.readouterr()
        return Run(code, out.decode("utf-8", "surrogateescape"), err.decode("utf-8", "surrogateescape"))

    return run


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "junit"])
def test_hostile_file_names_in_every_format(repo, cli_bytes, fmt):
    with_canary(repo)
    for name in HOSTILE_NAMES:
        (repo.root / "research/develop" / name).write_bytes(b"")
    run = cli_bytes("check", "--format", fmt, cwd=repo.root)
    clean_run(run, codes=(1,))
    raw = run.out.encode("utf-8", "surrogateescape")
    if fmt == "text":
        lines = run.out.splitlines()
        offenders = [line for line in lines if line.startswith("research/develop/") and " ML201 " in line]
        assert len(offenders) == len(HOSTILE_NAMES) + 1  # one line each: no name breaks a line
        assert "\x1b" not in run.out and "\u202e" not in run.out
        assert "research/develop/new\\nline: ML201" in run.out
    elif fmt == "json":
        paths = {v["path"] for v in json.loads(raw.decode("utf-8", "surrogateescape"))["violations"]}
        assert {f"research/develop/{name}" for name in HOSTILE_NAMES} <= paths
    elif fmt == "github":
        commands = [line for line in run.out.splitlines() if line.startswith("::")]
        assert sum("title=ML201" in c for c in commands) == len(HOSTILE_NAMES) + 1
    elif fmt == "sarif":
        results = json.loads(raw.decode("utf-8", "surrogateescape"))["runs"][0]["results"]
        uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
        assert all(uri.isascii() and "\n" not in uri for uri in uris)
    else:
        ElementTree.fromstring(raw)  # well-formed XML whatever the names


def test_symlinks_are_never_followed(repo, cli, tmp_path):
    with_canary(repo)
    secret = tmp_path / "outside.ipynb"
    nb = v4.new_notebook(cells=[v4.new_code_cell("open('/home/jdoe/secret.csv')", execution_count=1)])
    nbformat.write(nb, str(secret))
    deliver = repo.root / "research/deliver"
    (deliver / "2024-05-01_outside.ipynb").symlink_to(secret)
    (deliver / "2024-05-01_self.ipynb").symlink_to("2024-05-01_self.ipynb")
    (deliver / "2024-05-01_loop-a.ipynb").symlink_to("2024-05-01_loop-b.ipynb")
    (deliver / "2024-05-01_loop-b.ipynb").symlink_to("2024-05-01_loop-a.ipynb")
    (deliver / "2024-05-01_dangling.ipynb").symlink_to(tmp_path / "missing.ipynb")
    (repo.root / "research/templates/linked-folder").symlink_to(tmp_path, target_is_directory=True)
    (repo.root / "README.md").unlink()
    (repo.root / "README.md").symlink_to(tmp_path / "outside-readme.md")
    (tmp_path / "outside-readme.md").write_text("#TODO secret\n")
    repo.commit("links")
    run = cli("check", cwd=repo.root)
    clean_run(run, codes=(1,))
    assert "secret" not in run.out and "ML307" not in run.out
    for name in ("outside", "self", "loop-a", "loop-b", "dangling"):
        assert f"note: cannot read research/deliver/2024-05-01_{name}.ipynb: it is a symbolic link" in run.out
    assert "note: cannot read README.md: it is a symbolic link" in run.out
    assert CANARY in run.out


def test_fifo_does_not_hang(tmp_path, cli):
    # Outside git the folder is walked, so the FIFO is listed (git itself skips it).
    plain = with_canary(Repo(tmp_path / "plain"))
    os.mkfifo(plain.root / "research/templates/pipe.ipynb")
    run = cli("check", "--no-cache", cwd=plain.root)
    clean_run(run)
    assert "note: cannot read research/templates/pipe.ipynb: not a regular file" in run.out
    assert CANARY in run.out


def test_permission_denied_is_a_note(repo, cli, monkeypatch):
    """Simulated, so it also runs as root (where chmod 000 does not stop reads)."""
    with_canary(repo)
    repo.notebook("research/templates/locked.ipynb", v4.new_notebook())
    real = fs.read_file

    def denied(path, **kwargs):
        if str(path).endswith("locked.ipynb"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, **kwargs)

    monkeypatch.setattr("ml_lint.repo.fs.read_file", denied)
    monkeypatch.setattr("ml_lint.repo.repository.read_file", denied)  # read_checked_out's
    run = cli("check", "--no-cache", cwd=repo.root)
    clean_run(run)
    assert "note: cannot read research/templates/locked.ipynb: Permission denied" in run.out
    assert CANARY in run.out


@pytest.mark.skipif(os.geteuid() == 0, reason="running as root: chmod 000 does not stop reads (simulated above)")
def test_unreadable_file_and_folder_for_real(repo, cli):
    with_canary(repo)
    locked = repo.notebook("research/templates/locked.ipynb", v4.new_notebook())
    folder = repo.root / "research/develop/US1T1_2024-05-01_jdoe_locked"
    folder.mkdir()
    locked.chmod(0)
    folder.chmod(0)
    try:
        run = cli("check", "--no-cache", cwd=repo.root)
    finally:
        locked.chmod(0o644)
        folder.chmod(0o755)
    clean_run(run)
    assert "note: cannot read research/templates/locked.ipynb: Permission denied" in run.out
    assert CANARY in run.out


def test_empty_folder_and_empty_git_repo(repo, cli, tmp_path):
    plain = tmp_path / "plain"
    plain.mkdir()
    clean_run(cli("check", cwd=plain), codes=(1,))  # not git: every required path is missing
    run = cli("check", cwd=repo.root)  # git init, no commit, no file
    clean_run(run, codes=(1,))
    assert "README.md: ML001" in run.out


def test_repo_with_files_but_no_commit(repo, cli):
    with_canary(repo)
    run = cli("check", cwd=repo.root)
    clean_run(run, codes=(1,))
    assert CANARY in run.out


def test_bare_repository_and_git_dir_are_usage_errors(template, cli, tmp_path):
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(template.root), str(bare)], check=True)
    for folder in (bare, template.root / ".git"):
        run = cli("check", cwd=folder)
        clean_run(run, codes=(2,))
        assert "not a working tree" in run.err and "run ml-lint in a checkout" in run.err


def test_worktree_and_submodule_checkouts(template, cli, tmp_path):
    template.notebook(CANARY, v4.new_notebook())
    template.commit("canary")
    worktree = tmp_path / "wt"
    template.git("worktree", "add", "-q", str(worktree))
    run = cli("check", cwd=worktree)
    clean_run(run, codes=(1,))
    assert CANARY in run.out

    outer = tmp_path / "outer"
    outer.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=outer, check=True)
    subprocess.run(
        ["git", "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(template.root), "vendor/ml"],
        cwd=outer, check=True, capture_output=True,
    )  # fmt: skip
    inner = cli("check", cwd=outer / "vendor/ml")  # the submodule is a repository of its own
    clean_run(inner, codes=(1,))
    assert CANARY in inner.out
    clean_run(cli("check", cwd=outer), codes=(1,))  # the superproject sees the submodule as one entry
