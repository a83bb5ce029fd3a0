"""dlcourse never hands out an exercise's answer (design.md): no public name in any of its
modules is the name of a function or class students write in an assignment."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import nbformat
import pytest

import dlcourse
from autograder import notebooks

REPO = Path(__file__).resolve().parent.parent


def _answer_names() -> set[str]:
    """grade_ids of every answer cell of every assignment (the names students define)."""
    names = set()
    for nb_path in (REPO / "solutions").glob("*/*.ipynb"):
        nb = nbformat.read(nb_path, as_version=4)
        names |= {notebooks.grade_id(c) for c in nb.cells if notebooks.is_answer_cell(c)}
    return names


MODULES = sorted(
    m.name for m in pkgutil.walk_packages(dlcourse.__path__, prefix="dlcourse.") if not m.ispkg
) + ["dlcourse", "dlcourse.widgets"]


def test_the_answer_names_are_found():
    names = _answer_names()
    assert {"linear_cost", "softmax", "Value", "mlp_loss"} <= names


@pytest.mark.parametrize("module_name", MODULES)
def test_no_public_name_is_an_exercise_answer(module_name):
    module = importlib.import_module(module_name)
    public = {name for name in dir(module) if not name.startswith("_")}
    leaked = public & _answer_names()
    assert not leaked, f"{module_name} exports exercise answers: {sorted(leaked)}"
    assert not {n for n in public if n.endswith(("_forward", "_backward"))}
