"""The week-7 sparse-features explorer: what the units of a sparse autoencoder respond to.

Public API (re-exported by :mod:`dlcourse.widgets`)
---------------------------------------------------
SparseFeaturesExplorer  a slider for the target activation ρ (or no penalty); redraws the
                        incoming weights of the code units of an overcomplete autoencoder
                        (100 units for 64 pixels) as a grid of 8×8 images, and the histogram of
                        the units' mean activations ρ̂ⱼ on the test digits

The autoencoders are trained with the private ``dlcourse._core`` maths, once per ρ and session
(the first visit of a ρ takes a moment).
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from dlcourse._core import autoencoder as core
from dlcourse._core.checks import check_int, check_real
from dlcourse._core.digit_images import draw_digits, scaled_to_unit
from dlcourse._core.explorer import ExplorerDisplay, make_selection_slider
from dlcourse._core.style import PALETTE, format_number

__all__ = ["RHO_CHOICES", "SparseFeaturesExplorer"]

RHO_CHOICES = (0.0, 0.3, 0.1, 0.05, 0.02)
"""The slider's targets ρ, from none (0: no penalty) to very sparse."""

CODE_SIZE = 100
INIT_GAIN = 0.05
"""W1 starts at 0.05 × its Xavier σ, so the learned patterns are not hidden by the start's noise."""
RARE_PIXEL = 0.05
"""Pixels inked in fewer than this fraction of the training digits are left out of the weight
pictures: they get almost no gradient, so their weights keep their random start."""
GRID = (4, 8)
"""Rows and columns of the grid of units shown (the first 32 of the 100)."""


def _rho_label(rho: float) -> str:
    return "no penalty" if rho == 0 else f"ρ = {rho:g}"


class SparseFeaturesExplorer(ExplorerDisplay):
    """An overcomplete autoencoder with and without the KL sparsity penalty.

    The autoencoder is 64 → 100 (sigmoid) → 64, wider than its input, trained on the 1078
    training digits (pixels divided by 16) with Adam for ``epochs`` epochs, from small weights
    (W1 at :data:`INIT_GAIN` times its Xavier σ), with the penalty
    β·Σⱼ KL(ρ‖ρ̂ⱼ) for the slider's ρ (none at "no penalty"). Each image of the grid is one code
    unit's incoming weights W1[:, j] as an 8×8 picture (grey is 0, dark positive, light
    negative, each on its own scale): the input pattern that excites the unit most. Without the
    penalty the units share the work in blurry, overlapping patterns; with a small ρ each unit
    may fire only for a few digits, and the patterns become localized strokes.

    Parameters
    ----------
    rho : float, default 0.05
        One of :data:`RHO_CHOICES` (0 for no penalty).
    beta : float, default 3.0
        Weight β of the penalty, 0..100.
    epochs : int, default 30
        1..200.
    seed : int, default 0

    Attributes
    ----------
    rho_slider : ipywidgets.SelectionSlider
    features : np.ndarray, shape (100, 64)
        The units' incoming weights, one unit per row; NaN (drawn blank) for the pixels inked in
        fewer than 5% of the training digits (:data:`RARE_PIXEL`), whose weights hardly move
        from their start.
    mean_activations : np.ndarray, shape (100,)
        ρ̂ⱼ: each unit's mean activation over the 360 test digits.
    test_error : float
        The reconstruction error J = 1/(2m)·Σ‖x̂ − x‖² on the test digits.
    status : ipywidgets.HTML
    fig : matplotlib.figure.Figure
    widget : ipywidgets.VBox
    """

    def __init__(
        self, *, rho: float = 0.05, beta: float = 3.0, epochs: int = 30, seed: int = 0
    ) -> None:
        rho = check_real(rho, "rho", 0.0, 1.0)
        if rho not in RHO_CHOICES:
            raise ValueError(f"rho must be one of {RHO_CHOICES} (0: no penalty), got {rho:g}")
        self._beta = check_real(beta, "beta", 0.0, 100.0)
        self._epochs = check_int(epochs, "epochs", 1, 200)
        self._seed = check_int(seed, "seed", 0)
        X_train, _, self._X_test, _ = core.digits_split()
        self._blank = np.mean(X_train > 0, axis=0) < RARE_PIXEL
        self.rho_slider = make_selection_slider(
            [(_rho_label(r), r) for r in RHO_CHOICES], rho, description="target activation"
        )
        self.status = widgets.HTML()
        self._output = widgets.Output()
        self.widget = widgets.VBox([self.rho_slider, self.status, self._output])
        self.fig = Figure(figsize=(12, 4.6))
        grid = self.fig.add_gridspec(
            1, 2, width_ratios=[1.6, 1], left=0.02, right=0.98, bottom=0.12, top=0.86, wspace=0.15
        )
        self._units_ax = self.fig.add_subplot(grid[0, 0])
        self._hist_ax = self.fig.add_subplot(grid[0, 1])
        self._compute()
        self._redraw()
        self.rho_slider.observe(self._on_change, names="value")

    @property
    def rho(self) -> float:
        """The target mean activation chosen (0: no penalty)."""
        return float(self.rho_slider.value)

    def _compute(self) -> None:
        """The autoencoder of the current ρ (trained once), its features and activations."""
        sparsity = None if self.rho == 0 else (self.rho, self._beta)
        net = core.digits_autoencoder(
            CODE_SIZE, sparsity=sparsity, epochs=self._epochs, init_gain=INIT_GAIN, seed=self._seed
        )
        self.features = np.array(net.params[0].T)
        self.features[:, self._blank] = np.nan
        self.mean_activations = net.encode(self._X_test).mean(axis=0)
        self.test_error = core.squared_error(net.reconstruct(self._X_test), self._X_test)

    def _redraw(self) -> None:
        rows, cols = GRID
        draw_digits(
            self._units_ax,
            scaled_to_unit(self.features[: rows * cols]),
            title=f"Incoming weights of {rows * cols} of the {CODE_SIZE} code units",
            columns=cols,
            limits=(-1.0, 1.0),
        )
        ax = self._hist_ax
        ax.clear()
        ax.hist(
            self.mean_activations,
            bins=np.linspace(0, 1, 26),
            color=PALETTE["blue"],
            alpha=0.8,
            label="code units",
        )
        if self.rho > 0:
            ax.axvline(
                self.rho,
                color=PALETTE["vermillion"],
                ls="--",
                lw=2,
                label=f"target ρ = {self.rho:g}",
            )
        ax.set(
            xlabel="mean activation ρ̂ⱼ on the test digits",
            ylabel="number of units",
            title="How often the units fire",
        )
        ax.legend(loc="upper right", fontsize="small")
        self.fig.suptitle(
            f"Sparse autoencoder, 100 units for 64 pixels ({_rho_label(self.rho)},"
            f" β = {self._beta:g}); weights: dark positive, white negative, grey 0"
        )
        quiet = float(np.mean(self.mean_activations < 0.1))
        self.status.value = (
            f"<b>{html.escape(_rho_label(self.rho))}</b> · mean activation of the units"
            f" {html.escape(format_number(float(self.mean_activations.mean())))} · units with"
            f" ρ̂ⱼ below 0.1: {quiet:.0%} · test error J"
            f" {html.escape(format_number(self.test_error))}"
        )
        self._show_figure()
