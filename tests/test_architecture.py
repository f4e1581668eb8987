"""The floors hold: the package import graph has no circles, and no import hides in a function
without saying why.

The layer contract itself (each layer imports only from below) is import-linter's
(``[tool.importlinter]`` in pyproject.toml, run by ``make test``); these checks count
every import, also those inside functions, which is where circles used to hide.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = (
    "mediabrain",
    "bot",
    "jobs",
    "crews",
    "supervisor",
    "analytics",
    "vocabulary",
    "ads",
    "storage",
)


def _package_of(graph: grimp.ImportGraph, module: str) -> str:
    return module if graph.find_children(module) else module.rpartition(".")[0] or module


def test_the_package_import_graph_is_acyclic() -> None:
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    packages = nx.DiGraph()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            a, b = _package_of(graph, module), _package_of(graph, imported)
            if a != b:
                packages.add_edge(a, b)
    circles = sorted(" → ".join([*cycle, cycle[0]]) for cycle in nx.simple_cycles(packages))
    assert circles == []


def _function_level_imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import):
                    found += [(inner.lineno, alias.name) for alias in inner.names]
                elif isinstance(inner, ast.ImportFrom) and inner.module and inner.level == 0:
                    found.append((inner.lineno, inner.module))
    return found


def test_every_import_inside_a_function_says_why() -> None:
    """Only heavy or optional dependencies load late, each with a comment on its line or above."""
    silent: list[str] = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            lines = path.read_text(encoding="utf-8").splitlines()
            for lineno, module in _function_level_imports(path):
                here, above = lines[lineno - 1], lines[lineno - 2] if lineno > 1 else ""
                if "#" not in here and not above.strip().startswith("#"):
                    silent.append(f"{path.relative_to(ROOT)}:{lineno} {module}")
    assert silent == []
