"""The week-3 compute-graph explorer: forward and backward pass through f = (x + y) · z.

Public API (re-exported by :mod:`dlcourse.widgets`)
---------------------------------------------------
ComputeGraphExplorer  sliders for x, y and z and a forward / forward + backward toggle;
                      redraws the graph of f = (x + y) · z with each node's value and gradient
"""

from __future__ import annotations

import html

import ipywidgets as widgets
from matplotlib.figure import Figure

from dlcourse._core.checks import check_choice, check_real
from dlcourse._core.explorer import SLIDER_WIDTH, ExplorerDisplay
from dlcourse._core.style import format_number
from dlcourse.graphs import draw_graph, example_graph

__all__ = ["ComputeGraphExplorer"]

INPUT_MIN, INPUT_MAX = -10.0, 10.0
"""Range of the x, y and z sliders."""

INPUT_STEP = 0.1
"""Step of the x, y and z sliders."""

FORWARD, BACKWARD = "forward", "forward + backward"
MODES: tuple[str, ...] = (FORWARD, BACKWARD)
"""Values of the mode toggle."""


def _check_input(value: object, name: str) -> float:
    """``value`` as a float in [INPUT_MIN, INPUT_MAX], or TypeError/ValueError."""
    return check_real(value, name, INPUT_MIN, INPUT_MAX, note=" (the slider's range)")


def _in_brackets(value: float) -> str:
    """A number for a product: negative numbers in brackets, e.g. "(-4)"."""
    text = format_number(value)
    return f"({text})" if text.startswith("-") else text


def _make_slider(name: str, value: float) -> widgets.FloatSlider:
    """Slider for one input; it recomputes when released, not while dragged."""
    return widgets.FloatSlider(
        value=value,
        min=INPUT_MIN,
        max=INPUT_MAX,
        step=INPUT_STEP,
        description=name,
        readout_format=".3g",
        continuous_update=False,
        layout=widgets.Layout(width=SLIDER_WIDTH),
    )


class ComputeGraphExplorer(ExplorerDisplay):
    """Step through the forward and backward pass of f(x, y, z) = (x + y) · z.

    The graph has the inputs x, y and z, an addition node q = x + y and the output f = q · z.
    The forward pass writes each node's value above it (in blue, "value = ..."); the backward
    pass adds each node's gradient df/dnode below it (in vermillion, "grad = ..."), starting
    from df/df = 1 at the output. The status line spells out the chain rule: addition hands
    the gradient on unchanged (df/dx = df/dq · 1), multiplication swaps its inputs
    (df/dq = z, df/dz = q).

    Parameters
    ----------
    x, y, z : float, default -2.0, 5.0, -4.0
        Initial inputs, each in [-10, 10]. The defaults are the lecture's worked example:
        q = 3, f = -12, df/dx = df/dy = -4, df/dz = 3.
    mode : {"forward", "forward + backward"}, default "forward + backward"
        Whether the gradients are drawn at first.

    Attributes
    ----------
    x_slider, y_slider, z_slider : ipywidgets.FloatSlider
    mode_toggle : ipywidgets.ToggleButtons
        Values "forward" and "forward + backward".
    values : dict of str to float
        Forward-pass values of the nodes "x", "y", "z", "q" and "f".
    gradients : dict of str to float
        df/dnode for the same five nodes, always computed; drawn only in the
        "forward + backward" mode.
    status : ipywidgets.HTML
        The forward computation and, with the backward pass, the chain rule for every
        gradient.
    fig : matplotlib.figure.Figure
        The graph drawn by :func:`dlcourse.graphs.draw_graph`. A bare Figure, not managed by
        pyplot.
    widget : ipywidgets.VBox
        The controls, status and the figure's Output, ready to display.
    """

    def __init__(
        self,
        x: float = -2.0,
        y: float = 5.0,
        z: float = -4.0,
        *,
        mode: str = BACKWARD,
    ) -> None:
        x, y, z = _check_input(x, "x"), _check_input(y, "y"), _check_input(z, "z")
        mode = check_choice(mode, "mode", MODES)

        self.x_slider = _make_slider("x", x)
        self.y_slider = _make_slider("y", y)
        self.z_slider = _make_slider("z", z)
        self.mode_toggle = widgets.ToggleButtons(
            options=MODES, value=mode, description="show", style={"button_width": "160px"}
        )
        self.status = widgets.HTML()
        self._output = widgets.Output()
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.x_slider, self.y_slider, self.z_slider]),
                self.mode_toggle,
                self.status,
                self._output,
            ]
        )
        self.fig = Figure(figsize=(9, 4.5), layout="constrained")
        self._ax = self.fig.add_subplot()

        self._compute()
        self._redraw()
        for control in (self.x_slider, self.y_slider, self.z_slider, self.mode_toggle):
            control.observe(self._on_change, names="value")

    @property
    def mode(self) -> str:
        """The mode currently chosen, "forward" or "forward + backward"."""
        return str(self.mode_toggle.value)

    def _compute(self) -> None:
        """Set ``values`` and ``gradients`` (and the graph's layout) for the sliders' inputs."""
        spec = example_graph(self.x_slider.value, self.y_slider.value, self.z_slider.value)
        self._spec = spec
        self.values = dict(spec["forward"])
        self.gradients = dict(spec["backward"])

    def _redraw(self) -> None:
        """Redraw the graph and the status line, then refresh the Output."""
        backward = self.mode == BACKWARD
        self._ax.clear()
        draw_graph(
            self._spec["nodes"],
            self._spec["edges"],
            forward=self.values,
            backward=self.gradients if backward else None,
            ax=self._ax,
            title=(
                "f = (x + y) · z: "
                + (
                    "forward pass (values) and backward pass (gradients)"
                    if backward
                    else "forward pass"
                )
            ),
        )
        self.status.value = self._status_html(backward)
        self._show_figure()

    def _status_html(self, backward: bool) -> str:
        """The forward computation and, with ``backward``, the chain rule for each gradient."""
        v, g = self.values, self.gradients
        n = format_number
        forward = (
            f"<b>forward:</b> q = x + y = {n(v['x'])} + {_in_brackets(v['y'])} = {n(v['q'])} · "
            f"f = q · z = {n(v['q'])} · {_in_brackets(v['z'])} = <b>{n(v['f'])}</b>"
        )
        if not backward:
            return forward + "<br><i>Choose “forward + backward” to see the gradients.</i>"
        steps = [
            "df/df = 1",
            f"df/dq = z = {n(g['q'])}",
            f"df/dz = q = {n(g['z'])}",
            f"df/dx = df/dq · dq/dx = {_in_brackets(g['q'])} · 1 = {n(g['x'])}",
            f"df/dy = df/dq · dq/dy = {_in_brackets(g['q'])} · 1 = {n(g['y'])}",
        ]
        return forward + "<br><b>backward:</b> " + html.escape(" · ".join(steps))
