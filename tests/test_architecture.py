"""The shape of the package: small modules, and no import cycle (imports inside functions count)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from helpers import ROOT

PACKAGE = ROOT / "dashboard"
MAX_LINES = 400


def module_imports(package: Path) -> dict[str, set[str]]:
    """Each module of `package` (by dotted name) -> the modules of the same package it imports anywhere
    in its body, functions included; relative imports are resolved."""
    name = package.name
    modules = {_dotted(path, package): path for path in sorted(package.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(module, is_package, node.module, node.level)
                # `from . import tables` names a module; `from .data import check` names something in one
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
            else:
                continue
            for target in targets:
                while target and target not in modules:  # `import dashboard.data.x` imports dashboard.data
                    target = target.rpartition(".")[0]
                if target and target != module and target.split(".")[0] == name:
                    found.add(target)
        graph[module] = found
    return graph


def _dotted(path: Path, package: Path) -> str:
    parts = (package.name, *path.relative_to(package).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(module: str, is_package: bool, name: str | None, level: int) -> str:
    if level == 0:
        return name or ""
    parts = module.split(".")
    anchor = parts if is_package else parts[:-1]
    anchor = anchor[: len(anchor) - (level - 1)]
    return ".".join(anchor + ([name] if name else []))


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


@pytest.mark.parametrize("graph, expected", [
    ({}, []),
    ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ({"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"c"}, "e": {"a", "c"}}, [["a", "b"], ["c", "d"]]),
])
def test_cycles_are_found(graph, expected):
    assert cycles(graph) == expected


def test_imports_are_read_everywhere_and_resolved(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "a.py": "from . import b\nfrom .c import thing\nimport os\n",
        "b.py": "def late():\n    from .a import x\n",  # inside a function: still a cycle a -> b -> a
        "c.py": "import pkg.sub.d\n",
        "sub/__init__.py": "from .. import c\n",
        "sub/d.py": "from ..sub import e\nfrom pkg import a\n",
        "sub/e.py": "class K:\n    def m(self):\n        from .d import y\n",
    }
    for name, text in files.items():
        (package / name).write_text(text, encoding="utf-8")
    assert module_imports(package) == {
        "pkg": set(), "pkg.a": {"pkg.b", "pkg.c"}, "pkg.b": {"pkg.a"}, "pkg.c": {"pkg.sub.d"},
        "pkg.sub": {"pkg.c"}, "pkg.sub.d": {"pkg.sub.e", "pkg.a"}, "pkg.sub.e": {"pkg.sub.d"},
    }
    assert cycles(module_imports(package)) == [["pkg.a", "pkg.b", "pkg.c", "pkg.sub.d", "pkg.sub.e"]]


def test_the_package_has_no_import_cycle():
    graph = module_imports(PACKAGE)
    assert {"dashboard.data", "dashboard.domain", "dashboard.views"} <= set(graph), "the package was not read"
    assert "dashboard.domain" in graph["dashboard.data"], "the imports were not read"
    assert cycles(graph) == []


def test_no_module_is_over_the_line_limit():
    lengths = {path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
               for path in sorted(PACKAGE.rglob("*.py"))}
    assert len(lengths) > 10, "the package was not read"
    assert {name: n for name, n in lengths.items() if n > MAX_LINES} == {}


# Clientside code lives in assets/ (ClientsideFunction); a Python string that reads like JavaScript is a
# callback written in the wrong place.
_JS_SIGNS = ("function (", "function(", "=> ", "document.", "window.", "dash_clientside.")


def javascript_strings(source: str) -> list[str]:
    """The string constants of a module's source that look like JavaScript."""
    return [node.value for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and any(sign in node.value for sign in _JS_SIGNS)]


@pytest.mark.parametrize("source, found", [
    ('x = "function (view) { return window.dash_clientside.no_update; }"', 1),
    ("y = '(n) => document.title'", 1),
    ('"""A docstring about the page."""\nz = "plain text, no code"', 0),
    ("ClientsideFunction(namespace='atlas', function_name='followUrl')", 0),
])
def test_javascript_in_strings_is_found(source, found):
    assert len(javascript_strings(source)) == found


def test_no_javascript_sits_in_the_packages_python():
    offenders = {path.name: javascript_strings(path.read_text(encoding="utf-8")) for path in PACKAGE.rglob("*.py")}
    assert {name: found for name, found in offenders.items() if found} == {}
