"""The shape of `solver/`: a pure engine whose imports flow one way.

Read from the source with `ast` (nothing is imported): no module imports inside a function (an
import there only hides a cycle), no import cycle between solver modules, and nothing of a web
framework, a database, the environment or the terminal.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SOLVER = Path(__file__).resolve().parents[2] / "solver"
FORBIDDEN_PACKAGES = ("fastapi", "starlette", "sqlalchemy", "alembic", "app")


def module_name(path: Path) -> str:
    parts = path.relative_to(SOLVER.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(SOLVER.rglob("*.py"))}
TREES = {name: ast.parse(path.read_text(encoding="utf-8"), str(path)) for name, path in MODULES.items()}


def is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def runtime_imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement that runs, wherever it stands (`if TYPE_CHECKING:` blocks left out)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and is_type_checking(node):
            yield from (n for child in node.orelse for n in runtime_imports_of(child))
            continue
        yield from runtime_imports_of(node)


def runtime_imports_of(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    else:
        yield from runtime_imports(node)


def function_level_imports(tree: ast.AST) -> list[int]:
    """Line numbers of imports inside function bodies (nested ones included)."""
    lines = []
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            lines += [n.lineno for n in runtime_imports(fn)]
    return sorted(set(lines))


def resolved(importer: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The modules an import statement loads: named ones, and the packages above them."""
    if isinstance(node, ast.Import):
        targets = {alias.name for alias in node.names}
    else:
        base = node.module or ""
        if node.level:
            package = importer.split(".")
            if MODULES[importer].name != "__init__.py":
                package = package[:-1]
            package = package[: len(package) - node.level + 1]
            base = ".".join([*package, base] if base else package)
        targets = {f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names}
    out = set()
    for target in targets:
        parts = target.split(".")
        out |= {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
    return out


def imported_by(importer: str) -> set[str]:
    """The solver modules `importer` loads when it runs, packages that hold it left out (Python has
    loaded them before it)."""
    holders = {importer.rsplit(".", i)[0] for i in range(importer.count(".") + 1)}
    found = set()
    for node in runtime_imports(TREES[importer]):
        found |= resolved(importer, node)
    return {m for m in found if m in MODULES and m not in holders}


def import_graph() -> dict[str, list[str]]:
    return {m: sorted(imported_by(m)) for m in MODULES}


def cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """The modules of each import cycle (Tarjan's strongly connected groups of more than one module,
    or a module importing itself)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(m: str) -> None:
        index[m] = low[m] = len(index)
        stack.append(m)
        for n in graph[m]:
            if n not in index:
                visit(n)
                low[m] = min(low[m], low[n])
            elif n in stack:
                low[m] = min(low[m], index[n])
        if low[m] == index[m]:
            group = []
            while True:
                n = stack.pop()
                group.append(n)
                if n == m:
                    break
            if len(group) > 1 or m in graph[m]:
                out.append(sorted(group))

    for m in graph:
        if m not in index:
            visit(m)
    return out


def test_the_walk_sees_the_whole_engine():
    assert {"solver.domain", "solver.rules", "solver.solve.pipeline", "solver.io.load"} <= set(MODULES)
    assert "solver.rules" in imported_by("solver.solve.pipeline")
    assert "solver.model.base" in imported_by("solver.rules.coverage")


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_import_inside_a_function(name: str):
    assert function_level_imports(TREES[name]) == [], f"{MODULES[name]}: import inside a function"


def test_no_import_cycle_between_solver_modules():
    assert cycles(import_graph()) == []


def test_the_checks_catch_what_they_look_for():
    assert cycles({"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}) == [["a", "b", "c"]]
    assert cycles({"a": ["a"], "b": []}) == [["a"]]
    assert cycles({"a": ["b"], "b": []}) == []
    hidden = "from solver import x\n\ndef f():\n    if True:\n        from solver.y import z\n"
    assert function_level_imports(ast.parse(hidden)) == [5]
    assert function_level_imports(ast.parse("if TYPE_CHECKING:\n    import os\n")) == []
    assert function_level_imports(ast.parse("def f():\n    if TYPE_CHECKING:\n        import os\n")) == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_the_engine_knows_no_web_database_environment_or_terminal(name: str):
    tree = TREES[name]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            roots = {a.name.split(".")[0] for a in node.names} if isinstance(node, ast.Import) else set()
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                roots.add(node.module.split(".")[0])
                if node.module == "os":
                    assert not {a.name for a in node.names} & {"environ", "getenv"}, name
            assert not roots & set(FORBIDDEN_PACKAGES), (name, node.lineno)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "os":
            assert node.attr not in ("environ", "getenv"), (name, node.lineno)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id != "print", (name, node.lineno)
