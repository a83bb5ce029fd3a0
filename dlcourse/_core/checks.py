"""Argument checks shared by every public module: one TypeError or ValueError that says what to
pass instead, never a silent wrong answer."""

from __future__ import annotations

import numbers
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike


def is_int(value: object) -> bool:
    """True for Python and NumPy integers, False for bool (and everything else)."""
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def is_real(value: object) -> bool:
    """True for Python and NumPy real numbers, False for bool (and everything else)."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def check_int(value: object, name: str, low: int | None = None, high: int | None = None) -> int:
    """``value`` as an int with ``low <= value <= high`` (either bound optional).

    ``low = 1`` without ``high`` reads "a positive integer" in the messages.

    Raises
    ------
    TypeError
        Unless ``value`` is an integer (a bool is not).
    ValueError
        When it lies outside the bounds.
    """
    positive = low == 1 and high is None
    if not is_int(value):
        kind = "a positive integer" if positive else "an integer"
        raise TypeError(f"{name} must be {kind}, got {value!r} ({type(value).__name__})")
    if _outside(value, low, high):
        bounds = "be a positive integer" if positive else _bounds(low, high, "be", "d")
        raise ValueError(f"{name} must {bounds}, got {value}")
    return int(value)


def check_real(
    value: object,
    name: str,
    low: float | None = None,
    high: float | None = None,
    *,
    note: str = "",
    hint: str = "",
) -> float:
    """``value`` as a finite float, optionally with ``low <= value <= high``.

    A one-element array counts as its number. ``note`` follows the bounds in the range message
    (e.g. " (the slider's range)"); ``hint`` follows the message for a non-finite value.

    Raises
    ------
    TypeError
        Unless ``value`` is a real number (a bool is not).
    ValueError
        For NaN, an infinity, or a value outside the bounds.
    """
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(()).item()
    if not is_real(value):
        item = (
            ""
            if value is None or isinstance(value, (str, bytes, bool, np.bool_))
            else f"; for a one-element array or tensor pass {name}.item()"
        )
        raise TypeError(
            f"{name} must be a real number, got {value!r} ({type(value).__name__}){item}"
        )
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}{hint}")
    value = float(value)
    if _outside(value, low, high):
        raise ValueError(f"{name} must {_bounds(low, high, 'lie', 'g')}{note}, got {value:g}")
    return value


def _outside(value: float, low: float | None, high: float | None) -> bool:
    return (low is not None and value < low) or (high is not None and value > high)


def _bounds(low: float | None, high: float | None, verb: str, spec: str) -> str:
    """The bounds in words: "be at least 2", "be at most 5" or "<verb> between 1 and 9"."""
    if high is None:
        return f"be at least {low:{spec}}"
    if low is None:
        return f"be at most {high:{spec}}"
    return f"{verb} between {low:{spec}} and {high:{spec}}"


def check_bool(value: object, name: str) -> bool:
    """``value`` as a bool, or TypeError unless it is True or False (NumPy's too)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_text(value: object, name: str) -> str:
    """``value`` if it is a string, else TypeError."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__} {value!r}")
    return value


def check_choice(value: object, name: str, choices: tuple[str, ...]) -> str:
    """``value`` if it is one of ``choices``, else TypeError/ValueError listing them."""
    listed = ", ".join(repr(choice) for choice in choices)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, one of {listed}; got {value!r}")
    if value not in choices:
        raise ValueError(f"unknown {name} {value!r}; choose one of {listed}")
    return value


def check_callable(value: object, name: str, contract: str) -> Callable:
    """``value`` if it can be called, else TypeError giving the ``contract`` it must keep."""
    if not callable(value):
        raise TypeError(f"{name} must be a function {contract}, got {describe(value)}")
    return value


def as_float_array(values: ArrayLike, name: str) -> np.ndarray:
    """``values`` as a float64 array, or TypeError saying it must be numeric."""
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be a numeric array (float64 NumPy array), got {type(values).__name__}"
        ) from None
    return array


def describe(value: object) -> str:
    """A short description of a value (what a function gave back), for error messages."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 60 else text[:57] + '...'}"
