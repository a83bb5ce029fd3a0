"""The week-7 denoising explorer: corrupted digits, and what a denoising autoencoder makes of them.

Public API (re-exported by :mod:`dlcourse.widgets`)
---------------------------------------------------
DenoisingExplorer  a menu for the corruption (Gaussian noise, masking, salt and pepper) and a
                   level slider; redraws corrupted test digits, their reconstructions by a
                   denoising autoencoder and by a plain one, and the clean originals, with the
                   errors of each

The autoencoders are trained with the private ``dlcourse._core`` maths (one denoising autoencoder
per kind of corruption, at one training level, and one plain autoencoder), once per session.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from dlcourse._core import autoencoder as core
from dlcourse._core.checks import check_choice, check_int, check_real
from dlcourse._core.digit_images import draw_digits
from dlcourse._core.explorer import SLIDER_WIDTH, ExplorerDisplay
from dlcourse._core.style import format_number

__all__ = ["TRAINING_LEVELS", "DenoisingExplorer"]

TRAINING_LEVELS = {"gaussian": 0.3, "masking": 0.3, "salt_pepper": 0.1}
"""The level each kind's denoising autoencoder is trained at (σ, or a probability)."""

KIND_LABELS = {
    "gaussian": "Gaussian noise (level = σ)",
    "masking": "masking (level = probability of 0)",
    "salt_pepper": "salt and pepper (level = probability)",
}
CODE_SIZE = 32
MAX_IMAGES = 12
_ROWS = ("corrupted input", "denoising autoencoder", "plain autoencoder", "clean original")


class DenoisingExplorer(ExplorerDisplay):
    """Corrupt test digits, then reconstruct them with a denoising and a plain autoencoder.

    Both autoencoders are 64 → 32 (sigmoid) → 64, trained on the 1078 training digits (pixels
    divided by 16) with Adam for ``epochs`` epochs. The denoising one of each kind saw every
    training batch freshly corrupted at :data:`TRAINING_LEVELS` and was asked for the clean
    batch; the plain one only ever saw clean digits. The slider corrupts the 360 test digits (a
    fixed draw, ``numpy.random.default_rng(seed)``) at any level; nothing is retrained, so you can
    see how each model copes with less or more corruption than it was trained for.

    The status line gives the error J = 1/(2m)·Σ‖x̂ − x_clean‖² over the test digits of the
    corrupted inputs themselves and of both reconstructions.

    Parameters
    ----------
    kind : {"gaussian", "masking", "salt_pepper"}, default "masking"
    level : float, default 0.3
        0..1: σ of the Gaussian noise, or the probability that an entry is corrupted.
    n_images : int, default 8
        Test digits shown, 1..12.
    epochs : int, default 20
        Training epochs of each autoencoder, 1..200.
    seed : int, default 0
        Seed of the training runs and of the test digits' corruption.

    Attributes
    ----------
    kind_dropdown : ipywidgets.Dropdown
    level_slider : ipywidgets.FloatSlider
    corrupted : np.ndarray, shape (360, 64)
        The corrupted test digits.
    errors : dict {str: float}
        "corrupted input", "denoising autoencoder", "plain autoencoder": J against the clean
        test digits.
    status : ipywidgets.HTML
    fig : matplotlib.figure.Figure
    widget : ipywidgets.VBox
    """

    def __init__(
        self,
        *,
        kind: str = "masking",
        level: float = 0.3,
        n_images: int = 8,
        epochs: int = 20,
        seed: int = 0,
    ) -> None:
        kind = check_choice(kind, "kind", core.CORRUPTIONS)
        level = check_real(level, "level", 0.0, 1.0)
        self._n_images = check_int(n_images, "n_images", 1, MAX_IMAGES)
        self._epochs = check_int(epochs, "epochs", 1, 200)
        self._seed = check_int(seed, "seed", 0)
        self._X_test = core.digits_split()[2]

        self.kind_dropdown = widgets.Dropdown(
            options=[(KIND_LABELS[k], k) for k in core.CORRUPTIONS],
            value=kind,
            description="corruption",
            style={"description_width": "initial"},
        )
        self.level_slider = widgets.FloatSlider(
            value=level,
            min=0.0,
            max=1.0,
            step=0.05,
            description="level",
            continuous_update=False,
            readout_format=".2f",
            style={"description_width": "initial"},
            layout=widgets.Layout(width=SLIDER_WIDTH),
        )
        self.status = widgets.HTML()
        self._output = widgets.Output()
        self.widget = widgets.VBox(
            [widgets.HBox([self.kind_dropdown, self.level_slider]), self.status, self._output]
        )
        self.fig = Figure(figsize=(0.9 * self._n_images + 0.6, 5.6))
        self._axes = self.fig.subplots(len(_ROWS), 1)
        self.fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.88, hspace=0.35)
        self._compute()
        self._redraw()
        for control in (self.kind_dropdown, self.level_slider):
            control.observe(self._on_change, names="value")

    @property
    def kind(self) -> str:
        """The corruption chosen."""
        return str(self.kind_dropdown.value)

    @property
    def level(self) -> float:
        """The corruption's level."""
        return float(self.level_slider.value)

    def _compute(self) -> None:
        """Corrupt the test digits; reconstruct them with both autoencoders; the errors."""
        X = self._X_test
        rng = np.random.default_rng(self._seed)
        self.corrupted = core.corrupted(X, self.kind, self.level, rng)
        denoising = core.digits_autoencoder(
            CODE_SIZE,
            corruption=(self.kind, TRAINING_LEVELS[self.kind]),
            epochs=self._epochs,
            seed=self._seed,
        )
        plain = core.digits_autoencoder(CODE_SIZE, epochs=self._epochs, seed=self._seed)
        self.denoised = denoising.reconstruct(self.corrupted)
        self.plain = plain.reconstruct(self.corrupted)
        self.errors = {
            _ROWS[0]: core.squared_error(self.corrupted, X),
            _ROWS[1]: core.squared_error(self.denoised, X),
            _ROWS[2]: core.squared_error(self.plain, X),
        }

    def _redraw(self) -> None:
        k = self._n_images
        rows = (self.corrupted[:k], self.denoised[:k], self.plain[:k], self._X_test[:k])
        for ax, label, images in zip(self._axes, _ROWS, rows, strict=True):
            error = self.errors.get(label)
            shown = "" if error is None else f" (J = {format_number(error)})"
            draw_digits(ax, images, title=label + shown)
        trained = TRAINING_LEVELS[self.kind]
        self.fig.suptitle(
            f"{KIND_LABELS[self.kind].split(' (')[0].capitalize()} at level {self.level:.2f}"
            f" (the denoising autoencoder was trained at {trained:g})"
        )
        shown = " · ".join(
            f"{html.escape(name)} {html.escape(format_number(value))}"
            for name, value in self.errors.items()
        )
        self.status.value = f"error J against the clean test digits: {shown}"
        self._show_figure()
