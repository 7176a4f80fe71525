"""An organisation's spec shipped as a package: entry-point group `ml_lint.specs`, end to end.

A real wheel (written as the zip it is), installed with pip into a throwaway
environment that sees this checkout's ml-lint, extended from a repository's
config; and the same wheel installed by real pre-commit through
`additional_dependencies`.
"""

from __future__ import annotations

import base64
import hashlib
import os
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from tests.conftest import install_hook, pre_commit

ACME = """\
name: acme
extends: ml-project
description: ACME's layout
rules:
  - id: AC001
    name: codeowners
    severity: error
    summary: Every ACME project names its owners.
    check: {kind: required-paths, paths: [CODEOWNERS]}
"""
STRICT = """\
name: acme-strict
extends: acme
rules:
  - id: AC002
    name: changelog
    severity: warning
    summary: A changelog.
    check: {kind: required-paths, paths: [CHANGELOG.md]}
"""
ESCAPE = "name: escape\nextends: ../outside.yaml\n"

INIT_FIX = "`ml-lint init .` creates it (it never overwrites)"


def build_wheel(folder: Path, version: str = "1.0", acme: str = ACME) -> Path:
    """acme_specs-VERSION-py3-none-any.whl with three specs and their entry points."""
    info = f"acme_specs-{version}.dist-info"
    files = {
        "acme_specs/__init__.py": "",
        "acme_specs/acme.yaml": acme,
        "acme_specs/strict/strict.yaml": STRICT,
        "acme_specs/escape.yaml": ESCAPE,
        "outside.yaml": "name: outside\nextends: ml-project\n",  # beside the package, not in it
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: acme-specs\nVersion: {version}\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: hand\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        f"{info}/entry_points.txt": (
            "[ml_lint.specs]\nacme = acme_specs:acme.yaml\nacme-strict = acme_specs.strict:strict.yaml\n"
            "acme-escape = acme_specs:escape.yaml\n"
        ),
    }
    record = []
    for name, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(text.encode())}")
    files[f"{info}/RECORD"] = "\n".join([*record, f"{info}/RECORD,,"]) + "\n"
    wheel = folder / f"acme_specs-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return wheel


@pytest.fixture
def env(tmp_path) -> Path:
    """A throwaway environment that sees this checkout's ml-lint and its dependencies; returns its python."""
    folder = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    python = folder / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    outer = site.getsitepackages()[0]
    Path(purelib, "_ml_lint_outer.pth").write_text(f"import site; site.addsitedir({outer!r})\n")
    return python


def pip_install(python: Path, wheel: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index",
         "--force-reinstall", str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip


def ml_lint(python: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [python, "-m", "ml_lint", *args], cwd=cwd, capture_output=True, text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip


def test_a_repository_extends_an_installed_package_spec(template, env, tmp_path):
    pip_install(env, build_wheel(tmp_path))
    template.write(".ml-lint.yaml", "extends: acme\n")
    template.commit()
    run = ml_lint(env, template.root, "check")
    assert run.returncode == 1, run.stderr
    assert run.stdout.splitlines()[0] == "CODEOWNERS: AC001 [codeowners] file 'CODEOWNERS' is missing: " + INIT_FIX
    # A package spec extends another package's spec, which extends a built-in.
    template.write(".ml-lint.yaml", "extends: acme-strict\n")
    template.write("CODEOWNERS", "* @acme\n")
    run = ml_lint(env, template.root, "check", "--select", "AC001,AC002")
    assert run.stdout, run.stderr
    assert run.stdout.splitlines()[0] == "CHANGELOG.md: AC002 [changelog] file 'CHANGELOG.md' is missing: " + INIT_FIX
    assert run.returncode == 0  # a warning only
    listing = ml_lint(env, template.root, "rules", "--specs").stdout.splitlines()
    assert [line.split()[:3] for line in listing] == [
        ["ml-project", "built-in", str(Path(__file__).parents[1] / "rules/ml-project.yaml")],
        ["acme", "acme-specs", "1.0"],
        ["acme-escape", "acme-specs", "1.0"],
        ["acme-strict", "acme-specs", "1.0"],
    ]


def test_a_package_spec_never_reads_a_file_outside_its_package(template, env, tmp_path):
    pip_install(env, build_wheel(tmp_path))
    template.write(".ml-lint.yaml", "extends: acme-escape\n")
    run = ml_lint(env, template.root, "check")
    assert run.returncode == 2
    assert (
        "<acme-specs 1.0: acme-escape>:2: invalid configuration at 'extends': the spec file is outside the package"
        in (run.stderr)
    )
    assert "Traceback" not in run.stderr


def test_an_unknown_spec_name_lists_what_is_available(template, env, tmp_path):
    pip_install(env, build_wheel(tmp_path))
    template.write(".ml-lint.yaml", "extends: acme-typo\n")
    run = ml_lint(env, template.root, "check")
    assert run.returncode == 2
    assert "package spec (ml_lint.specs: acme, acme-escape, acme-strict)" in run.stderr
    assert "ml-lint rules --specs" in run.stderr


def test_a_new_version_of_the_package_is_a_new_rule_set(template, env, tmp_path):
    pip_install(env, build_wheel(tmp_path))
    template.write(".ml-lint.yaml", "extends: acme\n")
    template.write("CODEOWNERS", "* @acme\n")
    template.commit()
    assert ml_lint(env, template.root, "check").returncode == 0  # cached now
    newer = ACME.replace("paths: [CODEOWNERS]", "paths: [CODEOWNERS, SECURITY.md]")
    pip_install(env, build_wheel(tmp_path, "1.1", newer))
    run = ml_lint(env, template.root, "check")
    assert run.returncode == 1
    assert run.stdout.startswith("SECURITY.md: AC001 [codeowners] file 'SECURITY.md' is missing: " + INIT_FIX)


@pytest.mark.slow
def test_pre_commit_installs_the_spec_package_with_additional_dependencies(
    template, tmp_path, hook_repo, pre_commit_home, monkeypatch
):
    monkeypatch.setenv("PRE_COMMIT_HOME", str(pre_commit_home))
    wheel = build_wheel(tmp_path)
    template.write(".ml-lint.yaml", "extends: acme\n")
    install_hook(template, hook_repo, extra=f"    additional_dependencies: ['{wheel}']\n")
    run = pre_commit(template.root, "run", "--all-files")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "CODEOWNERS: AC001 [codeowners] file 'CODEOWNERS' is missing: " + INIT_FIX in run.stdout
    template.write("CODEOWNERS", "* @acme\n")
    template.git("add", "-A")
    run = pre_commit(template.root, "run", "--all-files")
    assert run.returncode == 0, run.stdout + run.stderr
