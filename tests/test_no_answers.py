"""dlcourse never hands out an exercise's answer (CONTRIBUTING.md): no public name in any of its
modules is the name of a function or class students write in an assignment.

The private core (``dlcourse._core``) holds the library's reference maths, so it is held to a
stricter rule: none of its names, with or without leading underscores, is a graded name."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import nbformat
import pytest

import dlcourse
from autograder import notebooks
from autograder.grading import prepare

REPO = Path(__file__).resolve().parent.parent


def _answer_names() -> set[str]:
    """grade_ids of every answer cell of every assignment (the names students define)."""
    names = set()
    for nb_path in (REPO / "solutions").glob("*/*.ipynb"):
        nb = nbformat.read(nb_path, as_version=4)
        names |= {notebooks.grade_id(c) for c in nb.cells if notebooks.is_answer_cell(c)}
    return names


MODULES = ["dlcourse"] + sorted(
    m.name for m in pkgutil.walk_packages(dlcourse.__path__, prefix="dlcourse.")
)
CORE_MODULES = [name for name in MODULES if name.startswith("dlcourse._core")]


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


def test_every_module_and_package_is_covered():
    assert {"dlcourse.widgets", "dlcourse._core", "dlcourse._core.network"} <= set(MODULES)
    assert "dlcourse._core.optim" in CORE_MODULES and "dlcourse.plots" not in CORE_MODULES


def _leaked(names: set[str]) -> set[str]:
    """Names that are an answer once their leading underscores are dropped."""
    answers = _answer_names()
    return {n for n in names if n.lstrip("_") in answers} | {
        n for n in names if n.lstrip("_").endswith(("_forward", "_backward"))
    }


@pytest.mark.parametrize("module_name", CORE_MODULES)
def test_no_name_in_the_core_is_an_exercise_answer(module_name):
    module = importlib.import_module(module_name)
    leaked = _leaked({name for name in dir(module) if not name.startswith("__")})
    assert not leaked, f"{module_name} defines exercise answers: {sorted(leaked)}"


def test_the_core_check_can_fail():
    assert _leaked({"_softmax", "sgd_step", "relu_forward", "log_softmax"}) == {
        "_softmax",
        "sgd_step",
        "relu_forward",
    }


# Releases that hand students an earlier week's answers in a read-only cell (their training
# runs need them): the README tells instructors to release these only after that week's
# deadline. A new one must be added here and to the README.
EARLIER_ANSWERS = {
    "week05_training": {"minibatches": "week04_optimizers", "adam_step": "week04_optimizers"},
    "week07_autoencoders": {"adam_step": "week04_optimizers"},
}


def _earlier_answers_in_releases() -> dict[str, dict[str, str]]:
    """{release: {function: the assignment that grades it}} for earlier weeks' answers that a
    release defines outside its answer cells."""
    graded: dict[str, str] = {}
    for nb_path in sorted((REPO / "solutions").glob("*/*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        for cell in nb.cells:
            if notebooks.is_answer_cell(cell):
                graded.setdefault(notebooks.grade_id(cell), nb_path.parent.name)
    found: dict[str, dict[str, str]] = {}
    for nb_path in sorted((REPO / "exercises").glob("*/*.ipynb")):
        release = nb_path.parent.name
        nb = nbformat.read(nb_path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code" or notebooks.is_answer_cell(cell):
                continue
            for name in prepare.defined_functions(cell):
                if graded.get(name, release) < release:
                    found.setdefault(release, {})[name] = graded[name]
    return found


def test_only_the_listed_releases_carry_an_earlier_weeks_answers():
    assert _earlier_answers_in_releases() == EARLIER_ANSWERS
    readme = (REPO / "README.md").read_text()
    for release, functions in EARLIER_ANSWERS.items():
        assert release in readme and all(f"`{f}`" in readme for f in functions)
