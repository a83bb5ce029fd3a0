"""Static figures for the linear-regression lectures.

Public functions
----------------
plot_data           scatter of a one-feature regression set, optionally with a line
plot_cost_surface   3-D surface of the cost J(w, b) for a one-feature set
plot_cost_contours  contour plot of J(w, b), the minimum marked, optionally a descent path
plot_cost_curve     cost against iteration

Every function draws on ``ax`` when one is given (otherwise it makes a new figure with
pyplot), returns the Axes and never calls ``plt.show()``.

Notation: prediction ``y_hat = X @ w + b``, cost ``J(w, b) = 1/(2m) * sum((y_hat - y)**2)``.
For one feature the slides write ``h(x) = theta0 + theta1 * x``, so ``b`` is theta0 and ``w``
is theta1.

The private helpers below (cost on a grid, least-squares line, gradient-descent path) are
shared with :mod:`dlcourse.widgets`. They are private on purpose: students write their own
versions of these in the week-1 exercise, so the library does not export them.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from numpy.typing import ArrayLike

__all__ = ["plot_cost_contours", "plot_cost_curve", "plot_cost_surface", "plot_data"]

COLORMAP = "viridis"
"""Perceptually uniform, readable in greyscale and by colour-blind readers."""

W_LABEL = r"$w$ (slope, $\theta_1$)"
B_LABEL = r"$b$ (intercept, $\theta_0$)"
COST_LABEL = r"cost $J(w, b)$"

_SURFACE_GRID_SIZE = 60
_CONTOUR_GRID_SIZE = 200
_DEFAULT_LEVEL_COUNT = 15
_SMALLEST_LEVEL_FRACTION = 2e-4
"""The lowest default contour sits this fraction of the way from the minimum to the top."""
_DIVERGENCE_FACTOR = 1e8
"""Gradient descent stops once the cost exceeds this multiple of the starting cost."""

PATH_LABEL = "gradient descent"
START_LABEL = "start"
END_LABEL = "end"
OPTIMUM_LABEL = "least-squares minimum"
COST_CURVE_LABEL = "cost"


# ---------------------------------------------------------------------------------------------
# Input validation (private)
# ---------------------------------------------------------------------------------------------


def _as_float_array(values: ArrayLike, name: str) -> np.ndarray:
    """``values`` as a float64 array, or TypeError saying it must be numeric."""
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be a numeric array (float64 NumPy array), got {type(values).__name__}"
        ) from None
    return array


def _check_regression_data(X: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Validate a regression set and return it as float64 arrays.

    Returns
    -------
    X : np.ndarray of float64, shape (m, n)
    y : np.ndarray of float64, shape (m,)
    """
    X = _as_float_array(X, "X")
    y = _as_float_array(y, "y")
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


def _check_one_feature(X: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Like :func:`_check_regression_data`, but X must have exactly one column, shape (m, 1)."""
    X, y = _check_regression_data(X, y)
    if X.shape[1] != 1:
        raise ValueError(
            f"this picture needs exactly one feature, X of shape (m, 1), so that J depends only "
            f"on (w, b); got X with {X.shape[1]} columns, shape {X.shape}. Select one column, "
            "e.g. X[:, :1]"
        )
    return X, y


def _check_real(value: object, name: str) -> float:
    """``value`` as a finite float, or TypeError/ValueError naming ``name``."""
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(()).item()
    if not isinstance(value, numbers.Real) or isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a real number, got {value!r} ({type(value).__name__})")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return float(value)


def _check_range(value_range: object, name: str) -> tuple[float, float] | None:
    """``None`` or a pair ``(low, high)`` of finite floats with ``low < high``."""
    if value_range is None:
        return None
    if not isinstance(value_range, (Sequence, np.ndarray)) or len(value_range) != 2:
        raise TypeError(f"{name} must be a pair (low, high), got {value_range!r}")
    low = _check_real(value_range[0], f"{name}[0]")
    high = _check_real(value_range[1], f"{name}[1]")
    if not low < high:
        raise ValueError(f"{name} must be (low, high) with low < high, got {value_range!r}")
    return low, high


def _check_path(path: ArrayLike) -> np.ndarray:
    """A gradient-descent path as a float64 array of shape (k, 2), rows (w, b)."""
    path = _as_float_array(path, "path")
    if path.ndim != 2 or path.shape[1] != 2 or path.shape[0] == 0:
        raise ValueError(
            "path must have shape (k, 2) with one row (w, b) per visited point, k >= 1; "
            f"got shape {path.shape}"
        )
    if not np.all(np.isfinite(path)):
        raise ValueError(
            "path contains NaN or infinite values (did gradient descent diverge?); "
            "keep only the finite rows, e.g. path[np.isfinite(path).all(axis=1)]"
        )
    return path


def _check_3d_axes(ax: Axes) -> Axes:
    """Raise unless ``ax`` is a 3-D Axes."""
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    if ax.name != "3d":
        raise ValueError(
            "plot_cost_surface needs a 3-D Axes: create it with "
            "fig.add_subplot(projection='3d') (or pass ax=None)"
        )
    return ax


def _check_2d_axes(ax: Axes | None) -> Axes:
    """``ax`` itself, or a new 2-D Axes on a new pyplot figure when ``ax`` is None."""
    if ax is None:
        _, ax = plt.subplots()
        return ax
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax


# ---------------------------------------------------------------------------------------------
# Costs and gradient descent for one feature (private; shared with dlcourse.widgets)
# ---------------------------------------------------------------------------------------------


def _cost_1d(x: np.ndarray, y: np.ndarray, w: float, b: float) -> float:
    """J(w, b) = 1/(2m) * sum((w*x + b - y)**2) for x, y of shape (m,)."""
    residual = w * x + b - y
    return float(0.5 * np.mean(residual**2))


def _cost_grid(
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


def _least_squares_line(X: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The (w, b) minimising J for a one-feature set X of shape (m, 1), via np.linalg.lstsq."""
    design = np.column_stack([X[:, 0], np.ones(len(y))])
    (w, b), *_ = np.linalg.lstsq(design, y, rcond=None)
    return float(w), float(b)


def _gradient_descent_path(
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
    ``_DIVERGENCE_FACTOR`` times the starting cost (the step that overflowed is dropped).

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
        cost_limit = _DIVERGENCE_FACTOR * max(0.5 * np.mean(residual**2), np.finfo(float).tiny)
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


def _default_ranges(
    X: np.ndarray, y: np.ndarray, include: np.ndarray | None = None
) -> tuple[tuple[float, float], tuple[float, float]]:
    """(w_range, b_range) centred on the least-squares line, wide enough to show the bowl.

    The half-widths follow the data's scale: ``w`` spans about 1.5 * std(y) / std(x) either
    side of the optimum (and reaches 0), and ``b`` covers the diagonal valley of the bowl
    over that ``w`` span. ``include`` (a (w, b) pair, e.g. the start of a descent path) is
    added to the ranges when it lies outside them.
    """
    x = X[:, 0]
    w_star, b_star = _least_squares_line(X, y)
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


def _log_spaced_levels(J: np.ndarray, cost_min: float, count: int) -> np.ndarray:
    """``count`` contour levels whose heights above the minimum are log-spaced.

    Log spacing puts many contours near the bottom of the bowl, where the elongated valley
    is, and few on the steep walls.
    """
    top = float(J.max()) - cost_min
    if top <= 0:
        raise ValueError("the cost is constant over the chosen ranges: widen w_range or b_range")
    return cost_min + np.geomspace(_SMALLEST_LEVEL_FRACTION * top, top, count)


def _level_colors(count: int) -> np.ndarray:
    """``count`` colours evenly spaced along the colour map, RGBA array of shape (count, 4).

    Spacing by level index (not by cost value) keeps log-spaced levels distinguishable; the
    palest end of the map is skipped because it vanishes on a white background.
    """
    return plt.get_cmap(COLORMAP)(np.linspace(0.0, 0.85, count))


def _check_levels(levels: object, J: np.ndarray, cost_min: float) -> np.ndarray:
    """Contour levels: log-spaced by default, ``count`` log-spaced ones for an int, or as given."""
    if levels is None:
        return _log_spaced_levels(J, cost_min, _DEFAULT_LEVEL_COUNT)
    if isinstance(levels, numbers.Integral) and not isinstance(levels, (bool, np.bool_)):
        if levels < 2:
            raise ValueError(f"levels must be at least 2 when given as a count, got {levels}")
        return _log_spaced_levels(J, cost_min, int(levels))
    values = _as_float_array(levels, "levels")
    if values.ndim != 1 or values.size < 1 or np.any(np.diff(values) <= 0):
        raise ValueError(
            "levels must be None, an int >= 2, or a 1-D increasing sequence of cost values; "
            f"got {levels!r}"
        )
    return values


# ---------------------------------------------------------------------------------------------
# Drawing a descent path (private; shared with dlcourse.widgets)
# ---------------------------------------------------------------------------------------------


_Range = tuple[float, float]


def _clip_path(path: np.ndarray, w_range: _Range, b_range: _Range) -> np.ndarray:
    """The path with every point clipped into the box ``w_range`` x ``b_range``, shape (k, 2)."""
    return np.column_stack([np.clip(path[:, 0], *w_range), np.clip(path[:, 1], *b_range)])


def _draw_path(ax: Axes, path: np.ndarray, w_range: _Range, b_range: _Range) -> dict[str, Line2D]:
    """Draw a descent path (connected points, start and end marked); return the three lines.

    ``path`` has shape (k, 2), rows (w, b). Points outside the box ``w_range`` x ``b_range``
    are drawn on its border.
    """
    (line,) = ax.plot([], [], "-o", color="black", lw=1.2, ms=3, label=PATH_LABEL, zorder=3)
    (start,) = ax.plot(
        [], [], "o", ms=9, mfc="white", mec="black", mew=2, label=START_LABEL, zorder=4
    )
    (end,) = ax.plot([], [], "s", ms=8, mfc="black", mec="white", mew=1, label=END_LABEL, zorder=4)
    lines = {"path": line, "start": start, "end": end}
    _update_path(lines, path, w_range, b_range)
    return lines


def _update_path(
    lines: dict[str, Line2D], path: np.ndarray, w_range: _Range, b_range: _Range
) -> None:
    """Move the lines made by :func:`_draw_path` to a new path of shape (k, 2)."""
    shown = _clip_path(path, w_range, b_range)
    lines["path"].set_data(shown[:, 0], shown[:, 1])
    lines["start"].set_data(shown[:1, 0], shown[:1, 1])
    lines["end"].set_data(shown[-1:, 0], shown[-1:, 1])


def _find_line(ax: Axes, label: str) -> Line2D:
    """The line on ``ax`` with this legend label (KeyError if there is none)."""
    for line in ax.get_lines():
        if line.get_label() == label:
            return line
    raise KeyError(f"no line labelled {label!r} on this Axes")


# ---------------------------------------------------------------------------------------------
# Public plotting functions
# ---------------------------------------------------------------------------------------------


def plot_data(
    X: ArrayLike,
    y: ArrayLike,
    *,
    line: tuple[float, float] | None = None,
    ax: Axes | None = None,
    xlabel: str = "size (1000 sq ft)",
    ylabel: str = "price ($1000s)",
    title: str = "Training set",
) -> Axes:
    """Scatter plot of a one-feature regression set, optionally with a straight line.

    Parameters
    ----------
    X : array_like, shape (m, 1)
        The single feature, examples in rows.
    y : array_like, shape (m,)
        The targets.
    line : tuple (w, b), optional
        Draw the prediction ``y_hat = w * x + b`` across the data's x range. ``w`` may be a
        float or an array of shape (1,) (the course's ``w`` of shape (n,) with n = 1).
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if None.
    xlabel, ylabel, title : str
        Axis labels and title. The defaults suit the housing set.

    Returns
    -------
    matplotlib Axes
    """
    X, y = _check_one_feature(X, y)
    ax = _check_2d_axes(ax)
    ax.scatter(X[:, 0], y, s=18, color="tab:blue", alpha=0.8, label="training examples")
    if line is not None:
        if not isinstance(line, (Sequence, np.ndarray)) or len(line) != 2:
            raise TypeError(f"line must be a pair (w, b), got {line!r}")
        w = _check_real(line[0], "line w")
        b = _check_real(line[1], "line b")
        xs = np.array([X[:, 0].min(), X[:, 0].max()])
        ax.plot(xs, w * xs + b, color="black", lw=2, label=rf"$\hat y = {w:.4g}\,x {b:+.4g}$")
        ax.legend(loc="best")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return ax


def plot_cost_surface(
    X: ArrayLike,
    y: ArrayLike,
    *,
    w_range: tuple[float, float] | None = None,
    b_range: tuple[float, float] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """3-D surface of the cost J(w, b) = 1/(2m) * sum((w*x + b - y)**2) for one feature.

    Parameters
    ----------
    X : array_like, shape (m, 1)
        Exactly one feature.
    y : array_like, shape (m,)
    w_range, b_range : tuple (low, high), optional
        The parameter ranges to show. By default both are centred on the least-squares
        minimum and wide enough to show the bowl.
    ax : 3-D matplotlib Axes, optional
        Must have been made with ``projection="3d"``; a new one is made if None.

    Returns
    -------
    mpl_toolkits.mplot3d.axes3d.Axes3D
    """
    X, y = _check_one_feature(X, y)
    if ax is None:
        ax = plt.figure(figsize=(7, 5.5)).add_subplot(projection="3d")
    ax = _check_3d_axes(ax)
    w_range, b_range = _resolve_ranges(X, y, w_range, b_range)
    w_values = np.linspace(*w_range, _SURFACE_GRID_SIZE)
    b_values = np.linspace(*b_range, _SURFACE_GRID_SIZE)
    W, B, J = _cost_grid(X, y, w_values, b_values)
    ax.plot_surface(W, B, J, cmap=COLORMAP, linewidth=0, antialiased=True, alpha=0.9)
    w_star, b_star = _least_squares_line(X, y)
    ax.plot(
        [w_star],
        [b_star],
        [_cost_1d(X[:, 0], y, w_star, b_star)],
        "*",
        color="white",
        mec="black",
        ms=14,
        label=OPTIMUM_LABEL,
        zorder=5,
    )
    ax.set_xlabel(W_LABEL)
    ax.set_ylabel(B_LABEL)
    ax.set_zlabel(COST_LABEL, labelpad=8)
    ax.ticklabel_format(axis="z", style="sci", scilimits=(-3, 4))
    ax.set_title(r"Cost surface $J(w, b)$: a bowl with one lowest point")
    return ax


def _resolve_ranges(
    X: np.ndarray,
    y: np.ndarray,
    w_range: object,
    b_range: object,
    include: np.ndarray | None = None,
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Validated (w_range, b_range), filling in the default for whichever is None.

    ``X`` has shape (m, 1), ``y`` shape (m,); ``include`` is an optional (w, b) pair that the
    default ranges must contain (see :func:`_default_ranges`).
    """
    w_range = _check_range(w_range, "w_range")
    b_range = _check_range(b_range, "b_range")
    if w_range is None or b_range is None:
        default_w, default_b = _default_ranges(X, y, include)
        w_range = default_w if w_range is None else w_range
        b_range = default_b if b_range is None else b_range
    return w_range, b_range


def plot_cost_contours(
    X: ArrayLike,
    y: ArrayLike,
    *,
    path: ArrayLike | None = None,
    w_range: tuple[float, float] | None = None,
    b_range: tuple[float, float] | None = None,
    levels: int | ArrayLike | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Contour plot of the cost J(w, b) for one feature, with the minimum marked.

    Each point (w, b) of the plot is one candidate line ``y_hat = w * x + b``; each contour
    joins the lines that have the same cost.

    Parameters
    ----------
    X : array_like, shape (m, 1)
        Exactly one feature.
    y : array_like, shape (m,)
    path : array_like, shape (k, 2), optional
        Rows (w, b) visited by gradient descent, starting point first. Drawn as connected
        points with the start (white circle) and end (black square) marked; points outside
        the plotted ranges are drawn on the border.
    w_range, b_range : tuple (low, high), optional
        The parameter ranges to show. By default centred on the least-squares minimum, wide
        enough to show the bowl, and widened to include the start of ``path``.
    levels : int or array_like, optional
        Contour levels: None for 15 levels log-spaced above the minimum (so the long, narrow
        valley shows up), an int for that many log-spaced levels, or increasing cost values.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if None.

    Returns
    -------
    matplotlib Axes
    """
    X, y = _check_one_feature(X, y)
    path = None if path is None else _check_path(path)
    ax = _check_2d_axes(ax)
    start = None if path is None else path[0]
    w_range, b_range = _resolve_ranges(X, y, w_range, b_range, include=start)
    w_values = np.linspace(*w_range, _CONTOUR_GRID_SIZE)
    b_values = np.linspace(*b_range, _CONTOUR_GRID_SIZE)
    W, B, J = _cost_grid(X, y, w_values, b_values)
    w_star, b_star = _least_squares_line(X, y)
    cost_star = _cost_1d(X[:, 0], y, w_star, b_star)
    level_values = _check_levels(levels, J, cost_star)
    contours = ax.contour(
        W, B, J, levels=level_values, colors=_level_colors(len(level_values)), linewidths=1.2
    )
    ax.figure.colorbar(contours, ax=ax, label=COST_LABEL)
    ax.plot(
        [w_star],
        [b_star],
        "*",
        color="white",
        mec="black",
        mew=1.2,
        ms=16,
        label=OPTIMUM_LABEL,
        zorder=5,
    )
    if path is not None:
        _draw_path(ax, path, w_range, b_range)
    ax.set_xlim(w_range)
    ax.set_ylim(b_range)
    ax.set_xlabel(W_LABEL)
    ax.set_ylabel(B_LABEL)
    ax.set_title(r"Contours of the cost $J(w, b)$")
    ax.legend(loc="best", fontsize="small", framealpha=0.9)
    return ax


def plot_cost_curve(costs: ArrayLike, *, ax: Axes | None = None, logy: bool = False) -> Axes:
    """The cost after each gradient-descent update, against the iteration number.

    Parameters
    ----------
    costs : array_like, shape (k,)
        ``costs[i]`` is the cost after update ``i + 1``. Infinite or NaN values (a diverged
        run) are left out of the drawing.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if None.
    logy : bool, default False
        Use a logarithmic cost axis (needs every finite cost > 0).

    Returns
    -------
    matplotlib Axes
    """
    costs = _as_float_array(costs, "costs")
    if costs.ndim != 1 or costs.size == 0:
        raise ValueError(
            f"costs must be a non-empty 1-D array with one cost per iteration, got shape "
            f"{costs.shape}"
        )
    if not isinstance(logy, (bool, np.bool_)):
        raise TypeError(f"logy must be True or False, got {logy!r}")
    finite = costs[np.isfinite(costs)]
    if logy and np.any(finite <= 0):
        raise ValueError("logy=True needs every cost > 0; use logy=False for zero costs")
    ax = _check_2d_axes(ax)
    ax.plot(
        np.arange(1, costs.size + 1), costs, "-", color="tab:blue", lw=2, label=COST_CURVE_LABEL
    )
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel("iteration (number of updates)")
    ax.set_ylabel(COST_LABEL + (" (log scale)" if logy else ""))
    ax.set_title("Cost during gradient descent")
    ax.grid(True, alpha=0.3)
    return ax
