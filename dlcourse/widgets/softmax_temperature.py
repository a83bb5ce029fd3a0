"""The week-2 softmax-temperature explorer: how softmax(z / T) sharpens and flattens.

Public API (re-exported by :mod:`dlcourse.widgets`)
---------------------------------------------------
SoftmaxTemperatureExplorer  a log-scale temperature slider; redraws the class probabilities
                            softmax(z / T) next to the logits z
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.text import Text
from numpy.typing import ArrayLike

from dlcourse._core.checks import as_float_array, check_real
from dlcourse._core.explorer import ExplorerDisplay, make_log_slider
from dlcourse._core.network import log_softmax
from dlcourse._core.style import class_colors

__all__ = ["SoftmaxTemperatureExplorer"]

T_MIN, T_MAX = 0.05, 20.0
"""Ends of the temperature slider."""

_T_SLIDER_STEP = 0.01
"""Step of the temperature slider in powers of ten."""


def _check_logits(logits: object) -> np.ndarray:
    """``logits`` as a read-only float64 array of shape (K,), K >= 2, all finite; or raise."""
    values = as_float_array(logits, "logits")
    if values.ndim != 1 or values.size < 2:
        raise ValueError(
            "logits must be a 1-D sequence of at least 2 numbers, one score per class, e.g. "
            f"(3.0, 1.0, 0.2); got shape {values.shape}"
        )
    if not np.all(np.isfinite(values)):
        raise ValueError(f"logits must all be finite numbers, got {values.tolist()}")
    values = values.copy()
    values.flags.writeable = False
    return values


def _check_class_names(labels: object, count: int) -> tuple[str, ...]:
    """One name per class: ``labels`` as strings, or "class 0", "class 1", ... for None."""
    if labels is None:
        return tuple(f"class {k}" for k in range(count))
    if isinstance(labels, str) or not isinstance(labels, (Sequence, np.ndarray)):
        raise TypeError(
            f"labels must be a sequence of {count} class names, e.g. ('cat', 'dog', 'frog'); "
            f"got {labels!r}"
        )
    if len(labels) != count:
        raise ValueError(
            f"labels must give one name per logit: {count} logits but {len(labels)} labels "
            f"({list(labels)!r})"
        )
    return tuple(str(label) for label in labels)


def _check_temperature(temperature: object) -> float:
    """``temperature`` as a float in [T_MIN, T_MAX], or TypeError/ValueError."""
    return check_real(temperature, "temperature", T_MIN, T_MAX)


class SoftmaxTemperatureExplorer(ExplorerDisplay):
    """Explore how the temperature T changes the probabilities softmax(z / T).

    Dividing the logits by T before the softmax does not change their order, only how
    decisive the result is: as T shrinks towards 0 the probabilities approach a one-hot vector
    on the largest logit (the argmax), at T = 1 they are the plain softmax, and as T grows they
    flatten towards the uniform 1/K. The status line gives the probabilities and their entropy
    (0 for one-hot, ln K for uniform).

    Parameters
    ----------
    logits : array_like, shape (K,), default (3.0, 1.0, 0.2)
        One finite score per class, K >= 2.
    temperature : float, default 1.0
        Initial temperature, 0.05..20.
    labels : sequence of K str, optional
        Class names for the bars; "class 0", "class 1", ... by default.

    Attributes
    ----------
    temperature_slider : ipywidgets.FloatLogSlider
    probabilities : np.ndarray, shape (K,)
        softmax(logits / T) for the slider's T; non-negative, sums to 1.
    entropy : float
        -sum(p * ln p) of ``probabilities``, in nats.
    logits : np.ndarray, shape (K,)
        Read-only copy of the logits.
    labels : tuple of K str
    status : ipywidgets.HTML
    fig : matplotlib.figure.Figure
        Left the logits, right the probabilities (axis fixed to 0..1) with the uniform level
        1/K dashed. A bare Figure, not managed by pyplot.
    widget : ipywidgets.VBox
        Slider, status and the figure's Output, ready to display.
    """

    def __init__(
        self,
        logits: ArrayLike = (3.0, 1.0, 0.2),
        *,
        temperature: float = 1.0,
        labels: Sequence[str] | None = None,
    ) -> None:
        self.logits = _check_logits(logits)
        self.labels = _check_class_names(labels, self.logits.size)
        temperature = _check_temperature(temperature)

        self.temperature_slider = make_log_slider(
            temperature, T_MIN, T_MAX, description="temperature T", step=_T_SLIDER_STEP
        )
        self.status = widgets.HTML()
        self._output = widgets.Output()
        self.widget = widgets.VBox([self.temperature_slider, self.status, self._output])

        self._compute()
        self._build_figure()
        self._redraw()
        self.temperature_slider.observe(self._on_change, names="value")

    @property
    def temperature(self) -> float:
        """The temperature currently on the slider."""
        return float(self.temperature_slider.value)

    def _compute(self) -> None:
        """Set ``probabilities`` and ``entropy`` for the slider's temperature."""
        log_p = log_softmax((self.logits / self.temperature)[None, :])[0]
        self.probabilities = np.exp(log_p)
        self.entropy = float(-np.sum(self.probabilities * log_p))

    # -- drawing -----------------------------------------------------------------------------

    def _build_figure(self) -> None:
        """Make the figure once: logits (left) and probabilities (right) as bars."""
        count = self.logits.size
        positions = np.arange(count)
        colors = class_colors(count)
        self.fig = Figure(figsize=(10, 4), layout="constrained")
        self._logit_ax, self._prob_ax = self.fig.subplots(1, 2)

        self._logit_ax.bar(positions, self.logits, color=colors, edgecolor="black")
        self._logit_ax.axhline(0.0, color="black", lw=0.8)
        self._logit_ax.set_title("Logits $z$ (scores before softmax)")
        self._logit_ax.set_ylabel("logit $z_k$")

        self._prob_bars = self._prob_ax.bar(
            positions, self.probabilities, color=colors, edgecolor="black"
        )
        self._prob_ax.axhline(
            1.0 / count, color="black", lw=1, ls="--", label=f"uniform $1/K$ = {1 / count:.3g}"
        )
        self._prob_ax.set_ylim(0.0, 1.0)
        self._prob_ax.set_ylabel("probability $p_k$")
        self._prob_ax.legend(loc="best", fontsize="small")
        self._value_texts: list[Text] = [
            self._prob_ax.text(x, 0.0, "", ha="center", va="bottom", fontsize="small")
            for x in positions
        ]
        for ax in (self._logit_ax, self._prob_ax):
            ax.set_xticks(positions, self.labels)
            ax.set_xlabel("class")

    def _redraw(self) -> None:
        """Move the probability bars and their values, update the status, refresh the Output."""
        for bar, text, p in zip(
            self._prob_bars.patches, self._value_texts, self.probabilities, strict=True
        ):
            bar.set_height(p)
            text.set_position((bar.get_x() + bar.get_width() / 2, min(p, 0.93) + 0.01))
            text.set_text(f"{p:.3f}")
        self._prob_ax.set_title(f"Probabilities softmax$(z / T)$, $T$ = {self.temperature:.3g}")
        self.status.value = self._status_html()
        self._show_figure()

    def _status_html(self) -> str:
        """The status line: T, each class's probability and the entropy."""
        parts = ", ".join(
            f"{html.escape(label)} {p:.3f}"
            for label, p in zip(self.labels, self.probabilities, strict=True)
        )
        count = self.logits.size
        return (
            f"<b>T = {self.temperature:.3g}</b> · probabilities: {parts} · "
            f"entropy {self.entropy:.3f} nats (0 for one-hot, ln {count} = {np.log(count):.3f} "
            "for uniform)"
        )
