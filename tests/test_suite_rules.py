"""Rules the test suite keeps: test modules share helpers through conftest.py and helpers.py, never by
importing one another (imports inside functions count); only conftest.py starts the Atlas for a browser;
and a browser test fails on a console error it did not declare."""
from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from dash.testing.application_runners import BaseDashRunner

from helpers import console_problems

TESTS = Path(__file__).resolve().parent
SOURCES = sorted(TESTS.glob("*.py"))


def _is_test_module(dotted: str) -> bool:
    return any(part.startswith("test_") or part == "conftest" for part in dotted.split("."))


def imported_test_modules(source: str) -> list[str]:
    """The test modules (test_*, conftest) a source imports, wherever the import sits."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.module:
                found.append(node.module)
            else:  # from . import test_x
                found += [alias.name for alias in node.names]
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and ((isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                   or (isinstance(node.func, ast.Name) and node.func.id in ("import_module", "__import__")))):
            found.append(node.args[0].value)
    return [name for name in found if _is_test_module(name)]


def servers_started(source: str) -> list[int]:
    """The lines that start a Dash server themselves (dash_duo.start_server, or any runner's)."""
    return [node.lineno for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "start_server"]


@pytest.mark.parametrize("source, expected", [
    ("from helpers import wait_until\nimport pytest\nfrom dashboard import state", []),
    ("from test_browser import _wait", ["test_browser"]),
    ("def pick():\n    from test_analysis import _choose\n    return _choose", ["test_analysis"]),
    ("import test_browser as tb", ["test_browser"]),
    ("from tests.test_browser import _wait", ["tests.test_browser"]),
    ("from . import test_browser", ["test_browser"]),
    ("from .test_browser import _wait", ["test_browser"]),
    ("import importlib\nhelpers = importlib.import_module('test_presenter')", ["test_presenter"]),
    ("helpers = __import__('test_presenter')", ["test_presenter"]),
    ("from conftest import start_atlas", ["conftest"]),
    ("from dashboard.state import test_value", []),  # a name, not a module, may start with test_
])
def test_imported_test_modules_finds_every_form(source, expected):
    assert imported_test_modules(source) == expected


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_no_test_module_imports_another(path):
    assert imported_test_modules(path.read_text(encoding="utf-8")) == [], \
        f"{path.name} imports a test module: share helpers through conftest.py or helpers.py"


def test_servers_started_finds_a_direct_start():
    assert servers_started("def test_x(dash_duo):\n    dash_duo.start_server(create_app())\n") == [2]
    assert servers_started("def test_x(start_atlas):\n    duo = start_atlas('territory=MTQ')\n") == []


@pytest.mark.parametrize("path", [p for p in SOURCES if p.name != "conftest.py"], ids=lambda p: p.name)
def test_only_conftest_starts_the_atlas_for_a_browser(path):
    assert servers_started(path.read_text(encoding="utf-8")) == [], \
        f"{path.name} starts a server itself: use the start_atlas fixture of conftest.py"


# --- the clean console ----------------------------------------------------------------------------

def _entry(message: str, level: str = "SEVERE") -> dict:
    return {"level": level, "message": message, "source": "console-api", "timestamp": 1}


@pytest.mark.parametrize("entries, expected, problems", [
    ([], (), []),
    ([_entry("http://x/ 12:3 Uncaught TypeError: boom")], (), ["console error: http://x/ 12:3 Uncaught TypeError: boom"]),
    ([_entry("a warning", "WARNING")], (), []),  # only SEVERE entries count
    ([_entry("Uncaught TypeError: boom")], (r"TypeError: boom",), []),
    ([_entry("Uncaught TypeError: boom"), _entry("404 (NOT FOUND)")], (r"TypeError",), ["console error: 404 (NOT FOUND)"]),
    ([], (r"TypeError",), ["expected console error never logged: 'TypeError'"]),
    ([_entry("a warning: TypeError", "WARNING")], (r"TypeError",), ["expected console error never logged: 'TypeError'"]),
])
def test_console_problems(entries, expected, problems):
    assert console_problems(entries, expected) == problems


@pytest.mark.console_errors(r"a deliberate error for the console check")
def test_a_declared_console_error_is_read_from_the_browser(atlas):
    """The clean-console check reads the browser's log: an error the test declares is found there (were it
    not read, the check would report the declared error as never logged)."""
    atlas.driver.execute_script("console.error('a deliberate error for the console check');")


def test_an_undeclared_console_error_fails_the_browser_test(tmp_path):
    """A browser test that logs an error it did not declare passes its own steps, then fails at the end."""
    (tmp_path / "test_inner.py").write_text(
        "def test_logs_an_error(atlas):\n"
        "    atlas.driver.execute_script(\"console.error('an undeclared error')\")\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), str(TESTS.parent)]),
           "ATLAS_TEST_PORT_BASE": str(BaseDashRunner._next_port + 500)}  # clear of this run's own servers
    env.pop("PYTEST_XDIST_WORKER", None)
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:cacheprovider", "--headless",
                             "-q", "test_inner.py"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert re.search(r"\b1 passed\b.*\b1 error\b", result.stdout.splitlines()[-1]), result.stdout[-3000:]
    assert "console error:" in result.stdout and "an undeclared error" in result.stdout
