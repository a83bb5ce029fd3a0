"""The week-5 depth explorer: what initialization does to a deep network's signal.

Public API (re-exported by :mod:`dlcourse.widgets`)
---------------------------------------------------
DepthExplorer  menus for the activation and the initialization scheme and a scale slider;
               redraws, for a 10-layer network fed a batch of digits, the histogram of every
               hidden layer's activations and of every layer's weight gradients, their spread
               layer by layer, and the fraction of dead ReLUs

The network and its initializers are the private ``dlcourse._core`` ones; nothing here hands out
an initializer students write.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from dlcourse._core.checks import check_choice, check_int, check_real
from dlcourse._core.explorer import ExplorerDisplay, make_log_slider
from dlcourse._core.network import (
    ACTIVATIONS,
    INIT_SCHEMES,
    activation_layer,
    build_network,
    draw_scheme,
    init_scale,
)
from dlcourse._core.style import PALETTE
from dlcourse.datasets import digits

__all__ = ["DepthExplorer"]

DEPTH = 10
"""Hidden layers of the network."""

ACTIVATION_CHOICES = ("tanh", "relu", "leaky_relu", "sigmoid", "linear")
GAIN_MIN, GAIN_MAX = 0.1, 10.0
"""Range of the scale slider, a factor on the scheme's σ or bound."""

MAX_WIDTH, MAX_EXAMPLES = 500, 1797
_BINS = 41
_ACT_COLOR, _GRAD_COLOR = PALETTE["blue"], PALETTE["vermillion"]


def _ridges(ax, layers: list[np.ndarray], color: str, limit: float) -> None:
    """One histogram per layer, stacked: layer l's sits on the line y = l, its peak at l + 0.9.

    Values beyond ±limit are counted in the outermost bins, so a spread that grows shows as
    mass piling up at the edges and one that shrinks as a spike at 0.
    """
    edges = np.linspace(-limit, limit, _BINS + 1)
    centres = (edges[:-1] + edges[1:]) / 2
    for index, values in enumerate(layers, start=1):
        counts, _ = np.histogram(np.clip(values.ravel(), -limit, limit), bins=edges)
        height = counts / counts.max() * 0.9 if counts.max() > 0 else counts * 0.0
        ax.fill_between(centres, index, index + height, step="mid", color=color, alpha=0.55)
        ax.plot(centres, index + height, drawstyle="steps-mid", color=color, lw=1)
    ax.set_yticks(range(1, len(layers) + 1))
    ax.set_ylim(0.8, len(layers) + 1.1)
    ax.set_xlim(-limit, limit)


class DepthExplorer(ExplorerDisplay):
    """Watch activations and gradients shrink or grow through a 10-layer network.

    A batch of ``m`` digits (pixels standardized per feature) goes through 10 hidden layers of
    ``width`` units, affine → activation each, then an affine layer to the 10 classes. The
    weights are drawn with the chosen scheme, its σ (or uniform bound) multiplied by the
    slider's scale; biases are 0. The figure shows

    - left: the histogram of each hidden layer's activations (layer 1 at the bottom), on a
      common range set by the first layer (±3 of its standard deviations), values outside
      counted at the edges;
    - middle: the histogram of each layer's weight gradients ∂J/∂W for the mean cross-entropy
      of the batch, on a range set by the last hidden layer;
    - right: the standard deviation of both, layer by layer, on a log scale: a straight line
      going down is a signal that vanishes geometrically, going up one that explodes.

    The status line gives the fraction of dead ReLUs: hidden units (of ReLU, or any activation)
    whose output is 0 for every example of the batch. Such a unit passes no gradient back.

    Parameters
    ----------
    activation : {"tanh", "relu", "leaky_relu", "sigmoid", "linear"}, default "tanh"
    init : str, default "normal"
        One of "zeros", "normal" (N(0, 0.01²)), "uniform" (±1/√fan_in), "xavier_uniform",
        "xavier_normal", "he_uniform", "he_normal".
    scale : float, default 1.0
        Factor on the scheme's σ or bound, 0.1..10.
    width : int, default 100
        Units per hidden layer, 1..500.
    m : int, default 500
        Examples in the batch, 2..1797 (the first m digits).
    seed : int, default 0
        Seed of the weights (>= 0).

    Attributes
    ----------
    activation_dropdown, init_dropdown : ipywidgets.Dropdown
    scale_slider : ipywidgets.FloatLogSlider
    activations : list of np.ndarray, shape (m, width) each
        The hidden layers' outputs, first layer first.
    gradients : list of np.ndarray, shape (fan_in, fan_out) each
        ∂J/∂W of the 10 hidden layers' weights, first layer first.
    activation_std, gradient_std : np.ndarray, shape (10,)
        Their standard deviations per layer.
    dead_fraction : np.ndarray, shape (10,)
        Per hidden layer, the fraction of units that output 0 for every example.
    status : ipywidgets.HTML
    fig : matplotlib.figure.Figure
    widget : ipywidgets.VBox

    Examples
    --------
    ::

        explorer = DepthExplorer()        # tanh, N(0, 0.01²): the activations collapse to 0
        explorer.init_dropdown.value = "xavier_normal"   # the spread stays about the same
    """

    def __init__(
        self,
        *,
        activation: str = "tanh",
        init: str = "normal",
        scale: float = 1.0,
        width: int = 100,
        m: int = 500,
        seed: int = 0,
    ) -> None:
        activation = check_choice(activation, "activation", ACTIVATION_CHOICES)
        init = check_choice(init, "init", tuple(INIT_SCHEMES))
        scale = check_real(scale, "scale")
        if not GAIN_MIN <= scale <= GAIN_MAX:
            raise ValueError(f"scale must lie between {GAIN_MIN} and {GAIN_MAX}, got {scale}")
        self._width = check_int(width, "width", 1, MAX_WIDTH)
        m = check_int(m, "m", 2, MAX_EXAMPLES)
        self._seed = check_int(seed, "seed", 0)
        X, y = digits()
        X, self._y = X[:m], y[:m]
        spread = X.std(axis=0)
        self._X = (X - X.mean(axis=0)) / np.where(spread == 0, 1.0, spread)

        self.activation_dropdown = widgets.Dropdown(
            options=[(ACTIVATIONS[name].label, name) for name in ACTIVATION_CHOICES],
            value=activation,
            description="activation",
        )
        self.init_dropdown = widgets.Dropdown(
            options=list(INIT_SCHEMES), value=init, description="initialization"
        )
        self.scale_slider = make_log_slider(
            scale, GAIN_MIN, GAIN_MAX, description="scale (× σ or bound)", step=0.05
        )
        self.status = widgets.HTML()
        self._output = widgets.Output()
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.activation_dropdown, self.init_dropdown]),
                self.scale_slider,
                self.status,
                self._output,
            ]
        )
        self.fig = Figure(figsize=(12, 4.8), layout="constrained")
        self._act_ax, self._grad_ax, self._std_ax = self.fig.subplots(
            1, 3, width_ratios=[1, 1, 0.9]
        )
        self._compute()
        self._redraw()
        for control in (self.activation_dropdown, self.init_dropdown, self.scale_slider):
            control.observe(self._on_change, names="value")

    @property
    def activation(self) -> str:
        """The activation chosen."""
        return str(self.activation_dropdown.value)

    @property
    def init(self) -> str:
        """The initialization scheme chosen."""
        return str(self.init_dropdown.value)

    @property
    def scale(self) -> float:
        """The factor on the scheme's scale."""
        return float(self.scale_slider.value)

    def _compute(self) -> None:
        """Draw the network for the controls' values; forward and backward pass on the batch."""
        gain = self.scale
        net = build_network(
            (self._X.shape[1], *([self._width] * DEPTH), 10),
            activation=activation_layer(ACTIVATIONS[self.activation]),
            init=lambda n_in, n_out, rng: draw_scheme(self.init, n_in, n_out, rng, gain),
            rng=np.random.default_rng(self._seed),
        )
        self.activations = net.hidden_outputs(self._X)
        with np.errstate(all="ignore"):
            _, grads = net.loss_and_grads(self._X, self._y)
        self.gradients = grads[0 : 2 * DEPTH : 2]
        self.activation_std = np.array([a.std() for a in self.activations])
        self.gradient_std = np.array([g.std() for g in self.gradients])
        self.dead_fraction = np.array([np.mean(np.all(a == 0, axis=0)) for a in self.activations])

    def _redraw(self) -> None:
        """Redraw the three plots and the status line."""
        for ax in (self._act_ax, self._grad_ax, self._std_ax):
            ax.clear()
        finite = [a for a in self.activations if np.isfinite(a).all()]
        act_limit = 3 * self.activation_std[0] if self.activation_std[0] > 0 else 1.0
        grad_limit = 3 * self.gradient_std[-1] if self.gradient_std[-1] > 0 else 1.0
        if len(finite) == len(self.activations) and np.isfinite(act_limit):
            _ridges(self._act_ax, self.activations, _ACT_COLOR, act_limit)
        if all(np.isfinite(g).all() for g in self.gradients) and np.isfinite(grad_limit):
            _ridges(self._grad_ax, self.gradients, _GRAD_COLOR, grad_limit)
        self._act_ax.set(
            xlabel=f"activation value (range ±3σ of layer 1 = ±{act_limit:.3g})",
            ylabel="hidden layer",
            title="Activations, layer by layer",
        )
        self._grad_ax.set(
            xlabel=f"∂J/∂W entry (range ±3σ of layer {DEPTH} = ±{grad_limit:.3g})",
            ylabel="hidden layer",
            title="Weight gradients, layer by layer",
        )
        layers = np.arange(1, DEPTH + 1)
        ax = self._std_ax
        for values, color, marker, ls, label in (
            (self.activation_std, _ACT_COLOR, "o", "-", "activations"),
            (self.gradient_std, _GRAD_COLOR, "s", "--", "weight gradients"),
        ):
            shown = np.isfinite(values) & (values > 0)
            ax.plot(layers[shown], values[shown], color=color, marker=marker, ls=ls, label=label)
        if ax.lines and any(len(line.get_xdata()) for line in ax.lines):
            ax.set_yscale("log")
        ax.set_xticks(layers)
        ax.set(
            xlabel="hidden layer",
            ylabel="standard deviation (log scale)",
            title="Spread per layer",
        )
        ax.legend(loc="best", fontsize="small")
        ax.grid(True, alpha=0.3)
        self.status.value = self._status_html()
        self._show_figure()

    def _status_html(self) -> str:
        distribution, size = init_scale(self.init, self._X.shape[1], self._width)
        size *= self.scale
        law = {
            "zeros": "all weights 0",
            "normal": f"W ~ N(0, {size:.3g}²)",
            "uniform": f"W ~ U(−{size:.3g}, {size:.3g})",
        }[distribution]
        ratio = self.activation_std[-1] / self.activation_std[0] if self.activation_std[0] else 0
        dead = float(np.mean(self.dead_fraction))
        line = (
            f"<b>{html.escape(self.init)}</b> × {self.scale:.3g} ({html.escape(law)} for a"
            f" layer of {self._width}) · {html.escape(ACTIVATIONS[self.activation].label)} ·"
            f" spread of layer {DEPTH} / layer 1: {ratio:.3g} · dead units: {dead:.1%}"
        )
        if self.init == "zeros":
            hint = (
                "All-zero weights: every unit of a layer computes the same thing and gets the"
                " same gradient, so training can never make them differ."
            )
        elif not np.isfinite(self.activation_std).all() or ratio > 1e2:
            hint = "The spread explodes layer by layer: the weights are too large."
        elif ratio < 1e-2:
            hint = "The spread collapses towards 0 layer by layer: the weights are too small."
        else:
            hint = ""
        return line + (f"<br><i>{html.escape(hint)}</i>" if hint else "")
