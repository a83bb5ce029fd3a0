"""The week-3 activation explorer: why a network needs a non-linear activation.

Public API (re-exported by :mod:`dlcourse.widgets`)
---------------------------------------------------
ActivationExplorer  menus for the activation and the 2-D toy set; redraws the activation with
                    its derivative (and where the derivative vanishes) next to the decision
                    boundary a small two-layer network learns with it

The explorer trains its network with private helpers; it never hands out layers or a trainer.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from dlcourse._core.checks import check_choice, check_int
from dlcourse._core.explorer import (
    ExplorerDisplay,
    PlanarData,
    check_iterations,
    check_learning_rates,
)
from dlcourse._core.network import ACTIVATIONS, INITIALIZERS, activation_layer, build_network
from dlcourse._core.style import PALETTE
from dlcourse._core.training import full_batch_descent
from dlcourse.boundaries import plot_decision_boundary
from dlcourse.widgets.decision_boundary import DATASETS

__all__ = ["ActivationExplorer"]

MAX_ITERATIONS = 3000
"""Largest accepted ``num_iters``."""

LR_MIN, LR_MAX = 1e-3, 100.0
"""Range of accepted learning rates."""

MAX_HIDDEN = 500
"""Largest accepted number of hidden units."""

MIN_EXAMPLES, MAX_EXAMPLES = 10, 2000
"""Allowed range of ``m``."""

GOOD_ACCURACY = 0.9
"""Below this training accuracy the status says what to try."""

SMALL_SLOPE = 0.05
"""Where 0 < g′(z) < SMALL_SLOPE the plot shades the activation as saturated."""

Z_LIMIT = 5.0
"""The activation plot covers z in [-Z_LIMIT, Z_LIMIT]."""

_Z_GRID = np.arange(-500, 501) / 100.0
"""z values of the activation plot, step 0.01; includes 0 exactly."""

_Y_LIMITS = (-1.5, 2.5)
"""Fixed vertical range of the activation plot, the same for every activation."""

_ZERO_SPAN_STYLE = {"facecolor": "0.55", "alpha": 0.35, "hatch": "//", "edgecolor": "0.35"}
_SMALL_SPAN_STYLE = {"facecolor": "0.8", "alpha": 0.5, "edgecolor": "none"}
_G_COLOR, _SLOPE_COLOR = PALETTE["blue"], PALETTE["vermillion"]

_RESOLUTION = 150
"""Grid points per axis of the shaded regions (kept small so redrawing stays quick)."""

_ALIASES = {"identity": "linear"}

_ROUNDING_RTOL = 1e-12
"""Relative cost changes smaller than this are rounding, not a real increase."""


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Index ranges (first, last) of the runs of True in a 1-D boolean array."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
    return list(zip(starts.tolist(), stops.tolist(), strict=True))


class ActivationExplorer(ExplorerDisplay, PlanarData):
    """Compare activations: their derivatives, and what a small network learns with each.

    The left plot draws the chosen activation g(z) and its derivative g′(z) for z in [-5, 5]
    and shades where the derivative vanishes: hatched where g′(z) = 0 (no gradient flows back
    through the unit: ReLU for z <= 0), light grey where 0 < g′(z) < 0.05 (the unit is
    saturated and passes back almost nothing: sigmoid and tanh far from 0, leaky ReLU's
    small negative slope).

    The right plot shades the decision regions of a network affine → g → affine → softmax,
    trained on the chosen toy set by full-batch gradient descent on the mean cross-entropy,
    from the same seeded starting weights whatever the activation. With the linear (identity)
    activation two affine layers collapse into one, so the boundaries stay straight lines,
    however many hidden units there are: such a network fails on spirals, circles and xor,
    while ReLU and tanh networks fit them.

    Parameters
    ----------
    activation : {"sigmoid", "tanh", "relu", "leaky_relu", "linear"}, default "relu"
        Initial activation; "identity" is accepted for "linear". Leaky ReLU's slope for
        z <= 0 is 0.01.
    dataset : {"blobs", "moons", "circles", "xor", "spirals"}, default "spirals"
        Initial data set, made with ``dlcourse.datasets.planar(dataset, m, seed=seed)``.
    hidden : int, default 50
        Number of hidden units, 1..500.
    num_iters : int, default 800
        Gradient-descent updates per training run, 1..3000.
    lr : float, default 0.4
        Learning rate, 0.001..100. With the defaults the cost of the ReLU, leaky ReLU, tanh
        and linear networks falls at every step on every set, and one run takes a few tenths
        of a second.
    m : int, default 200
        Number of examples in each data set, 10..2000.
    seed : int, default 0
        Seed of the data sets and of the starting weights (>= 0).

    Attributes
    ----------
    activation_dropdown : ipywidgets.Dropdown
        Values "sigmoid", "tanh", "relu", "leaky_relu", "linear".
    dataset_dropdown : ipywidgets.Dropdown
    status : ipywidgets.HTML
        Starts with "training accuracy NN.N%"; adds a hint when the activation is linear, the
        accuracy is poor or the cost went up.
    fig : matplotlib.figure.Figure
        Left the activation and its derivative, right the decision boundary. A bare Figure,
        not managed by pyplot.
    costs : np.ndarray, shape (k,)
        Mean cross-entropy after each update; k = num_iters unless the run diverged.
    accuracy : float
        Fraction of training examples the trained network classifies correctly.
    X : np.ndarray, shape (m, 2), and y : np.ndarray of int64, shape (m,)
        The current data set.
    widget : ipywidgets.VBox
        The menus, status and the figure's Output, ready to display.

    Examples
    --------
    In a notebook, the last line of a cell shows the explorer::

        explorer = ActivationExplorer(activation="linear")
        explorer                      # a straight-line boundary on the spirals, about 50%
        explorer.activation_dropdown.value = "relu"   # retrains and redraws: about 98%
    """

    def __init__(
        self,
        *,
        activation: str = "relu",
        dataset: str = "spirals",
        hidden: int = 50,
        num_iters: int = 800,
        lr: float = 0.4,
        m: int = 200,
        seed: int = 0,
    ) -> None:
        if isinstance(activation, str):
            activation = _ALIASES.get(activation, activation)
        activation = check_choice(activation, "activation", tuple(ACTIVATIONS))
        dataset = check_choice(dataset, "dataset", DATASETS)
        self._hidden = check_int(hidden, "hidden", 1, MAX_HIDDEN)
        self._num_iters = check_iterations(num_iters, MAX_ITERATIONS)
        self._lr, _, _ = check_learning_rates(lr, LR_MIN, LR_MAX)
        self._m = check_int(m, "m", MIN_EXAMPLES, MAX_EXAMPLES)
        self._seed = check_int(seed, "seed", 0)
        self._data: dict[str, tuple[np.ndarray, np.ndarray]] = {}

        self.activation_dropdown = widgets.Dropdown(
            options=[(act.label, name) for name, act in ACTIVATIONS.items()],
            value=activation,
            description="activation",
        )
        self.dataset_dropdown = widgets.Dropdown(
            options=DATASETS, value=dataset, description="data set"
        )
        self.status = widgets.HTML()
        self._output = widgets.Output()
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.activation_dropdown, self.dataset_dropdown]),
                self.status,
                self._output,
            ]
        )
        self.fig = Figure(figsize=(11, 4.5), layout="constrained")
        self._curve_ax, self._boundary_ax = self.fig.subplots(1, 2, width_ratios=[1, 1.1])

        self._compute()
        self._redraw()
        for control in (self.activation_dropdown, self.dataset_dropdown):
            control.observe(self._on_change, names="value")

    # -- the controls' current values --------------------------------------------------------

    @property
    def activation(self) -> str:
        """The activation currently chosen."""
        return str(self.activation_dropdown.value)

    @property
    def dataset(self) -> str:
        """The data set currently chosen."""
        return str(self.dataset_dropdown.value)

    # -- computing ---------------------------------------------------------------------------

    def _compute(self) -> None:
        """Retrain for the menus' current values; sets the network, ``costs`` and ``accuracy``.

        Full-batch gradient descent on the mean cross-entropy from weights drawn with
        ``numpy.random.default_rng(seed)``: W1 ~ N(0, 1/n) of shape (n, hidden), then
        W2 ~ N(0, 1/hidden), zero biases; every activation starts from the same weights.
        """
        X, y = self._dataset()
        self._net = build_network(
            (X.shape[1], self._hidden, int(y.max()) + 1),
            activation=activation_layer(ACTIVATIONS[self.activation]),
            init=INITIALIZERS["lecun"],
            rng=np.random.default_rng(self._seed),
        )
        self.costs = full_batch_descent(self._net, X, y, lr=self._lr, num_iters=self._num_iters)
        self.accuracy = float(np.mean(self._net.predict(X) == y))

    # -- drawing -----------------------------------------------------------------------------

    def _redraw(self) -> None:
        """Redraw both plots and the status line, then refresh the Output."""
        self._draw_activation()
        act = ACTIVATIONS[self.activation]
        self._boundary_ax.clear()
        plot_decision_boundary(
            self._net.predict,
            self.X,
            self.y,
            ax=self._boundary_ax,
            resolution=_RESOLUTION,
            title=f"Two-layer net, {self._hidden} {act.label} units, on {self.dataset!r}",
        )
        self.status.value = self._status_html()
        self._show_figure()

    def _draw_activation(self) -> None:
        """The activation and its derivative over z, with the vanishing-gradient regions."""
        ax = self._curve_ax
        ax.clear()
        act = ACTIVATIONS[self.activation]
        z = _Z_GRID
        g = act.value(z)
        slope = act.slope(z, g)
        for first, last in _runs(slope == 0):
            ax.axvspan(z[first], z[last], gid="zero-gradient", zorder=0, **_ZERO_SPAN_STYLE)
        for first, last in _runs((slope > 0) & (slope < SMALL_SLOPE)):
            ax.axvspan(z[first], z[last], gid="small-gradient", zorder=0, **_SMALL_SPAN_STYLE)
        ax.axhline(0.0, color="black", lw=0.8, zorder=1)
        ax.plot(z, g, color=_G_COLOR, lw=2.5, label=act.formula, gid="activation")
        ax.plot(
            z, slope, color=_SLOPE_COLOR, lw=2, ls="--", label=act.slope_formula, gid="derivative"
        )
        handles, _ = ax.get_legend_handles_labels()
        if np.any(slope == 0):
            handles.append(Patch(label="g′(z) = 0: no gradient flows back", **_ZERO_SPAN_STYLE))
        if np.any((slope > 0) & (slope < SMALL_SLOPE)):
            handles.append(
                Patch(
                    label=f"g′(z) < {SMALL_SLOPE:g}: saturated, gradient nearly vanishes",
                    **_SMALL_SPAN_STYLE,
                )
            )
        ax.legend(handles=handles, loc="upper left", fontsize="small", framealpha=0.9)
        ax.set_xlim(-Z_LIMIT, Z_LIMIT)
        ax.set_ylim(*_Y_LIMITS)
        ax.set_xlabel("pre-activation $z$")
        ax.set_ylabel("$g(z)$ and $g'(z)$")
        ax.set_title(f"Activation: {act.label} and its derivative")

    def _status_html(self) -> str:
        """The status line: accuracy, what was trained, and a hint when something is off."""
        act = ACTIVATIONS[self.activation]
        m = len(self.y)
        correct = int(round(self.accuracy * m))
        final = f"{self.costs[-1]:.3g}" if self.costs.size else "n/a"
        line = (
            f"<b>training accuracy {self.accuracy:.1%}</b> ({correct} of {m}) · "
            f"affine → {html.escape(act.label)} ({self._hidden} units) → affine → softmax, "
            f"{self._num_iters} steps of gradient descent, learning rate {self._lr:g} · "
            f"final cost {final}"
        )
        hint = self._hint()
        return line + (f"<br><i>{html.escape(hint)}</i>" if hint else "")

    def _hint(self) -> str:
        """What the picture shows and what to try next, or "" when the run looks fine."""
        if self.costs.size < self._num_iters:
            return (
                f"The cost overflowed after {self.costs.size} steps and training stopped: "
                "use a smaller learning rate."
            )
        hints = []
        if np.any(np.diff(self.costs) > _ROUNDING_RTOL * np.abs(self.costs[:-1])):
            hints.append("The cost went up at some steps: a smaller learning rate is steadier.")
        if self.activation == "linear":
            hints.append(
                "With a linear activation the network is affine ∘ affine, which is one affine "
                "map: its boundaries are straight lines, however many hidden units it has."
            )
            if self.accuracy < GOOD_ACCURACY:
                hints.append("Pick a non-linear activation.")
        elif self.accuracy < GOOD_ACCURACY:
            if self.activation == "sigmoid":
                hints.append(
                    "Sigmoid units learn slowly: g′(z) is at most 0.25, it vanishes where the "
                    "units saturate, and their outputs are not centred on 0. Try tanh or ReLU, "
                    "or more iterations (num_iters)."
                )
            else:
                hints.append(
                    "Try more iterations (num_iters), more hidden units or another activation."
                )
        return " ".join(hints)
