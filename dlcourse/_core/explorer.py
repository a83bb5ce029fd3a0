"""Pieces every explorer of :mod:`dlcourse.widgets` shares: argument checks, slider factories,
notebook display and the compute-then-redraw cycle.

Every explorer keeps one contract: ``_compute()`` recomputes what the controls' values give
(a training run, a path, probabilities, ...) and sets the public attributes; ``_redraw()``
draws that on ``fig``, updates ``status`` and refreshes the Output. A control that changes
anything calls ``_on_change``, which does both.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np
from IPython.display import display
from matplotlib.figure import Figure

from dlcourse._core.checks import check_int, check_real
from dlcourse.datasets import planar

LR_SLIDER_STEP = 0.05
"""Step of a learning-rate slider in powers of ten (one arrow-key press: x 1.12)."""

SLIDER_WIDTH = "420px"


def check_iterations(num_iters: object, maximum: int) -> int:
    """``num_iters`` as an int in 1..maximum, or TypeError/ValueError."""
    return check_int(num_iters, "num_iters", 1, maximum)


def check_learning_rates(lr: object, lr_min: object, lr_max: object) -> tuple[float, float, float]:
    """(lr, lr_min, lr_max) as floats with 0 < lr_min <= lr <= lr_max, or raise."""
    lr = check_real(lr, "lr")
    lr_min = check_real(lr_min, "lr_min")
    lr_max = check_real(lr_max, "lr_max")
    if not 0 < lr_min < lr_max:
        raise ValueError(
            f"need 0 < lr_min < lr_max for the log-scale slider, got lr_min={lr_min}, "
            f"lr_max={lr_max}"
        )
    if not lr_min <= lr <= lr_max:
        raise ValueError(f"lr must lie between lr_min={lr_min} and lr_max={lr_max}, got {lr}")
    return lr, lr_min, lr_max


def make_log_slider(
    value: float, low: float, high: float, *, description: str, step: float
) -> widgets.FloatLogSlider:
    """Base-10 log-scale slider from ``low`` to ``high`` (``step`` in powers of ten); it
    recomputes when released, not while dragged."""
    return widgets.FloatLogSlider(
        value=value,
        base=10,
        min=np.log10(low),
        max=np.log10(high),
        step=step,
        description=description,
        readout_format=".3g",
        continuous_update=False,
        style={"description_width": "initial"},
        layout=widgets.Layout(width=SLIDER_WIDTH),
    )


def make_selection_slider(options: list, value: object, *, description: str):
    """A slider over ``options`` (values, or (label, value) pairs); it recomputes when
    released, not while dragged."""
    return widgets.SelectionSlider(
        options=options,
        value=value,
        description=description,
        continuous_update=False,
        style={"description_width": "initial"},
        layout=widgets.Layout(width=SLIDER_WIDTH),
    )


def make_lr_slider(lr: float, lr_min: float, lr_max: float) -> widgets.FloatLogSlider:
    """Log-scale learning-rate slider from ``lr_min`` to ``lr_max``."""
    return make_log_slider(lr, lr_min, lr_max, description="learning rate", step=LR_SLIDER_STEP)


def make_iters_slider(num_iters: int, maximum: int) -> widgets.IntSlider:
    """Iterations slider, 1..maximum; it recomputes when released, not while dragged."""
    return widgets.IntSlider(
        value=num_iters,
        min=1,
        max=maximum,
        step=1,
        description="iterations",
        continuous_update=False,
        style={"description_width": "initial"},
        layout=widgets.Layout(width=SLIDER_WIDTH),
    )


class ExplorerDisplay:
    """Mixin: show an explorer as its ``widget`` and redraw its ``fig`` into ``_output``.

    Subclasses set ``self.widget`` (the box to display), ``self.fig`` (a bare matplotlib
    Figure) and ``self._output`` (an ``ipywidgets.Output`` inside ``widget``), and define
    ``_compute`` and ``_redraw`` (see the module docstring).
    """

    widget: widgets.Box
    fig: Figure
    _output: widgets.Output

    def _compute(self) -> None:  # pragma: no cover - every explorer defines it
        raise NotImplementedError

    def _redraw(self) -> None:  # pragma: no cover - every explorer defines it
        raise NotImplementedError

    def _on_change(self, change: dict[str, Any]) -> None:
        """Observer of the controls: recompute, then redraw."""
        self._compute()
        self._redraw()

    def _show_figure(self) -> None:
        """Replace the Output's content with the current figure."""
        self._output.clear_output(wait=True)
        with self._output:
            display(self.fig)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict | None:
        """Show the explorer's widget when it is the last expression of a cell."""
        return self.widget._repr_mimebundle_(**kwargs)

    def _ipython_display_(self) -> None:
        """Show the explorer's widget (IPython calls this for ``display(explorer)``)."""
        display(self.widget)


class PlanarData:
    """Mixin for explorers on a planar set chosen by ``self.dataset``.

    The subclass sets ``self._m``, ``self._seed`` and ``self._data = {}`` and defines a
    ``dataset`` property; each set is generated once, read-only, and then reused.
    """

    dataset: str
    _m: int
    _seed: int
    _data: dict[str, tuple[np.ndarray, np.ndarray]]

    @property
    def X(self) -> np.ndarray:
        """The current data set's points, shape (m, 2)."""
        return self._dataset()[0]

    @property
    def y(self) -> np.ndarray:
        """The current data set's labels, shape (m,)."""
        return self._dataset()[1]

    def _dataset(self) -> tuple[np.ndarray, np.ndarray]:
        """The current data set, made once per name and then reused."""
        if self.dataset not in self._data:
            X, y = planar(self.dataset, self._m, seed=self._seed)
            X.flags.writeable = False
            y.flags.writeable = False
            self._data[self.dataset] = (X, y)
        return self._data[self.dataset]
