"""Assertion helpers for exercise tests, with messages written for students.

Every failure says which function was called, on which input, what was expected,
what came back and where the first wrong entry is. When the result matches a
known mistake (a value the test computed from a deliberately wrong formula, or a
generic slip such as a flipped sign or a factor of 2) the message adds a hint that
names the likely cause without giving the answer away.

Typical use in a test cell::

    from dlcourse.testing import assert_close, call_without_mutation, expect_tuple

    dw, db = expect_tuple(linear_gradients(X, y, w, b), ("dw", "db"), name="linear_gradients")
    assert_close(dw, dw_expected, name="linear_gradients: dw", inputs={"X": X, "y": y})
"""

from __future__ import annotations

import copy
import inspect
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

__all__ = [
    "assert_close",
    "call_without_mutation",
    "call_without_warnings",
    "expect_tuple",
    "format_value",
]

_GENERIC_FACTORS = {
    2.0: "every entry is exactly 2x the expected one: look for a factor of 2 "
    "(for example a missing 1/2 or a 2 that should have cancelled)",
    0.5: "every entry is exactly half the expected one: look for an extra factor of 1/2",
    -1.0: "every entry has the right size but the wrong sign: look for a flipped subtraction",
}


def format_value(value: Any, *, precision: int = 5) -> str:
    """Render a value compactly for an error message.

    Arrays show their shape and a summarised body; everything else uses ``repr``.
    """
    if isinstance(value, np.ndarray) or (
        isinstance(value, (list, tuple)) and value and _is_numeric_sequence(value)
    ):
        arr = np.asarray(value)
        body = np.array2string(
            arr, precision=precision, threshold=12, edgeitems=2, suppress_small=True
        )
        if arr.ndim == 0:
            return body
        body = " ".join(body.split())
        return f"array of shape {arr.shape}: {body}"
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.{precision + 2}g}"
    return repr(value)


def _is_numeric_sequence(value: Sequence[Any]) -> bool:
    try:
        return np.asarray(value).dtype.kind in "biuf"
    except (ValueError, TypeError):
        return False


def _format_inputs(name: str, inputs: Mapping[str, Any] | None) -> str:
    if not inputs:
        return ""
    lines = [f"  {key} = {format_value(val)}" for key, val in inputs.items()]
    return f"Called {name} with\n" + "\n".join(lines) + "\n"


def _fail(name: str, inputs: Mapping[str, Any] | None, problem: str, hint: str | None = None):
    message = f"\n{name}: {problem}\n{_format_inputs(name, inputs)}"
    if hint:
        message += f"Hint: {hint}\n"
    raise AssertionError(message)


def _as_float_array(got: Any, name: str, inputs: Mapping[str, Any] | None) -> np.ndarray:
    if got is None:
        _fail(name, inputs, "returned None.", "did you forget a `return` statement?")
    try:
        arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        _fail(name, inputs, f"returned {type(got).__name__} {got!r}, not numbers.")
    return arr


def _shape_hint(got: np.ndarray, expected: np.ndarray) -> str | None:
    if expected.ndim == 0:
        return (
            "the result should be a single number; did you forget to add up or average "
            "over the examples?"
        )
    if got.ndim == 0:
        return "the result should be an array, one entry per example or per parameter."
    if got.shape == expected.shape[::-1]:
        return "the shape is the transpose of the expected one: check which axis is which."
    if got.size == expected.size:
        return (
            f"the right number of entries in the wrong shape: a {got.shape} result where "
            f"{expected.shape} is expected usually means a column vector crept in; keep "
            "1-D arrays 1-D."
        )
    return None


def _value_hint(
    got: np.ndarray,
    expected: np.ndarray,
    mistakes: Mapping[str, Any] | None,
    rtol: float,
    atol: float,
) -> str | None:
    for description, wrong in (mistakes or {}).items():
        wrong_arr = np.asarray(wrong, dtype=float)
        if wrong_arr.shape == got.shape and np.allclose(got, wrong_arr, rtol=rtol, atol=atol):
            return description
    nonzero = np.abs(expected) > atol
    if nonzero.any():
        for factor, text in _GENERIC_FACTORS.items():
            if np.allclose(got, factor * expected, rtol=rtol, atol=atol):
                return text
        ratios = got[nonzero] / expected[nonzero]
        if np.allclose(ratios, ratios.flat[0], rtol=1e-9) and np.allclose(
            got[~nonzero], 0.0, atol=atol
        ):
            return (
                f"every entry is {ratios.flat[0]:.6g}x the expected one: a scaling factor "
                "(such as 1/m) is off."
            )
    if expected.ndim == 2 and expected.shape[0] == expected.shape[1] > 1:
        if np.allclose(got, expected.T, rtol=rtol, atol=atol):
            return "the result is the transpose of the expected one."
    return None


def assert_close(
    got: Any,
    expected: Any,
    *,
    name: str,
    inputs: Mapping[str, Any] | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    mistakes: Mapping[str, Any] | None = None,
) -> None:
    """Assert that a student's result equals the expected one up to a tolerance.

    Parameters
    ----------
    got : array_like or float
        What the student's function returned.
    expected : array_like or float
        The correct value. A scalar means the result must be a single number (a
        Python or NumPy float, or a 0-d array).
    name : str
        How to name the call in messages, e.g. ``"linear_cost"``.
    inputs : mapping, optional
        The arguments the function was called with, shown in the message.
    rtol, atol : float
        Tolerances as in :func:`numpy.isclose`.
    mistakes : mapping of str to array_like, optional
        Known wrong results for these inputs, keyed by a hint describing the mistake.
        If the result matches one of them, its hint is shown.

    Raises
    ------
    AssertionError
        With the inputs, expected and returned values, the first wrong entry and, where
        it can tell, the likely cause.
    """
    got_arr = _as_float_array(got, name, inputs)
    exp_arr = np.asarray(expected, dtype=float)
    if got_arr.shape != exp_arr.shape:
        _fail(
            name,
            inputs,
            f"returned shape {got_arr.shape}, expected shape {exp_arr.shape}.\n"
            f"  expected: {format_value(exp_arr)}\n  got:      {format_value(got_arr)}",
            _shape_hint(got_arr, exp_arr),
        )
    ok = np.isclose(got_arr, exp_arr, rtol=rtol, atol=atol, equal_nan=True)
    if ok.all():
        return
    first = tuple(int(i) for i in np.argwhere(~ok)[0])
    where = f"index {first}" if first else "the value"
    problem = (
        f"returned the wrong value ({int((~ok).sum())} of {ok.size} entries wrong).\n"
        f"  expected: {format_value(exp_arr)}\n"
        f"  got:      {format_value(got_arr)}\n"
        f"  first wrong entry: {where}, expected {format_value(exp_arr[first])}, "
        f"got {format_value(got_arr[first])}"
    )
    if not np.isfinite(got_arr).all() and np.isfinite(exp_arr).all():
        hint = "the result contains nan or inf: look for an overflow or a division by zero."
    else:
        hint = _value_hint(got_arr, exp_arr, mistakes, rtol, atol)
    _fail(name, inputs, problem, hint)


def expect_tuple(result: Any, names: Sequence[str], *, name: str) -> tuple:
    """Check that a function returned a tuple of ``len(names)`` values and return it.

    Parameters
    ----------
    result : Any
        What the function returned.
    names : sequence of str
        The names of the expected values, e.g. ``("dw", "db")``, used in the message.
    name : str
        The function's name, for the message.
    """
    wanted = ", ".join(names)
    if not isinstance(result, (tuple, list)) or len(result) != len(names):
        count = len(result) if isinstance(result, (tuple, list)) else 1
        raise AssertionError(
            f"\n{name}: should return {len(names)} values ({wanted}) as a tuple, "
            f"but returned {count}: {format_value(result)}\n"
            f"Hint: end the function with `return {wanted}`.\n"
        )
    return tuple(result)


def _first_change(old: Any, new: Any) -> str:
    """'  first changed entry: ...' line for two same-shape arrays, or '' otherwise."""
    old, new = np.asarray(old), np.asarray(new)
    if old.shape != new.shape or old.ndim == 0:
        return ""
    changed = np.argwhere(~((old == new) | ((old != old) & (new != new))))
    if changed.size == 0:
        return ""
    index = tuple(int(i) for i in changed[0])
    return f"  first changed entry: index {index}, {old[index]!r} became {new[index]!r}\n"


def call_without_mutation(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``func`` and fail if it changed any of its array or list arguments in place.

    Returns
    -------
    Any
        Whatever ``func`` returned.
    """
    name = getattr(func, "__name__", "the function")
    try:
        bound = inspect.signature(func).bind(*args, **kwargs)
        named = dict(bound.arguments)
    except (TypeError, ValueError):
        named = {f"argument {i + 1}": a for i, a in enumerate(args)} | kwargs
    before = {k: copy.deepcopy(v) for k, v in named.items() if isinstance(v, (np.ndarray, list))}
    result = func(*args, **kwargs)
    for key, old in before.items():
        new = named[key]
        same = (
            np.array_equal(np.asarray(old), np.asarray(new), equal_nan=True)
            if isinstance(old, np.ndarray)
            else old == new
        )
        if not same:
            raise AssertionError(
                f"\n{name}: changed its input `{key}` in place.\n"
                f"  before the call: {format_value(old)}\n"
                f"  after the call:  {format_value(new)}\n"
                f"{_first_change(old, new)}"
                "Hint: the caller's arrays must stay as they were; work on a copy "
                f"(e.g. `{key} = {key}.copy()`) or write `x = x - ...` instead of `x -= ...`.\n"
            )
    return result


def call_without_warnings(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``func`` like :func:`call_without_mutation`, and also fail if it warns.

    NumPy's floating-point problems (overflow in ``np.exp``, division by zero, invalid
    operations) are turned into failures that name the warning, so a test can insist that a
    function is numerically stable rather than merely right after the fact.

    Returns
    -------
    Any
        Whatever ``func`` returned.
    """
    name = getattr(func, "__name__", "the function")
    with warnings.catch_warnings(), np.errstate(over="warn", divide="warn", invalid="warn"):
        warnings.simplefilter("error")
        try:
            return call_without_mutation(func, *args, **kwargs)
        except Warning as warning:
            raise AssertionError(
                f"\n{name}: emitted a {type(warning).__name__}: {warning}\n"
                f"  inputs: {', '.join(format_value(a) for a in args)}\n"
                "Hint: an intermediate value overflowed or was undefined; rewrite the formula "
                "so that no step computes exp of a large positive number or divides by zero.\n"
            ) from None
