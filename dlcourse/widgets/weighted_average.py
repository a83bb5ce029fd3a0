"""The week-4 exponentially-weighted-average explorer: how β smooths and lags, and why the first
averages need bias correction.

Public API (re-exported by :mod:`dlcourse.widgets`)
---------------------------------------------------
EWAExplorer  a β slider and a bias-correction checkbox; redraws noisy samples of a cosine with
             their exponentially weighted average, with and without bias correction

(The module is not called ``ewa``: that is the name of a function students write in the
week-4 exercise, and the explorer computes its averages with a private helper.)
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from dlcourse._core.checks import check_bool, check_int, check_real
from dlcourse._core.explorer import SLIDER_WIDTH, ExplorerDisplay
from dlcourse._core.optim import weighted_average
from dlcourse._core.style import PALETTE

__all__ = ["EWAExplorer"]

BETA_MAX = 0.99
"""Upper end of the β slider (its lower end is 0)."""

MIN_SAMPLES, MAX_SAMPLES = 2, 10_000
"""Allowed range of ``n``."""

PERIODS = 2
"""The samples cover this many periods of the cosine."""

_SAMPLE_COLOR = "0.45"
_UNCORRECTED_COLOR, _CORRECTED_COLOR = PALETTE["vermillion"], PALETTE["blue"]


def _samples(n: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(signal, samples), each shape (n,): cos over PERIODS periods, and it plus N(0, noise²)."""
    t = np.arange(1, n + 1)
    signal = np.cos(2.0 * np.pi * PERIODS * t / n)
    rng = np.random.default_rng(seed)
    return signal, signal + noise * rng.standard_normal(n)


def _window_text(beta: float) -> str:
    """The effective window 1/(1 − β) in words."""
    window = 1.0 / (1.0 - beta)
    unit = "sample (no averaging)" if beta == 0 else "samples"
    return f"≈ 1/(1 − β) = {window:.3g} {unit}"


class EWAExplorer(ExplorerDisplay):
    """Smooth noisy samples with an exponentially weighted average and watch β's effect.

    The samples are θ_t = cos(2π·2t/n) + noise·ε_t for t = 1..n (two periods of a cosine,
    ε_t standard normal from ``seed``). The average follows Ng's notation::

        v_0 = 0,   v_t = β·v_(t−1) + (1 − β)·θ_t,   corrected: v_t / (1 − β^t)

    so v_t weights θ_(t−k) by (1 − β)·β^k: it averages roughly the last 1/(1 − β) samples
    (10 for β = 0.9, 50 for β = 0.98). Larger β gives a smoother curve that lags further
    behind the signal. Because v_0 = 0, the first averages are too small (v_1 = (1 − β)θ_1);
    dividing by 1 − β^t removes that bias, and matters only for the first few 1/(1 − β)
    steps. PyTorch's momentum keeps v = βv + g instead, which is the same average scaled by
    1/(1 − β); Adam's first moment uses this form, with the correction.

    Parameters
    ----------
    beta : float, default 0.9
        Initial β, 0..0.99.
    bias_correction : bool, default True
        Whether the corrected average is drawn (and is ``average``) at first.
    n : int, default 100
        Number of samples, 2..10000.
    noise : float, default 0.3
        Standard deviation of the noise added to the cosine, >= 0.
    seed : int, default 0
        Seed of the noise (>= 0); the same seed gives the same samples.

    Attributes
    ----------
    beta_slider : ipywidgets.FloatSlider
    bias_checkbox : ipywidgets.Checkbox
    values : np.ndarray, shape (n,)
        The samples θ_1..θ_n (read-only).
    average : np.ndarray, shape (n,)
        The plotted average: bias-corrected when the checkbox is ticked, else uncorrected.
    status : ipywidgets.HTML
        Gives β and the effective window "≈ 1/(1 − β) = N samples".
    fig : matplotlib.figure.Figure
        The samples (dots), the noise-free cosine (thin dotted), the uncorrected average
        (dashed) and, when ticked, the corrected one (solid). A bare Figure, not managed by
        pyplot.
    widget : ipywidgets.VBox
        The controls, status and the figure's Output, ready to display.
    """

    def __init__(
        self,
        *,
        beta: float = 0.9,
        bias_correction: bool = True,
        n: int = 100,
        noise: float = 0.3,
        seed: int = 0,
    ) -> None:
        beta = check_real(beta, "beta", 0.0, BETA_MAX)
        bias_correction = check_bool(bias_correction, "bias_correction")
        n = check_int(n, "n", MIN_SAMPLES, MAX_SAMPLES)
        noise = check_real(noise, "noise")
        if noise < 0:
            raise ValueError(f"noise is a standard deviation and must be >= 0, got {noise}")
        seed = check_int(seed, "seed", 0)

        self._signal, self.values = _samples(n, noise, seed)
        self.values.flags.writeable = False
        self.beta_slider = widgets.FloatSlider(
            value=beta,
            min=0.0,
            max=BETA_MAX,
            step=0.01,
            description="β",
            readout_format=".2f",
            continuous_update=False,
            layout=widgets.Layout(width=SLIDER_WIDTH),
        )
        self.bias_checkbox = widgets.Checkbox(
            value=bias_correction, description="bias correction v_t / (1 − β^t)"
        )
        self.status = widgets.HTML()
        self._output = widgets.Output()
        self.widget = widgets.VBox(
            [widgets.HBox([self.beta_slider, self.bias_checkbox]), self.status, self._output]
        )

        self._compute()
        self._build_figure()
        self._redraw()
        self.beta_slider.observe(self._on_change, names="value")
        self.bias_checkbox.observe(self._on_change, names="value")

    @property
    def beta(self) -> float:
        """The β on the slider."""
        return float(self.beta_slider.value)

    @property
    def bias_correction(self) -> bool:
        """Whether the checkbox is ticked."""
        return bool(self.bias_checkbox.value)

    def _compute(self) -> None:
        """Set both averages for the slider's β, and ``average``."""
        self._uncorrected = weighted_average(self.values, self.beta, bias_correction=False)
        self._corrected = weighted_average(self.values, self.beta, bias_correction=True)
        self.average = self._corrected if self.bias_correction else self._uncorrected

    # -- drawing -----------------------------------------------------------------------------

    def _build_figure(self) -> None:
        t = np.arange(1, self.values.size + 1)
        self.fig = Figure(figsize=(11, 4.5), layout="constrained")
        ax = self._ax = self.fig.subplots()
        self._window_span = ax.axvspan(0, 0, color="0.9", zorder=0, label="")
        ax.plot(t, self._signal, ":", color="black", lw=1, label="noise-free signal cos")
        ax.plot(t, self.values, "o", ms=3.5, color=_SAMPLE_COLOR, label="samples $\\theta_t$")
        (self._uncorrected_line,) = ax.plot(
            t,
            self._uncorrected,
            "--",
            color=_UNCORRECTED_COLOR,
            lw=2,
            label="EWA $v_t$ (no correction)",
        )
        (self._corrected_line,) = ax.plot(
            t,
            self._corrected,
            "-",
            color=_CORRECTED_COLOR,
            lw=2.5,
            label="EWA corrected $v_t / (1 - \\beta^t)$",
        )
        ax.axhline(0.0, color="black", lw=0.6)
        low = min(float(self.values.min()), -1.0)
        high = max(float(self.values.max()), 1.0)
        margin = 0.08 * (high - low)
        ax.set_ylim(low - margin, high + margin)
        ax.set_xlim(0, self.values.size + 1)
        ax.set_xlabel("sample $t$")
        ax.set_ylabel(r"value $\theta_t$, average $v_t$")
        ax.grid(True, alpha=0.3)

    def _redraw(self) -> None:
        """Move the average lines, the window shading and the title; refresh the status."""
        n = self.values.size
        window = min(1.0 / (1.0 - self.beta), n)
        self._window_span.set_x(n + 0.5 - window)
        self._window_span.set_width(window)
        self._window_span.set_label(f"last ≈ 1/(1 − β) = {1 / (1 - self.beta):.3g} samples")
        self._uncorrected_line.set_ydata(self._uncorrected)
        self._corrected_line.set_ydata(self._corrected)
        self._corrected_line.set_visible(self.bias_correction)
        handles = [h for h in self._ax.get_lines() if h.get_visible() and h.get_label()[0] != "_"]
        self._ax.legend(
            handles=[self._window_span, *handles],
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            fontsize="small",
        )
        shown = "with and without bias correction" if self.bias_correction else "no correction"
        self._ax.set_title(f"Exponentially weighted average, β = {self.beta:.2f} ({shown})")
        self.status.value = self._status_html()
        self._show_figure()

    def _status_html(self) -> str:
        beta = self.beta
        first = self.values[0]
        line = (
            f"<b>β = {beta:.2f}</b>: each average mixes the last {html.escape(_window_text(beta))}"
            f" · first sample θ<sub>1</sub> = {first:.3f}: uncorrected v<sub>1</sub> = "
            f"(1 − β)θ<sub>1</sub> = {self._uncorrected[0]:.3f}, corrected "
            f"v<sub>1</sub> / (1 − β) = {self._corrected[0]:.3f}"
        )
        return line
