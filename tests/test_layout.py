"""The layout the README describes: four layers, each importing only the ones below it, and
no module importing itself back through others.

    g2p  <-  alignment_dataset  <-  phonexl (the model)  <-  benchmarks (scripts, results)

Imports inside functions count too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from g2p.paths import REPOSITORY

LAYERS = ("g2p", "alignment_dataset", "phonexl", "benchmarks")
# The one import against the layers, and why it is allowed: the PhoneXL release baseline
# (python -m g2p.evaluate --baseline release) reads the release's TSV files with the corpus
# reader rather than a second parser of that format; it is imported only for that baseline.
UPWARD_ALLOWED = {("g2p.baselines", "alignment_dataset.readers")}


def _modules() -> dict[str, Path]:
    found = {}
    for package in LAYERS:
        for path in sorted((REPOSITORY / package).rglob("*.py")):
            parts = path.relative_to(REPOSITORY).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules ``name`` imports (``from pkg import mod`` counts as ``pkg.mod``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets |= {f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                        for alias in node.names}
    return {target for target in targets if target in modules and target != name}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_itself_back():
    assert _cycles(_graph()) == []


def test_each_layer_imports_only_the_layers_below():
    rank = {layer: i for i, layer in enumerate(LAYERS)}
    upward = sorted(f"{name} imports {target}" for name, targets in _graph().items()
                    for target in targets
                    if rank[target.split(".")[0]] > rank[name.split(".")[0]]
                    and (name, target) not in UPWARD_ALLOWED)
    assert upward == []


def test_the_readme_layout_matches_the_tree():
    """Every path the README's layout section names exists, and it names every package and
    every module of the top level of each package."""
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"^\s*([\w./-]+?/?)\s{2,}", section.split("```")[1], re.M))
    assert named, "the layout section has no tree"
    missing = sorted(path for path in named if not (REPOSITORY / path.rstrip("/")).exists())
    assert missing == []
    expected = {f"{layer}/" for layer in LAYERS} | {
        f"{path.parent.name}/{path.name}" for layer in LAYERS
        for path in (REPOSITORY / layer).glob("*.py") if path.name != "__init__.py"}
    assert sorted(expected - {path.lstrip("./") for path in named}) == []
