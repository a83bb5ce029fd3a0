"""The week-6 overfitting lab: a too-large network on a few digits, and what L2 and dropout do.

Public API (re-exported by :mod:`dlcourse.widgets`)
---------------------------------------------------
OverfittingExplorer  sliders for the training-set size, the L2 strength λ and the dropout
                     probability p; redraws the training and validation loss and accuracy of
                     a 256-unit network after every epoch, marks where early stopping would
                     stop, and keeps every run it trained, so going back is instant

The penalty, dropout layer and early stopping are the private ``dlcourse._core`` ones (students
write their own in week 6); the training is :func:`dlcourse.regularization_demo.train_mlp_with`.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from dlcourse._core.checks import check_int
from dlcourse._core.explorer import SLIDER_WIDTH, ExplorerDisplay
from dlcourse._core.regularization import inverted_dropout, stopping_epochs, weight_decay
from dlcourse._core.style import PALETTE
from dlcourse.regularization_demo import OVERFIT_HIDDEN, digits_subset, train_mlp_with

__all__ = ["OverfittingExplorer"]

SIZES = (50, 100, 200, 400)
"""Training-set sizes the slider offers (the first images of the fixed training split)."""

LAMBDAS = (0.0, 1e-4, 1e-3, 1e-2, 3e-2, 0.1, 0.3)
"""L2 strengths the slider offers."""

DROPOUT_PS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
"""Dropout probabilities the slider offers."""

PATIENCE = 10
"""Early stopping's patience, in epochs, for the marked stopping point."""

_TRAIN_COLOR, _VAL_COLOR = PALETTE["blue"], PALETTE["vermillion"]


def _selection_slider(options, value, description: str, labels) -> widgets.SelectionSlider:
    return widgets.SelectionSlider(
        options=[(label, option) for label, option in zip(labels, options, strict=True)],
        value=value,
        description=description,
        continuous_update=False,
        style={"description_width": "initial"},
        layout=widgets.Layout(width=SLIDER_WIDTH),
    )


def _check_option(value: object, name: str, options: tuple) -> object:
    if value not in options:
        raise ValueError(f"{name} must be one of {list(options)}, got {value!r}")
    return value


class OverfittingExplorer(ExplorerDisplay):
    """Watch a network learn its training set by heart, and regularization hold it back.

    A network with one hidden layer of 256 ReLU units (about 19,000 weights) is trained with
    Adam (lr 3e-3, full batches) on the first ``n`` images of the digits' fixed training split
    and measured after every epoch on the 359 validation images
    (:func:`dlcourse.regularization_demo.digits_subset`), with an L2 penalty λ/2·Σ‖W‖² and
    inverted dropout of probability p after the hidden layer. The figure shows

    - left: training (dotted) and validation (solid) cross-entropy per epoch, with the epoch
      early stopping (patience 10) would keep marked on the validation curve;
    - right: training and validation accuracy per epoch.

    Every run is kept: a setting seen before redraws at once; a new one trains in a fraction
    of a second. All runs start from the same weights (``seed``).

    Parameters
    ----------
    n_train : int, default 100
        One of 50, 100, 200, 400.
    lam : float, default 0.0
        One of 0, 1e-4, 1e-3, 1e-2, 3e-2, 0.1, 0.3.
    p : float, default 0.0
        One of 0, 0.1, ..., 0.7.
    epochs : int, default 100
        Epochs per run, 10..300 (one full-batch step each).
    seed : int, default 0
        Seed (>= 0) of the weights and the dropout masks.

    Attributes
    ----------
    size_slider, lam_slider, p_slider : ipywidgets.SelectionSlider
    history : dict
        The current run's :func:`dlcourse.regularization_demo.train_mlp_with` result.
    best_epoch, stop_epoch : int
        Early stopping on its validation loss (epochs from 0).
    runs : dict {(n_train, lam, p): history}
        Every run trained so far.
    status : ipywidgets.HTML
    fig : matplotlib.figure.Figure
    widget : ipywidgets.VBox

    Examples
    --------
    ::

        lab = OverfittingExplorer()     # 100 digits, no regularization: a wide gap
        lab.p_slider.value = 0.5        # dropout narrows it
    """

    def __init__(
        self,
        *,
        n_train: int = 100,
        lam: float = 0.0,
        p: float = 0.0,
        epochs: int = 100,
        seed: int = 0,
    ) -> None:
        n_train = _check_option(n_train, "n_train", SIZES)
        lam = _check_option(lam, "lam", LAMBDAS)
        p = _check_option(p, "p", DROPOUT_PS)
        self._epochs = check_int(epochs, "epochs", 10, 300)
        self._seed = check_int(seed, "seed", 0)
        self._X, self._y, self._X_val, self._y_val = digits_subset(max(SIZES))
        self.runs: dict[tuple[int, float, float], dict] = {}

        self.size_slider = _selection_slider(
            SIZES, n_train, "training images", [str(n) for n in SIZES]
        )
        self.lam_slider = _selection_slider(
            LAMBDAS, lam, "L2 strength λ", ["0"] + [f"{v:g}" for v in LAMBDAS[1:]]
        )
        self.p_slider = _selection_slider(
            DROPOUT_PS, p, "dropout probability p", [f"{v:g}" for v in DROPOUT_PS]
        )
        self.status = widgets.HTML()
        self._output = widgets.Output()
        self.widget = widgets.VBox(
            [self.size_slider, self.lam_slider, self.p_slider, self.status, self._output]
        )
        self.fig = Figure(figsize=(11, 4.2), layout="constrained")
        self._loss_ax, self._acc_ax = self.fig.subplots(1, 2)
        self._compute()
        self._redraw()
        for control in (self.size_slider, self.lam_slider, self.p_slider):
            control.observe(self._on_change, names="value")

    @property
    def setting(self) -> tuple[int, float, float]:
        """(training images, λ, p) chosen on the sliders."""
        return (
            int(self.size_slider.value),
            float(self.lam_slider.value),
            float(self.p_slider.value),
        )

    def _compute(self) -> None:
        """Train the chosen setting (unless it was trained before); early stopping on it."""
        key = self.setting
        if key not in self.runs:
            n, lam, p = key
            dropout = inverted_dropout(p) if p > 0 else None
            self.runs[key] = train_mlp_with(
                self._X[:n],
                self._y[:n],
                self._X_val,
                self._y_val,
                hidden=OVERFIT_HIDDEN,
                epochs=self._epochs,
                batch_size=n,
                seed=self._seed,
                penalty=weight_decay(lam) if lam > 0 else None,
                dropout=None if dropout is None else (dropout.forward, dropout.backward),
            )
        self.history = self.runs[key]
        self.best_epoch, self.stop_epoch = stopping_epochs(self.history["val_loss"], PATIENCE)

    def _redraw(self) -> None:
        """Redraw both plots and the status line."""
        h = self.history
        epochs = np.arange(1, len(h["val_loss"]) + 1)
        for ax, key in ((self._loss_ax, "loss"), (self._acc_ax, "accuracy")):
            ax.clear()
            ax.plot(epochs, h[f"train_{key}"], color=_TRAIN_COLOR, ls=":", lw=2, label="training")
            ax.plot(epochs, h[f"val_{key}"], color=_VAL_COLOR, ls="-", lw=2, label="validation")
            best = self.best_epoch
            ax.plot(
                [best + 1],
                [h[f"val_{key}"][best]],
                ls="none",
                marker="D",
                ms=8,
                color=PALETTE["black"],
                label=f"early stopping keeps epoch {best + 1}",
            )
            ax.grid(True, alpha=0.3)
            ax.legend(loc="best", fontsize="small")
        self._loss_ax.set_yscale("log")
        self._loss_ax.set(
            xlabel="epoch", ylabel="cross-entropy (log scale)", title="Loss after each epoch"
        )
        self._acc_ax.set(xlabel="epoch", ylabel="accuracy", title="Accuracy after each epoch")
        self._acc_ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        n, lam, p = self.setting
        self.fig.suptitle(f"256 hidden units on {n} digits, λ = {lam:g}, p = {p:g}")
        self.status.value = self._status_html()
        self._show_figure()

    def _status_html(self) -> str:
        h = self.history
        train, val = h["train_accuracy"][-1], h["val_accuracy"][-1]
        kept = h["val_accuracy"][self.best_epoch]
        line = (
            f"after {len(h['val_loss'])} epochs: training accuracy {train:.1%}, validation"
            f" {val:.1%} (gap {train - val:+.1%}) · early stopping keeps epoch"
            f" {self.best_epoch + 1}: validation {kept:.1%}"
        )
        if train < 0.9:
            hint = "Even the training images are not learned well: too much regularization."
        elif train - val > 0.1:
            hint = "A wide gap: the network has learned its training images rather than digits."
        else:
            hint = ""
        return html.escape(line) + (f"<br><i>{html.escape(hint)}</i>" if hint else "")
