"""The import graph of `protokoll/`, computed from the source (no module is imported).

An edge A -> B means: importing A runs an import of B at module level (imports inside
functions and under `if TYPE_CHECKING:` do not run on import and are listed apart).
Importing `a.b.c` also imports the packages `a` and `a.b`, so those are edges too (but not
a module's own enclosing packages, which are always imported before it).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ImportGraph:
    modules: dict[str, Path]
    edges: dict[str, set[str]] = field(default_factory=dict)
    # (module, line, imported name) of every import inside a function
    in_functions: list[tuple[str, int, str]] = field(default_factory=list)

    def cycles(self) -> list[list[str]]:
        """Strongly connected components with more than one module (Tarjan)."""
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        stack: list[str] = []
        on_stack: set[str] = set()
        found: list[list[str]] = []

        def visit(v: str) -> None:
            index[v] = low[v] = len(index)
            stack.append(v)
            on_stack.add(v)
            for w in sorted(self.edges.get(v, ())):
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

        for v in sorted(self.modules):
            if v not in index:
                visit(v)
        return found


def _module_names(root: Path) -> dict[str, Path]:
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def _targets(module: str, path: Path, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        package = module.split(".")
        if path.name != "__init__.py":
            package = package[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, *([node.module] if node.module else [])])
    yield base
    for alias in node.names:
        yield f"{base}.{alias.name}"  # `from pkg import module`


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(graph: ImportGraph, module: str, node: ast.AST, in_function: bool) -> None:
    path = graph.modules[module]
    edges = graph.edges.setdefault(module, set())
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child):
            continue
        if isinstance(child, ast.Import | ast.ImportFrom):
            for target in _targets(module, path, child):
                if in_function:
                    graph.in_functions.append((module, child.lineno, target))
                    continue
                parts = target.split(".")
                for i in range(1, len(parts) + 1):
                    name = ".".join(parts[:i])
                    if name in graph.modules and not (module + ".").startswith(name + "."):
                        edges.add(name)
        func = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
        _walk(graph, module, child, in_function or func)


def import_graph(root: Path) -> ImportGraph:
    graph = ImportGraph(_module_names(root))
    for module, path in graph.modules.items():
        _walk(graph, module, ast.parse(path.read_text(encoding="utf-8")), False)
    return graph
