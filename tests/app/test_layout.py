"""The layout of `app/`: imports flow one way. No module imports inside a function (only the lazy
imports of heavy dependencies listed in `LAZY`, or under `TYPE_CHECKING`), and no import cycle
between the modules of `app`, read with `ast` from the sources."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"

LAZY = {
    ("app.cli.serve", "uvicorn"): "the server, only for `roster serve` and `roster demo`",
    ("app.cli.demo", "data.zhangye_locations"): "the checkout's sample coordinates (no data/ when installed)",
}
"""(module, imported module) → why the import waits for the function that needs it."""


def module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, ast.Module]:
    return {
        module_name(p): ast.parse(p.read_text(encoding="utf-8"), str(p))
        for p in sorted(APP.rglob("*.py"))
        if "migrations" not in p.parts
    }


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return [node.module or ""]


def function_level_imports(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """(line, module) of every import inside a function, outside `if TYPE_CHECKING:`."""

    def walk(node: ast.AST, in_function: bool) -> Iterator[tuple[int, str]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue
            if isinstance(child, ast.Import | ast.ImportFrom) and in_function:
                for name in _imported(child):
                    yield child.lineno, name
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            yield from walk(child, inner)

    yield from walk(tree, False)


def load_time_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """The imports that run when the module is loaded: not in a function, not under `TYPE_CHECKING`."""

    def walk(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child
            yield from walk(child)

    yield from walk(tree)


def module_imports(tree: ast.Module, known: set[str]) -> set[str]:
    """The `app` modules a module imports when it is loaded: `from app.x import y` is `app.x.y` when
    that is a module, else `app.x`."""
    out: set[str] = set()
    for node in load_time_imports(tree):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        else:
            base = node.module or ""
            out |= {f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names}
    return out & known


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_inside_a_function_but_the_listed_lazy_ones() -> None:
    offending = [
        f"{name}:{line} imports {imported}"
        for name, tree in modules().items()
        for line, imported in function_level_imports(tree)
        if (name, imported) not in LAZY
    ]
    assert offending == []


def test_every_listed_lazy_import_is_still_there() -> None:
    present = {
        (name, imported) for name, tree in modules().items() for _, imported in function_level_imports(tree)
    }
    assert set(LAZY) <= present


def test_no_import_cycle_between_app_modules() -> None:
    trees = modules()
    known = set(trees)
    graph = {name: module_imports(tree, known) - {name} for name, tree in trees.items()}
    assert cycles(graph) == []


def test_imports_are_absolute() -> None:
    relative = [
        f"{name}:{node.lineno}"
        for name, tree in modules().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level
    ]
    assert relative == []


def test_the_checks_see_what_they_look_for() -> None:
    """The two detectors on small sources: a function-level import, and a cycle of three."""
    tree = ast.parse(
        "import a\nif TYPE_CHECKING:\n    import b\ndef f():\n    import c\n    from d import e\n"
    )
    assert [m for _, m in function_level_imports(tree)] == ["c", "d"]
    assert cycles({"x": {"y"}, "y": {"z"}, "z": {"x"}, "w": {"x"}}) == [["x", "y", "z"]]
