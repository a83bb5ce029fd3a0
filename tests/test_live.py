"""Tests for dlcourse.live.LiveLossPlot: recording, throttled redrawing and input checks."""

from __future__ import annotations

import ipywidgets
import numpy as np
import pytest
from matplotlib.figure import Figure

import dlcourse.live as live
from dlcourse.live import LiveLossPlot


def drawn(plot, label):
    (line,) = [line for line in plot.fig.axes[0].get_lines() if line.get_label() == label]
    return line.get_xydata()


def test_a_new_plot_is_empty_and_labelled():
    plot = LiveLossPlot(title="Mini-batch loss", xlabel="step", ylabel="cross-entropy")
    assert isinstance(plot.fig, Figure) and plot.fig.canvas.manager is None
    assert isinstance(plot.widget, ipywidgets.Output)
    (ax,) = plot.fig.axes
    assert ax.get_title() == "Mini-batch loss"
    assert ax.get_xlabel() == "step" and ax.get_ylabel().startswith("cross-entropy")
    assert ax.get_yscale() == "log"
    assert plot.history == {} and plot.redraws == 0
    assert LiveLossPlot(logy=False).fig.axes[0].get_yscale() == "linear"


def test_history_keeps_every_pair_per_label():
    plot = LiveLossPlot(every=100)
    plot.update(0, 2.0)
    plot.update(1, 1.5)
    plot.update(1, 1.8, label="validation")
    plot.update(2, np.float32(1.25))
    plot.update(3, np.array([1.0]))
    assert plot.history == {
        "train": [(0.0, 2.0), (1.0, 1.5), (2.0, 1.25), (3.0, 1.0)],
        "validation": [(1.0, 1.8)],
    }


def test_redraws_happen_at_most_every_n_updates():
    plot = LiveLossPlot(every=3)
    for step in range(7):
        plot.update(step, 1.0 / (step + 1))
    assert plot.redraws == 2  # after updates 3 and 6
    np.testing.assert_allclose(drawn(plot, "train"), [(s, 1 / (s + 1)) for s in range(6)])
    plot.redraw()
    assert plot.redraws == 3
    assert len(drawn(plot, "train")) == 7
    plot.update(7, 0.1)
    plot.update(8, 0.1)
    assert plot.redraws == 3, "redraw() restarts the count"
    plot.update(9, 0.1)
    assert plot.redraws == 4


def test_every_one_redraws_after_each_update():
    plot = LiveLossPlot(every=1)
    for step in range(4):
        plot.update(step, 1.0)
    assert plot.redraws == 4


def test_each_label_gets_its_own_curve_style_and_legend_entry():
    plot = LiveLossPlot(every=1)
    plot.update(0, 1.0)
    plot.update(0, 1.2, label="validation")
    train, val = (
        next(line for line in plot.fig.axes[0].get_lines() if line.get_label() == label)
        for label in ("train", "validation")
    )
    assert train.get_color() != val.get_color()
    assert train.get_linestyle() != val.get_linestyle() and train.get_marker() != val.get_marker()
    legend = [t.get_text() for t in plot.fig.axes[0].get_legend().get_texts()]
    assert legend == ["train", "validation"]


def test_outside_ipython_show_draws_without_displaying(monkeypatch):
    shown = []
    monkeypatch.setattr(live, "display", shown.append)
    plot = LiveLossPlot()
    plot.update(0, 1.0)
    plot.show()
    assert plot.redraws == 1 and shown == []


def test_inside_ipython_the_figure_goes_to_the_output(monkeypatch):
    shown = []
    monkeypatch.setattr(live, "get_ipython", lambda: object())
    monkeypatch.setattr(live, "display", shown.append)
    plot = LiveLossPlot(every=2)
    plot.show()
    assert shown == [plot.widget, plot.fig]
    plot.update(0, 1.0)
    plot.update(1, 0.5)
    assert shown == [plot.widget, plot.fig, plot.fig]


def test_track_loops_and_redraws_at_the_end():
    plot = LiveLossPlot(every=1000)
    seen = []
    for step in plot.track(range(5), disable=True):
        seen.append(step)
        plot.update(step, 1.0 / (step + 1))
    assert seen == [0, 1, 2, 3, 4]
    assert plot.redraws == 1
    assert len(drawn(plot, "train")) == 5
    for step in plot.track(range(10), disable=True):
        if step == 2:
            break
    assert plot.redraws == 2, "a loop that breaks still redraws"


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((0, float("nan")), {}, ValueError, "loss must be finite.*diverged"),
        ((0, float("inf")), {}, ValueError, "loss must be finite"),
        ((-1, 1.0), {}, ValueError, "step must be >= 0"),
        ((float("nan"), 1.0), {}, ValueError, "step must be finite"),
        ((0, "1.0"), {}, TypeError, "loss must be a real number"),
        ((0, True), {}, TypeError, "loss must be a real number"),
        ((0, [1.0, 2.0]), {}, TypeError, r"pass loss\.item\(\)"),
        ((0, 0.0), {}, ValueError, r"> 0 on a log-scale plot.*logy=False"),
        ((0, 1.0), {"label": ""}, ValueError, "label must not be empty"),
        ((0, 1.0), {"label": 1}, TypeError, "label must be a string"),
    ],
)
def test_update_rejects_bad_input(args, kwargs, error, match):
    plot = LiveLossPlot()
    with pytest.raises(error, match=match):
        plot.update(*args, **kwargs)
    assert plot.history == {}


def test_a_linear_plot_accepts_zero_and_negative_losses():
    plot = LiveLossPlot(logy=False, every=1)
    plot.update(0, 0.0)
    plot.update(1, -0.5)
    assert plot.history["train"] == [(0.0, 0.0), (1.0, -0.5)]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"every": 0}, ValueError, "every must be between 1"),
        ({"every": 2.5}, TypeError, "every must be an integer"),
        ({"logy": "yes"}, TypeError, "logy must be True or False"),
        ({"title": None}, TypeError, "title must be a string"),
    ],
)
def test_constructor_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        LiveLossPlot(**kwargs)
