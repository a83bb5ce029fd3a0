"""Public modules share private code only through ``dlcourse._core``.

An underscore name in a public module means "internal to this module"; what several modules
need lives in the private package ``dlcourse._core``. This test parses every module of
``dlcourse`` (and every test module) and fails, naming file:line and the name, when one imports
another module's underscore name, or an underscore module, from anywhere but the core.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORE = "dlcourse._core"


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The module an ``from ... import`` reads from, with relative imports resolved."""
    if node.level == 0:
        return node.module or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _private(part: str) -> bool:
    return part.startswith("_") and not part.startswith("__")


def _outside_core(source: str) -> bool:
    return source.startswith("dlcourse") and not (source == CORE or source.startswith(CORE + "."))


def private_imports(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """Every import in ``source`` (the code of ``module``) of a dlcourse private name or
    module from outside ``dlcourse._core``, as "line: what" strings."""
    problems = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _outside_core(alias.name) and any(map(_private, alias.name.split("."))):
                    problems.append(f"{node.lineno}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            origin = _absolute(node, module, is_package)
            if not _outside_core(origin):
                continue
            if any(map(_private, origin.split("."))):
                problems.append(f"{node.lineno}: from {origin} import (an underscore module)")
                continue
            for alias in node.names:
                if _private(alias.name):
                    problems.append(f"{node.lineno}: from {origin} import {alias.name}")
                elif any(map(_private, f"{origin}.{alias.name}".split("."))):
                    problems.append(f"{node.lineno}: from {origin} import {alias.name}")
    return problems


def _files() -> list[Path]:
    return sorted((REPO / "dlcourse").rglob("*.py")) + sorted((REPO / "tests").glob("*.py"))


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(REPO)))
def test_no_module_imports_another_modules_private_names(path):
    problems = private_imports(
        path.read_text(), _module_name(path), is_package=path.name == "__init__.py"
    )
    where = path.relative_to(REPO)
    assert not problems, (
        "import shared private code from dlcourse._core instead (move it there): "
        + "; ".join(f"{where}:{problem}" for problem in problems)
    )


# -- the check itself can fail ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from dlcourse.plots import _check_real\n", ["1: from dlcourse.plots import _check_real"]),
        (
            "import numpy\nfrom dlcourse.widgets._optim import OPTIMIZERS\n",
            ["2: from dlcourse.widgets._optim import (an underscore module)"],
        ),
        ("import dlcourse.widgets._mlp as mlp\n", ["1: import dlcourse.widgets._mlp"]),
        (
            "from dlcourse.widgets import _common\n",
            ["1: from dlcourse.widgets import _common"],
        ),
        ("from ..plots import _cost_1d\n", ["1: from dlcourse.plots import _cost_1d"]),
        (
            "from ._common import ExplorerDisplay\n",
            ["1: from dlcourse.widgets._common import (an underscore module)"],
        ),
    ],
)
def test_the_check_finds_a_private_import(source, expected):
    assert private_imports(source, "dlcourse.widgets.activation") == expected


@pytest.mark.parametrize(
    "source",
    [
        "from dlcourse._core.checks import check_int\n",
        "from dlcourse._core import network\n",
        "from dlcourse.plots import plot_data, __doc__\n",
        "from .optimizer_race import OptimizerRaceExplorer\n",
        "from numpy import _NoValue\n",  # not ours
        "import dlcourse.widgets\n",
    ],
)
def test_the_check_accepts_core_and_public_imports(source):
    assert private_imports(source, "dlcourse.widgets.activation") == []


def test_the_core_may_share_its_own_private_names():
    source = "from dlcourse._core.optim import _ADAM_EPS\nfrom .network import _helper\n"
    assert private_imports(source, "dlcourse._core.training") == []
