"""Numerical gradients and a gradient checker with readable failure messages.

Use these to test a hand-written backward pass: compute the gradient analytically, then let
:func:`check_gradient` compare it with central differences

    df/dx_i ~= (f(x + h e_i) - f(x - h e_i)) / (2h)

entry by entry. The comparison uses the relative error
``|a - b| / max(1e-8, |a| + |b|)``, so it means the same thing for large and small gradients.
The gradient checks floor the denominator at a tenth of the gradient's overall scale, so
entries whose true value is ~0 (where central differences give pure rounding noise) do not
cause false alarms; see :func:`check_gradient`.

Contents
--------
numerical_gradient        gradient of a scalar function f(x), any shape of x
numerical_gradient_array  gradient of sum(f(x) * dout) for a layer with array output
rel_error                 maximum relative error between two arrays
check_gradient            compare an analytic gradient of a scalar function, raise if wrong
check_gradient_array      the same for a layer function with upstream gradient dout
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlcourse._core.checks import is_real

__all__ = [
    "DEFAULT_TOL",
    "check_gradient",
    "check_gradient_array",
    "numerical_gradient",
    "numerical_gradient_array",
    "rel_error",
]

DEFAULT_TOL: float = 1e-7
"""Default tolerance on the maximum relative error in check_gradient(_array)."""

_REL_ERROR_FLOOR = 1e-8
_SCALE_FLOOR_DIVISOR = 10.0


# ---------------------------------------------------------------------------------------------
# Input validation
# ---------------------------------------------------------------------------------------------


def _check_float_array(x: object, name: str = "x") -> None:
    """Raise unless ``x`` is a writeable floating-point NumPy array."""
    if not isinstance(x, np.ndarray):
        raise TypeError(
            f"{name} must be a NumPy float array, got {type(x).__name__}; "
            f"convert it with np.asarray({name}, dtype=float)"
        )
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(
            f"{name} must be a float array, got dtype {x.dtype}: the small steps h would be "
            f"lost in an integer array; convert it with {name}.astype(float)"
        )
    if not x.flags.writeable:
        raise ValueError(
            f"{name} must be writeable (it is changed temporarily and restored); pass {name}.copy()"
        )


def _check_step(h: object) -> float:
    """Return the finite-difference step as a float, or raise if it is not positive."""
    if not is_real(h):
        raise TypeError(f"h must be a positive number, got {h!r} ({type(h).__name__})")
    if not np.isfinite(h) or h <= 0:
        raise ValueError(f"h must be a positive number (e.g. 1e-5), got {h}")
    return float(h)


def _scalar_output(value: object) -> float:
    """Return f's output as a float, or raise if it is not a scalar."""
    shape = np.shape(value)
    if shape != ():
        raise ValueError(
            f"f must return a scalar (e.g. the loss), but it returned an array of shape {shape}; "
            "for a layer with array output use numerical_gradient_array"
        )
    return float(value)  # type: ignore[arg-type]


def _check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Raise a ValueError naming both shapes unless ``a`` and ``b`` have the same shape."""
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape, got {name_a} with shape {a.shape} "
            f"and {name_b} with shape {b.shape}"
        )


# ---------------------------------------------------------------------------------------------
# Numerical gradients
# ---------------------------------------------------------------------------------------------


def _central_differences(
    evaluate: Callable[[np.ndarray], float], x: np.ndarray, h: float
) -> np.ndarray:
    """Central differences of a scalar ``evaluate(x)`` for every entry of ``x``.

    Each entry of ``x`` is changed in place and always restored to its exact original value,
    even if ``evaluate`` raises.

    Returns
    -------
    grad : np.ndarray of float64, same shape as x
    """
    grad = np.zeros(x.shape, dtype=np.float64)
    for index in np.ndindex(x.shape):
        original = x[index]
        try:
            x[index] = original + h
            f_plus = evaluate(x)
            x[index] = original - h
            f_minus = evaluate(x)
        finally:
            x[index] = original
        grad[index] = (f_plus - f_minus) / (2.0 * h)
    return grad


def numerical_gradient(
    f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5
) -> np.ndarray:
    """Gradient of a scalar function by central differences.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns a scalar (a Python float or a 0-d array), e.g. a loss.
    x : np.ndarray of float, any shape
        The point to differentiate at. It is modified in place during the computation and
        always restored exactly afterwards (even if ``f`` raises).
    h : float, default 1e-5
        Step size.

    Returns
    -------
    grad : np.ndarray of float64, same shape as x
        ``grad[i] = (f(x + h e_i) - f(x - h e_i)) / (2h)``.
    """
    _check_float_array(x)
    h = _check_step(h)
    return _central_differences(lambda z: _scalar_output(f(z)), x, h)


def numerical_gradient_array(
    f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, dout: np.ndarray, h: float = 1e-5
) -> np.ndarray:
    """Gradient of ``sum(f(x) * dout)`` by central differences, for layers with array output.

    This is what a layer's backward pass computes: ``dout`` is the upstream gradient
    dL/d(output) and the result is dL/dx.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns an array (the layer's output), e.g. of shape (m, k).
    x : np.ndarray of float, any shape
        The layer input. Modified in place during the computation and always restored
        exactly afterwards (even if ``f`` raises).
    dout : np.ndarray, same shape as f(x)
        Upstream gradient.
    h : float, default 1e-5
        Step size.

    Returns
    -------
    grad : np.ndarray of float64, same shape as x
        ``grad[i] = sum((f(x + h e_i) - f(x - h e_i)) * dout) / (2h)``.
    """
    _check_float_array(x)
    h = _check_step(h)
    dout = np.asarray(dout, dtype=np.float64)
    out = np.asarray(f(x))
    _check_same_shape(dout, out, "dout", "f(x)")

    def weighted_output(z: np.ndarray) -> float:
        # Sum right away: f may return a view of z or reuse a buffer between calls.
        return float(np.sum(np.asarray(f(z), dtype=np.float64) * dout))

    return _central_differences(weighted_output, x, h)


# ---------------------------------------------------------------------------------------------
# Comparing gradients
# ---------------------------------------------------------------------------------------------


def _elementwise_rel_error(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``|a - b| / max(1e-8, |a| + |b|)`` entry by entry, same shape as a and b."""
    return np.abs(a - b) / np.maximum(_REL_ERROR_FLOOR, np.abs(a) + np.abs(b))


def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    """Maximum relative error between two arrays of the same shape.

    Parameters
    ----------
    a, b : array_like, same shape
        E.g. a numerical and an analytic gradient.

    Returns
    -------
    error : float
        ``max |a - b| / max(1e-8, |a| + |b|)`` over all entries (0.0 for empty arrays).
        Around 1e-7 or less means the arrays agree to about 7 significant digits.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    _check_same_shape(a, b, "a", "b")
    if a.size == 0:
        return 0.0
    return float(np.max(_elementwise_rel_error(a, b)))


def _gradient_check_errors(numeric: np.ndarray, analytic: np.ndarray) -> np.ndarray:
    """Per-entry errors used by the gradient checks, same shape as the inputs.

    ``|a - b| / max(1e-8, |a| + |b|, scale / 10)`` with ``scale = max(|a| + |b|)`` over the
    whole array: the relative error of :func:`rel_error`, except that the denominator never
    drops below a tenth of the gradient's overall scale. Where the true gradient is ~0,
    central differences return only rounding noise (observed: up to ~1e-9 times the scale), so
    a plain relative error there would raise false alarms for correct gradients.
    """
    magnitude = np.abs(numeric) + np.abs(analytic)
    floor = max(_REL_ERROR_FLOOR, float(np.max(magnitude)) / _SCALE_FLOOR_DIVISOR)
    return np.abs(numeric - analytic) / np.maximum(floor, magnitude)


def _compare_gradients(numeric: np.ndarray, analytic: np.ndarray, tol: float, name: str) -> float:
    """Return the max error (see _gradient_check_errors), or raise AssertionError if > tol."""
    if numeric.size == 0:
        return 0.0
    errors = _gradient_check_errors(numeric, analytic)
    mismatched = ~(errors <= tol)  # NaN counts as a mismatch
    if not np.any(mismatched):
        return float(np.max(errors))
    # argmax returns the first NaN if there is one, so NaN counts as the worst entry.
    worst_flat = int(np.argmax(errors))
    worst_index = tuple(int(i) for i in np.unravel_index(worst_flat, numeric.shape))
    worst_error = float(errors[worst_index])
    raise AssertionError(
        f"{name} check failed: worst entry at index {worst_index}: "
        f"numerical={numeric[worst_index]:.10g}, analytic={analytic[worst_index]:.10g}, "
        f"relative error={worst_error:.3e}. "
        f"Max relative error {worst_error:.3e} > tol={tol:.1e}; "
        f"{int(np.count_nonzero(mismatched))} of {numeric.size} entries exceed tol."
    )


def _check_tol(tol: object) -> float:
    """Return the tolerance as a float, or raise if it is not a positive number."""
    if not is_real(tol):
        raise TypeError(f"tol must be a positive number, got {tol!r} ({type(tol).__name__})")
    if not tol > 0:
        raise ValueError(f"tol must be a positive number (e.g. 1e-7), got {tol}")
    return float(tol)


def _as_analytic(analytic: object, x: np.ndarray, name: str) -> np.ndarray:
    """The analytic gradient as a float64 array, checked to have the shape of ``x``."""
    analytic = np.asarray(analytic, dtype=np.float64)
    _check_same_shape(analytic, x, f"analytic {name}", "x")
    return analytic


def check_gradient(
    f: Callable[[np.ndarray], float],
    x: np.ndarray,
    analytic: np.ndarray,
    *,
    h: float = 1e-5,
    tol: float = DEFAULT_TOL,
    name: str = "gradient",
) -> float:
    """Compare an analytic gradient of a scalar function with the numerical one.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns a scalar, e.g. a loss.
    x : np.ndarray of float, any shape
        The point to check at (restored exactly afterwards).
    analytic : array_like, same shape as x
        Your gradient df/dx at x.
    h : float, default 1e-5
        Step size for the central differences.
    tol : float, default 1e-7
        Largest acceptable relative error of an entry. It is ``|a - b| / max(1e-8, |a| + |b|)``
        as in :func:`rel_error`, except that the denominator is at least a tenth of the
        gradient's scale ``max(|a| + |b|)``: where the true gradient is ~0, central
        differences return only rounding noise, and a plain relative error there would fail
        correct gradients.
    name : str, default "gradient"
        What is being checked (e.g. "dW"), used in the failure message.

    Returns
    -------
    max_rel_error : float
        The maximum relative error (as defined for tol) over all entries, <= tol.

    Raises
    ------
    AssertionError
        If any entry's relative error exceeds tol (NaN always does). The message gives the
        worst entry's index, both values and its relative error, and how many entries
        exceed tol.
    """
    _check_float_array(x)
    analytic = _as_analytic(analytic, x, name)
    tol = _check_tol(tol)
    numeric = numerical_gradient(f, x, h)
    return _compare_gradients(numeric, analytic, tol, name)


def check_gradient_array(
    f: Callable[[np.ndarray], np.ndarray],
    x: np.ndarray,
    dout: np.ndarray,
    analytic: np.ndarray,
    *,
    h: float = 1e-5,
    tol: float = DEFAULT_TOL,
    name: str = "gradient",
) -> float:
    """Compare a layer's analytic backward pass with the numerical gradient.

    Like :func:`check_gradient`, but for ``f`` with array output: the numerical gradient is
    that of ``sum(f(x) * dout)`` (see :func:`numerical_gradient_array`).

    Parameters
    ----------
    f : callable
        ``f(x)`` returns an array, the layer's output.
    x : np.ndarray of float, any shape
        The layer input (restored exactly afterwards).
    dout : np.ndarray, same shape as f(x)
        Upstream gradient.
    analytic : array_like, same shape as x
        Your backward pass's dx for this dout.
    h, tol, name
        As in :func:`check_gradient`.

    Returns
    -------
    max_rel_error : float
        As in :func:`check_gradient`.

    Raises
    ------
    AssertionError
        As in :func:`check_gradient`.
    """
    _check_float_array(x)
    analytic = _as_analytic(analytic, x, name)
    tol = _check_tol(tol)
    numeric = numerical_gradient_array(f, x, dout, h)
    return _compare_gradients(numeric, analytic, tol, name)
