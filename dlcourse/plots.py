"""Static figures for the linear-regression lectures.

Public API
----------
plot_data           scatter of a one-feature regression set, optionally with a line
plot_cost_surface   3-D surface of the cost J(w, b) for a one-feature set
plot_cost_contours  contour plot of J(w, b), the minimum marked, optionally a descent path
plot_cost_curve     cost against iteration
PALETTE             the course's colour-blind-safe (Okabe–Ito) colours by name, e.g.
                    ``PALETTE["blue"]``, for the lectures' own figures
COLORMAP            the colour map of costs and classes ("viridis")

Every function draws on ``ax`` when one is given (otherwise it makes a new figure with
pyplot), returns the Axes and never calls ``plt.show()``.

Notation: prediction ``y_hat = X @ w + b``, cost ``J(w, b) = 1/(2m) * sum((y_hat - y)**2)``.
For one feature the slides write ``h(x) = theta0 + theta1 * x``, so ``b`` is theta0 and ``w``
is theta1.

The maths behind the pictures (cost on a grid, least-squares line, gradient-descent path) lives
in the private ``dlcourse._core.regression``: students write their own versions in the week-1
exercise, so the library does not export them.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from dlcourse._core.checks import as_float_array, check_bool, check_int, check_real, is_int
from dlcourse._core.drawing import check_2d_axes, draw_path
from dlcourse._core.regression import (
    check_one_feature,
    cost_1d,
    cost_grid,
    default_ranges,
    least_squares_line,
)
from dlcourse._core.style import COLORMAP, PALETTE

__all__ = ["PALETTE", "plot_cost_contours", "plot_cost_curve", "plot_cost_surface", "plot_data"]


W_LABEL = r"$w$ (slope, $\theta_1$)"
B_LABEL = r"$b$ (intercept, $\theta_0$)"
COST_LABEL = r"cost $J(w, b)$"

_SURFACE_GRID_SIZE = 60
_CONTOUR_GRID_SIZE = 200
_DEFAULT_LEVEL_COUNT = 15
_SMALLEST_LEVEL_FRACTION = 2e-4
"""The lowest default contour sits this fraction of the way from the minimum to the top."""

OPTIMUM_LABEL = "least-squares minimum"
COST_CURVE_LABEL = "cost"


# ---------------------------------------------------------------------------------------------
# Input validation (private)
# ---------------------------------------------------------------------------------------------


def _check_range(value_range: object, name: str) -> tuple[float, float] | None:
    """``None`` or a pair ``(low, high)`` of finite floats with ``low < high``."""
    if value_range is None:
        return None
    if not isinstance(value_range, (Sequence, np.ndarray)) or len(value_range) != 2:
        raise TypeError(f"{name} must be a pair (low, high), got {value_range!r}")
    low = check_real(value_range[0], f"{name}[0]")
    high = check_real(value_range[1], f"{name}[1]")
    if not low < high:
        raise ValueError(f"{name} must be (low, high) with low < high, got {value_range!r}")
    return low, high


def _check_path(path: ArrayLike) -> np.ndarray:
    """A gradient-descent path as a float64 array of shape (k, 2), rows (w, b)."""
    path = as_float_array(path, "path")
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


# ---------------------------------------------------------------------------------------------
# Contour levels (private)
# ---------------------------------------------------------------------------------------------


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
    if is_int(levels):
        count = check_int(levels, "levels", 2)
        return _log_spaced_levels(J, cost_min, count)
    values = as_float_array(levels, "levels")
    if values.ndim != 1 or values.size < 1 or np.any(np.diff(values) <= 0):
        raise ValueError(
            "levels must be None, an int >= 2, or a 1-D increasing sequence of cost values; "
            f"got {levels!r}"
        )
    return values


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
    X, y = check_one_feature(X, y)
    ax = check_2d_axes(ax)
    ax.scatter(X[:, 0], y, s=18, color="tab:blue", alpha=0.8, label="training examples")
    if line is not None:
        if not isinstance(line, (Sequence, np.ndarray)) or len(line) != 2:
            raise TypeError(f"line must be a pair (w, b), got {line!r}")
        w = check_real(line[0], "line w")
        b = check_real(line[1], "line b")
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
    X, y = check_one_feature(X, y)
    if ax is None:
        ax = plt.figure(figsize=(7, 5.5)).add_subplot(projection="3d")
    ax = _check_3d_axes(ax)
    w_range, b_range = _resolve_ranges(X, y, w_range, b_range)
    w_values = np.linspace(*w_range, _SURFACE_GRID_SIZE)
    b_values = np.linspace(*b_range, _SURFACE_GRID_SIZE)
    W, B, J = cost_grid(X, y, w_values, b_values)
    ax.plot_surface(W, B, J, cmap=COLORMAP, linewidth=0, antialiased=True, alpha=0.9)
    w_star, b_star = least_squares_line(X, y)
    ax.plot(
        [w_star],
        [b_star],
        [cost_1d(X[:, 0], y, w_star, b_star)],
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
    default ranges must contain (see ``dlcourse._core.regression.default_ranges``).
    """
    w_range = _check_range(w_range, "w_range")
    b_range = _check_range(b_range, "b_range")
    if w_range is None or b_range is None:
        default_w, default_b = default_ranges(X, y, include)
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
    X, y = check_one_feature(X, y)
    path = None if path is None else _check_path(path)
    ax = check_2d_axes(ax)
    start = None if path is None else path[0]
    w_range, b_range = _resolve_ranges(X, y, w_range, b_range, include=start)
    w_values = np.linspace(*w_range, _CONTOUR_GRID_SIZE)
    b_values = np.linspace(*b_range, _CONTOUR_GRID_SIZE)
    W, B, J = cost_grid(X, y, w_values, b_values)
    w_star, b_star = least_squares_line(X, y)
    cost_star = cost_1d(X[:, 0], y, w_star, b_star)
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
        draw_path(ax, path, w_range, b_range)
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
    costs = as_float_array(costs, "costs")
    if costs.ndim != 1 or costs.size == 0:
        raise ValueError(
            f"costs must be a non-empty 1-D array with one cost per iteration, got shape "
            f"{costs.shape}"
        )
    logy = check_bool(logy, "logy")
    finite = costs[np.isfinite(costs)]
    if logy and np.any(finite <= 0):
        raise ValueError("logy=True needs every cost > 0; use logy=False for zero costs")
    ax = check_2d_axes(ax)
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
