"""A repo's .ml-lint.yaml and spec files are untrusted: refused cleanly, never run, never escape the repo."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nbformat import v4

from ml_lint.errors import UsageError
from ml_lint.spec.config import load_project

SRC = Path(__file__).resolve().parents[1] / "src" / "ml_lint"
BILLION_LAUGHS = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n" for prev, name in zip("abcdefg", "bcdefgh", strict=False)
)


def config_error(cli, repo, text: str | bytes) -> str:
    repo.write(".ml-lint.yaml", text)
    run = cli("check", cwd=repo.root)
    assert run.code == 2, run.out
    assert "internal error" not in run.err and "Traceback" not in run.err
    return run.err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (BILLION_LAUGHS, "more than 100000 values once aliases are expanded"),
        ("extends: !!python/object/apply:os.system ['echo pwned']\n", "could not determine a constructor"),
        ("extends: !!python/name:os.system\n", "could not determine a constructor"),
        ("rules: !!python/object:collections.OrderedDict {}\n", "could not determine a constructor"),
        ("rules: " + "[" * 100_000 + "]" * 100_000 + "\n", "nesting depth"),
        ("exclude:\n" + "  - x\n" * 200_000, "larger than 1000000 bytes"),
        (b"rules: {ML304: \xff}\n", "not UTF-8"),
        ("- a\n- b\n", "a config must be a mapping"),
    ],
    ids=["billion-laughs", "python-object", "python-name", "python-tag-mapping", "deep", "huge", "bytes", "list"],
)
def test_hostile_yaml_is_a_config_error(repo, cli, text, message):
    assert message in config_error(cli, repo, text)


def test_python_tag_is_refused_and_nothing_runs(repo, cli, tmp_path):
    marker = tmp_path / "pwned"
    err = config_error(cli, repo, f"extends: !!python/object/apply:os.system ['touch {marker}']\n")
    assert ".ml-lint.yaml:1" in err
    assert not marker.exists()


def test_only_the_safe_yaml_loader_is_used():
    code = "\n".join(p.read_text() for p in SRC.rglob("*.py"))
    assert not re.search(r"yaml\.(load|load_all|unsafe_load|full_load)\(|FullLoader|UnsafeLoader|yaml\.Loader\b", code)
    assert re.search(r"CSafeLoader|SafeLoader", code)


def test_deep_toml_is_a_config_error(repo, cli):
    repo.write("pyproject.toml", "[tool.ml-lint]\nexclude = " + "[" * 900 + "]" * 900 + "\n")
    run = cli("check", cwd=repo.root)
    assert run.code == 2 and "pyproject.toml: invalid configuration: not valid TOML: nested too deeply" in run.err


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ("2: invalid configuration at 'placeholders.US_id.regex'", 'placeholders:\n  US_id: {regex: "(a+)+$"}\n'),
        (
            "3: invalid configuration at 'rules.ML307.patterns.0.regex'",
            'rules:\n  ML307:\n    patterns: [{regex: "(\\\\w+\\\\s?)*$", message: m}]\n',
        ),
    ],
)
def test_catastrophic_regex_is_refused_with_its_location(repo, cli, where, text):
    err = config_error(cli, repo, text)
    assert f".ml-lint.yaml:{where}" in err
    assert "exponential time" in err


def test_accepted_patterns_stay_fast_on_long_names_and_cells(template, cli):
    template.write(".ml-lint.yaml", 'placeholders:\n  user_id: {regex: "[a-z]+(?:-[a-z]+)*"}\n'
                   'rules:\n  ML307:\n    patterns: [{regex: "(?:x-)*y$", message: found}]\n')  # fmt: skip
    template.write("research/develop/2024-05-01_" + "a-" * 100 + "!_x.ipynb", "")
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("# T"), v4.new_code_cell("x-" * 100_000 + "z", execution_count=1)])
    import nbformat

    nbformat.write(nb, str(template.root / "research/deliver/2024-05-01_long-cell.ipynb"))
    start = time.perf_counter()
    run = cli("check", cwd=template.root)
    assert run.code == 1 and "ML201" in run.out
    assert time.perf_counter() - start < 10


@pytest.mark.parametrize("extends", ["/etc/hostname", "../outside.yaml", "sub/../../outside.yaml", "link.yaml"])
def test_repo_config_cannot_extend_outside_the_repo(repo, cli, extends):
    outside = repo.root.parent / "outside.yaml"
    outside.write_text("name: outside\nextends: ml-project\n")
    (repo.root / "link.yaml").symlink_to(outside)
    err = config_error(cli, repo, f"extends: {extends}\n")
    assert ".ml-lint.yaml:1: invalid configuration at 'extends'" in err
    assert "outside the repository" in err or "no such spec file" in err


def test_spec_in_repo_cannot_extend_outside_either(repo, cli):
    (repo.root.parent / "outside.yaml").write_text("name: outside\nextends: ml-project\n")
    repo.write("specs/team.yaml", "name: team\nextends: ../../outside.yaml\n")
    err = config_error(cli, repo, "extends: specs/team.yaml\n")
    assert "specs/team.yaml:2: invalid configuration at 'extends'" in err and "outside the repository" in err


def test_config_symlinked_out_of_the_repo_is_refused(repo, cli):
    outside = repo.root.parent / "stolen.yaml"
    outside.write_text("rules: {ML001: {severity: 'secret value'}}\n")
    (repo.root / ".ml-lint.yaml").symlink_to(outside)
    run = cli("check", cwd=repo.root)
    assert run.code == 2 and "symlink to a file outside the repository" in run.err
    assert "secret value" not in run.err


def test_specs_named_on_the_command_line_are_trusted(template, cli):
    outside = template.root.parent / "team.yaml"
    outside.write_text("name: team\nextends: ml-project\n")
    assert cli("check", "--spec", str(outside), cwd=template.root).code == 0
    config = template.root.parent / "team-config.yaml"
    config.write_text("extends: team.yaml\n")
    assert cli("check", "--config", str(config), cwd=template.root).code == 0


def test_windows_line_endings_in_config_and_spec(template, cli):
    template.write("specs/team.yaml", "name: team\r\nextends: ml-project\r\nrules:\r\n  - id: ML304\r\n"
                   "    name: execution-order\r\n    severity: error\r\n    summary: s\r\n"
                   "    check: {kind: execution-order, paths: ['research/deliver/*.ipynb']}\r\n")  # fmt: skip
    template.write(
        ".ml-lint.yaml", "extends: specs/team.yaml\r\nrules:\r\n  ML002: off\r\nexclude:\r\n  - 'research/develop/'\r\n"
    )
    template.write("README.md", "#TODO\r\n")
    template.write("research/develop/Bad Name.ipynb", "")
    run = cli("check", cwd=template.root)
    assert run.code == 0, run.out + run.err


# -- property: any bytes as a config or spec file is a clean, located error or a valid config --

yaml_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=8), st.sampled_from(["off", "ML304", "*.ipynb", "(a+)+"])
)
config_keys = st.sampled_from(["extends", "rules", "placeholders", "exclude", "per-path-ignores", "regex", "severity",
                               "ML304", "ML201", "patterns", "check", "kind", "paths", "date", "x"])  # fmt: skip
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(config_keys, inner, max_size=4),
    max_leaves=12,
)


def _load(root: Path, data: bytes, name: str = ".ml-lint.yaml") -> None:
    (root / name).write_bytes(data)
    try:
        load_project(root)
    except UsageError:  # SpecError is a UsageError: exit 2 with a message
        pass


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_bytes_as_config(tmp_path, data):
    _load(tmp_path, data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.dictionaries(config_keys, yaml_values, max_size=5))
def test_any_yaml_structure_as_config(tmp_path, value):
    import yaml

    _load(tmp_path, yaml.safe_dump(value).encode())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    value=st.dictionaries(
        config_keys | st.sampled_from(["name", "id", "summary", "description"]), yaml_values, max_size=6
    )
)
def test_any_yaml_structure_as_spec(tmp_path, value):
    import yaml

    (tmp_path / "spec.yaml").write_bytes(yaml.safe_dump({"name": "s", **value}).encode())
    _load(tmp_path, b"extends: spec.yaml\n")


def test_hostile_config_through_the_cli_is_exit_2(repo, cli):
    assert "invalid configuration" in config_error(cli, repo, b"rules: {ML304: [\x00]}\n")
