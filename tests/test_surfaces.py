"""Tests for dlcourse.surfaces: values, gradients (against finite differences), minima, plots."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.contour import ContourSet

from dlcourse.surfaces import (
    SURFACES,
    Surface,
    get_surface,
    local_minimum,
    plot_surface_contours,
    ravine,
    rosenbrock,
    saddle,
)

ALL = list(SURFACES.values())
IDS = list(SURFACES)


def numerical_gradient(surface, p, h=1e-6):
    """Central differences of surface.f at p, shape (2,)."""
    grad = np.zeros(2)
    for i in range(2):
        step = np.zeros(2)
        step[i] = h
        grad[i] = (surface.f(p + step) - surface.f(p - step)) / (2 * h)
    return grad


def test_the_mapping_holds_the_four_surfaces():
    assert list(SURFACES) == ["ravine", "rosenbrock", "saddle", "local_minimum"]
    assert SURFACES["ravine"] is ravine and SURFACES["saddle"] is saddle
    for name, surface in SURFACES.items():
        assert isinstance(surface, Surface) and surface.name == name
        assert get_surface(name) is surface
        assert get_surface(surface) is surface


@pytest.mark.parametrize(
    ("surface", "point", "value"),
    [
        (ravine, (1.0, 1.0), 1 / 20 + 5),
        (ravine, (-10.0, 0.0), 5.0),
        (rosenbrock, (1.0, 1.0), 0.0),
        (rosenbrock, (-1.2, 1.0), 2.2**2 + 100 * 0.44**2),
        (rosenbrock, (0.0, 0.0), 1.0),
        (saddle, (1.0, 2.0), -3.0),
        (saddle, (3.0, 0.0), 9.0),
        (local_minimum, (1.0, 0.0), 0.5),
        (local_minimum, (-1.0, 2.0), -0.5 + 4.0),
        (local_minimum, (0.0, 0.0), 1.0),
    ],
)
def test_values_at_hand_computed_points(surface, point, value):
    assert surface.f(np.array(point)) == pytest.approx(value, rel=1e-12, abs=1e-12)
    assert isinstance(surface.f(point), float)


@pytest.mark.parametrize(
    ("surface", "point", "gradient"),
    [
        (ravine, (1.0, 1.0), (0.1, 10.0)),
        (rosenbrock, (0.0, 0.0), (-2.0, 0.0)),
        (rosenbrock, (-1.2, 1.0), (-2 * 2.2 - 400 * -1.2 * (1 - 1.44), 200 * (1 - 1.44))),
        (saddle, (1.0, 2.0), (2.0, -4.0)),
        (local_minimum, (1.0, 1.0), (0.5, 2.0)),
    ],
)
def test_gradients_at_hand_computed_points(surface, point, gradient):
    np.testing.assert_allclose(surface.grad(point), gradient, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("surface", ALL, ids=IDS)
def test_gradients_match_finite_differences(surface):
    rng = np.random.default_rng(4)
    points = np.column_stack([rng.uniform(*surface.x_range, 25), rng.uniform(*surface.y_range, 25)])
    for p in [surface.start, *points]:
        expected = numerical_gradient(surface, p)
        np.testing.assert_allclose(
            surface.grad(p), expected, rtol=1e-5, atol=1e-5, err_msg=f"at {p}"
        )


@pytest.mark.parametrize("surface", ALL, ids=IDS)
def test_many_points_give_one_value_and_gradient_per_row(surface):
    rng = np.random.default_rng(0)
    P = rng.normal(size=(7, 2))
    values, grads = surface.f(P), surface.grad(P)
    assert values.shape == (7,) and grads.shape == (7, 2)
    np.testing.assert_allclose(values, [surface.f(p) for p in P])
    np.testing.assert_allclose(grads, [surface.grad(p) for p in P])
    assert surface.f(P.reshape(7, 1, 2)).shape == (7, 1)
    assert surface.grad([0.5, -0.5]).shape == (2,)


@pytest.mark.parametrize("surface", ALL, ids=IDS)
def test_minima_are_minima_and_saddles_are_saddles(surface):
    for point in [*surface.minima, *surface.saddle_points]:
        np.testing.assert_allclose(surface.grad(point), 0.0, atol=1e-9)
    directions = np.array([[np.cos(a), np.sin(a)] for a in np.linspace(0, 2 * np.pi, 16)])
    for point in surface.minima:
        around = surface.f(point + 1e-3 * directions)
        assert np.all(around > surface.f(point)), f"{point} is not a minimum of {surface.name}"
    for point in surface.saddle_points:
        around = surface.f(point + 1e-3 * directions)
        assert around.min() < surface.f(point) < around.max()


@pytest.mark.parametrize("surface", ALL, ids=IDS)
def test_start_and_landmarks_lie_in_the_plotting_box(surface):
    for x, y in [surface.start, *surface.minima, *surface.saddle_points]:
        assert surface.x_range[0] < x < surface.x_range[1]
        assert surface.y_range[0] < y < surface.y_range[1]
    for array in (surface.start, surface.minima, surface.saddle_points):
        assert not array.flags.writeable
    assert surface.formula.startswith("f(x, y) = ") and surface.description


def test_the_surfaces_have_the_documented_shapes():
    hessian = np.diag([0.1, 10.0])
    assert np.linalg.cond(hessian) == pytest.approx(100)
    np.testing.assert_allclose(
        ravine.grad([2.0, 3.0]), hessian @ [2.0, 3.0], err_msg="ravine is x²/20 + 5y²"
    )
    np.testing.assert_array_equal(rosenbrock.minima, [[1.0, 1.0]])
    assert saddle.minima.shape == (0, 2) and saddle.min_value is None
    np.testing.assert_array_equal(saddle.saddle_points, [[0.0, 0.0]])
    assert abs(saddle.start[1]) < 0.01, "the saddle race starts just off the x-axis"
    # local_minimum: the global minimum first (left, deeper), then the shallow local one
    (x_global, _), (x_local, _) = local_minimum.minima
    assert x_global < 0 < x_local
    assert local_minimum.f(local_minimum.minima[0]) < local_minimum.f(local_minimum.minima[1])
    assert local_minimum.min_value == pytest.approx(local_minimum.f(local_minimum.minima[0]))
    assert local_minimum.start[0] > x_local, "the race starts on the shallow side"
    assert ravine.min_value == 0.0 and rosenbrock.min_value == 0.0


def test_get_surface_says_what_to_choose():
    with pytest.raises(ValueError, match="unknown surface 'bowl'.*'ravine', 'rosenbrock'"):
        get_surface("bowl")
    with pytest.raises(TypeError, match="surface must be a name"):
        get_surface(3)


@pytest.mark.parametrize(
    ("p", "error", "match"),
    [
        ([1.0, 2.0, 3.0], ValueError, r"shape \(2,\) for one point or \(k, 2\).*got shape \(3,\)"),
        (np.zeros((4, 3)), ValueError, r"got shape \(4, 3\)"),
        (1.0, ValueError, r"got shape \(\)"),
        ("x", TypeError, "p must be a numeric array"),
    ],
)
def test_bad_points_are_rejected(p, error, match):
    with pytest.raises(error, match=match):
        ravine.f(p)
    with pytest.raises(error, match=match):
        ravine.grad(p)


# ---------------------------------------------------------------------------------------------
# plot_surface_contours
# ---------------------------------------------------------------------------------------------


def contour_levels(ax):
    (contours,) = [c for c in ax.collections if isinstance(c, ContourSet)]
    return np.asarray(contours.levels)


def legend_labels(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_contours_are_log_spaced_above_the_minimum():
    _, ax = plt.subplots()
    returned = plot_surface_contours("ravine", ax=ax)
    assert returned is ax
    heights = contour_levels(ax) - ravine.min_value
    assert np.all(heights > 0)
    ratios = heights[1:] / heights[:-1]
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-9)
    assert ratios[0] > 1.2
    assert ax.get_title() == ravine.formula
    assert ax.get_xlabel() and ax.get_ylabel()
    assert ax.get_xlim() == ravine.x_range and ax.get_ylim() == ravine.y_range
    assert "minimum" in legend_labels(ax)


def test_saddle_contours_go_both_ways_from_the_saddle_value():
    _, ax = plt.subplots()
    plot_surface_contours(saddle, ax=ax)
    levels = contour_levels(ax)
    assert levels.min() < 0 < levels.max()
    assert "saddle point" in legend_labels(ax)


def test_local_minimum_marks_both_minima_and_the_ridge():
    _, ax = plt.subplots()
    plot_surface_contours(local_minimum, ax=ax)
    assert {"minimum", "local minimum", "saddle point"} <= set(legend_labels(ax))


def test_paths_are_drawn_with_their_labels_and_distinct_styles():
    path_a = np.array([[-9.0, 1.0], [-8.0, 0.5], [-7.0, 0.2]])
    path_b = np.array([[-9.0, 1.0], [-5.0, 0.0]])
    ax = plot_surface_contours("ravine", paths={"SGD": path_a, "Adam": path_b}, title="race")
    assert ax.get_title() == "race"
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_array_equal(lines["SGD"].get_xydata(), path_a)
    np.testing.assert_array_equal(lines["Adam"].get_xydata(), path_b)
    a, b = lines["SGD"], lines["Adam"]
    assert a.get_color() != b.get_color()
    assert a.get_linestyle() != b.get_linestyle() and a.get_marker() != b.get_marker()
    assert {"SGD", "Adam", "start"} <= set(legend_labels(ax))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"paths": [[0, 0]]}, TypeError, r"paths must be a dict \{label: array"),
        ({"paths": {"SGD": np.zeros((3, 3))}}, ValueError, r"paths\['SGD'\] must have shape"),
        ({"paths": {"SGD": [[0, 0], [np.nan, 1]]}}, ValueError, "NaN or infinite"),
        ({"title": 3}, TypeError, "title must be a string"),
        ({"ax": "left"}, TypeError, "ax must be a matplotlib Axes"),
    ],
)
def test_bad_plot_arguments_are_rejected(kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_surface_contours("ravine", **kwargs)


def test_unknown_surface_names_are_rejected_by_the_plot():
    with pytest.raises(ValueError, match="unknown surface"):
        plot_surface_contours("banana")
