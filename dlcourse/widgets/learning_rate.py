"""The week-1 learning-rate explorer: gradient descent on a one-feature regression.

Public API (re-exported by :mod:`dlcourse.widgets`)
---------------------------------------------------
LearningRateExplorer   sliders for the learning rate and number of iterations, redrawing the
                       gradient-descent path on the cost contours and the cost curve
learning_rate_explorer convenience function returning a LearningRateExplorer

Everything is computed in Python, so the explorer can be driven without a browser: set a
slider's ``.value`` and read ``path``, ``costs``, ``status.value`` or the drawn line data.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from dlcourse._core.checks import check_real
from dlcourse._core.drawing import path_lines_on, update_path
from dlcourse._core.explorer import (
    ExplorerDisplay,
    check_iterations,
    check_learning_rates,
    make_iters_slider,
    make_lr_slider,
)
from dlcourse._core.regression import (
    check_one_feature,
    cost_1d,
    default_ranges,
    gradient_descent_path,
    least_squares_line,
)
from dlcourse.plots import COST_LABEL, plot_cost_contours, plot_cost_curve

__all__ = ["LearningRateExplorer", "learning_rate_explorer"]

MAX_ITERATIONS = 500
"""Upper end of the iterations slider."""

_CONVERGED_RTOL = 1e-3
"""A run has converged when its cost is within this fraction of the minimum cost ..."""

_CONVERGED_START_FRACTION = 1e-9
"""... or within this fraction of the starting cost's height above it (for a minimum of 0)."""

_ROUNDING_RTOL = 1e-12
"""Relative cost changes smaller than this are rounding, not a real increase."""


def _cost_increases(costs: np.ndarray, start_cost: float) -> np.ndarray:
    """Which updates raised the cost (beyond rounding), boolean array of shape (k,)."""
    before = np.concatenate([[start_cost], costs[:-1]])
    return costs - before > _ROUNDING_RTOL * np.abs(before)


def _describe_run(costs: np.ndarray, num_iters: int, start_cost: float, min_cost: float) -> str:
    """One-line verdict on a gradient-descent run: converged, descending, or diverging.

    With a learning rate below 2 / (largest curvature of J) batch gradient descent lowers the
    cost at every step, so any increase means the run diverges (perhaps slowly at first).

    Parameters
    ----------
    costs : np.ndarray, shape (k,)
        Cost after each update made (k < num_iters when the run was stopped early).
    num_iters : int
        Number of updates asked for.
    start_cost, min_cost : float
        Cost at the starting point, and the least-squares minimum of the cost.
    """
    steps = costs.size
    if steps == 0:
        return "diverging: the very first step overflowed; try a much smaller learning rate"
    increases = _cost_increases(costs, start_cost)
    stopped = f"stopped after {steps} steps" if steps < num_iters else f"after {steps} steps"
    if steps < num_iters or np.all(increases):
        return (
            f"diverging: the cost grows every step ({stopped}, cost {costs[-1]:.3g}); "
            "try a smaller learning rate"
        )
    if np.any(increases):
        return (
            f"diverging: the cost has started to grow ({stopped}, cost {costs[-1]:.3g}); "
            "try a smaller learning rate"
        )
    final, minimum = _format_cost(costs[-1]), _format_cost(min_cost)
    tolerance = _CONVERGED_RTOL * min_cost + _CONVERGED_START_FRACTION * (start_cost - min_cost)
    if costs[-1] - min_cost <= tolerance:
        return f"converged: cost {final} after {steps} steps (minimum {minimum})"
    return (
        f"still descending slowly: cost {final} after {steps} steps (minimum {minimum}); "
        "try more iterations or a larger learning rate"
    )


def _format_cost(cost: float) -> str:
    """A cost for the status line: '312.4' or '41,594.2', and 3 significant digits below 1."""
    return f"{cost:,.1f}" if abs(cost) >= 1 else f"{cost:.3g}"


class LearningRateExplorer(ExplorerDisplay):
    """Explore how the learning rate changes gradient descent on a one-feature regression.

    Two sliders (learning rate on a log scale, number of iterations) drive a figure with the
    descent path drawn on the contours of J(w, b) and the cost curve, plus a one-line status.
    Put the explorer as the last expression of a notebook cell to show it.

    Parameters
    ----------
    X : array_like, shape (m, 1)
        Exactly one feature.
    y : array_like, shape (m,)
    lr : float, default 0.05
        Initial learning rate, within [lr_min, lr_max].
    num_iters : int, default 50
        Initial number of gradient-descent updates, 1..500.
    w0, b0 : float, default 0.0
        Starting point of every run.
    lr_min, lr_max : float, default 1e-4 and 1.0
        Ends of the learning-rate slider, 0 < lr_min < lr_max.

    Attributes
    ----------
    lr_slider : ipywidgets.FloatLogSlider
    iters_slider : ipywidgets.IntSlider
    status : ipywidgets.HTML
        Starts with "converged", "still descending slowly" or "diverging".
    fig : matplotlib.figure.Figure
        Two plots: the contours of J with the path (plus their colour bar), and the cost
        curve (log scale). A bare Figure, not managed by pyplot.
    path : np.ndarray, shape (k + 1, 2)
        Rows (w, b) visited, the start included; k < num_iters if the run diverged.
    costs : np.ndarray, shape (k,)
        Cost after each update.
    widget : ipywidgets.VBox
        Sliders, status and the figure's Output, ready to display.
    """

    def __init__(
        self,
        X: ArrayLike,
        y: ArrayLike,
        *,
        lr: float = 0.05,
        num_iters: int = 50,
        w0: float = 0.0,
        b0: float = 0.0,
        lr_min: float = 1e-4,
        lr_max: float = 1.0,
    ) -> None:
        self._X, self._y = check_one_feature(X, y)
        lr, lr_min, lr_max = check_learning_rates(lr, lr_min, lr_max)
        num_iters = check_iterations(num_iters, MAX_ITERATIONS)
        self._w0, self._b0 = check_real(w0, "w0"), check_real(b0, "b0")
        self._start_cost = cost_1d(self._X[:, 0], self._y, self._w0, self._b0)
        w_star, b_star = least_squares_line(self._X, self._y)
        self._min_cost = cost_1d(self._X[:, 0], self._y, w_star, b_star)
        self._w_range, self._b_range = default_ranges(
            self._X, self._y, include=np.array([self._w0, self._b0])
        )

        self.lr_slider = make_lr_slider(lr, lr_min, lr_max)
        self.iters_slider = make_iters_slider(num_iters, MAX_ITERATIONS)
        self.status = widgets.HTML()
        self._output = widgets.Output()
        self.widget = widgets.VBox(
            [widgets.HBox([self.lr_slider, self.iters_slider]), self.status, self._output]
        )

        self._compute()
        self._build_figure()
        self._redraw()
        self.lr_slider.observe(self._on_change, names="value")
        self.iters_slider.observe(self._on_change, names="value")

    # -- computing ---------------------------------------------------------------------------

    @property
    def lr(self) -> float:
        """The learning rate currently on the slider."""
        return float(self.lr_slider.value)

    @property
    def num_iters(self) -> int:
        """The number of iterations currently on the slider."""
        return int(self.iters_slider.value)

    def _compute(self) -> None:
        """Recompute ``path`` and ``costs`` for the sliders' current values."""
        self.path, self.costs = gradient_descent_path(
            self._X, self._y, lr=self.lr, num_iters=self.num_iters, w0=self._w0, b0=self._b0
        )

    # -- drawing -----------------------------------------------------------------------------

    def _build_figure(self) -> None:
        """Make the figure once: contours with the path (left), cost curve (right).

        The figure is a bare matplotlib Figure, not registered with pyplot, so building
        explorers never piles up open figures and the inline backend does not show it twice.
        """
        self.fig = Figure(figsize=(11, 4.3), layout="constrained")
        self._contour_ax, self._cost_ax = self.fig.subplots(1, 2, width_ratios=[1.15, 1])
        plot_cost_contours(
            self._X,
            self._y,
            path=self.path,
            w_range=self._w_range,
            b_range=self._b_range,
            ax=self._contour_ax,
        )
        self._path_lines = path_lines_on(self._contour_ax)
        plot_cost_curve(self.costs if self.costs.size else [np.nan], ax=self._cost_ax)
        self._cost_line = self._cost_ax.get_lines()[0]

    def _redraw(self) -> None:
        """Move the drawn lines to the current run, update the status, refresh the Output."""
        update_path(self._path_lines, self.path, self._w_range, self._b_range)
        self._contour_ax.set_title(f"Gradient descent on $J(w, b)$, learning rate {self.lr:.3g}")
        self._update_cost_curve()
        verdict = _describe_run(self.costs, self.num_iters, self._start_cost, self._min_cost)
        head, _, rest = verdict.partition(":")
        self.status.value = f"<b>{html.escape(head)}</b>:{html.escape(rest)}"
        self._show_figure()

    def _update_cost_curve(self) -> None:
        """Put the current costs on the cost curve and rescale its axes to fit them."""
        steps = np.arange(1, self.costs.size + 1)
        self._cost_line.set_data(steps, self.costs)
        positive = self.costs.size > 0 and bool(np.all(self.costs > 0))
        self._cost_ax.set_yscale("log" if positive else "linear")
        self._cost_ax.set_ylabel(COST_LABEL + (" (log scale)" if positive else ""))
        # Fit the x axis to the steps actually made, so a run stopped early stays readable.
        self._cost_ax.set_xlim(0.5, max(self.costs.size, 2) + 0.5)
        self._cost_ax.relim()
        self._cost_ax.autoscale_view(scalex=False)


def learning_rate_explorer(X: ArrayLike, y: ArrayLike, **kwargs: Any) -> LearningRateExplorer:
    """Build a :class:`LearningRateExplorer` for a one-feature set (same keyword arguments).

    Parameters
    ----------
    X : array_like, shape (m, 1)
    y : array_like, shape (m,)
    **kwargs
        lr, num_iters, w0, b0, lr_min, lr_max, as for :class:`LearningRateExplorer`.

    Returns
    -------
    LearningRateExplorer
    """
    return LearningRateExplorer(X, y, **kwargs)
