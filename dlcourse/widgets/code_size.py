"""The week-7 code-size explorer: how much of a digit survives a code of d numbers.

Public API (re-exported by :mod:`dlcourse.widgets`)
---------------------------------------------------
CodeSizeExplorer  a code-size slider (2 … 32); redraws test digits, their reconstructions by a
                  sigmoid autoencoder with a d-unit code and by PCA with d components, and both
                  reconstruction errors against the code size

The autoencoders are trained once per code size with the private ``dlcourse._core`` maths (small,
on the 8×8 digits, a few epochs) and kept for the session, so moving the slider only redraws.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets
from matplotlib.figure import Figure

from dlcourse._core import autoencoder as core
from dlcourse._core.checks import check_int
from dlcourse._core.digit_images import draw_digits
from dlcourse._core.explorer import ExplorerDisplay, make_selection_slider
from dlcourse._core.style import format_number, path_style

__all__ = ["CODE_SIZES", "CodeSizeExplorer"]

CODE_SIZES = (2, 4, 8, 16, 32)
"""The slider's code sizes."""

MAX_IMAGES = 12


class CodeSizeExplorer(ExplorerDisplay):
    """Digits squeezed through a code of d units: an autoencoder next to PCA.

    For every code size d of the slider, a sigmoid autoencoder 64 → d → 64 is trained on the
    1078 training digits (pixels divided by 16) with Adam (lr 0.01, batches of 64, ``epochs``
    epochs), and PCA keeps the first d principal components of the same images. The figure
    shows ``n_images`` test digits, each model's reconstruction of them, and the reconstruction
    error J = 1/(2m)·Σ‖x̂ − x‖² of both on the 360 test digits for every code size, the current
    one marked.

    Parameters
    ----------
    code_size : int, default 8
        The starting code size, one of ``code_sizes``.
    code_sizes : sequence of int, default (2, 4, 8, 16, 32)
        The slider's sizes, each 1..64, increasing.
    n_images : int, default 8
        Test digits shown, 1..12.
    epochs : int, default 30
        Training epochs of each autoencoder, 1..200.
    seed : int, default 0

    Attributes
    ----------
    code_slider : ipywidgets.SelectionSlider
    autoencoder_errors, pca_errors : dict {int: float}
        Test reconstruction error J per code size.
    reconstructions, pca_reconstructions : np.ndarray, shape (n_images, 64)
        The shown digits through the current code size.
    status : ipywidgets.HTML
    fig : matplotlib.figure.Figure
    widget : ipywidgets.VBox
    """

    def __init__(
        self,
        *,
        code_size: int = 8,
        code_sizes: Sequence[int] = CODE_SIZES,
        n_images: int = 8,
        epochs: int = 30,
        seed: int = 0,
    ) -> None:
        if isinstance(code_sizes, (str, bytes)) or not isinstance(code_sizes, Sequence):
            raise TypeError(f"code_sizes must be a sequence of integers, got {code_sizes!r}")
        sizes = tuple(check_int(d, "each code size", 1, 64) for d in code_sizes)
        if not sizes or list(sizes) != sorted(set(sizes)):
            raise ValueError(f"code_sizes must be distinct and increasing, got {code_sizes!r}")
        code_size = check_int(code_size, "code_size", 1, 64)
        if code_size not in sizes:
            raise ValueError(f"code_size must be one of {sizes}, got {code_size}")
        self._n_images = check_int(n_images, "n_images", 1, MAX_IMAGES)
        self._epochs = check_int(epochs, "epochs", 1, 200)
        self._seed = check_int(seed, "seed", 0)
        _, _, X_test, _ = core.digits_split()
        self._X_test = X_test
        self.images = X_test[: self._n_images]
        self.autoencoder_errors = {}
        self.pca_errors = {}
        for d in sizes:
            self.autoencoder_errors[d] = core.squared_error(
                self._net(d).reconstruct(X_test), X_test
            )
            self.pca_errors[d] = core.squared_error(core.digits_pca(d).reconstruct(X_test), X_test)

        self.code_slider = make_selection_slider(list(sizes), code_size, description="code size d")
        self.status = widgets.HTML()
        self._output = widgets.Output()
        self.widget = widgets.VBox([self.code_slider, self.status, self._output])
        self.fig = Figure(figsize=(12, 4.8))
        grid = self.fig.add_gridspec(
            3,
            2,
            width_ratios=[2.2, 1],
            left=0.02,
            right=0.98,
            bottom=0.24,
            top=0.87,
            wspace=0.25,
            hspace=0.4,
        )
        self._image_axes = [self.fig.add_subplot(grid[r, 0]) for r in range(3)]
        self._error_ax = self.fig.add_subplot(grid[:, 1])
        self._compute()
        self._redraw()
        self.code_slider.observe(self._on_change, names="value")

    @property
    def code_size(self) -> int:
        """The code size chosen."""
        return int(self.code_slider.value)

    def _net(self, d: int) -> core.Autoencoder:
        return core.digits_autoencoder(d, epochs=self._epochs, seed=self._seed)

    def _compute(self) -> None:
        """The shown digits through the autoencoder and PCA of the current code size."""
        d = self.code_size
        self.reconstructions = self._net(d).reconstruct(self.images)
        self.pca_reconstructions = core.digits_pca(d).reconstruct(self.images)

    def _redraw(self) -> None:
        d = self.code_size
        rows = (
            ("test digit", self.images),
            (f"autoencoder, d = {d}", self.reconstructions),
            (f"PCA, {d} components", self.pca_reconstructions),
        )
        for ax, (label, images) in zip(self._image_axes, rows, strict=True):
            draw_digits(ax, images, title=label)
        ax = self._error_ax
        ax.clear()
        sizes = list(self.autoencoder_errors)
        for index, (label, errors) in enumerate(
            (("autoencoder (sigmoid code)", self.autoencoder_errors), ("PCA", self.pca_errors))
        ):
            ax.plot(sizes, [errors[s] for s in sizes], label=label, **path_style(index))
        ax.axvline(d, color="0.5", lw=1, ls=":")
        ax.set_xscale("log", base=2)
        ax.set_xticks(sizes, [str(s) for s in sizes])
        ax.set(
            xlabel="code size d (log scale)",
            ylabel="test error J = 1/(2m)·Σ‖x̂ − x‖²",
            title="Reconstruction error",
        )
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2, fontsize="small")
        ax.grid(True, alpha=0.3)
        self.fig.suptitle("Test digits through a code of d numbers: autoencoder and PCA")
        self.status.value = (
            f"code size <b>d = {d}</b> (of 64 pixels) · test error J: autoencoder"
            f" {html.escape(format_number(self.autoencoder_errors[d]))}, PCA"
            f" {html.escape(format_number(self.pca_errors[d]))}"
        )
        self._show_figure()
