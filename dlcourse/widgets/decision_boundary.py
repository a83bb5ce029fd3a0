"""The week-2 decision-boundary explorer: logistic / softmax regression on 2-D toy sets.

Public API (re-exported by :mod:`dlcourse.widgets`)
---------------------------------------------------
DecisionBoundaryExplorer  a data-set menu, learning-rate and iterations sliders and a choice of
                          features; redraws the learned decision boundary and the cost curve

The explorer trains its own model with private helpers; it never hands out a trainer.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from dlcourse._core.checks import check_choice, check_int
from dlcourse._core.classifiers import FEATURE_SETS, fit_by_gradient_descent
from dlcourse._core.explorer import (
    ExplorerDisplay,
    PlanarData,
    check_iterations,
    check_learning_rates,
    make_iters_slider,
    make_lr_slider,
)
from dlcourse.boundaries import plot_decision_boundary
from dlcourse.plots import plot_cost_curve

__all__ = ["DecisionBoundaryExplorer"]

DATASETS: tuple[str, ...] = ("blobs", "moons", "circles", "xor", "spirals")
"""The planar sets in the explorer's menu (see :func:`dlcourse.datasets.planar`)."""

LR_MIN, LR_MAX = 1e-3, 100.0
"""Ends of the learning-rate slider."""

MAX_ITERATIONS = 2000
"""Upper end of the iterations slider."""

MIN_EXAMPLES, MAX_EXAMPLES = 10, 5000
"""Allowed range of ``m``."""

GOOD_ACCURACY = 0.9
"""Below this training accuracy the status suggests what to change."""

_RESOLUTION = 150
"""Grid points per axis of the shaded regions (kept small so redrawing stays quick)."""

_FEATURE_LABELS = {
    "linear": "linear: x1, x2",
    "quadratic": "quadratic: + x1², x2², x1·x2",
}
_ROUNDING_RTOL = 1e-12


class DecisionBoundaryExplorer(ExplorerDisplay, PlanarData):
    """Train a linear classifier on a 2-D toy set and watch its decision boundary.

    Batch gradient descent from all-zero weights minimises the mean cross-entropy: logistic
    regression (one logit, sigmoid, binary cross-entropy) for the two-class sets, softmax
    regression (one logit per class) for sets with more classes, such as the 3-armed spirals.
    The features are standardised (training-set mean and standard deviation) before training,
    so one learning rate suits every set. The left plot shades the region each class gets and
    draws the data; the right plot is the cost after each update; the status line gives the
    training accuracy and, when it is poor, what to try.

    A straight boundary fails on moons, circles, xor and spirals; the quadratic features
    (x1, x2, x1², x2², x1·x2) let the boundary bend into an ellipse or a hyperbola, which
    fixes circles and xor but not spirals. That gap is what week 3's networks close.

    Parameters
    ----------
    dataset : {"blobs", "moons", "circles", "xor", "spirals"}, default "moons"
        Initial data set, made with ``dlcourse.datasets.planar(dataset, m, seed=seed)``.
    lr : float, default 1.0
        Initial learning rate, 0.001..100.
    num_iters : int, default 200
        Initial number of gradient-descent updates, 1..2000.
    features : {"linear", "quadratic"}, default "linear"
        Initial feature map.
    m : int, default 200
        Number of examples in each data set, 10..5000.
    seed : int, default 0
        Seed of every data set (>= 0).

    Attributes
    ----------
    dataset_dropdown : ipywidgets.Dropdown
    lr_slider : ipywidgets.FloatLogSlider
    iters_slider : ipywidgets.IntSlider
    features_toggle : ipywidgets.ToggleButtons
        Values "linear" and "quadratic".
    status : ipywidgets.HTML
        Starts with "training accuracy NN.N%".
    fig : matplotlib.figure.Figure
        Left the decision boundary on the data, right the cost curve. A bare Figure, not
        managed by pyplot.
    costs : np.ndarray, shape (num_iters,)
        Mean cross-entropy after each update.
    accuracy : float
        Fraction of training examples the final model classifies correctly.
    X : np.ndarray, shape (m, 2), and y : np.ndarray of int64, shape (m,)
        The current data set.
    widget : ipywidgets.VBox
        The controls, status and the figure's Output, ready to display.
    """

    def __init__(
        self,
        *,
        dataset: str = "moons",
        lr: float = 1.0,
        num_iters: int = 200,
        features: str = "linear",
        m: int = 200,
        seed: int = 0,
    ) -> None:
        dataset = check_choice(dataset, "dataset", DATASETS)
        lr, _, _ = check_learning_rates(lr, LR_MIN, LR_MAX)
        num_iters = check_iterations(num_iters, MAX_ITERATIONS)
        features = check_choice(features, "features", FEATURE_SETS)
        self._m = check_int(m, "m", MIN_EXAMPLES, MAX_EXAMPLES)
        self._seed = check_int(seed, "seed", 0)
        self._data: dict[str, tuple[np.ndarray, np.ndarray]] = {}

        self.dataset_dropdown = widgets.Dropdown(
            options=DATASETS, value=dataset, description="data set"
        )
        self.features_toggle = widgets.ToggleButtons(
            options=[(_FEATURE_LABELS[kind], kind) for kind in FEATURE_SETS],
            value=features,
            description="features",
            style={"button_width": "200px"},
        )
        self.lr_slider = make_lr_slider(lr, LR_MIN, LR_MAX)
        self.iters_slider = make_iters_slider(num_iters, MAX_ITERATIONS)
        self.status = widgets.HTML()
        self._output = widgets.Output()
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.dataset_dropdown, self.features_toggle]),
                widgets.HBox([self.lr_slider, self.iters_slider]),
                self.status,
                self._output,
            ]
        )
        self.fig = Figure(figsize=(11, 4.5), layout="constrained")
        self._boundary_ax, self._cost_ax = self.fig.subplots(1, 2, width_ratios=[1.1, 1])

        self._compute()
        self._redraw()
        for control in (
            self.dataset_dropdown,
            self.features_toggle,
            self.lr_slider,
            self.iters_slider,
        ):
            control.observe(self._on_change, names="value")

    # -- the controls' current values --------------------------------------------------------

    @property
    def dataset(self) -> str:
        """The data set currently chosen."""
        return str(self.dataset_dropdown.value)

    @property
    def features(self) -> str:
        """The feature map currently chosen, "linear" or "quadratic"."""
        return str(self.features_toggle.value)

    @property
    def lr(self) -> float:
        """The learning rate currently on the slider."""
        return float(self.lr_slider.value)

    @property
    def num_iters(self) -> int:
        """The number of iterations currently on the slider."""
        return int(self.iters_slider.value)

    # -- computing ---------------------------------------------------------------------------

    @property
    def _n_classes(self) -> int:
        return int(self.y.max()) + 1

    def _compute(self) -> None:
        """Retrain for the controls' current values; sets the model, ``costs`` and ``accuracy``."""
        X, y = self._dataset()
        self._model, self.costs = fit_by_gradient_descent(
            X, y, features=self.features, lr=self.lr, num_iters=self.num_iters
        )
        self.accuracy = float(np.mean(self._model.predict(X) == y))

    # -- drawing -----------------------------------------------------------------------------

    def _redraw(self) -> None:
        """Redraw both plots and the status line, then refresh the Output."""
        model_name = "logistic regression" if self._n_classes == 2 else "softmax regression"
        self._boundary_ax.clear()
        plot_decision_boundary(
            self._model.predict,
            self.X,
            self.y,
            ax=self._boundary_ax,
            resolution=_RESOLUTION,
            title=f"{model_name.capitalize()} on {self.dataset!r}, {self.features} features",
        )
        self._cost_ax.clear()
        plot_cost_curve(self.costs, ax=self._cost_ax)
        start = np.log(self._n_classes)
        self._cost_ax.axhline(
            start, color="black", lw=1, ls=":", label=f"cost at w = 0: ln {self._n_classes}"
        )
        self._cost_ax.set_ylim(bottom=0.0, top=1.05 * max(start, float(self.costs.max())))
        self._cost_ax.set_ylabel("mean cross-entropy $J$")
        self._cost_ax.set_title(f"Cost during gradient descent, learning rate {self.lr:.3g}")
        self._cost_ax.legend(loc="best", fontsize="small")
        self.status.value = self._status_html(model_name, start)
        self._show_figure()

    def _status_html(self, model_name: str, start_cost: float) -> str:
        """The status line: accuracy, what was trained, and a hint when something is off."""
        correct = int(round(self.accuracy * len(self.y)))
        line = (
            f"<b>training accuracy {self.accuracy:.1%}</b> ({correct} of {len(self.y)}) · "
            f"{model_name}, {self.features} features · final cost {self.costs[-1]:.3g}"
        )
        hint = self._hint(start_cost)
        return line + (f"<br><i>{html.escape(hint)}</i>" if hint else "")

    def _hint(self, start_cost: float) -> str:
        """What to try next, or "" when the run looks fine."""
        before = np.concatenate([[start_cost], self.costs[:-1]])
        if np.any(self.costs - before > _ROUNDING_RTOL * np.abs(before)):
            return "The cost went up at some steps: try a smaller learning rate."
        if self.accuracy >= GOOD_ACCURACY:
            return ""
        if self.features == "linear":
            return (
                "Straight-line boundaries cannot separate these classes well: "
                "try the quadratic features."
            )
        return (
            "Even a curved (quadratic) boundary cannot separate this set well; "
            "a neural network (week 3) can."
        )
