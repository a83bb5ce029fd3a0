"""Generic hints never mislead: realistic mistakes run through the assignments' real test cells.

The four wrong implementations below were reported (issue 21) to get a generic hint that
named a cause they do not have, such as "every entry is 0.188406x the expected one: a scaling
factor (such as 1/m) is off" for a cost of absolute errors. Each is run here, in-process, through
the test cell of its function in the week's source notebook (visible and hidden tests), after the
notebook's setup cell and the solution's answer cells: the cell must fail, and its message must
not carry a generic hint (:data:`dlcourse.testing.GENERIC_HINT_MARK`).

The unit tests at the end pin the rule itself on :func:`dlcourse.testing.assert_close`: several
entries sharing one simple factor get a hint; one number, a ratio of 0 or an arbitrary ratio
get none.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder import notebooks
from dlcourse.testing import GENERIC_HINT_MARK, assert_close

REPO = Path(__file__).resolve().parent.parent
WEEK1 = REPO / "solutions" / "week01_linear_regression" / "linear_regression.ipynb"
WEEK4 = REPO / "solutions" / "week04_optimizers" / "optimizers.ipynb"


def _cell(nb: nbformat.NotebookNode, grade_id: str) -> str:
    return next(c.source for c in nb.cells if notebooks.grade_id(c) == grade_id)


def failure_of(source: Path, function: str, code: str) -> str:
    """The message with which ``test_<function>`` fails when ``function`` is ``code``.

    The setup cell (without its ``%matplotlib`` line) and every answer cell of the solution run
    first, in one namespace; then ``code`` replaces the function and its test cell runs.
    """
    nb = nbformat.read(source, as_version=4)
    setup = "\n".join(line for line in _cell(nb, "setup").splitlines() if not line.startswith("%"))
    namespace: dict = {}
    exec(setup, namespace)
    for answer in notebooks.solution_answers(source).values():
        exec(answer, namespace)
    exec(textwrap.dedent(code), namespace)
    with pytest.raises(AssertionError) as failure:
        exec(_cell(nb, f"test_{function}"), namespace)
    return str(failure.value)


REPORTED = {
    "linear_cost-absolute-errors": (
        WEEK1,
        "linear_cost",
        """
        def linear_cost(X, y, w, b):
            return np.sum(np.abs(linear_predict(X, w, b) - y)) / (2 * len(y))
        """,
    ),
    "gradient_descent-one-step-too-few": (
        WEEK1,
        "gradient_descent",
        """
        def gradient_descent(X, y, w, b, lr, num_iters):
            costs = [linear_cost(X, y, w, b)]
            for _ in range(num_iters - 1):
                dw, db = linear_gradients(X, y, w, b)
                w, b = w - lr * dw, b - lr * db
                costs.append(linear_cost(X, y, w, b))
            return w, b, costs
        """,
    ),
    "gradient_descent-never-updates-b": (
        WEEK1,
        "gradient_descent",
        """
        def gradient_descent(X, y, w, b, lr, num_iters):
            costs = []
            for _ in range(num_iters):
                dw, db = linear_gradients(X, y, w, b)
                w = w - lr * dw
                costs.append(linear_cost(X, y, w, b))
            return w, b, costs
        """,
    ),
    "momentum_step-velocity-before-update": (
        WEEK4,
        "momentum_step",
        """
        def momentum_step(w, dw, state, lr=1e-3, beta=0.9, nesterov=False):
            if "v" not in state:
                state["v"] = dw.copy()
                return w - lr * (dw + beta * dw if nesterov else dw)
            v = state["v"]
            state["v"] = beta * v + dw
            return w - lr * (dw + beta * v if nesterov else state["v"])
        """,
    ),
}


@pytest.mark.parametrize("case", sorted(REPORTED))
def test_reported_mistakes_get_no_misleading_generic_hint(case):
    source, function, code = REPORTED[case]
    message = failure_of(source, function, code)
    assert f"{function}" in message and "expected" in message, message
    assert GENERIC_HINT_MARK not in message, f"a generic hint that names no real cause:{message}"


def _hint(got, expected) -> str:
    with pytest.raises(AssertionError) as failure:
        assert_close(np.asarray(got, dtype=float), expected, name="f")
    message = str(failure.value)
    return message.split("Hint: ", 1)[1] if "Hint: " in message else ""


@pytest.mark.parametrize("factor", [2.0, 0.5, -1.0, 0.188406, 0.55, 0.833024, 1.5, 0.0])
def test_a_single_number_never_gets_a_generic_hint(factor):
    assert _hint(factor * 0.75, 0.75) == ""
    assert _hint([factor * 0.75], np.array([0.75])) == ""


@pytest.mark.parametrize("factor", [0.0, 0.188406, 0.55, 0.833024, 1.5, -0.7, 2.5, 1e6])
def test_an_arbitrary_or_zero_ratio_gets_no_generic_hint(factor):
    expected = np.array([1.0, -2.0, 0.5, 4.0])
    assert _hint(factor * expected, expected) == ""


@pytest.mark.parametrize(
    ("factor", "fragment"),
    [
        (2.0, "exactly 2x"),
        (0.5, "exactly half"),
        (-1.0, "wrong sign"),
        (20.0, "20x the expected one: a scaling factor"),
        (1 / 20, "1/20 of the expected one"),
        (-3.0, "3x the expected one and the sign is flipped"),
        (-1 / 4, "1/4 of the expected one and the sign is flipped"),
    ],
)
def test_several_entries_sharing_a_simple_factor_get_its_hint(factor, fragment):
    expected = np.array([1.0, -2.0, 0.0, 4.0])
    hint = _hint(factor * expected, expected)
    assert fragment in hint and GENERIC_HINT_MARK in hint


def test_one_nonzero_entry_among_zeros_is_a_single_number():
    expected = np.array([0.0, 3.0, 0.0])
    assert _hint(2 * expected, expected) == ""


def test_a_factor_must_hold_where_the_expected_entry_is_zero():
    expected = np.array([1.0, 2.0, 0.0])
    assert _hint([2.0, 4.0, 1.0], expected) == ""


def test_the_transpose_hint_is_generic():
    expected = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert GENERIC_HINT_MARK in _hint(expected.T, expected)
