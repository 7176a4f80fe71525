"""The composite action in action.yml, run the way the Actions runner runs it.

Each `run:` step of action.yml is executed with `bash --noprofile --norc -eo
pipefail` (the runner's `shell: bash`) in a git repository with a pull request
history, after the `${{ ... }}` expressions were substituted as the runner
would: inputs (or their defaults), github.action_path, runner.temp,
github.event.pull_request.base.sha and the outputs of earlier steps. An
expression this file does not know fails the test, so the action cannot come
to depend on something that is not simulated here.

The install step (pip install of the action's own checkout into a venv) takes
about 30 s and needs PyPI, so by default it is replaced by a step that checks
that ml_lint imports in the interpreter running the tests and hands on that
venv's `ml-lint`, as the real step hands on the one it installed. Set
ML_LINT_TEST_ACTION_INSTALL=1 to run the real pip install instead.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ACTION = Path(__file__).resolve().parents[1] / "action.yml"
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
REAL_INSTALL = os.environ.get("ML_LINT_TEST_ACTION_INSTALL") == "1"
HERE_ML_LINT = Path(sys.executable).parent / "ml-lint"

DEVELOP = "research/develop/Untitled.ipynb"
DELIVER = "research/deliver/2024-05-01_churn-model.ipynb"


@dataclass
class ActionRun:
    code: int
    out: str
    err: str
    summary: str

    def annotations(self) -> list[str]:
        return [line for line in self.out.splitlines() if line.startswith(("::error ", "::warning "))]


def installed_here(step_env: dict) -> str:
    """Stands in for the install step: same output, no pip."""
    return f'{shlex.quote(sys.executable)} -c \'import ml_lint\'\necho "exe={HERE_ML_LINT}" >> "$GITHUB_OUTPUT"\n'


def run_action(workspace: Path, tmp: Path, inputs: dict, *, base_sha: str = "", ml_lint=None) -> ActionRun:
    """Run action.yml's steps for a pull_request event (push when base_sha is empty)."""
    action = yaml.safe_load(ACTION.read_text("utf-8"))
    declared = action["inputs"]
    assert set(inputs) <= set(declared), f"unknown inputs {set(inputs) - set(declared)}"
    tmp.mkdir()
    summary = tmp / "step-summary.md"
    summary.touch()
    runner_temp = tmp / "runner-temp"
    runner_temp.mkdir()
    outputs: dict[str, dict[str, str]] = {}
    context = {
        "github.action_path": str(ACTION.parent),
        "runner.temp": str(runner_temp),
        "github.event.pull_request.base.sha": base_sha,
    }

    def evaluate(expression: str) -> str:
        if expression.startswith("inputs."):
            name = expression.removeprefix("inputs.")
            return inputs[name] if name in inputs else substitute(declared[name].get("default", ""))
        if match := re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression):
            return outputs.get(match[1], {}).get(match[2], "")
        if expression in context:
            return context[expression]
        raise AssertionError(f"action.yml uses ${{{{ {expression} }}}}, which this test does not simulate")

    def substitute(text) -> str:
        return EXPRESSION.sub(lambda m: evaluate(m[1]), str(text))

    env = {
        **os.environ,
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_EVENT_NAME": "pull_request" if base_sha else "push",
        "GITHUB_BASE_REF": "main" if base_sha else "",
        "RUNNER_TEMP": str(runner_temp),
    }
    out, err = [], []
    for step in action["runs"]["steps"]:
        assert step.get("shell") == "bash", "every step runs with bash"
        output_file = tmp / f"output-{step['id']}"
        output_file.touch()
        step_env = {k: substitute(v) for k, v in step.get("env", {}).items()}
        step_env = {**env, **step_env, "GITHUB_OUTPUT": str(output_file)}
        script = substitute(step["run"])
        if step["id"] == "install" and not REAL_INSTALL:
            script = installed_here(step_env)
        if step["id"] == "install" and ml_lint is not None:
            script = f'echo "exe={ml_lint}" >> "$GITHUB_OUTPUT"\n'
        script_file = tmp / f"step-{step['id']}.sh"
        script_file.write_text(script, "utf-8")
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script_file)],
            cwd=workspace, env=step_env, capture_output=True, text=True,
        )  # fmt: skip
        out.append(proc.stdout)
        err.append(proc.stderr)
        outputs[step["id"]] = dict(line.split("=", 1) for line in output_file.read_text("utf-8").splitlines() if line)
        if proc.returncode != 0:  # the runner stops at the first failing step
            return ActionRun(proc.returncode, "".join(out), "".join(err), summary.read_text("utf-8"))
    return ActionRun(0, "".join(out), "".join(err), summary.read_text("utf-8"))


def supports_base() -> bool:
    # --base is built on another branch; until it is merged, ML303 cannot be asserted.
    proc = subprocess.run([str(HERE_ML_LINT), "check", "--help"], capture_output=True, text=True)
    return re.search(r"--base(?![\w-])", proc.stdout) is not None  # not --baseline


def deliver_notebook(result: str):
    return new_notebook(
        cells=[
            new_markdown_cell("# Churn model"),
            new_code_cell("print('auc')", execution_count=1, outputs=[new_output("stream", text=result)]),
        ]
    )


@pytest.fixture
def pull_request(template):
    """Base: the clean template plus a delivered notebook. Head: adds a badly
    named develop notebook and re-runs the delivered one."""
    template.notebook(DELIVER, deliver_notebook("0.81\n"))
    template.commit("deliver churn model")
    base_sha = template.git("rev-parse", "HEAD").strip()
    template.git("checkout", "-q", "-b", "feature")
    template.notebook(DEVELOP, new_notebook(cells=[new_markdown_cell("# scratch")]))
    template.notebook(DELIVER, deliver_notebook("0.84\n"))
    template.commit("explore; re-run the delivered notebook")
    return template, base_sha


def test_pull_request_annotations_step_summary_and_exit_code(pull_request, tmp_path):
    repo, base_sha = pull_request
    with_base = supports_base()
    run = run_action(repo.root, tmp_path / "action", {}, base_sha=base_sha if with_base else "")
    assert run.code == 1, run.err
    assert any(
        a.startswith(f"::error title=ML201 develop-name,file={DEVELOP}::'Untitled.ipynb' does not match")
        for a in run.annotations()
    ), run.out
    if not with_base:  # with a base, scope `changed` leaves out the untouched .gitkeep
        assert "::warning title=ML003 stale-gitkeep,file=research/develop/.gitkeep::" in run.out
    assert run.summary.startswith("## ml-lint\n")
    assert f"| ML201 develop-name | error | {DEVELOP} |" in run.summary
    if with_base:  # the re-run delivered notebook is caught against the PR base
        assert f"title=ML303 deliver-modified,file={DELIVER}" in run.out


def test_push_checks_without_base(pull_request, tmp_path):
    repo, _ = pull_request
    run = run_action(repo.root, tmp_path / "action", {})
    assert run.code == 1, run.err
    assert f"title=ML201 develop-name,file={DEVELOP}" in run.out
    # Without a base, the committed re-run is not a change (working tree vs HEAD).
    assert "ML303" not in run.out


def test_sarif_is_written_from_the_same_check(pull_request, tmp_path):
    repo, _ = pull_request
    run = run_action(repo.root, tmp_path / "action", {"sarif": "results/ml-lint.sarif"})
    assert run.code == 1, run.err
    log = json.loads((repo.root / "results/ml-lint.sarif").read_text("utf-8"))
    jsonschema.validators.validator_for(SCHEMA)(SCHEMA).validate(log)
    results = log["runs"][0]["results"]
    sarif_ids = sorted((r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results)
    annotated = sorted(
        (re.search(r"title=(\w+) ", a)[1], re.search(r",file=([^,:]+)", a)[1]) for a in run.annotations()
    )
    assert sarif_ids == annotated and ("ML201", DEVELOP) in sarif_ids
    assert run.summary.count("## ml-lint") == 1  # the SARIF run adds no second summary


def test_clean_pull_request_passes(template, tmp_path):
    base_sha = template.git("rev-parse", "HEAD").strip()
    template.write("configs/train.yaml", "epochs: 3\n")
    template.git("rm", "-q", "configs/.gitkeep")
    template.commit("add a config")
    sha = base_sha if supports_base() else ""
    run = run_action(template.root, tmp_path / "action", {"sarif": "ml-lint.sarif"}, base_sha=sha)
    assert run.code == 0, run.out + run.err
    assert run.annotations() == []
    assert "All checks passed." in run.summary
    assert json.loads((template.root / "ml-lint.sarif").read_text("utf-8"))["runs"][0]["results"] == []


def test_tool_failure_exits_2_with_its_message_and_no_sarif(pull_request, tmp_path):
    repo, _ = pull_request
    run = run_action(repo.root, tmp_path / "action", {"args": "--select ML999", "sarif": "out.sarif"})
    assert run.code == 2
    assert "unknown rule 'ML999'" in run.err
    assert not (repo.root / "out.sarif").exists()


def test_inputs_become_arguments_without_shell_surprises(tmp_path):
    """The check step's command lines, recorded by a stand-in ml-lint."""
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    (workspace / "a.py").touch()  # a glob in args must not expand to it
    recorder = tmp_path / "ml-lint"
    log = tmp_path / "argv.log"
    recorder.write_text(f'#!/bin/bash\nprintf "%s\\n" "$@" "----" >> {shlex.quote(str(log))}\nexit 1\n')
    recorder.chmod(0o755)
    inputs = {
        "path": "my dir",
        "args": "--strict\n  --ignore ML501 *.py $(touch pwned)",
        "sarif": "o.sarif",
    }
    run = run_action(workspace, tmp_path / "action", inputs, base_sha="abc123", ml_lint=recorder)
    assert run.code == 1
    [main, _] = log.read_text().split("----\n")  # one run writes every report
    extra = ["--strict", "--ignore", "ML501", "*.py", "$(touch", "pwned)"]
    assert main.splitlines() == [
        "check", "--format", "github", "--format", "sarif=o.sarif", "--base", "abc123", "--only-changed",
        *extra, "--", "my dir",
    ]  # fmt: skip
    assert not (workspace / "pwned").exists()


def test_install_step_is_a_real_pip_install_of_the_action_checkout():
    """What the stand-in replaces (run for real with ML_LINT_TEST_ACTION_INSTALL=1)."""
    action = yaml.safe_load(ACTION.read_text("utf-8"))
    [install] = [s for s in action["runs"]["steps"] if s["id"] == "install"]
    assert install["env"]["ML_LINT_SOURCE"] == "${{ github.action_path }}"
    assert '-m pip install --quiet --disable-pip-version-check "$ML_LINT_SOURCE"' in install["run"]
    assert 'echo "exe=$ML_LINT_VENV/bin/ml-lint" >> "$GITHUB_OUTPUT"' in install["run"]
    assert action["inputs"]["base"]["default"] == "${{ github.event.pull_request.base.sha }}"
    assert action["inputs"]["path"]["default"] == "."


@pytest.fixture
def legacy_pull_request(template):
    """Base: old warnings in untouched files. Head: only adds a well-named develop notebook."""
    template.write("README.md", "# Churn\n#TODO: Overview\n")
    template.commit("legacy")
    base_sha = template.git("rev-parse", "HEAD").strip()
    template.git("checkout", "-q", "-b", "feature")
    template.notebook("research/develop/2024-05-01_jdoe_sales-eda.ipynb", new_notebook())
    template.commit("explore")
    return template, base_sha


def test_scope_changed_is_the_default_and_ignores_old_warnings(legacy_pull_request, tmp_path):
    repo, base_sha = legacy_pull_request
    run = run_action(repo.root, tmp_path / "action", {"args": "--strict", "sarif": "o.sarif"}, base_sha=base_sha)
    assert run.code == 0, run.out + run.err
    assert run.annotations() == []
    assert json.loads((repo.root / "o.sarif").read_text("utf-8"))["runs"][0]["results"] == []


def test_scope_all_reports_the_whole_repository(legacy_pull_request, tmp_path):
    repo, base_sha = legacy_pull_request
    inputs = {"args": "--strict", "scope": "all", "sarif": "o.sarif"}
    run = run_action(repo.root, tmp_path / "action", inputs, base_sha=base_sha)
    assert run.code == 1
    titles = sorted(re.search(r"title=(\w+) ", a)[1] for a in run.annotations())
    assert titles == ["ML002", "ML003"]
    sarif = json.loads((repo.root / "o.sarif").read_text("utf-8"))["runs"][0]["results"]
    assert sorted(r["ruleId"] for r in sarif) == titles  # the same run


def test_unknown_scope_is_exit_2(legacy_pull_request, tmp_path):
    repo, base_sha = legacy_pull_request
    run = run_action(repo.root, tmp_path / "action", {"scope": "some"}, base_sha=base_sha)
    assert run.code == 2 and "use 'changed' or 'all'" in run.err
