"""The week-6 search picture: grid search against random search over two hyperparameters, one
of which matters.

Public API (re-exported by :mod:`dlcourse.widgets`)
---------------------------------------------------
SearchExplorer  a slider for the number of trials and one for the random seed; redraws the
                trials of a grid and of a random search on a made-up validation-accuracy map
                of the learning rate (which matters) and a second hyperparameter (which hardly
                does), with the accuracy along the learning rate below and the best of each
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from dlcourse._core.checks import check_int
from dlcourse._core.explorer import SLIDER_WIDTH, ExplorerDisplay
from dlcourse._core.style import COLORMAP, PALETTE

__all__ = ["SearchExplorer"]

TRIALS = (4, 9, 16, 25, 36)
"""Budgets the slider offers: squares, so the grid is k × k."""

LOG_LR_RANGE = (-4.0, 0.0)
"""The learning rate searched, as log10: 1e-4 .. 1."""

OTHER_RANGE = (0.0, 1.0)
"""The second hyperparameter's range (say, a momentum-like coefficient)."""

BEST_LOG_LR = -2.3
"""Where the made-up accuracy peaks: lr ≈ 5e-3, between the grid's lines for most budgets."""

_GRID_COLOR, _RANDOM_COLOR = PALETTE["blue"], PALETTE["vermillion"]


def validation_accuracy(log_lr: np.ndarray, other: np.ndarray) -> np.ndarray:
    """The made-up validation accuracy of the picture, shape of the (broadcast) inputs.

    It peaks at 97% for log10(lr) = -2.3 and falls off quickly on either side; the second
    hyperparameter moves it by at most half a percentage point.
    """
    log_lr, other = np.asarray(log_lr, dtype=float), np.asarray(other, dtype=float)
    return (
        0.97 - 0.6 * (1 - np.exp(-((log_lr - BEST_LOG_LR) ** 2) / 0.3)) + 0.005 * np.sin(3 * other)
    )


class SearchExplorer(ExplorerDisplay):
    """Grid search against random search, with the same number of trials.

    With k × k trials a grid tries only k distinct learning rates, evenly spaced on a log
    scale from 1e-4 to 1, each k times (once per value of the other hyperparameter); random
    search draws both hyperparameters of every trial uniformly (the learning rate on a log
    scale), so its k² trials try k² distinct learning rates. When only one hyperparameter
    matters, random search therefore looks much more closely along it.

    The figure shows the made-up validation-accuracy map with the grid's trials (left) and the
    random trials (middle), and, right, the accuracy along the learning rate with the rates
    each search tried and the best it found.

    Parameters
    ----------
    trials : int, default 9
        One of 4, 9, 16, 25, 36.
    seed : int, default 0
        Seed (0..99) of the random search.

    Attributes
    ----------
    trials_slider : ipywidgets.SelectionSlider
    seed_slider : ipywidgets.IntSlider
    grid_points, random_points : np.ndarray, shape (trials, 2)
        (log10 lr, other) of each trial.
    grid_best, random_best : float
        The best validation accuracy each search found.
    status : ipywidgets.HTML
    fig : matplotlib.figure.Figure
    widget : ipywidgets.VBox
    """

    def __init__(self, *, trials: int = 9, seed: int = 0) -> None:
        if trials not in TRIALS:
            raise ValueError(f"trials must be one of {list(TRIALS)}, got {trials!r}")
        seed = check_int(seed, "seed", 0, 99)
        self.trials_slider = widgets.SelectionSlider(
            options=list(TRIALS),
            value=trials,
            description="trials",
            continuous_update=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width=SLIDER_WIDTH),
        )
        self.seed_slider = widgets.IntSlider(
            value=seed,
            min=0,
            max=99,
            description="random seed",
            continuous_update=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width=SLIDER_WIDTH),
        )
        self.status = widgets.HTML()
        self._output = widgets.Output()
        self.widget = widgets.VBox(
            [self.trials_slider, self.seed_slider, self.status, self._output]
        )
        self.fig = Figure(figsize=(13, 4.2), layout="constrained")
        self._grid_ax, self._random_ax, self._line_ax = self.fig.subplots(1, 3)
        a = np.linspace(*LOG_LR_RANGE, 200)
        b = np.linspace(*OTHER_RANGE, 100)
        self._map = (a, b, validation_accuracy(a[None, :], b[:, None]))
        self._compute()
        self._redraw()
        for control in (self.trials_slider, self.seed_slider):
            control.observe(self._on_change, names="value")

    def _compute(self) -> None:
        """The grid's and the random search's trials and the best accuracy of each."""
        n = int(self.trials_slider.value)
        k = int(round(np.sqrt(n)))
        a, b = np.meshgrid(np.linspace(*LOG_LR_RANGE, k), np.linspace(*OTHER_RANGE, k))
        self.grid_points = np.column_stack([a.ravel(), b.ravel()])
        rng = np.random.default_rng(int(self.seed_slider.value))
        self.random_points = np.column_stack(
            [rng.uniform(*LOG_LR_RANGE, size=n), rng.uniform(*OTHER_RANGE, size=n)]
        )
        self.grid_best = float(validation_accuracy(*self.grid_points.T).max())
        self.random_best = float(validation_accuracy(*self.random_points.T).max())

    def _redraw(self) -> None:
        """Redraw the two maps, the line along the learning rate and the status."""
        a, b, score = self._map
        for ax, points, color, marker, name in (
            (self._grid_ax, self.grid_points, _GRID_COLOR, "s", "Grid search"),
            (self._random_ax, self.random_points, _RANDOM_COLOR, "o", "Random search"),
        ):
            ax.clear()
            ax.pcolormesh(a, b, score, cmap=COLORMAP, shading="auto")
            ax.plot(*points.T, ls="none", marker=marker, ms=7, mfc=color, mec="white", label=name)
            ax.set(
                xlabel="log10 learning rate (matters)",
                ylabel="other hyperparameter (hardly matters)",
                title=f"{name}: {len(np.unique(points[:, 0]))} learning rates tried",
            )
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), fontsize="small")
            ax.set_xlim(LOG_LR_RANGE[0] - 0.15, LOG_LR_RANGE[1] + 0.15)
            ax.set_ylim(OTHER_RANGE[0] - 0.04, OTHER_RANGE[1] + 0.04)
        ax = self._line_ax
        ax.clear()
        ax.plot(a, validation_accuracy(a, 0.5), color=PALETTE["black"], lw=1.5, label="accuracy")
        for points, color, marker, ls, name in (
            (self.grid_points, _GRID_COLOR, "s", "--", "grid"),
            (self.random_points, _RANDOM_COLOR, "o", ":", "random"),
        ):
            scores = validation_accuracy(*points.T)
            ax.plot(
                points[:, 0], scores, ls="none", marker=marker, color=color, label=f"{name} trials"
            )
            ax.axhline(scores.max(), color=color, ls=ls, lw=1.2, label=f"best of {name}")
        ax.set(
            xlabel="log10 learning rate",
            ylabel="validation accuracy",
            title="Accuracy along the learning rate",
        )
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.grid(True, alpha=0.3)
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small")
        n = len(self.grid_points)
        self.status.value = html.escape(
            f"{n} trials each · best validation accuracy: grid {self.grid_best:.1%},"
            f" random {self.random_best:.1%} (the best possible is"
            f" {float(score.max()):.1%})"
        )
        self._show_figure()
