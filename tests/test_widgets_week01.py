"""Tests for the week-1 explorer, driven without a browser by setting the sliders' values."""

from __future__ import annotations

import re
import warnings

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from dlcourse.datasets import housing, housing_multi
from dlcourse.widgets import LearningRateExplorer, learning_rate_explorer


@pytest.fixture(scope="module")
def data():
    """The raw (unscaled) housing set: X of shape (100, 1), y of shape (100,)."""
    return housing()


def hand_written_descent(X, y, lr, steps, w=0.0, b=0.0):
    """Batch gradient descent written out longhand; returns the path (steps+1, 2) and costs."""
    m = len(y)
    x = X[:, 0]
    path, costs = [(w, b)], []
    for _ in range(steps):
        error = w * x + b - y
        dw = np.sum(error * x) / m
        db = np.sum(error) / m
        w = w - lr * dw
        b = b - lr * db
        path.append((w, b))
        costs.append(np.sum((w * x + b - y) ** 2) / (2 * m))
    return np.array(path), np.array(costs)


def status_text(explorer):
    """The status line without its HTML tags."""
    return re.sub(r"<[^>]+>", "", explorer.status.value)


def axes_titled(fig, text):
    """The one Axes of ``fig`` whose title contains ``text``."""
    found = [ax for ax in fig.axes if text in ax.get_title()]
    assert len(found) == 1, f"expected one axes titled with {text!r}, found {len(found)}"
    return found[0]


def line_labelled(ax, label):
    matches = [line for line in ax.get_lines() if line.get_label() == label]
    assert len(matches) == 1
    return matches[0]


def drawn_path(explorer):
    """The (k, 2) array of points of the path line drawn on the contour axes."""
    ax = axes_titled(explorer.fig, "Gradient descent")
    xs, ys = line_labelled(ax, "gradient descent").get_data()
    return np.column_stack([xs, ys])


def drawn_costs(explorer):
    """The y data of the cost curve."""
    ax = axes_titled(explorer.fig, "Cost during")
    return np.asarray(line_labelled(ax, "cost").get_data()[1])


# ---------------------------------------------------------------------------------------------
# Construction and layout
# ---------------------------------------------------------------------------------------------


def test_explorer_has_the_documented_widgets(data):
    explorer = LearningRateExplorer(*data, lr=0.02, num_iters=30)
    assert isinstance(explorer.lr_slider, ipywidgets.FloatLogSlider)
    assert isinstance(explorer.iters_slider, ipywidgets.IntSlider)
    assert isinstance(explorer.status, (ipywidgets.HTML, ipywidgets.Label))
    assert isinstance(explorer.widget, ipywidgets.VBox)
    assert explorer.lr_slider.value == pytest.approx(0.02)
    assert explorer.lr_slider.description == "learning rate"
    assert explorer.iters_slider.description == "iterations"
    assert (explorer.iters_slider.min, explorer.iters_slider.max) == (1, 500)
    assert explorer.iters_slider.value == 30
    assert explorer.iters_slider.continuous_update is False
    assert (explorer.lr_slider.min, explorer.lr_slider.max) == pytest.approx((-4.0, 0.0))

    def descendants(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from descendants(child)

    parts = list(descendants(explorer.widget))
    assert explorer.lr_slider in parts and explorer.iters_slider in parts
    assert explorer.status in parts
    assert any(isinstance(part, ipywidgets.Output) for part in parts)


def test_explorer_figure_has_a_contour_and_a_cost_axes(data):
    explorer = learning_rate_explorer(*data)
    assert isinstance(explorer, LearningRateExplorer)
    assert isinstance(explorer.fig, Figure)
    contour_ax = axes_titled(explorer.fig, "Gradient descent")
    cost_ax = axes_titled(explorer.fig, "Cost during")
    for ax in (contour_ax, cost_ax):
        assert ax.get_xlabel() and ax.get_ylabel()


def test_explorer_leaves_no_pyplot_figures_open(data):
    before = plt.get_fignums()
    explorer = LearningRateExplorer(*data)
    explorer.lr_slider.value = 0.2
    assert plt.get_fignums() == before


def test_explorer_displays_as_its_widget(data):
    explorer = LearningRateExplorer(*data)
    bundle = explorer._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == (
        explorer.widget.model_id
    )
    assert callable(explorer._ipython_display_)


# ---------------------------------------------------------------------------------------------
# The gradient-descent runs
# ---------------------------------------------------------------------------------------------


def test_path_matches_a_hand_written_loop(data):
    X, y = data
    explorer = LearningRateExplorer(X, y, lr=0.1, num_iters=5, w0=10.0, b0=-20.0)
    path, costs = hand_written_descent(X, y, lr=0.1, steps=5, w=10.0, b=-20.0)
    assert explorer.path.shape == (6, 2)
    assert explorer.costs.shape == (5,)
    np.testing.assert_allclose(explorer.path, path, rtol=1e-12)
    np.testing.assert_allclose(explorer.costs, costs, rtol=1e-12)


def test_small_learning_rate_decreases_the_cost_every_step(data):
    explorer = LearningRateExplorer(*data, lr=0.01, num_iters=100)
    assert explorer.path.shape == (101, 2)
    np.testing.assert_array_equal(explorer.path[0], [0.0, 0.0])
    assert np.all(np.diff(explorer.costs) < 0)
    assert "diverging" not in status_text(explorer)
    assert "still descending" in status_text(explorer)


def test_good_learning_rate_converges_to_least_squares(data):
    X, y = data
    explorer = LearningRateExplorer(X, y, lr=0.2, num_iters=500)
    w_star, b_star = np.linalg.lstsq(np.column_stack([X[:, 0], np.ones(len(y))]), y)[0]
    np.testing.assert_allclose(explorer.path[-1], [w_star, b_star], rtol=1e-3)
    assert status_text(explorer).startswith("converged")


def test_noise_free_data_can_converge_to_zero_cost():
    explorer = LearningRateExplorer(*housing(noise=0.0), lr=0.2, num_iters=500)
    assert explorer.costs[-1] < 1e-6
    assert status_text(explorer).startswith("converged")


def test_learning_rate_near_one_diverges_quietly(data):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow or invalid-value warnings
        explorer = LearningRateExplorer(*data, lr=0.9, num_iters=500)
    assert status_text(explorer).startswith("diverging: the cost grows every step")
    assert explorer.costs.size < 500  # stopped early
    assert np.all(np.isfinite(explorer.path)) and np.all(np.isfinite(explorer.costs))
    assert np.all(np.diff(explorer.costs) > 0)
    # What is drawn stays inside the contour plot's box.
    ax = axes_titled(explorer.fig, "Gradient descent")
    shown = drawn_path(explorer)
    (w_lo, w_hi), (b_lo, b_hi) = ax.get_xlim(), ax.get_ylim()
    assert np.all((w_lo <= shown[:, 0]) & (shown[:, 0] <= w_hi))
    assert np.all((b_lo <= shown[:, 1]) & (shown[:, 1] <= b_hi))


def test_absurd_learning_rate_overflows_without_warnings_or_crash(data):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explorer = LearningRateExplorer(*data, lr=1e200, lr_min=1.0, lr_max=1e300)
    assert explorer.path.shape == (1, 2)  # only the start: the first step overflowed
    assert explorer.costs.shape == (0,)
    assert "diverging" in status_text(explorer)


def test_slowly_growing_cost_counts_as_diverging(data):
    # Just above the stability limit (about 0.318 here), starting near the valley floor, the
    # cost first falls for a few steps and then grows.
    explorer = LearningRateExplorer(*data, lr=0.33, num_iters=60, w0=0.0, b0=350.0)
    steps = np.diff(explorer.costs)
    assert steps[0] < 0 and steps[-1] > 0
    assert explorer.costs[-1] > explorer.costs[0]
    assert status_text(explorer).startswith("diverging: the cost has started to grow")


def test_initial_drawing_shows_the_run(data):
    explorer = LearningRateExplorer(*data, lr=0.05, num_iters=40)
    np.testing.assert_array_equal(drawn_path(explorer), explorer.path)
    np.testing.assert_array_equal(drawn_costs(explorer), explorer.costs)


# ---------------------------------------------------------------------------------------------
# Moving the sliders
# ---------------------------------------------------------------------------------------------


def test_changing_the_learning_rate_redraws_the_path_costs_and_status(data):
    explorer = LearningRateExplorer(*data, lr=0.01, num_iters=50)
    old_path, old_costs, old_status = (
        drawn_path(explorer),
        drawn_costs(explorer),
        status_text(explorer),
    )
    fig, axes = explorer.fig, list(explorer.fig.axes)

    explorer.lr_slider.value = 0.9

    assert explorer.fig is fig and explorer.fig.axes == axes  # same figure, updated in place
    assert not np.array_equal(drawn_path(explorer), old_path)
    assert not np.array_equal(drawn_costs(explorer), old_costs)
    np.testing.assert_array_equal(drawn_costs(explorer), explorer.costs)
    assert status_text(explorer) != old_status
    assert "diverging" in status_text(explorer)
    assert "0.9" in axes_titled(explorer.fig, "Gradient descent").get_title()

    explorer.lr_slider.value = 0.2
    np.testing.assert_allclose(drawn_path(explorer), explorer.path)
    assert "diverging" not in status_text(explorer)


def test_changing_the_iterations_changes_the_path_length(data):
    explorer = LearningRateExplorer(*data, lr=0.1, num_iters=10)
    explorer.iters_slider.value = 200
    assert explorer.path.shape == (201, 2)
    assert drawn_path(explorer).shape == (201, 2)
    assert drawn_costs(explorer).shape == (200,)
    assert "200 steps" in status_text(explorer)


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------


def test_explorer_needs_exactly_one_feature():
    X, y = housing_multi(30)
    with pytest.raises(ValueError, match="exactly one feature"):
        LearningRateExplorer(X, y)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lr": 2.0}, "lr must lie between"),
        ({"lr": 1e-5}, "lr must lie between"),
        ({"lr_min": 0.0}, "0 < lr_min < lr_max"),
        ({"lr_min": 1.0, "lr_max": 0.5, "lr": 0.7}, "0 < lr_min < lr_max"),
        ({"num_iters": 0}, "between 1 and 500"),
        ({"num_iters": 501}, "between 1 and 500"),
        ({"w0": np.nan}, "w0 must be finite"),
    ],
)
def test_explorer_rejects_bad_values(data, kwargs, message):
    with pytest.raises(ValueError, match=message):
        LearningRateExplorer(*data, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"num_iters": 2.5}, "num_iters must be an integer"), ({"lr": "fast"}, "lr must be a real")],
)
def test_explorer_rejects_wrong_types(data, kwargs, message):
    with pytest.raises(TypeError, match=message):
        LearningRateExplorer(*data, **kwargs)
