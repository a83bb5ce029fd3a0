"""Tests for the week-3 explorers, driven without a browser by setting the controls' values."""

from __future__ import annotations

import importlib
import warnings

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from helpers import descendants, status_text
from matplotlib.collections import PathCollection, QuadMesh
from matplotlib.figure import Figure

from dlcourse.datasets import planar
from dlcourse.widgets import ActivationExplorer, ComputeGraphExplorer


def drawn_texts(explorer, kind):
    """{node: text} of the graph's texts whose gid is "<kind>:<node>"."""
    (ax,) = explorer.fig.axes
    return {
        t.get_gid().split(":", 1)[1]: t.get_text()
        for t in ax.texts
        if (t.get_gid() or "").startswith(kind + ":")
    }


def test_widgets_package_exports_the_week3_explorers():
    import dlcourse.widgets as package

    assert {"ActivationExplorer", "ComputeGraphExplorer"} <= set(package.__all__)
    assert "graphs" in importlib.import_module("dlcourse").__doc__


# ---------------------------------------------------------------------------------------------
# ComputeGraphExplorer
# ---------------------------------------------------------------------------------------------


def test_graph_explorer_has_the_documented_parts():
    e = ComputeGraphExplorer()
    for slider, value in ((e.x_slider, -2.0), (e.y_slider, 5.0), (e.z_slider, -4.0)):
        assert isinstance(slider, ipywidgets.FloatSlider)
        assert slider.value == value
        assert slider.continuous_update is False
    assert isinstance(e.mode_toggle, ipywidgets.ToggleButtons)
    assert list(e.mode_toggle.options) == ["forward", "forward + backward"]
    assert e.mode_toggle.value == "forward + backward"
    assert isinstance(e.status, ipywidgets.HTML) and isinstance(e.widget, ipywidgets.VBox)
    parts = list(descendants(e.widget))
    for control in (e.x_slider, e.y_slider, e.z_slider, e.mode_toggle, e.status):
        assert control in parts
    assert any(isinstance(part, ipywidgets.Output) for part in parts)
    assert isinstance(e.fig, Figure) and e.fig.canvas.manager is None
    assert "f = (x + y) · z" in e.fig.axes[0].get_title()
    bundle = e._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == e.widget.model_id


def test_graph_explorer_shows_the_worked_example():
    e = ComputeGraphExplorer()
    assert e.values == {"x": -2.0, "y": 5.0, "z": -4.0, "q": 3.0, "f": -12.0}
    assert e.gradients == {"x": -4.0, "y": -4.0, "z": 3.0, "q": -4.0, "f": 1.0}
    assert drawn_texts(e, "value") == {
        "x": "value = -2",
        "y": "value = 5",
        "z": "value = -4",
        "q": "value = 3",
        "f": "value = -12",
    }
    assert drawn_texts(e, "grad") == {
        "x": "grad = -4",
        "y": "grad = -4",
        "z": "grad = 3",
        "q": "grad = -4",
        "f": "grad = 1",
    }
    text = status_text(e)
    assert "q = x + y = -2 + 5 = 3" in text
    assert "f = q · z = 3 · (-4) = -12" in text
    assert "df/dx = df/dq · dq/dx = (-4) · 1 = -4" in text
    assert "df/dz = q = 3" in text


def test_moving_a_slider_recomputes_and_redraws():
    e = ComputeGraphExplorer()
    fig = e.fig
    e.x_slider.value = 1.0
    assert e.fig is fig
    assert e.values["q"] == 6.0 and e.values["f"] == -24.0
    assert e.gradients["z"] == 6.0  # df/dz = q
    assert e.gradients["x"] == e.gradients["y"] == -4.0  # df/dx = z, unchanged
    assert drawn_texts(e, "value")["f"] == "value = -24"
    assert drawn_texts(e, "grad")["z"] == "grad = 6"
    e.z_slider.value = 2.5
    assert e.values["f"] == 15.0
    assert drawn_texts(e, "grad")["x"] == "grad = 2.5"
    assert "= 15" in status_text(e)


@pytest.mark.parametrize(("x", "y", "z"), [(1.5, -3.0, 4.0), (-7.3, 0.4, 9.9), (0.0, 0.0, -1.0)])
def test_explorer_gradients_match_finite_differences(x, y, z):
    e = ComputeGraphExplorer()
    e.x_slider.value, e.y_slider.value, e.z_slider.value = x, y, z
    h = 1e-6

    def f(a, b, c):
        return (a + b) * c

    assert e.values["f"] == pytest.approx(f(x, y, z))
    assert e.gradients["x"] == pytest.approx((f(x + h, y, z) - f(x - h, y, z)) / (2 * h), abs=1e-6)
    assert e.gradients["y"] == pytest.approx((f(x, y + h, z) - f(x, y - h, z)) / (2 * h), abs=1e-6)
    assert e.gradients["z"] == pytest.approx((f(x, y, z + h) - f(x, y, z - h)) / (2 * h), abs=1e-6)


def test_forward_mode_hides_the_gradients():
    e = ComputeGraphExplorer(mode="forward")
    assert drawn_texts(e, "grad") == {}
    assert drawn_texts(e, "value")["f"] == "value = -12"
    assert e.gradients["x"] == -4.0  # still computed
    assert "forward + backward" in status_text(e) and "df/dx" not in status_text(e)
    assert "backward" not in e.fig.axes[0].get_title()

    e.mode_toggle.value = "forward + backward"
    assert drawn_texts(e, "grad")["x"] == "grad = -4"
    assert "df/dx" in status_text(e)
    assert "backward" in e.fig.axes[0].get_title()


def test_graph_explorer_leaves_no_pyplot_figures_open():
    before = plt.get_fignums()
    e = ComputeGraphExplorer(1, 2, 3)
    e.y_slider.value = -1.0
    assert plt.get_fignums() == before


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"x": 11.0}, ValueError, r"x must lie between -10 and 10 \(the slider's range\)"),
        ({"z": -10.5}, ValueError, "z must lie between -10 and 10"),
        ({"y": "five"}, TypeError, "y must be a real number"),
        ({"x": float("nan")}, ValueError, "x must be finite"),
        ({"mode": "backward"}, ValueError, "choose one of 'forward', 'forward \\+ backward'"),
        ({"mode": 1}, TypeError, "mode must be a string"),
    ],
)
def test_graph_explorer_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        ComputeGraphExplorer(**kwargs)


# ---------------------------------------------------------------------------------------------
# ActivationExplorer: helpers
# ---------------------------------------------------------------------------------------------


def curve(explorer, gid):
    """(z, values) of the line with this gid ("activation" or "derivative") on the left plot."""
    ax = explorer.fig.axes[0]
    (line,) = [line for line in ax.get_lines() if line.get_gid() == gid]
    return np.asarray(line.get_xdata()), np.asarray(line.get_ydata())


def spans(explorer, gid):
    """Sorted (start, end) of the shaded z ranges with this gid on the left plot."""
    ax = explorer.fig.axes[0]
    return sorted((p.get_x(), p.get_x() + p.get_width()) for p in ax.patches if p.get_gid() == gid)


def drawn_regions(explorer):
    ax = explorer.fig.axes[1]
    (mesh,) = [c for c in ax.collections if isinstance(c, QuadMesh)]
    return np.asarray(mesh.get_array())


def drawn_points(explorer):
    ax = explorer.fig.axes[1]
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
    return {tuple(p) for s in scatters for p in np.asarray(s.get_offsets())}


def most_runs(regions):
    """Most separate runs one class forms along one grid row or column.

    A linear model's regions are convex (intersections of half-planes), so along any straight
    line each class forms at most one run.
    """
    worst = 0
    for lines in (regions, regions.T):
        for line in lines:
            starts = np.concatenate([[True], line[1:] != line[:-1]])
            labels = line[starts]
            worst = max(worst, max(np.sum(labels == k) for k in np.unique(labels)))
    return int(worst)


def logistic(z):
    return 1 / (1 + np.exp(-z))


# Known values g(z) and g'(z), with the course's convention g'(0) = 0 for ReLU and
# g'(0) = alpha for leaky ReLU (the slope of the z <= 0 side).
KNOWN_POINTS = {
    "sigmoid": [(0.0, 0.5, 0.25), (2.0, logistic(2.0), logistic(2.0) * logistic(-2.0))],
    "tanh": [(0.0, 0.0, 1.0), (-1.0, np.tanh(-1.0), 1 - np.tanh(1.0) ** 2)],
    "relu": [(-2.0, 0.0, 0.0), (0.0, 0.0, 0.0), (1.5, 1.5, 1.0)],
    "leaky_relu": [(-2.0, -0.02, 0.01), (0.0, 0.0, 0.01), (1.5, 1.5, 1.0)],
    "linear": [(-2.0, -2.0, 1.0), (0.0, 0.0, 1.0), (1.5, 1.5, 1.0)],
}


@pytest.fixture(scope="module")
def relu_spirals():
    """The default explorer (ReLU on spirals), not modified by the tests that use it."""
    return ActivationExplorer()


@pytest.fixture(scope="module")
def cheap():
    """An explorer that trains almost nothing, for tests of the activation plot."""
    return ActivationExplorer(dataset="blobs", hidden=2, num_iters=1, m=10)


# ---------------------------------------------------------------------------------------------
# ActivationExplorer: layout
# ---------------------------------------------------------------------------------------------


def test_activation_explorer_has_the_documented_parts(relu_spirals):
    e = relu_spirals
    assert isinstance(e.activation_dropdown, ipywidgets.Dropdown)
    assert [value for _, value in e.activation_dropdown.options] == [
        "sigmoid",
        "tanh",
        "relu",
        "leaky_relu",
        "linear",
    ]
    assert e.activation_dropdown.value == "relu"
    assert isinstance(e.dataset_dropdown, ipywidgets.Dropdown)
    assert list(e.dataset_dropdown.options) == ["blobs", "moons", "circles", "xor", "spirals"]
    assert e.dataset_dropdown.value == "spirals"
    assert isinstance(e.status, ipywidgets.HTML) and isinstance(e.widget, ipywidgets.VBox)
    parts = list(descendants(e.widget))
    for control in (e.activation_dropdown, e.dataset_dropdown, e.status):
        assert control in parts
    assert any(isinstance(part, ipywidgets.Output) for part in parts)
    assert isinstance(e.fig, Figure) and e.fig.canvas.manager is None
    curve_ax, boundary_ax = e.fig.axes
    for ax in (curve_ax, boundary_ax):
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert "ReLU" in curve_ax.get_title()
    assert "spirals" in boundary_ax.get_title() and "ReLU" in boundary_ax.get_title()
    assert curve_ax.get_xlim() == (-5.0, 5.0)
    bundle = e._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == e.widget.model_id


# ---------------------------------------------------------------------------------------------
# ActivationExplorer: the activation plot
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(KNOWN_POINTS))
def test_curves_match_the_known_formulas(cheap, name):
    cheap.activation_dropdown.value = name
    z, g = curve(cheap, "activation")
    z_slope, slope = curve(cheap, "derivative")
    np.testing.assert_array_equal(z, z_slope)
    assert z.min() == -5.0 and z.max() == 5.0
    for point, value, derivative in KNOWN_POINTS[name]:
        (index,) = np.flatnonzero(z == point)
        assert g[index] == pytest.approx(value, abs=1e-12), f"g({point})"
        assert slope[index] == pytest.approx(derivative, abs=1e-12), f"g'({point})"
    # Away from the kink at 0, the derivative drawn is the slope of the curve drawn.
    smooth = np.abs(z[1:-1]) > 0.05
    numeric = (g[2:] - g[:-2]) / (z[2:] - z[:-2])
    np.testing.assert_allclose(slope[1:-1][smooth], numeric[smooth], atol=1e-4)


def test_shading_marks_where_the_gradient_vanishes(cheap):
    cheap.activation_dropdown.value = "relu"
    assert spans(cheap, "zero-gradient") == [(-5.0, 0.0)]  # ReLU'(z) = 0 for z <= 0
    assert spans(cheap, "small-gradient") == []

    cheap.activation_dropdown.value = "leaky_relu"
    assert spans(cheap, "zero-gradient") == []  # the leak keeps a small gradient
    ((start, end),) = spans(cheap, "small-gradient")
    assert start == -5.0 and end == pytest.approx(0.0, abs=0.011)

    # sigmoid'(z) = s(1 - s) < 0.05 where s < (1 - sqrt(0.8)) / 2, i.e. |z| > 2.887
    cheap.activation_dropdown.value = "sigmoid"
    s = (1 - np.sqrt(0.8)) / 2
    edge = -np.log(s / (1 - s))
    (left, right) = spans(cheap, "small-gradient")
    assert left[0] == -5.0 and left[1] == pytest.approx(-edge, abs=0.011)
    assert right[0] == pytest.approx(edge, abs=0.011) and right[1] == 5.0

    # tanh'(z) = 1 - tanh(z)^2 < 0.05 where |z| > artanh(sqrt(0.95)) = 2.178
    cheap.activation_dropdown.value = "tanh"
    edge = np.arctanh(np.sqrt(0.95))
    (left, right) = spans(cheap, "small-gradient")
    assert left[1] == pytest.approx(-edge, abs=0.011) and right[0] == pytest.approx(edge, abs=0.011)

    cheap.activation_dropdown.value = "linear"
    assert spans(cheap, "zero-gradient") == spans(cheap, "small-gradient") == []


# ---------------------------------------------------------------------------------------------
# ActivationExplorer: what the network learns
# ---------------------------------------------------------------------------------------------


def test_relu_network_fits_the_spirals(relu_spirals):
    e = relu_spirals
    assert e.accuracy >= 0.9
    assert e.costs.shape == (800,)
    assert np.all(np.diff(e.costs) < 0)
    assert e.costs[-1] < 0.3
    assert drawn_points(e) == {tuple(p) for p in planar("spirals", 200, seed=0)[0]}
    assert set(np.unique(drawn_regions(e))) == {0, 1, 2}
    assert most_runs(drawn_regions(e)) >= 2  # curved, interleaved regions
    assert f"training accuracy {100 * e.accuracy:.1f}%" in status_text(e)
    assert "try" not in status_text(e).lower()


def test_linear_activation_gives_a_linear_boundary_and_fails():
    e = ActivationExplorer(activation="linear")
    assert e.accuracy < 0.7
    assert most_runs(drawn_regions(e)) == 1  # every class region is convex
    assert "straight lines" in status_text(e)
    assert "non-linear activation" in status_text(e)
    linear_regions = drawn_regions(e).copy()

    e.activation_dropdown.value = "tanh"
    assert e.accuracy >= 0.9
    assert most_runs(drawn_regions(e)) >= 2
    assert not np.array_equal(drawn_regions(e), linear_regions)
    assert "tanh" in e.fig.axes[1].get_title()


def test_linear_network_fails_on_circles_too():
    e = ActivationExplorer(activation="identity", dataset="circles", num_iters=300)
    assert e.activation_dropdown.value == "linear"
    assert e.accuracy < 0.7
    assert most_runs(drawn_regions(e)) == 1


def reference_training(X, y, activation, hidden, lr, steps, seed):
    """The documented network and training, written out independently; returns the costs."""
    g, slope = {
        "tanh": (np.tanh, lambda a: 1 - np.tanh(a) ** 2),
        "relu": (lambda a: np.maximum(a, 0), lambda a: (a > 0) * 1.0),
        "sigmoid": (logistic, lambda a: logistic(a) * (1 - logistic(a))),
    }[activation]
    rng = np.random.default_rng(seed)
    m, n = X.shape
    k = y.max() + 1
    W1 = rng.normal(0, 1 / np.sqrt(n), (n, hidden))
    W2 = rng.normal(0, 1 / np.sqrt(hidden), (hidden, k))
    b1, b2 = np.zeros(hidden), np.zeros(k)
    Y = np.eye(k)[y]

    def probabilities():
        S = g(X @ W1 + b1) @ W2 + b2
        E = np.exp(S - S.max(axis=1, keepdims=True))
        return E / E.sum(axis=1, keepdims=True)

    costs = []
    for _ in range(steps):
        A = X @ W1 + b1
        dS = (probabilities() - Y) / m
        dA = dS @ W2.T * slope(A)
        W1, b1, W2, b2 = (
            W1 - lr * X.T @ dA,
            b1 - lr * dA.sum(axis=0),
            W2 - lr * g(A).T @ dS,
            b2 - lr * dS.sum(axis=0),
        )
        costs.append(-np.mean(np.log(probabilities()[np.arange(m), y])))
    predictions = np.argmax(g(X @ W1 + b1) @ W2 + b2, axis=1)
    return np.array(costs), np.mean(predictions == y)


@pytest.mark.parametrize(
    ("activation", "dataset"), [("tanh", "moons"), ("relu", "xor"), ("sigmoid", "spirals")]
)
def test_costs_match_an_independent_two_layer_network(activation, dataset):
    e = ActivationExplorer(
        activation=activation, dataset=dataset, hidden=8, num_iters=30, lr=0.5, m=60, seed=3
    )
    X, y = planar(dataset, 60, seed=3)
    np.testing.assert_array_equal(e.X, X)
    costs, accuracy = reference_training(X, y, activation, 8, 0.5, 30, seed=3)
    np.testing.assert_allclose(e.costs, costs, rtol=1e-10)
    assert e.accuracy == accuracy


def test_changing_the_dataset_retrains_and_redraws():
    e = ActivationExplorer(dataset="moons", hidden=10, num_iters=50)
    fig, axes = e.fig, list(e.fig.axes)
    old_costs = e.costs.copy()
    e.dataset_dropdown.value = "xor"
    assert e.fig is fig and e.fig.axes == axes
    assert drawn_points(e) == {tuple(p) for p in planar("xor", 200, seed=0)[0]}
    assert not np.array_equal(e.costs, old_costs)
    assert "xor" in e.fig.axes[1].get_title()


def test_huge_learning_rate_stops_quietly_and_says_so():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow or invalid-value warnings
        e = ActivationExplorer(activation="linear", lr=100.0, num_iters=200, hidden=10)
    assert 0 < e.costs.size < 200
    assert np.all(np.isfinite(e.costs))
    assert "smaller learning rate" in status_text(e)


def test_activation_explorer_leaves_no_pyplot_figures_open(cheap):
    before = plt.get_fignums()
    ActivationExplorer(dataset="blobs", hidden=2, num_iters=1, m=10)
    cheap.dataset_dropdown.value = "moons"
    assert plt.get_fignums() == before


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"activation": "softplus"}, ValueError, "choose one of 'sigmoid', 'tanh', 'relu'"),
        ({"activation": None}, TypeError, "activation must be a string"),
        ({"dataset": "squares"}, ValueError, "choose one of 'blobs', 'moons'"),
        ({"hidden": 0}, ValueError, "hidden must be between 1 and 500"),
        ({"hidden": 2.5}, TypeError, "hidden must be an integer"),
        ({"num_iters": 0}, ValueError, "between 1 and 3000"),
        ({"lr": 0.0}, ValueError, "lr must lie between"),
        ({"lr": "fast"}, TypeError, "lr must be a real"),
        ({"m": 5}, ValueError, "m must be between 10 and 2000"),
        ({"seed": -1}, ValueError, "seed must be at least 0"),
    ],
)
def test_activation_explorer_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        ActivationExplorer(**kwargs)
