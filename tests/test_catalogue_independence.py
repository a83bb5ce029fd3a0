"""The catalogue's INDEPENDENT declarations, checked against the solution notebooks.

``INDEPENDENT`` states that a function's test stands alone: no mistake elsewhere can cost it
its points, and no mistake in it can cost another function its points. (Which mistakes CI
submits together, in test_autograding.py, follows the dependencies read by
``autograder.catalogue.dependencies``, which the last tests here check too.) A function ``f``
qualifies when

(a) its test cell uses nothing but ``f`` (and what its own answer cell defines), the setup
    cell, builtins and what the cell defines itself: no other graded function, and no name
    defined in another test cell or in any other cell of the notebook; and
(b) no other graded function uses it: neither the solution in that function's answer cell
    nor that function's test cell; and
(c) its catalogued wrong variants use no other independent function (whose wrong variants
    share their batch: a variant could lose its points for the other's mistake, proving
    nothing about its own), and none of its variants defines another graded function.

Whether a name is "used" is read with :mod:`symtable` from each cell's code (IPython magics
turned into Python first), including the names that functions and comprehensions defined in
the cell read from the notebook's namespace.

Independently of the declarations, no test cell may use a name that only another test cell
defines: the grader runs every test cell in a copy of the notebook's namespace
(``autograder.grading.prepare._isolated``), so such a name is undefined when grading.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder import catalogue, course
from autograder.catalogue.dependencies import (
    Cell,
    assignment_cells,
    batches,
    cells_of,
    depends_on,
    graded_functions,
    names_of,
)

REPO = course.REPO_ROOT
ASSIGNMENTS = course.assignments(REPO)


def _definers(cells: list[Cell]) -> dict[str, list[Cell]]:
    where: dict[str, list[Cell]] = {}
    for cell in cells:
        for name in cell.defines:
            where.setdefault(name, []).append(cell)
    return where


def independence_problems(cells: list[Cell], independent: set[str] | frozenset[str]) -> list[str]:
    """Why each function declared independent is not, one sentence per offending name."""
    problems = []
    graded = graded_functions(cells)
    answers = {c.grade_id: c for c in cells if c.kind == "answer"}
    tests = {c.grade_id.removeprefix("test_"): c for c in cells if c.kind == "test"}
    setup = set().union(*(c.defines for c in cells if c.kind == "setup"))
    definers = _definers(cells)
    for function in sorted(independent):
        if function not in graded:
            problems.append(f"{function} is declared INDEPENDENT but has no test cell")
            continue
        own = answers[function].defines if function in answers else {function}
        for name in sorted(tests[function].uses - own - setup):
            where = [c for c in definers.get(name, []) if c is not tests[function]]
            source = ", ".join(c.label for c in where) or "no cell"
            problems.append(
                f"{function} is declared INDEPENDENT but its test cell test_{function} uses "
                f"`{name}`, defined in {source}; a test may use only its own function, the "
                "setup cell and dlcourse"
            )
        for other in sorted(graded - {function}):
            for cell in (answers.get(other), tests[other]):
                used = sorted(cell.uses & own) if cell else []
                if used:
                    problems.append(
                        f"{function} is declared INDEPENDENT but {cell.label} (of {other}) "
                        f"uses `{'`, `'.join(used)}`: a batched mistake in {function} would "
                        f"cost {other} its points"
                    )
    return problems


def variant_problems(
    variants: list[catalogue.Variant], cells: list[Cell], independent: set[str] | frozenset[str]
) -> list[str]:
    """Why the catalogued variants of an independent function cannot share a batch."""
    problems = []
    graded = graded_functions(cells)
    for variant in variants:
        if variant.function not in independent:
            continue
        defines, uses = names_of(variant.code)
        others = set() if variant.correct else set(independent) - {variant.function}
        for name in sorted(uses & others):
            problems.append(
                f"{variant.function} is declared INDEPENDENT but its variant {variant.slug!r} "
                f"uses `{name}`, also independent: batched with a wrong {name}, it could lose "
                "its points for the other's mistake"
            )
        for name in sorted(defines & (graded - {variant.function})):
            problems.append(
                f"{variant.function} is declared INDEPENDENT but its variant {variant.slug!r} "
                f"defines `{name}`, another graded function"
            )
    return problems


def borrowed_test_names(cells: list[Cell]) -> list[str]:
    """Names a test cell uses that only other test cells define (undefined when grading)."""
    problems = []
    definers = _definers(cells)
    for cell in cells:
        if cell.kind != "test":
            continue
        for name in sorted(cell.uses):
            where = definers.get(name, [])
            if where and all(c.kind == "test" for c in where):
                problems.append(
                    f"{cell.label} uses `{name}`, which only "
                    f"{', '.join(c.label for c in where)} defines; each test cell runs in a "
                    "namespace of its own, so move it to the setup cell or dlcourse.testing"
                )
    return problems


# ------------------------------------------------------------------ the course


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_functions_declared_independent_depend_on_no_other_graded_function(assignment):
    problems = independence_problems(
        assignment_cells(assignment), catalogue.independent(assignment)
    )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_variants_of_independent_functions_can_share_a_batch(assignment):
    problems = variant_problems(
        catalogue.load(assignment), assignment_cells(assignment), catalogue.independent(assignment)
    )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_test_cell_uses_a_name_only_another_test_cell_defines(assignment):
    problems = borrowed_test_names(assignment_cells(assignment))
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------ the check itself


def _answer(function: str, source: str) -> nbformat.NotebookNode:
    meta = {"grade_id": function, "solution": True, "grade": False, "locked": False}
    return new_code_cell(source, metadata={"nbgrader": meta})


def _test(function: str, source: str) -> nbformat.NotebookNode:
    meta = {"grade_id": f"test_{function}", "solution": False, "grade": True, "points": 1}
    return new_code_cell(source, metadata={"nbgrader": meta | {"locked": True}})


def _setup(source: str) -> nbformat.NotebookNode:
    meta = {"grade_id": "setup", "solution": False, "grade": False, "locked": True}
    return new_code_cell(source, metadata={"nbgrader": meta})


SETUP = "%matplotlib inline\n!echo hello\nimport numpy as np\nfrom math import sqrt\n"
PREDICT = "def predict(X, w):\n    return X @ w\n"
COST = "def cost(X, y, w):\n    return float(np.mean((X @ w - y) ** 2))\n"
COST_VIA_PREDICT = "def cost(X, y, w):\n    return float(np.mean((predict(X, w) - y) ** 2))\n"
CHECK_PREDICT = "def check(f):\n    assert f(np.eye(1), np.ones(1)) == 1\ncheck(predict)\n"


def _predict_cells() -> tuple[nbformat.NotebookNode, nbformat.NotebookNode]:
    """A graded function ``predict`` whose test uses nothing but predict."""
    return _answer("predict", PREDICT), _test("predict", "assert predict(np.eye(1), [1]) == 1\n")


def _cells(*cells: nbformat.NotebookNode) -> list[Cell]:
    return cells_of(new_notebook(cells=[_setup(SETUP), *cells]))


def test_a_clean_notebook_passes_and_magics_are_understood():
    cells = _cells(
        _answer("predict", PREDICT),
        _test("predict", "X = np.eye(2)\nassert (predict(X, np.ones(2)) == 1).all()\n"),
        _answer("cost", COST),
        _test(
            "cost",
            "def reference_cost(X, y, w):\n    return sqrt(np.mean((X @ w - y) ** 2)) ** 2\n"
            "%precision 3\n"
            "got = cost(np.eye(2), np.ones(2), np.ones(2))\n"
            "assert got == reference_cost(np.eye(2), np.ones(2), np.ones(2))\n",
        ),
    )
    assert independence_problems(cells, {"predict", "cost"}) == []
    assert borrowed_test_names(cells) == []
    setup = next(c for c in cells if c.kind == "setup")
    assert {"np", "sqrt"} <= setup.defines and setup.uses == frozenset()


def test_a_test_calling_another_graded_function_fails_naming_both():
    cells = _cells(
        *_predict_cells(),
        _answer("cost", COST),
        _test("cost", "w = np.ones(2)\nassert cost(np.eye(2), predict(np.eye(2), w), w) == 0\n"),
    )
    (problem,) = independence_problems(cells, {"cost"})
    assert "cost is declared INDEPENDENT" in problem
    assert "test_cost uses `predict`, defined in the answer cell predict" in problem


def test_a_use_inside_a_function_or_comprehension_of_the_test_counts():
    cells = _cells(
        *_predict_cells(),
        _answer("cost", COST),
        _test(
            "cost",
            "def reference_cost(X, y, w):\n    return np.mean((predict(X, w) - y) ** 2)\n"
            "assert all(cost(X, X[0], X[0]) == reference_cost(X, X[0], X[0])"
            " for X in [np.eye(2)])\n",
        ),
    )
    (problem,) = independence_problems(cells, {"cost"})
    assert "test_cost uses `predict`" in problem


def test_a_helper_defined_in_another_test_cell_fails():
    cells = _cells(
        _answer("predict", PREDICT),
        _test("predict", CHECK_PREDICT),
        _answer("cost", COST),
        _test("cost", "check(lambda X, w: cost(X, X[0], w) + 1)\n"),
    )
    (problem,) = independence_problems(cells, {"cost"})
    assert "test_cost uses `check`, defined in the test cell test_predict" in problem
    (borrowed,) = borrowed_test_names(cells)
    assert "the test cell test_cost uses `check`, which only the test cell test_predict" in borrowed


def test_a_function_another_solution_uses_is_not_independent():
    cells = _cells(
        *_predict_cells(),
        _answer("cost", COST_VIA_PREDICT),
        _test("cost", "assert cost(np.eye(1), np.ones(1), np.ones(1)) == 0\n"),
    )
    (problem,) = independence_problems(cells, {"predict"})
    assert "predict is declared INDEPENDENT but the answer cell cost (of cost) uses `predict`" in (
        problem
    )
    assert independence_problems(cells, {"cost"}) == []  # cost's own solution may use predict


def test_a_function_another_test_uses_is_not_independent():
    cells = _cells(
        *_predict_cells(),
        _answer("cost", COST),
        _test("cost", "assert cost(np.eye(1), predict(np.eye(1), np.ones(1)), np.ones(1)) == 0\n"),
    )
    problems = independence_problems(cells, {"predict"})
    assert problems == [
        "predict is declared INDEPENDENT but the test cell test_cost (of cost) uses `predict`: "
        "a batched mistake in predict would cost cost its points"
    ]


def test_a_name_from_a_plain_cell_or_no_cell_fails_and_a_typo_in_the_declaration_too():
    cells = _cells(
        _answer("predict", PREDICT),
        new_code_cell("X_demo = np.eye(3)\n"),
        _test("predict", "assert predict(X_demo, np.ones(3)).sum() == undefined_name\n"),
    )
    problems = independence_problems(cells, {"predict", "pridect"})
    assert len(problems) == 3, problems
    assert "uses `X_demo`, defined in the cell (no grade id)" in problems[0]
    assert "uses `undefined_name`, defined in no cell" in problems[1]
    assert problems[2] == "pridect is declared INDEPENDENT but has no test cell"
    assert borrowed_test_names(cells) == []  # a plain cell's names do reach the test


def test_a_variant_using_or_redefining_another_function_cannot_share_a_batch():
    cells = _cells(
        *_predict_cells(),
        _answer("cost", COST),
        _test("cost", "assert cost(np.eye(1), np.ones(1), np.ones(1)) == 0\n"),
    )
    uses = catalogue.wrong("cost", "via-predict", "-", COST_VIA_PREDICT)
    redefines = catalogue.wrong("cost", "both", "-", COST + PREDICT)
    alone = catalogue.wrong("predict", "minus", "-", "def predict(X, w):\n    return -X @ w\n")
    # correct alternatives are batched with correct ones only: they may use predict
    right = catalogue.correct("cost", "ok", "-", COST_VIA_PREDICT)
    problems = variant_problems([uses, redefines, alone, right], cells, {"predict", "cost"})
    assert problems == [
        "cost is declared INDEPENDENT but its variant 'via-predict' uses `predict`, also "
        "independent: batched with a wrong predict, it could lose its points for the other's "
        "mistake",
        "cost is declared INDEPENDENT but its variant 'both' defines `predict`, another graded "
        "function",
    ]
    assert variant_problems([uses, redefines, alone], cells, {"predict"}) == []


def test_a_name_the_test_defines_itself_is_its_own():
    cells = _cells(
        _answer("predict", PREDICT),
        _test("predict", "for X in [np.eye(2)]:\n    assert predict(X, np.ones(2)).sum() == 2\n"),
        _answer("cost", COST),
        _test("cost", "X = np.eye(2)\nimport math\nassert math.isfinite(cost(X, X[0], X[0]))\n"),
    )
    assert independence_problems(cells, {"predict", "cost"}) == []


def test_the_course_notebooks_are_read():
    # Guards against a check that passes because it found nothing to check.
    cells = assignment_cells("week04_optimizers")
    test = next(c for c in cells if c.grade_id == "test_adam_step")
    assert "adam_step" in test.uses
    assert len(graded_functions(cells)) == 12
    assert Path(REPO / course.SOLUTIONS / "week04_optimizers").is_dir()


# ------------------------------------------------------------------ batching by dependencies


def test_dependencies_come_from_tests_solutions_and_variants_transitively():
    cells = _cells(
        *_predict_cells(),
        _answer("cost", COST_VIA_PREDICT),
        _test("cost", "assert cost(np.eye(1), np.ones(1), np.ones(1)) == 0\n"),
        _answer("fit", "def fit(X, y):\n    return np.zeros(X.shape[1])\n"),
        _test("fit", "assert fit(np.eye(1), np.ones(1)).shape == (1,)\n"),
        _answer("score", "def score(X, y):\n    return 0.0\n"),
        _test("score", "assert score(np.eye(1), np.ones(1)) == 0\n"),
    )
    via_cost = catalogue.wrong("fit", "cost", "-", "def fit(X, y):\n    return cost(X, y, 0)\n")
    deps = depends_on(cells, [via_cost])
    assert deps == {
        "predict": frozenset(),
        "cost": {"predict"},  # its solution
        "fit": {"cost", "predict"},  # a variant uses cost, which uses predict
        "score": frozenset(),
    }


def test_batches_never_hold_a_function_with_one_it_depends_on():
    deps = {
        "predict": frozenset(),
        "cost": frozenset({"predict"}),
        "fit": frozenset({"cost", "predict"}),
        "score": frozenset(),
    }
    rounds = batches(deps, {"predict": 2, "cost": 3, "fit": 1, "score": 4})
    assert sorted(f for r in rounds for f in r) == sorted(
        ["predict"] * 2 + ["cost"] * 3 + ["fit"] + ["score"] * 4
    )
    for r in rounds:
        assert not any(g in deps[f] for f in r for g in r), r
    # predict, cost and fit each depend on the one before: 2 + 3 + 1 rounds, score beside them
    assert len(rounds) == 6 and sum("score" in r for r in rounds) == 4
