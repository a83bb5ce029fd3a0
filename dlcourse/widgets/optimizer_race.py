"""The week-4 optimizer race: SGD, momentum, Nesterov, AdaGrad, RMSProp, Adadelta and Adam side
by side on a 2-D test surface.

Public API (re-exported by :mod:`dlcourse.widgets`)
---------------------------------------------------
OptimizerRaceExplorer  a surface menu, learning-rate and β sliders and a play button with a
                       step slider; draws every optimizer's path on the surface's contours up to
                       the chosen step, and f against the step
OptimizerRace          the same class under its former name (kept working)
SURFACE_LRS            each surface's default learning rates (formerly ``DEFAULT_LRS``, which
                       still works here; ``dlcourse.optimizer_demo.DEFAULT_LRS`` is another
                       thing: a learning rate per optimizer on the digits)

The race computes the paths with the private ``dlcourse._core.optim`` (PyTorch's update
rules); it never hands out an optimizer.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from dlcourse._core.checks import check_choice, check_int, check_real
from dlcourse._core.explorer import SLIDER_WIDTH, ExplorerDisplay, make_lr_slider
from dlcourse._core.optim import OPTIMIZER_INFO, run_on_surface, surface_grid
from dlcourse._core.style import path_style
from dlcourse.surfaces import SURFACES, Surface, get_surface, plot_surface_contours

__all__ = ["SURFACE_LRS", "OptimizerRaceExplorer"]

OPTIMIZERS: tuple[str, ...] = tuple(OPTIMIZER_INFO)
"""Names the race accepts: "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta",
"adam"."""

LR_MIN, LR_MAX = 1e-4, 1.0
"""Ends of the learning-rate slider."""

BETA_MAX = 0.99
"""Upper end of the β slider (its lower end is 0)."""

MAX_STEPS = 2000
"""Largest accepted ``steps``."""

SURFACE_LRS: dict[str, tuple[float, float]] = {
    "ravine": (0.12, 0.24),
    "rosenbrock": (0.0015, 0.2),
    "saddle": (0.01, 0.05),
    "local_minimum": (0.02, 0.05),
}
"""Per surface: (learning rate of SGD, momentum and Nesterov; learning rate of AdaGrad, RMSProp
and Adam) that tell each surface's story. The slider sets the first; the second keeps its
ratio to it."""

DEFAULT_LRS = SURFACE_LRS
"""Former name of :data:`SURFACE_LRS` (kept working)."""

ADADELTA_LR = 1.0
"""Adadelta always runs with PyTorch's default lr = 1: it sets its own step sizes."""

_MARKER_EVERY_STEPS = 10
"""Trails carry their marker every this many steps (a second cue besides colour and dashes)."""
_LOSS_FLOOR = 1e-16
"""f − f* below this is drawn at this height on the log axis."""
_PLAY_INTERVAL_MS = 150
_LOSS_GRID_SIZE = 200
"""Grid points per axis on which the loss axis's top (f's largest value in the box) is found."""


def _check_optimizers(optimizers: object) -> tuple[str, ...]:
    """The optimizers to race, in the race's order; all of them for None."""
    if optimizers is None:
        return OPTIMIZERS
    listed = ", ".join(repr(name) for name in OPTIMIZERS)
    if isinstance(optimizers, str) or not isinstance(optimizers, (Sequence, set, frozenset)):
        raise TypeError(
            f"optimizers must be a list of names, e.g. ['sgd', 'momentum', 'adam'], from {listed}; "
            f"got {optimizers!r}"
        )
    names = [check_choice(name, "optimizer", OPTIMIZERS) for name in optimizers]
    if not names:
        raise ValueError(f"optimizers must name at least one optimizer from {listed}")
    if len(set(names)) != len(names):
        raise ValueError(f"optimizers lists a name twice: {names!r}")
    return tuple(name for name in OPTIMIZERS if name in names)


class OptimizerRaceExplorer(ExplorerDisplay):
    """Race optimizers from one starting point on a 2-D surface and watch where they go.

    Every optimizer follows PyTorch's update rule (``torch.optim`` with its defaults) from
    the surface's start point for ``steps`` updates. The left plot draws each path, up to the
    step on the step slider, on the surface's contours; the right plot shows f − f* (the
    height above the global minimum, log scale) against the step, or f itself on the saddle,
    which has no minimum. Press play to animate the race in the browser; the status line
    gives each optimizer's f at the current step and says which runs diverged.

    Learning rates: no single learning rate suits every rule, because SGD's step is lr times
    the gradient while AdaGrad's, RMSProp's and Adam's is about lr whatever the gradient's
    size. The slider sets the learning rate of SGD, momentum and Nesterov; AdaGrad, RMSProp
    and Adam use a fixed multiple of it per surface (:data:`SURFACE_LRS`: 2× on the ravine);
    Adadelta always uses lr = 1 (it sets its own step sizes). The legend gives every rate.
    Choosing another surface resets the slider to that surface's default.

    The β slider is the momentum coefficient of momentum and Nesterov and Adam's β₁
    (PyTorch's v ← βv + g: with β = 0.9 momentum's steps grow up to 1/(1 − β) = 10 times
    SGD's). RMSProp's α = 0.99, Adam's β₂ = 0.999 and Adadelta's ρ = 0.9 stay at PyTorch's
    defaults.

    With the defaults (the ravine, lr 0.12, β = 0.9, 150 steps) plain SGD crawls along the
    valley floor, momentum and Nesterov overshoot but arrive far sooner, RMSProp and Adam go
    steadily down the middle, AdaGrad's steps keep shrinking and Adadelta barely starts.
    RMSProp's first step is 1/√(1 − α) = 10 times its lr: it has no bias correction, so its
    running average of g² starts 100 times too small (Adam corrects for this).
    Raise lr above 0.136 and Nesterov diverges (it tolerates a smaller lr·curvature than
    momentum); above 0.2 SGD diverges too.

    Parameters
    ----------
    surface : {"ravine", "rosenbrock", "saddle", "local_minimum"}, default "ravine"
        Initial surface (see :mod:`dlcourse.surfaces`).
    lr : float, optional
        Initial learning rate of SGD, momentum and Nesterov, 1e-4..1; by default the
        surface's entry in :data:`SURFACE_LRS`.
    beta : float, default 0.9
        Initial β, 0..0.99.
    steps : int, default 150
        Number of updates each optimizer makes, 1..2000 (the step slider's maximum).
    optimizers : sequence of str, optional
        Which optimizers race, from "sgd", "momentum", "nesterov", "adagrad", "rmsprop",
        "adadelta", "adam"; all of them by default.

    Attributes
    ----------
    surface_dropdown : ipywidgets.Dropdown
    lr_slider : ipywidgets.FloatLogSlider
    beta_slider : ipywidgets.FloatSlider
    play : ipywidgets.Play
        Linked in the browser (``jslink``) to ``step_slider``. In Python, without a browser,
        set ``step_slider.value`` instead.
    step_slider : ipywidgets.IntSlider
        0..steps; starts at ``steps`` (the whole race).
    paths : dict {str: np.ndarray of shape (k, 2)}
        Every optimizer's points, start first; k = steps + 1 unless the run diverged.
        Read-only arrays.
    lrs : dict {str: float}
        The learning rate each optimizer used.
    status : ipywidgets.HTML
        Starts with "step N of M"; then "name f = value" for every optimizer.
    fig : matplotlib.figure.Figure
        Left the contours and the paths up to the current step, right f against the step. A
        bare Figure, not managed by pyplot.
    widget : ipywidgets.VBox
        The controls, status and the figure's Output, ready to display.

    Examples
    --------
    ::

        race = OptimizerRaceExplorer()
        race                              # shows the widget; press play
        race.step_slider.value = 20       # in Python: every path drawn up to step 20
        race.surface_dropdown.value = "saddle"
    """

    def __init__(
        self,
        *,
        surface: str = "ravine",
        lr: float | None = None,
        beta: float = 0.9,
        steps: int = 150,
        optimizers: Sequence[str] | None = None,
    ) -> None:
        surface = check_choice(surface, "surface", tuple(SURFACES))
        if lr is not None:
            lr = check_real(lr, "lr", LR_MIN, LR_MAX, note=" (or be None)")
        beta = check_real(beta, "beta", 0.0, BETA_MAX)
        self._steps = check_int(steps, "steps", 1, MAX_STEPS)
        self._names = _check_optimizers(optimizers)
        self._resetting_lr = False

        self.surface_dropdown = widgets.Dropdown(
            options=tuple(SURFACES), value=surface, description="surface"
        )
        self.lr_slider = make_lr_slider(
            SURFACE_LRS[surface][0] if lr is None else lr, LR_MIN, LR_MAX
        )
        self.lr_slider.description = "learning rate (SGD)"
        self.beta_slider = widgets.FloatSlider(
            value=beta,
            min=0.0,
            max=BETA_MAX,
            step=0.01,
            description="β (momentum, Adam β₁)",
            readout_format=".2f",
            continuous_update=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width=SLIDER_WIDTH),
        )
        self.play = widgets.Play(
            value=self._steps,
            min=0,
            max=self._steps,
            step=1,
            interval=_PLAY_INTERVAL_MS,
            description="play the race",
        )
        self.step_slider = widgets.IntSlider(
            value=self._steps,
            min=0,
            max=self._steps,
            step=1,
            description="step",
            continuous_update=False,
            layout=widgets.Layout(width=SLIDER_WIDTH),
        )
        self._step_link = widgets.jslink((self.play, "value"), (self.step_slider, "value"))
        self.status = widgets.HTML()
        self._output = widgets.Output()
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.surface_dropdown, self.lr_slider]),
                widgets.HBox([self.beta_slider, self.play, self.step_slider]),
                self.status,
                self._output,
            ]
        )
        self.fig = Figure(figsize=(12, 5), layout="constrained")

        self._compute()
        self._build_figure()
        self._redraw()
        self.surface_dropdown.observe(self._on_surface_change, names="value")
        self.lr_slider.observe(self._on_setting_change, names="value")
        self.beta_slider.observe(self._on_setting_change, names="value")
        self.step_slider.observe(self._on_step_change, names="value")

    # -- the controls' current values --------------------------------------------------------

    @property
    def surface(self) -> Surface:
        """The surface currently chosen."""
        return get_surface(str(self.surface_dropdown.value))

    @property
    def lr(self) -> float:
        """The learning rate on the slider (SGD, momentum, Nesterov)."""
        return float(self.lr_slider.value)

    @property
    def beta(self) -> float:
        """The β on the slider."""
        return float(self.beta_slider.value)

    @property
    def step(self) -> int:
        """The step on the step slider."""
        return int(self.step_slider.value)

    @property
    def optimizers(self) -> tuple[str, ...]:
        """The optimizers racing."""
        return self._names

    # -- computing ---------------------------------------------------------------------------

    def _learning_rates(self) -> dict[str, float]:
        sgd_lr, adaptive_lr = SURFACE_LRS[self.surface.name]
        by_family = {
            "sgd": self.lr,
            "adaptive": self.lr * adaptive_lr / sgd_lr,
            "adadelta": ADADELTA_LR,
        }
        return {name: by_family[OPTIMIZER_INFO[name].family] for name in self._names}

    def _compute(self) -> None:
        """Run every optimizer for the current surface, lr and β; sets ``paths`` and ``lrs``."""
        surface = self.surface
        self.lrs = self._learning_rates()
        self.paths = {}
        self._values = {}
        for name in self._names:
            path = run_on_surface(
                name, surface, surface.start, self.lrs[name], self.beta, self._steps
            )
            path.flags.writeable = False
            self.paths[name] = path
            self._values[name] = surface._value(path[:, 0], path[:, 1])

    def _index(self, name: str) -> int:
        """Row of ``paths[name]`` shown at the current step (the last one if it stopped)."""
        return min(self.step, len(self.paths[name]) - 1)

    # -- drawing -----------------------------------------------------------------------------

    def _label(self, name: str) -> str:
        optimizer = OPTIMIZER_INFO[name]
        beta = f", β {self.beta:.2f}" if optimizer.uses_beta else ""
        return f"{optimizer.label} (lr {self.lrs[name]:.3g}{beta})"

    def _build_figure(self) -> None:
        """Make both plots for the current surface, with one (empty) line per optimizer."""
        surface = self.surface
        self.fig.clear()
        self._path_ax, self._loss_ax = self.fig.subplots(1, 2, width_ratios=[1.35, 1])
        plot_surface_contours(surface, ax=self._path_ax)
        self._path_ax.get_legend().remove()  # its entries join the figure's legend
        self._trails: dict[str, Line2D] = {}
        self._heads: dict[str, Line2D] = {}
        self._curves: dict[str, Line2D] = {}
        for name in self._names:
            style = path_style(list(OPTIMIZER_INFO).index(name))
            marker = style.pop("marker")
            (self._trails[name],) = self._path_ax.plot(
                [],
                [],
                lw=1.8,
                marker=marker,
                ms=5,
                markevery=_MARKER_EVERY_STEPS,
                zorder=3,
                gid=f"trail:{name}",
                **style,
            )
            (self._heads[name],) = self._path_ax.plot(
                [],
                [],
                marker=marker,
                ms=11,
                mec="white",
                mew=1.2,
                ls="none",
                color=style["color"],
                zorder=6,
                gid=f"position:{name}",
            )
            (self._curves[name],) = self._loss_ax.plot(
                [],
                [],
                lw=1.8,
                marker=marker,
                ms=5,
                markevery=_MARKER_EVERY_STEPS,
                gid=f"curve:{name}",
                **style,
            )
        x0, y0 = surface.start
        self._path_ax.plot(
            x0, y0, "o", ms=10, mfc="white", mec="black", mew=2, zorder=5, label="start"
        )
        self._step_line = self._loss_ax.axvline(self.step, color="0.4", lw=1, ls=":")
        self._setup_loss_axes(surface)

    def _setup_loss_axes(self, surface: Surface) -> None:
        ax = self._loss_ax
        ax.set_xlim(0, self._steps)
        ax.set_xlabel("step (number of updates)")
        _, _, F = surface_grid(surface, _LOSS_GRID_SIZE)
        if surface.min_value is None:
            low, high = float(F.min()), float(F.max())
            margin = 0.05 * (high - low)
            ax.set_ylim(low - margin, high + margin)
            ax.axhline(0.0, color="black", lw=0.8)
            ax.set_ylabel("$f(x, y)$")
            ax.set_title("f at each step (f has no minimum)")
        else:
            ax.set_yscale("log")
            ax.set_ylabel("$f - f^*$ (height above the minimum, log scale)")
            ax.set_title("How far above the global minimum")
            self._loss_top = 10.0 * (float(F.max()) - surface.min_value)
        ax.grid(True, alpha=0.3)

    def _redraw(self) -> None:
        """Redraw the curves, labels and everything that depends on the step."""
        surface = self.surface
        for name in self._names:
            label = self._label(name)
            self._trails[name].set_label(label)
            values = self._values[name]
            if surface.min_value is not None:
                values = np.maximum(values - surface.min_value, _LOSS_FLOOR)
            self._curves[name].set_data(np.arange(len(values)), values)
        if surface.min_value is not None:
            lowest = min(float(np.min(self._curves[n].get_ydata())) for n in self._names)
            self._loss_ax.set_ylim(max(_LOSS_FLOOR, 0.3 * lowest), self._loss_top)
        if self.fig.legends:
            (legend,) = self.fig.legends
            texts = legend.get_texts()[: len(self._names)]  # the optimizers come first
            for text, name in zip(texts, self._names, strict=True):
                text.set_text(self._label(name))
        else:
            # One legend, outside the axes: a fast optimizer's path can fill the whole
            # contour plot, leaving no place inside where a legend would hide no data.
            trails = [self._trails[name] for name in self._names]
            handles, _ = self._path_ax.get_legend_handles_labels()
            marks = [h for h in handles if h not in trails]  # the start, the minima
            self.fig.legend(
                handles=trails + marks,
                loc="outside right upper",
                fontsize="small",
                title="optimizer",
            )
        self._move_to_step()

    def _move_to_step(self) -> None:
        """Cut every trail at the current step, move the markers, the status and refresh."""
        for name in self._names:
            path = self.paths[name]
            shown = path[: self._index(name) + 1]
            self._trails[name].set_data(shown[:, 0], shown[:, 1])
            self._heads[name].set_data(shown[-1:, 0], shown[-1:, 1])
        self._step_line.set_xdata([self.step, self.step])
        self._path_ax.set_title(f"{self.surface.formula}: step {self.step} of {self._steps}")
        self.status.value = self._status_html()
        self._show_figure()

    def _status_html(self) -> str:
        surface = self.surface
        parts, notes = [], []
        for name in self._names:
            label = OPTIMIZER_INFO[name].label
            value = float(self._values[name][self._index(name)])
            parts.append(f"{html.escape(label)} <i>f</i> = {value:.3g}")
            made = len(self.paths[name]) - 1
            if made < self._steps:
                if surface.min_value is None:
                    notes.append(f"{label} ran off without bound after {made} steps.")
                else:
                    notes.append(
                        f"{label} diverged after {made} steps: its learning rate is too large."
                    )
        line = f"<b>step {self.step} of {self._steps}</b> · " + " · ".join(parts)
        if surface.min_value is not None:
            line += f" · minimum <i>f</i>* = {surface.min_value:.3g}"
        return line + (f"<br><i>{html.escape(' '.join(notes))}</i>" if notes else "")

    # -- observers ---------------------------------------------------------------------------

    def _on_surface_change(self, change: dict[str, Any]) -> None:
        """New surface: reset the learning rate to its default, rerun, rebuild the figure."""
        self._resetting_lr = True
        try:
            self.lr_slider.value = SURFACE_LRS[self.surface.name][0]
        finally:
            self._resetting_lr = False
        self._compute()
        self._build_figure()
        self._redraw()

    def _on_setting_change(self, change: dict[str, Any]) -> None:
        """New lr or β: rerun and redraw."""
        if self._resetting_lr:
            return
        self._compute()
        self._redraw()

    def _on_step_change(self, change: dict[str, Any]) -> None:
        """New step: only the trails, markers and status move."""
        self._move_to_step()


OptimizerRace = OptimizerRaceExplorer
"""Former name of :class:`OptimizerRaceExplorer` (kept working)."""
