"""Tests for the week-2 explorers, driven without a browser by setting the controls' values."""

from __future__ import annotations

import re
import warnings

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PathCollection, QuadMesh
from matplotlib.figure import Figure

from dlcourse.datasets import planar
from dlcourse.widgets import DecisionBoundaryExplorer, SoftmaxTemperatureExplorer


def status_text(explorer):
    """The status line without its HTML tags."""
    return re.sub(r"<[^>]+>", " ", explorer.status.value)


def descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from descendants(child)


def axes_titled(fig, text):
    found = [ax for ax in fig.axes if text in ax.get_title()]
    assert len(found) == 1, f"expected one axes titled with {text!r}, found {len(found)}"
    return found[0]


def drawn_points(explorer):
    """All scattered points on the boundary plot, as a set of (x1, x2) tuples."""
    ax = explorer.fig.axes[0]
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
    return {tuple(p) for s in scatters for p in np.asarray(s.get_offsets())}


def drawn_regions(explorer):
    """The predicted labels shaded on the boundary plot."""
    ax = explorer.fig.axes[0]
    (mesh,) = [c for c in ax.collections if isinstance(c, QuadMesh)]
    return np.asarray(mesh.get_array())


def drawn_costs(explorer):
    ax = axes_titled(explorer.fig, "Cost during")
    (line,) = [line for line in ax.get_lines() if line.get_label() == "cost"]
    return np.asarray(line.get_ydata())


def standardized(F):
    return (F - F.mean(axis=0)) / F.std(axis=0)


def reference_logistic(F, y, lr, steps):
    """Logistic regression by batch gradient descent, written out independently.

    Returns the costs after each update, shape (steps,), and the final (w, b).
    """
    m, n = F.shape
    w, b, costs = np.zeros(n), 0.0, []
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(F @ w + b)))
        w, b = w - lr * F.T @ (p - y) / m, b - lr * np.mean(p - y)
        p = 1 / (1 + np.exp(-(F @ w + b)))
        costs.append(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    return np.array(costs), (w, b)


def reference_softmax(F, y, lr, steps):
    """Softmax regression by batch gradient descent, written out independently."""
    m, n = F.shape
    k = y.max() + 1
    W, b, Y, costs = np.zeros((n, k)), np.zeros(k), np.eye(k)[y], []
    for _ in range(steps):
        E = np.exp(F @ W + b)
        P = E / E.sum(axis=1, keepdims=True)
        W, b = W - lr * F.T @ (P - Y) / m, b - lr * (P - Y).sum(axis=0) / m
        E = np.exp(F @ W + b)
        P = E / E.sum(axis=1, keepdims=True)
        costs.append(-np.mean(np.log(P[np.arange(m), y])))
    return np.array(costs)


# ---------------------------------------------------------------------------------------------
# DecisionBoundaryExplorer: layout
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def moons_explorer():
    """A default explorer (moons, linear features), not modified by the tests that use it."""
    return DecisionBoundaryExplorer()


def test_explorer_has_the_documented_controls(moons_explorer):
    e = moons_explorer
    assert isinstance(e.dataset_dropdown, ipywidgets.Dropdown)
    assert list(e.dataset_dropdown.options) == ["blobs", "moons", "circles", "xor", "spirals"]
    assert e.dataset_dropdown.value == "moons"
    assert isinstance(e.lr_slider, ipywidgets.FloatLogSlider)
    assert e.lr_slider.value == pytest.approx(1.0)
    assert isinstance(e.iters_slider, ipywidgets.IntSlider)
    assert e.iters_slider.value == 200
    assert isinstance(e.features_toggle, (ipywidgets.ToggleButtons, ipywidgets.Dropdown))
    assert [value for _, value in e.features_toggle.options] == ["linear", "quadratic"]
    assert e.lr_slider.continuous_update is False
    assert e.iters_slider.continuous_update is False
    assert isinstance(e.status, ipywidgets.HTML)
    assert isinstance(e.widget, ipywidgets.VBox)
    parts = list(descendants(e.widget))
    for control in (e.dataset_dropdown, e.lr_slider, e.iters_slider, e.features_toggle, e.status):
        assert control in parts
    assert any(isinstance(part, ipywidgets.Output) for part in parts)


def test_explorer_figure_is_bare_and_labelled(moons_explorer):
    fig = moons_explorer.fig
    assert isinstance(fig, Figure)
    assert fig.canvas.manager is None  # not registered with pyplot
    boundary_ax, cost_ax = fig.axes
    for ax in (boundary_ax, cost_ax):
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert "moons" in boundary_ax.get_title()


def test_explorer_leaves_no_pyplot_figures_open():
    before = plt.get_fignums()
    explorer = DecisionBoundaryExplorer(dataset="blobs", num_iters=20)
    explorer.features_toggle.value = "quadratic"
    assert plt.get_fignums() == before


def test_explorer_displays_as_its_widget(moons_explorer):
    bundle = moons_explorer._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == (
        moons_explorer.widget.model_id
    )


def test_drawing_shows_the_current_data_model_and_costs(moons_explorer):
    e = moons_explorer
    assert drawn_points(e) == {tuple(p) for p in e.X}
    np.testing.assert_array_equal(drawn_costs(e), e.costs)
    regions = drawn_regions(e)
    assert set(np.unique(regions)) == {0, 1}
    # The shaded model is the one whose accuracy is reported.
    assert f"training accuracy {100 * e.accuracy:.1f}%" in status_text(e)


# ---------------------------------------------------------------------------------------------
# DecisionBoundaryExplorer: what the training achieves
# ---------------------------------------------------------------------------------------------


def test_costs_match_an_independent_logistic_regression():
    explorer = DecisionBoundaryExplorer(dataset="blobs", lr=0.5, num_iters=30)
    X, y = planar("blobs", 200, seed=0)
    np.testing.assert_array_equal(explorer.X, X)
    expected, _ = reference_logistic(standardized(X), y, lr=0.5, steps=30)
    assert explorer.costs.shape == (30,)
    np.testing.assert_allclose(explorer.costs, expected, rtol=1e-10)


def test_accuracy_and_regions_come_from_the_p_half_threshold():
    # After a few steps many points and grid cells have p near 0.5, so any other threshold
    # than p > 0.5 (logit > 0) changes the accuracy or the shaded regions.
    explorer = DecisionBoundaryExplorer(dataset="moons", features="quadratic", num_iters=15)
    X, y = planar("moons", 200, seed=0)

    def features(P):
        return np.column_stack([P, P**2, P[:, 0] * P[:, 1]])

    F = features(X)
    mean, std = F.mean(axis=0), F.std(axis=0)
    _, (w, b) = reference_logistic((F - mean) / std, y, lr=1.0, steps=15)
    assert explorer.accuracy == np.mean((((F - mean) / std) @ w + b > 0) == y)

    regions = drawn_regions(explorer)
    ax = explorer.fig.axes[0]
    XX, YY = np.meshgrid(
        np.linspace(*ax.get_xlim(), regions.shape[1]), np.linspace(*ax.get_ylim(), regions.shape[0])
    )
    grid = features(np.column_stack([XX.ravel(), YY.ravel()]))
    expected = (((grid - mean) / std) @ w + b > 0).reshape(regions.shape)
    np.testing.assert_array_equal(regions, expected)


def test_costs_match_an_independent_softmax_regression_on_spirals():
    explorer = DecisionBoundaryExplorer(dataset="spirals", lr=0.3, num_iters=25)
    X, y = planar("spirals", 200, seed=0)
    assert set(np.unique(y)) == {0, 1, 2}
    expected = reference_softmax(standardized(X), y, lr=0.3, steps=25)
    np.testing.assert_allclose(explorer.costs, expected, rtol=1e-10)
    assert "softmax regression" in status_text(explorer)
    assert set(np.unique(drawn_regions(explorer))) == {0, 1, 2}
    # The cost starts below ln 3 (the cost of all-zero weights) and keeps falling.
    assert explorer.costs[0] < np.log(3)
    assert np.all(np.diff(explorer.costs) < 0)


def test_blobs_are_learned_almost_perfectly():
    explorer = DecisionBoundaryExplorer(dataset="blobs")
    assert explorer.accuracy >= 0.97
    assert explorer.costs[0] < np.log(2)
    assert np.all(np.diff(explorer.costs) < 0)
    assert explorer.costs[-1] < 0.05
    assert "logistic regression" in status_text(explorer)
    assert "try" not in status_text(explorer)


def test_circles_need_quadratic_features():
    explorer = DecisionBoundaryExplorer(dataset="circles", features="linear")
    assert explorer.accuracy < 0.65  # near chance: a line cannot cut a ring from a disc
    assert explorer.costs[-1] > 0.65  # barely below ln 2 = 0.693
    assert "quadratic features" in status_text(explorer)
    linear_regions = drawn_regions(explorer).copy()

    explorer.features_toggle.value = "quadratic"
    assert explorer.accuracy >= 0.95
    assert explorer.costs[-1] < 0.1
    assert not np.array_equal(drawn_regions(explorer), linear_regions)
    assert "quadratic features" in axes_titled(explorer.fig, "circles").get_title()


def test_xor_needs_quadratic_features():
    explorer = DecisionBoundaryExplorer(dataset="xor", features="linear")
    assert explorer.accuracy < 0.7
    explorer.features_toggle.value = "quadratic"
    assert explorer.accuracy >= 0.95


def test_spirals_defeat_even_quadratic_features():
    explorer = DecisionBoundaryExplorer(dataset="spirals", features="quadratic")
    assert explorer.accuracy < 0.8
    assert "neural network" in status_text(explorer)


def test_huge_learning_rate_runs_quietly_and_says_so():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow or invalid-value warnings
        explorer = DecisionBoundaryExplorer(dataset="circles", lr=100.0, num_iters=300)
        for name in ("blobs", "moons", "xor", "spirals"):
            explorer.dataset_dropdown.value = name
            assert np.all(np.isfinite(explorer.costs))
    assert "smaller learning rate" in status_text(explorer)


# ---------------------------------------------------------------------------------------------
# DecisionBoundaryExplorer: moving the controls
# ---------------------------------------------------------------------------------------------


def test_changing_the_dataset_redraws_everything():
    explorer = DecisionBoundaryExplorer(dataset="moons", num_iters=50)
    fig, axes = explorer.fig, list(explorer.fig.axes)
    old_points, old_costs = drawn_points(explorer), explorer.costs.copy()

    explorer.dataset_dropdown.value = "blobs"

    assert explorer.fig is fig and explorer.fig.axes == axes
    X, _ = planar("blobs", 200, seed=0)
    assert drawn_points(explorer) == {tuple(p) for p in X} != old_points
    assert not np.array_equal(explorer.costs, old_costs)
    np.testing.assert_array_equal(drawn_costs(explorer), explorer.costs)
    assert "blobs" in explorer.fig.axes[0].get_title()


def test_changing_iterations_and_learning_rate_retrains():
    explorer = DecisionBoundaryExplorer(dataset="blobs", lr=1.0, num_iters=40)
    explorer.iters_slider.value = 120
    assert explorer.costs.shape == (120,)
    assert drawn_costs(explorer).shape == (120,)
    first_run = explorer.costs.copy()

    explorer.lr_slider.value = 0.01
    slow = explorer.costs
    assert slow.shape == (120,)
    assert slow[-1] > first_run[-1]  # a smaller step gets less far in the same number of steps
    assert "0.01" in axes_titled(explorer.fig, "Cost during").get_title()


def test_same_settings_give_the_same_result():
    a = DecisionBoundaryExplorer(dataset="xor", num_iters=30)
    b = DecisionBoundaryExplorer(dataset="xor", num_iters=30)
    np.testing.assert_array_equal(a.costs, b.costs)
    assert a.accuracy == b.accuracy


# ---------------------------------------------------------------------------------------------
# DecisionBoundaryExplorer: bad input
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"dataset": "squares"}, ValueError, "choose one of 'blobs', 'moons'"),
        ({"dataset": 3}, TypeError, "dataset must be a string"),
        ({"features": "cubic"}, ValueError, "choose one of 'linear', 'quadratic'"),
        ({"lr": 0.0}, ValueError, "lr must lie between"),
        ({"lr": 1000.0}, ValueError, "lr must lie between"),
        ({"lr": "fast"}, TypeError, "lr must be a real"),
        ({"num_iters": 0}, ValueError, "between 1 and 2000"),
        ({"num_iters": 2001}, ValueError, "between 1 and 2000"),
        ({"num_iters": 10.0}, TypeError, "num_iters must be an integer"),
        ({"m": 5}, ValueError, "m must be between 10 and 5000"),
        ({"m": 50.5}, TypeError, "m must be an integer"),
        ({"seed": -1}, ValueError, "seed must be at least 0"),
    ],
)
def test_explorer_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        DecisionBoundaryExplorer(**kwargs)


# ---------------------------------------------------------------------------------------------
# SoftmaxTemperatureExplorer
# ---------------------------------------------------------------------------------------------


def drawn_probabilities(explorer):
    ax = axes_titled(explorer.fig, "Probabilities")
    return np.array([bar.get_height() for bar in ax.patches])


def test_softmax_explorer_has_the_documented_parts():
    e = SoftmaxTemperatureExplorer()
    slider = e.temperature_slider
    assert isinstance(slider, ipywidgets.FloatLogSlider)
    assert slider.continuous_update is False
    assert 10**slider.min == pytest.approx(0.05) and 10**slider.max == pytest.approx(20.0)
    assert slider.value == pytest.approx(1.0)
    assert isinstance(e.fig, Figure) and isinstance(e.widget, ipywidgets.VBox)
    parts = list(descendants(e.widget))
    assert slider in parts and e.status in parts
    for ax in e.fig.axes:
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert e._repr_mimebundle_()["application/vnd.jupyter.widget-view+json"]["model_id"] == (
        e.widget.model_id
    )


def test_probabilities_are_the_softmax_of_the_logits():
    e = SoftmaxTemperatureExplorer((3.0, 1.0, 0.2))
    z = np.array([3.0, 1.0, 0.2])
    expected = np.exp(z) / np.exp(z).sum()
    np.testing.assert_allclose(e.probabilities, expected, rtol=1e-12)
    assert e.probabilities.sum() == pytest.approx(1.0, abs=1e-12)
    assert e.entropy == pytest.approx(-np.sum(expected * np.log(expected)), rel=1e-12)
    np.testing.assert_allclose(drawn_probabilities(e), expected)
    assert "0.836" in status_text(e)


def test_temperature_divides_the_logits():
    e = SoftmaxTemperatureExplorer((2.0, -1.0, 0.5, 0.0), temperature=2.5)
    z = np.array([2.0, -1.0, 0.5, 0.0]) / 2.5
    np.testing.assert_allclose(e.probabilities, np.exp(z) / np.exp(z).sum(), rtol=1e-12)


def test_low_temperature_approaches_one_hot_and_high_approaches_uniform():
    e = SoftmaxTemperatureExplorer((1.0, 3.0, 0.2), labels=("cat", "dog", "frog"))
    fig, at_one = e.fig, e.probabilities.copy()

    e.temperature_slider.value = 0.05
    assert e.fig is fig
    np.testing.assert_allclose(e.probabilities, [0.0, 1.0, 0.0], atol=1e-12)
    assert e.entropy < 1e-10
    np.testing.assert_allclose(drawn_probabilities(e), e.probabilities)
    assert "dog 1.000" in status_text(e)

    e.temperature_slider.value = 20.0
    assert np.max(np.abs(e.probabilities - 1 / 3)) < 0.04
    assert e.entropy == pytest.approx(np.log(3), abs=0.01)
    assert np.argmax(e.probabilities) == 1  # the order of the logits never changes
    assert not np.allclose(drawn_probabilities(e), at_one)
    assert axes_titled(e.fig, "Probabilities").get_ylim() == (0.0, 1.0)
    assert "T = 20" in status_text(e)


def test_probabilities_always_sum_to_one_and_sharpen_as_t_falls():
    e = SoftmaxTemperatureExplorer((0.5, -2.0, 1.5, 1.0))
    top = []
    for t in (20.0, 5.0, 1.0, 0.3, 0.05):
        e.temperature_slider.value = t
        assert e.probabilities.sum() == pytest.approx(1.0, abs=1e-12)
        assert np.all(e.probabilities >= 0)
        top.append(e.probabilities.max())
    assert np.all(np.diff(top) > 0)


def test_huge_logits_do_not_overflow():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        e = SoftmaxTemperatureExplorer((1000.0, 999.0, 998.0), temperature=0.05)
    assert np.all(np.isfinite(e.probabilities))
    np.testing.assert_allclose(e.probabilities, [1.0, 0.0, 0.0], atol=1e-8)


def test_tied_logits_share_the_probability_at_low_temperature():
    e = SoftmaxTemperatureExplorer((2.0, 2.0, 0.0), temperature=0.05)
    np.testing.assert_allclose(e.probabilities, [0.5, 0.5, 0.0], atol=1e-12)


def test_labels_name_the_bars():
    e = SoftmaxTemperatureExplorer((1.0, 2.0), labels=["spam", "ham"])
    ticks = [t.get_text() for t in axes_titled(e.fig, "Probabilities").get_xticklabels()]
    assert ticks == ["spam", "ham"]
    default = SoftmaxTemperatureExplorer((1.0, 2.0))
    assert default.labels == ("class 0", "class 1")


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        (([[1.0, 2.0]],), {}, ValueError, "1-D sequence of at least 2 numbers"),
        (([1.0],), {}, ValueError, "at least 2 numbers"),
        (([1.0, np.nan],), {}, ValueError, "finite"),
        ((["a", "b"],), {}, TypeError, "numeric"),
        (((1.0, 2.0, 3.0),), {"labels": ("a", "b")}, ValueError, "3 logits but 2 labels"),
        (((1.0, 2.0),), {"labels": "ab"}, TypeError, "sequence of 2 class names"),
        (((1.0, 2.0),), {"temperature": 0.0}, ValueError, "between 0.05 and 20"),
        (((1.0, 2.0),), {"temperature": 50}, ValueError, "between 0.05 and 20"),
        (((1.0, 2.0),), {"temperature": "hot"}, TypeError, "temperature must be a real"),
    ],
)
def test_softmax_explorer_rejects_bad_arguments(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        SoftmaxTemperatureExplorer(*args, **kwargs)
