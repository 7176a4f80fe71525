"""The layers of the package, read from the code's own imports.

The cold side (ml_lint.spec) is the only package that may import pydantic,
YAML or TOML: a warm run never pays for them. Modules import each other
without circles. Both are read with an AST walk, lazy imports included.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "ml_lint"
COLD_LIBRARIES = {"pydantic", "pydantic_core", "yaml", "tomllib", "tomli"}
COLD_SIDE = "ml_lint.spec"
# pydantic calls these hooks itself, while it validates on the cold side.
PYDANTIC_HOOK = "__get_pydantic_core_schema__"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, str | None]]:
    """(imported module, enclosing function or None) of every import outside `if TYPE_CHECKING:`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, str | None]] = []

    def visit(node: ast.AST, function: str | None) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child, function)
            return
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            function = node.name
        if isinstance(node, ast.Import):
            found.extend((alias.name, function) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            found.append((base, function))
            # `from ml_lint.checks import naming` imports the module ml_lint.checks.naming
            found.extend((f"{base}.{alias.name}", function) for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, None)
    return found


def package_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def test_only_the_cold_side_imports_pydantic_yaml_or_toml():
    offenders = []
    for name, path in package_modules().items():
        if name == COLD_SIDE or name.startswith(COLD_SIDE + "."):
            continue
        for imported, function in imports(path):
            if imported.split(".")[0] in COLD_LIBRARIES and function != PYDANTIC_HOOK:
                offenders.append(f"{name} imports {imported}")
    assert offenders == []


def test_the_checks_never_import_the_cold_side():
    modules = package_modules()
    warm = [
        name
        for name in modules
        if not name.startswith(COLD_SIDE) and name not in ("ml_lint.cli", "ml_lint.ruleset.load")
    ]
    offenders = [
        f"{name} imports {imported}"
        for name in warm
        for imported, _ in imports(modules[name])
        if imported == COLD_SIDE or imported.startswith(COLD_SIDE + ".")
    ]
    # ruleset.load is the one bridge (cache or validate); cli dispatches to init/rules/explain/schema.
    assert offenders == []


def test_no_import_circles():
    modules = package_modules()
    graph = {
        name: sorted({imported for imported, _ in imports(path) if imported in modules and imported != name})
        for name, path in modules.items()
    }
    # A package's __init__ is imported before its submodules: an edge to a submodule implies one to it.
    for name in list(graph):
        for imported in list(graph[name]):
            parent = imported.rsplit(".", 1)[0]
            if parent in modules and parent != name and not name.startswith(parent + "."):
                graph[name].append(parent)
    circles = []
    state: dict[str, int] = {}

    def walk(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                circles.append(" -> ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in state:
                walk(nxt, [*trail, nxt])
        state[node] = 2

    for name in graph:
        if name not in state:
            walk(name, [name])
    assert circles == []
