"""A loss plot that redraws itself while a training loop runs.

Public API
----------
LiveLossPlot  record (step, loss) pairs for one or more labelled curves and redraw a figure
              every few updates, inside a notebook cell's output

In JupyterLab the plot lives in an ``ipywidgets.Output`` that is redrawn in place while the
cell is still running; outside IPython (scripts, tests) it only records and draws on its
figure, silently. It pairs with a progress bar from ``tqdm.auto``::

    from dlcourse.live import LiveLossPlot

    plot = LiveLossPlot(every=20)
    plot.show()                                   # an empty plot appears below the cell
    for step in plot.track(range(2000), desc="training"):   # a tqdm.auto progress bar
        loss = train_one_minibatch()              # your code
        plot.update(step, loss)                   # redrawn every 20 updates
        if step % 100 == 0:
            plot.update(step, validation_loss(), label="validation")

(:meth:`LiveLossPlot.track` redraws once more when the loop ends; without it, call
:meth:`LiveLossPlot.redraw` after the loop.)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import ipywidgets as widgets
import numpy as np
from IPython import get_ipython
from IPython.display import display
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from dlcourse._core.checks import check_bool, check_int, check_real, check_text
from dlcourse._core.style import path_style

__all__ = ["LiveLossPlot"]

MAX_EVERY = 1_000_000
"""Largest accepted ``every``."""

_MARKER_SPACING = 0.1
"""Each curve carries its marker at points about this fraction of the axes apart."""

_DIVERGED_HINT = ": training has probably diverged (try a smaller learning rate)"


class LiveLossPlot:
    """A loss-against-step plot that redraws itself at most every ``every`` updates.

    Parameters
    ----------
    title : str, default "Training loss"
    every : int, default 10
        Redraw after this many calls of :meth:`update` (1 redraws after each one). Redrawing
        a figure takes a few hundredths of a second, so drawing after every step would slow a
        fast loop down.
    xlabel, ylabel : str, default "iteration", "loss"
        Axis labels.
    logy : bool, default True
        Logarithmic loss axis (then every loss must be > 0).

    Attributes
    ----------
    fig : matplotlib.figure.Figure
        The plot: one line per label, each with its own Okabe–Ito colour, line style and
        marker, and a legend right of the axes (it never covers a curve). A bare Figure, not
        managed by pyplot.
    history : dict {str: list of (float, float)}
        Every (step, loss) pair recorded, per label, in the order they came.
    redraws : int
        How many times the figure has been redrawn.
    widget : ipywidgets.Output
        Where the figure is shown; :meth:`show` displays it.
    """

    def __init__(
        self,
        *,
        title: str = "Training loss",
        every: int = 10,
        xlabel: str = "iteration",
        ylabel: str = "loss",
        logy: bool = True,
    ) -> None:
        self._title = check_text(title, "title")
        self._xlabel = check_text(xlabel, "xlabel")
        self._ylabel = check_text(ylabel, "ylabel")
        self.every = check_int(every, "every", 1, MAX_EVERY)
        self.logy = check_bool(logy, "logy")
        self.history: dict[str, list[tuple[float, float]]] = {}
        self.redraws = 0
        self._pending = 0
        self._lines: dict[str, Line2D] = {}
        self._bar: Any = None
        self.widget = widgets.Output()
        self.fig = Figure(figsize=(8, 4), layout="constrained")
        self._ax = self.fig.subplots()
        self._style_axes()

    def _style_axes(self) -> None:
        ax = self._ax
        ax.set_title(self._title)
        ax.set_xlabel(self._xlabel)
        ax.set_ylabel(self._ylabel + (" (log scale)" if self.logy else ""))
        if self.logy:
            ax.set_yscale("log")
        ax.grid(True, which="major", alpha=0.3)

    # -- recording ---------------------------------------------------------------------------

    def update(self, step: float, loss: float, label: str = "train") -> None:
        """Record the loss at a step for the curve ``label``; redraw every ``every`` calls.

        Parameters
        ----------
        step : int or float
            Iteration (or epoch) number, finite and >= 0.
        loss : float
            Finite; > 0 when the plot has ``logy=True``. A NumPy scalar or one-element array
            works; pass ``loss.item()`` for a tensor.
        label : str, default "train"
            Which curve the value belongs to (e.g. "train", "validation"); a new label adds a
            curve.
        """
        step = check_real(step, "step")
        if step < 0:
            raise ValueError(f"step must be >= 0, got {step}")
        loss = check_real(loss, "loss", hint=_DIVERGED_HINT)
        if self.logy and loss <= 0:
            raise ValueError(
                f"loss must be > 0 on a log-scale plot, got {loss}; "
                "create the plot with LiveLossPlot(logy=False) to draw zero or negative losses"
            )
        label = check_text(label, "label")
        if not label:
            raise ValueError('label must not be empty; use e.g. "train" or "validation"')
        self.history.setdefault(label, []).append((step, loss))
        if self._bar is not None:
            latest = {name: f"{points[-1][1]:.4g}" for name, points in self.history.items()}
            self._bar.set_postfix(latest, refresh=False)
        self._pending += 1
        if self._pending >= self.every:
            self.redraw()

    # -- drawing -----------------------------------------------------------------------------

    def redraw(self) -> None:
        """Draw every curve as recorded so far, now (and refresh the notebook output)."""
        self._pending = 0
        for index, (label, points) in enumerate(self.history.items()):
            if label not in self._lines:
                style = path_style(index)
                (self._lines[label],) = self._ax.plot(
                    [], [], lw=1.8, ms=6, markevery=_MARKER_SPACING, label=label, **style
                )
            steps, losses = np.array(points).T
            self._lines[label].set_data(steps, losses)
        if self._lines:
            self._ax.relim()
            self._ax.autoscale_view()
            self._ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
        self.redraws += 1
        self._refresh_output()

    def _refresh_output(self) -> None:
        """Show the figure in the Output widget when running inside IPython."""
        if get_ipython() is None:
            return
        self.widget.clear_output(wait=True)
        with self.widget:
            display(self.fig)

    def show(self) -> None:
        """Display the plot (below the current cell) and draw what has been recorded so far."""
        if get_ipython() is not None:
            display(self.widget)
        self.redraw()

    def _ipython_display_(self) -> None:
        self.show()

    # -- progress bar ------------------------------------------------------------------------

    def track(self, iterable: Iterable[Any], **tqdm_kwargs: Any) -> Iterator[Any]:
        """Loop over ``iterable`` with a ``tqdm.auto`` progress bar showing the latest losses.

        Parameters
        ----------
        iterable : iterable
            What the training loop runs over, e.g. ``range(num_iters)``.
        **tqdm_kwargs
            Passed to ``tqdm.auto.tqdm``, e.g. ``total=``, ``desc="training"``,
            ``disable=True``.

        Yields
        ------
        The items of ``iterable``. When the loop ends (or breaks) the bar closes and the plot
        is redrawn, so the last losses always show.
        """
        from tqdm.auto import tqdm

        bar = tqdm(iterable, **tqdm_kwargs)
        self._bar = bar
        try:
            yield from bar
        finally:
            bar.close()
            self._bar = None
            self.redraw()
