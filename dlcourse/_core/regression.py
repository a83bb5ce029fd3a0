"""One-feature linear regression for the week-1 figures and the learning-rate explorer: the
data checks, the cost J(w, b), the least-squares line and a recorded gradient-descent path.

Students write their own cost and gradient descent in the week-1 exercise; these are the
library's, never exported.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from dlcourse._core.checks import as_float_array

DIVERGENCE_FACTOR = 1e8
"""Gradient descent stops once the cost exceeds this multiple of the starting cost."""


def check_regression_data(X: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Validate a regression set and return it as float64 arrays.

    Returns
    -------
    X : np.ndarray of float64, shape (m, n)
    y : np.ndarray of float64, shape (m,)
    """
    X = as_float_array(X, "X")
    y = as_float_array(y, "y")
    if X.ndim != 2:
        hint = " Use X.reshape(-1, 1) for a single feature." if X.ndim == 1 else ""
        raise ValueError(
            f"X must be 2-D with examples in rows, shape (m, n); got shape {X.shape}.{hint}"
        )
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D with one target per example, shape (m,); got {y.shape}")
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X and y must have the same number of examples (rows): X has shape {X.shape}, "
            f"y has shape {y.shape}"
        )
    if X.shape[0] == 0:
        raise ValueError("X and y are empty: the plot needs at least one example")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(y))):
        raise ValueError("X and y must not contain NaN or infinite values")
    return X, y


def check_one_feature(X: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Like :func:`check_regression_data`, but X must have exactly one column, shape (m, 1)."""
    X, y = check_regression_data(X, y)
    if X.shape[1] != 1:
        raise ValueError(
            f"this picture needs exactly one feature, X of shape (m, 1), so that J depends only "
            f"on (w, b); got X with {X.shape[1]} columns, shape {X.shape}. Select one column, "
            "e.g. X[:, :1]"
        )
    return X, y


def cost_1d(x: np.ndarray, y: np.ndarray, w: float, b: float) -> float:
    """J(w, b) = 1/(2m) * sum((w*x + b - y)**2) for x, y of shape (m,)."""
    residual = w * x + b - y
    return float(0.5 * np.mean(residual**2))


def cost_grid(
    X: np.ndarray, y: np.ndarray, w_values: np.ndarray, b_values: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The cost J at every (w, b) of a grid, for a one-feature set.

    Parameters
    ----------
    X : np.ndarray, shape (m, 1)
    y : np.ndarray, shape (m,)
    w_values : np.ndarray, shape (p,)
    b_values : np.ndarray, shape (q,)

    Returns
    -------
    W, B, J : np.ndarray, each shape (q, p)
        ``J[i, j]`` is the cost at ``w = w_values[j], b = b_values[i]`` (meshgrid layout).
    """
    x = X[:, 0]
    W, B = np.meshgrid(w_values, b_values)
    # Expand the mean of (w x + b - y)^2 into sample moments: O(m + p q) instead of O(m p q).
    xx, x1, xy, y1, yy = np.mean(x * x), np.mean(x), np.mean(x * y), np.mean(y), np.mean(y * y)
    J = 0.5 * (W**2 * xx + 2 * W * B * x1 + B**2 - 2 * W * xy - 2 * B * y1 + yy)
    return W, B, np.maximum(J, 0.0)


def least_squares_line(X: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The (w, b) minimising J for a one-feature set X of shape (m, 1), via np.linalg.lstsq."""
    design = np.column_stack([X[:, 0], np.ones(len(y))])
    (w, b), *_ = np.linalg.lstsq(design, y, rcond=None)
    return float(w), float(b)


def gradient_descent_path(
    X: np.ndarray,
    y: np.ndarray,
    *,
    lr: float,
    num_iters: int,
    w0: float = 0.0,
    b0: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Batch gradient descent on J(w, b) for one feature, recording every step.

    Stops early, without warnings, when the cost becomes non-finite or exceeds
    ``DIVERGENCE_FACTOR`` times the starting cost (the step that overflowed is dropped).

    Parameters
    ----------
    X : np.ndarray, shape (m, 1)
    y : np.ndarray, shape (m,)
    lr : float
        Learning rate.
    num_iters : int
        Maximum number of updates.
    w0, b0 : float
        Starting point.

    Returns
    -------
    path : np.ndarray, shape (k + 1, 2)
        Rows (w, b): the start, then the point after each of the k updates made (k <= num_iters).
    costs : np.ndarray, shape (k,)
        The cost after each update.
    """
    x = X[:, 0]
    m = len(y)
    w, b = np.float64(w0), np.float64(b0)
    path, costs = [(w, b)], []
    with np.errstate(over="ignore", invalid="ignore"):
        residual = w * x + b - y
        cost_limit = DIVERGENCE_FACTOR * max(0.5 * np.mean(residual**2), np.finfo(float).tiny)
        for _ in range(num_iters):
            dw = residual @ x / m
            db = np.sum(residual) / m
            w, b = w - lr * dw, b - lr * db
            residual = w * x + b - y
            cost = 0.5 * np.mean(residual**2)
            if not (np.isfinite(cost) and np.isfinite(w) and np.isfinite(b)):
                break
            path.append((w, b))
            costs.append(cost)
            if cost > cost_limit:
                break
    return np.array(path, dtype=np.float64), np.array(costs, dtype=np.float64)


def default_ranges(
    X: np.ndarray, y: np.ndarray, include: np.ndarray | None = None
) -> tuple[tuple[float, float], tuple[float, float]]:
    """(w_range, b_range) centred on the least-squares line, wide enough to show the bowl.

    The half-widths follow the data's scale: ``w`` spans about 1.5 * std(y) / std(x) either
    side of the optimum (and reaches 0), and ``b`` covers the diagonal valley of the bowl
    over that ``w`` span. ``include`` (a (w, b) pair, e.g. the start of a descent path) is
    added to the ranges when it lies outside them.
    """
    x = X[:, 0]
    w_star, b_star = least_squares_line(X, y)
    y_scale = float(np.std(y)) or 1.0
    x_scale = float(np.std(x)) or 1.0
    w_half = max(1.5 * y_scale / x_scale, 1.25 * abs(w_star))
    b_half = max(abs(float(np.mean(x))) * w_half + 1.5 * y_scale, 1.25 * abs(b_star))
    w_range = (w_star - w_half, w_star + w_half)
    b_range = (b_star - b_half, b_star + b_half)
    if include is not None:
        w_range = _widen_to_include(w_range, float(include[0]))
        b_range = _widen_to_include(b_range, float(include[1]))
    return w_range, b_range


def _widen_to_include(value_range: tuple[float, float], value: float) -> tuple[float, float]:
    """Extend ``value_range`` so ``value`` lies inside with a 10 % margin of the new width."""
    low, high = value_range
    if low <= value <= high:
        return value_range
    low, high = min(low, value), max(high, value)
    margin = 0.1 * (high - low)
    return (low - margin, high) if value == low else (low, high + margin)
