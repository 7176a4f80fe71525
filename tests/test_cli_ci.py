"""`ml-lint check` inside CI: the GitHub Actions defaults, the step summary, and
output that survives file names which are not valid UTF-8, in every format."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

BAD_NOTEBOOK = "research/develop/Untitled.ipynb"


@pytest.fixture
def failing(template):
    template.write(BAD_NOTEBOOK, "{}")
    return template


def test_github_format_by_default_inside_actions(failing, cli, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    run = cli("check", "--select", "ML201", cwd=failing.root)
    assert run.code == 1
    assert run.out.startswith(f"::error title=ML201 develop-name,file={BAD_NOTEBOOK}::")
    assert cli("check", "--select", "ML201", "--format", "text", cwd=failing.root).out.startswith(
        f"{BAD_NOTEBOOK}: ML201"
    )


def test_text_by_default_elsewhere(failing, cli, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    assert cli("check", "--select", "ML201", cwd=failing.root).out.startswith(f"{BAD_NOTEBOOK}: ML201")


def test_step_summary_is_appended(failing, cli, monkeypatch, tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("## earlier step\n", "utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run = cli("check", "--format", "github", "--select", "ML201", cwd=failing.root)
    assert run.code == 1
    text = summary.read_text("utf-8")
    assert text.startswith("## earlier step\n## ml-lint\n")
    assert f"| ML201 develop-name | error | {BAD_NOTEBOOK} |" in text
    # Other formats leave the summary alone.
    cli("check", "--format", "json", cwd=failing.root)
    assert summary.read_text("utf-8") == text


def test_step_summary_that_cannot_be_written_is_a_warning(failing, cli, monkeypatch, tmp_path):
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "no" / "such" / "summary.md"))
    run = cli("check", "--format", "github", cwd=failing.root)
    assert run.code == 1  # the lint result, not a tool failure
    assert "::error title=ML201" in run.out
    assert run.err.startswith("ml-lint: warning: cannot append the step summary to ")
    assert "Traceback" not in run.err


UNDECODABLE = b"research/develop/\xff\xfe bad.ipynb"


@pytest.fixture
def undecodable(template):
    try:
        (template.root / os.fsdecode(UNDECODABLE)).write_bytes(b"{}")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system only takes UTF-8 file names")
    return template


def report(cli, repo, fmt: str, tmp_path: Path) -> bytes:
    out = tmp_path / f"report.{fmt}"
    run = cli("check", "--select", "ML201", "--format", fmt, "--output", str(out), cwd=repo.root)
    assert run.code == 1, run.err
    return out.read_bytes()


def test_text_keeps_the_bytes_as_stored(undecodable, cli, tmp_path):
    assert report(cli, undecodable, "text", tmp_path).startswith(UNDECODABLE + b": ML201 [develop-name]")


def test_json_round_trips_the_name(undecodable, cli, tmp_path):
    data = report(cli, undecodable, "json", tmp_path)
    assert data.isascii()
    [violation] = json.loads(data)["violations"]
    assert os.fsencode(violation["path"]) == UNDECODABLE


def test_sarif_encodes_the_bytes_in_the_uri(undecodable, cli, tmp_path):
    data = report(cli, undecodable, "sarif", tmp_path)
    assert data.isascii() and b"\\udc" not in data
    [result] = json.loads(data)["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"] == "research/develop/%FF%FE%20bad.ipynb"
    assert "\ufffd\ufffd bad.ipynb" in result["message"]["text"]


def test_github_and_junit_are_valid_utf8(undecodable, cli, tmp_path):
    github = report(cli, undecodable, "github", tmp_path).decode("utf-8")
    assert github.startswith("::error title=ML201 develop-name,file=research/develop/\ufffd\ufffd bad.ipynb::")
    junit = report(cli, undecodable, "junit", tmp_path)
    assert "\ufffd\ufffd bad.ipynb" in ET.fromstring(junit).find(".//testcase").get("name")


def test_undecodable_name_on_stdout_inside_actions(undecodable, tmp_path):
    summary = tmp_path / "summary.md"
    env = {**os.environ, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    proc = subprocess.run(
        [sys.executable, "-m", "ml_lint", "check", "--select", "ML201"],
        cwd=undecodable.root, capture_output=True, env=env,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.decode("utf-8").startswith("::error title=ML201")
    assert "\ufffd\ufffd bad.ipynb" in summary.read_text("utf-8")
