"""The package layout holds: no import cycles, each package imports only what it may
(docs/architecture.md, "Who may import what"), no imports inside functions but the lazy
imports of heavy model libraries, and a small top level."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.import_graph import ImportGraph, import_graph

ROOT = Path(__file__).resolve().parents[2] / "protokoll"

# the foundation every package may use
FOUNDATION = {"errors", "config", "formatting", "devices", "modelstore"}
# package -> the protokoll packages it may import (besides itself and the foundation)
MAY_IMPORT: dict[str, set[str]] = {
    "errors": set(),
    "config": set(),
    "formatting": set(),
    "devices": set(),
    "modelstore": set(),
    "scoring": {"domain"},
    "domain": set(),
    "audio": {"domain"},
    "agenda": {"domain"},
    "asr": {"domain", "audio"},
    "speakers": {"domain", "audio"},
    "llm": set(),
    "documents": {"domain"},
    "minutes": {"domain", "llm", "documents"},
    "review": {"domain", "documents", "minutes"},
    "publication": {"domain"},
    "register": {"domain", "documents", "pipeline.stages"},
    "pipeline": {"domain", "audio", "asr", "speakers", "llm", "minutes", "documents"},
    "service": {
        "domain", "audio", "agenda", "documents", "review", "publication", "register",
        "pipeline", "service",
    },
    "cli": {
        "domain", "agenda", "documents", "pipeline", "register", "service", "scoring",
    },
    "__main__": {"cli"},
}  # fmt: skip
# inside the service: the lower layer never imports the upper one
SERVICE_LAYERS = ["infra", "context", "usecases", "bootstrap", "http", "serve", "worker"]
# libraries that take seconds or hundreds of MB to import: imported where they are used
HEAVY = {
    "torch", "torchaudio", "faster_whisper", "ctranslate2", "pyannote", "transformers",
    "llama_cpp", "speakerlab", "scipy", "ctypes", "onnxruntime",
}  # fmt: skip


@pytest.fixture(scope="module")
def graph() -> ImportGraph:
    return import_graph(ROOT)


def test_there_is_no_import_cycle(graph: ImportGraph) -> None:
    assert graph.cycles() == []


def test_the_cycle_check_finds_a_cycle(tmp_path: Path) -> None:
    """The check itself: two modules importing each other are found (also through a
    `from package import module`), while a TYPE_CHECKING import is not an edge."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from pkg import b\n")
    (pkg / "b.py").write_text("import pkg.c\n")
    (pkg / "c.py").write_text("from pkg.a import x\n")
    (pkg / "d.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg.a\n"
    )
    found = import_graph(pkg)
    assert found.cycles() == [["pkg.a", "pkg.b", "pkg.c"]]
    assert found.edges["pkg.d"] == set()


def _package(module: str) -> str:
    parts = module.split(".")[1:]
    if not parts:
        return ""
    if parts[0] == "pipeline" and parts[1:2] == ["stages"]:
        return "pipeline.stages"
    return parts[0]


def test_each_package_imports_only_what_it_may(graph: ImportGraph) -> None:
    wrong = []
    for module, targets in graph.edges.items():
        source = _package(module)
        if not source:
            continue
        allowed = MAY_IMPORT[source.split(".")[0]] | FOUNDATION | {source}
        if source == "pipeline":
            allowed.add("pipeline.stages")
        for target in targets:
            package = _package(target)
            # a package's own __init__ comes with any of its modules
            inside = any(a.startswith(package + ".") for a in allowed)
            if package and package not in allowed and package.split(".")[0] not in allowed:
                if target == f"protokoll.{package}" and inside:
                    continue
                wrong.append(f"{module} -> {target}")
    assert wrong == []


def test_service_layers_point_downwards(graph: ImportGraph) -> None:
    def layer(module: str) -> int | None:
        parts = module.split(".")
        if parts[:2] != ["protokoll", "service"] or len(parts) < 3:
            return None
        return SERVICE_LAYERS.index(parts[2])

    upward = [
        f"{m} -> {t}"
        for m, targets in graph.edges.items()
        for t in targets
        if (lm := layer(m)) is not None and (lt := layer(t)) is not None and lt > lm
    ]
    assert upward == []


def test_only_heavy_model_libraries_are_imported_inside_functions(graph: ImportGraph) -> None:
    """Everything else is imported at the top, so the graph above is the whole truth; each
    lazy import says why on its line or the line above."""
    wrong = []
    for module, line, target in graph.in_functions:
        top = target.split(".")[0]
        path = graph.modules[module]
        lines = path.read_text(encoding="utf-8").splitlines()
        reason = _has_reason(lines, line - 1)
        if top == "protokoll" and module == "protokoll.speakers.diarize" and reason:
            continue  # campplus is a thin module over torch and pyannote.audio
        if top not in HEAVY or not reason:
            wrong.append(f"{path.relative_to(ROOT.parent)}:{line} {target}")
    assert wrong == []


def _has_reason(lines: list[str], index: int) -> bool:
    """A comment on the import's line, or above it (over a run of imports and blanks)."""
    if "#" in lines[index]:
        return True
    index -= 1
    while index >= 0:
        text = lines[index].strip()
        if text.startswith("#"):
            return True
        if not (text.startswith(("import ", "from ")) or text == ""):
            return False
        index -= 1
    return False


def test_the_top_level_stays_small() -> None:
    modules = sorted(p.name for p in ROOT.glob("*.py"))
    assert len(modules) <= 10, modules


def test_data_types_import_nothing_heavy() -> None:
    """`protokoll.domain` is imported by everything: standard library, pydantic and the
    foundation only."""
    allowed = {"__future__", "pydantic", "protokoll"} | set(__import__("sys").stdlib_module_names)
    wrong = []
    for path in (ROOT / "domain").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                wrong += [f"{path.name}: {n}" for n in names if n.split(".")[0] not in allowed]
    assert wrong == []


def test_no_test_module_imports_another() -> None:
    """Shared fakes and helpers live in `tests/support`; test modules import only that."""
    tests = ROOT.parent / "tests"
    wrong = []
    for path in tests.rglob("*.py"):
        if "support" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            wrong += [
                f"{path.relative_to(tests)}: {n}"
                for n in names
                if n.split(".")[0] == "tests" and not n.startswith("tests.support")
            ]
    assert wrong == []
