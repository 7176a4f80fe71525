"""What ruff users reach for: --exit-zero, --statistics, --select prefixes, "did you mean", fixable counts."""

from __future__ import annotations

import json
import re

from nbformat.v4 import new_notebook


def messy(template):
    """Two ML201 errors, one ML002 warning, one fixable ML003 warning."""
    template.write("README.md", "# Churn\n#TODO: Overview\n")
    template.notebook("research/develop/Untitled.ipynb", new_notebook())
    template.notebook("research/develop/scratch.ipynb", new_notebook())
    return template


def test_exit_zero_passes_with_failing_violations(template, cli):
    messy(template)
    run = cli("check", "--exit-zero", cwd=template.root)
    assert run.code == 0
    assert "ML201 [develop-name]" in run.out


def test_exit_zero_keeps_exit_2_for_tool_failures(template, cli):
    run = cli("check", "--exit-zero", "--select", "ML999", cwd=template.root)
    assert run.code == 2


def test_statistics_counts_per_rule_most_frequent_first(template, cli):
    messy(template)
    run = cli("check", "--statistics", cwd=template.root)
    assert run.code == 1
    assert run.out.splitlines() == [
        "2  ML201  develop-name",
        "1  ML002  template-placeholder",
        "1  ML003  stale-gitkeep",
    ]


def test_select_takes_an_id_prefix(template, cli):
    messy(template)
    run = cli("check", "--select", "ML2", "--format", "json", cwd=template.root)
    assert {v["rule"] for v in json.loads(run.out)["violations"]} == {"ML201"}
    run = cli("check", "--ignore", "ML2,ML0", "--format", "json", cwd=template.root)
    assert json.loads(run.out)["violations"] == []


def test_unknown_rule_suggests_the_closest_name(template, cli):
    run = cli("check", "--select", "develop_name", cwd=template.root)
    assert run.code == 2
    assert "--select: unknown rule 'develop_name'. Did you mean 'develop-name'?" in run.err


def test_summary_says_how_many_fix_can_repair(template, cli):
    messy(template)
    run = cli("check", cwd=template.root)
    assert "Found 4 violations (2 errors, 2 warnings); 1 fixable with --fix." in run.out


def test_template_outputs_message_names_the_fix(template, cli):
    from nbformat.v4 import new_code_cell, new_markdown_cell

    nb = new_notebook(cells=[new_markdown_cell("# T"), new_code_cell("x", execution_count=1)])
    template.notebook("research/templates/model-training.ipynb", nb)
    run = cli("check", "--select", "ML302", cwd=template.root)
    assert (
        "ML302 [template-outputs] cell 2 has an execution count: clear it with `ml-lint check --fix` before committing"
        in run.out
    )
    assert "1 fixable with --fix." in run.out


def stale_and_dirty(template):
    """A fixable ML003 (stale .gitkeep), ML102 (.gitignore lines) and ML302 (template outputs)."""
    from nbformat.v4 import new_code_cell, new_markdown_cell

    template.write("configs/train.yaml", "epochs: 3\n")
    template.write(".gitignore", "")
    nb = new_notebook(cells=[new_markdown_cell("# T"), new_code_cell("x", execution_count=1)])
    template.notebook("research/templates/model-training.ipynb", nb)
    (template.root / "research/templates/.gitkeep").unlink()
    return template


def snapshot(root) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".git/" not in p.as_posix()
    }


def test_fix_diff_prints_a_unified_diff_and_writes_nothing(template, cli):
    stale_and_dirty(template)
    before = snapshot(template.root)
    run = cli("check", "--fix", "--diff", "--no-cache", cwd=template.root)
    assert run.code == 1
    assert snapshot(template.root) == before
    assert "--- a/configs/.gitkeep\n+++ /dev/null\n" in run.out
    assert "--- a/.gitignore\n+++ b/.gitignore\n" in run.out and "+data/raw/*\n" in run.out
    assert "--- a/research/templates/model-training.ipynb\n+++ b/research/templates/model-training.ipynb\n" in run.out
    assert re.search(r'^- +"execution_count": 1,$', run.out, re.M)
    assert re.search(r'^\+ +"execution_count": null,$', run.out, re.M)
    assert "nothing was written" in run.err


def test_fix_diff_on_a_clean_repo_prints_nothing_and_passes(template, cli):
    run = cli("check", "--fix", "--diff", cwd=template.root)
    assert (run.code, run.out) == (0, "")


def test_diff_without_fix_is_exit_2(template, cli):
    run = cli("check", "--diff", cwd=template.root)
    assert run.code == 2 and "use --fix --diff" in run.err


def test_fix_in_the_hook_says_what_it_fixed(template, cli):
    stale_and_dirty(template)
    template.git("add", "-A")
    # Outside pre-commit (PRE_COMMIT unset) a --hook run is the only batch: repository-level fixes run too.
    run = cli("check", "--hook", "--fix", "research/templates/model-training.ipynb", cwd=template.root)
    assert run.out.endswith(
        "Fixed 5 problems:\n  deleted configs/.gitkeep\n  added data/raw/* to .gitignore\n"
        "  added data/processed/* to .gitignore\n  added data/tmp/* to .gitignore\n"
        "  stripped the outputs of research/templates/model-training.ipynb cell 2\n"
    ), run.out


def test_show_settings_prints_what_is_in_effect_and_does_not_check(template, cli):
    messy(template)
    template.write("shared.yaml", "name: team-spec\nextends: ml-project\n")
    template.write(
        ".ml-lint.yaml",
        "extends: shared.yaml\nrules:\n  ML304: off\n  ML201:\n    severity: warning\n"
        "exclude: ['vendor/']\nper-path-ignores:\n  'legacy/**': [ML202, ML201]\n",
    )
    run = cli("check", "--show-settings", cwd=template.root)
    assert run.code == 0 and run.err == ""
    lines = run.out.splitlines()
    assert lines[1] == "spec: team-spec (shared.yaml)"
    start = lines.index("config files read (the extends chain, from the repository's config to the base spec):")
    assert lines[start + 1 : start + 3] == ["  .ml-lint.yaml", "  shared.yaml"]
    assert lines[start + 3].endswith("/ml-project.yaml")
    assert "  ML304 execution-order: off" in lines
    assert "  ML201 develop-name: warning" in lines
    assert any(line.startswith('    naming: {"folders": ["research/develop"]') for line in lines)
    assert 'exclude: ["vendor/"]' in lines
    assert lines[-2:] == ["per-path-ignores:", "  legacy/**: ML201, ML202"]
    assert "ML201 [develop-name]" not in run.out  # nothing was checked


def test_fix_diff_shows_what_fix_writes_when_two_fixes_change_one_file(repo, cli, tmp_path):
    """Two rules append to one .gitignore: the dry run shows both, as --fix writes both."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "name: two\nrules:\n"
        "  - {id: X1, name: a, severity: error, summary: s, check: {kind: gitignored, folders: [data/a]}}\n"
        "  - {id: X2, name: b, severity: error, summary: s, check: {kind: gitignored, folders: [data/b]}}\n"
    )
    repo.write(".gitignore", "*.pyc\n")
    repo.commit()
    run = cli("check", "--spec", str(spec), "--fix", "--diff", "--no-cache", cwd=repo.root)
    added = [line[1:] for line in run.out.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert run.code == 1 and "Would fix 2 problems" in run.err
    assert cli("check", "--spec", str(spec), "--fix", "--no-cache", cwd=repo.root).code == 0
    assert (repo.root / ".gitignore").read_text() == "*.pyc\n" + "".join(line + "\n" for line in added)
    assert {"data/a/*", "data/b/*"} <= set(added)
