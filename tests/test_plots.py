"""Tests for dlcourse.plots: what is drawn, where, with which labels, and the error messages."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.contour import ContourSet

from dlcourse import plots
from dlcourse._core import regression
from dlcourse.datasets import housing, housing_multi
from dlcourse.plots import plot_cost_contours, plot_cost_curve, plot_cost_surface, plot_data

# Functions students write in the graded week-1 exercise: the library must not hand them out.
EXERCISE_FUNCTIONS = {
    "linear_predict",
    "linear_cost",
    "linear_gradients",
    "gradient_descent",
    "standardize",
    "normal_equation",
}


@pytest.fixture(autouse=True)
def close_figures():
    """Close every pyplot figure a test made."""
    yield
    plt.close("all")


@pytest.fixture
def data():
    """A small housing set: X of shape (40, 1), y of shape (40,)."""
    return housing(40, seed=3)


def lstsq_line(X, y):
    """The least-squares (w, b) for one feature, computed independently of the library."""
    design = np.column_stack([X[:, 0], np.ones(len(y))])
    w, b = np.linalg.lstsq(design, y, rcond=None)[0]
    return w, b


def line_labelled(ax, label):
    """The single Line2D on ``ax`` whose legend label is ``label``."""
    matches = [line for line in ax.get_lines() if line.get_label() == label]
    assert len(matches) == 1, f"expected one line labelled {label!r}, found {len(matches)}"
    return matches[0]


def assert_labelled(ax):
    """Both axes labelled and a title present."""
    assert ax.get_xlabel().strip()
    assert ax.get_ylabel().strip()
    assert ax.get_title().strip()


def contour_set(ax):
    """The ContourSet drawn on ``ax``."""
    found = [c for c in ax.collections if isinstance(c, ContourSet)]
    assert len(found) == 1
    return found[0]


# ---------------------------------------------------------------------------------------------
# No drop-in answers to the exercise
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("module_name", ["dlcourse.plots", "dlcourse.widgets"])
def test_no_public_exercise_answers(module_name):
    import importlib

    module = importlib.import_module(module_name)
    public = {name for name in dir(module) if not name.startswith("_")}
    assert not public & EXERCISE_FUNCTIONS
    assert not set(module.__all__) & EXERCISE_FUNCTIONS


def test_public_api_is_the_four_plot_functions_and_the_palette():
    assert sorted(plots.__all__) == [
        "PALETTE",
        "plot_cost_contours",
        "plot_cost_curve",
        "plot_cost_surface",
        "plot_data",
    ]


# ---------------------------------------------------------------------------------------------
# The private maths the plots rely on (dlcourse._core.regression)
# ---------------------------------------------------------------------------------------------


def test_cost_grid_matches_direct_sum(data):
    X, y = data
    w_values = np.array([-10.0, 0.0, 120.0, 151.5])
    b_values = np.array([-30.0, 50.0, 75.0])
    W, B, J = regression.cost_grid(X, y, w_values, b_values)
    assert J.shape == (3, 4)
    for i, b in enumerate(b_values):
        for j, w in enumerate(w_values):
            expected = np.sum((X[:, 0] * w + b - y) ** 2) / (2 * len(y))
            assert W[i, j] == w and B[i, j] == b
            assert J[i, j] == pytest.approx(expected, rel=1e-9)


def test_least_squares_line_matches_lstsq(data):
    X, y = data
    assert regression.least_squares_line(X, y) == pytest.approx(lstsq_line(X, y), rel=1e-10)


def test_default_ranges_are_centred_on_the_optimum_and_contain_the_origin(data):
    X, y = data
    w_star, b_star = lstsq_line(X, y)
    (w_lo, w_hi), (b_lo, b_hi) = regression.default_ranges(X, y)
    assert (w_lo + w_hi) / 2 == pytest.approx(w_star)
    assert (b_lo + b_hi) / 2 == pytest.approx(b_star)
    assert w_lo < 0 < w_hi and b_lo < 0 < b_hi


# ---------------------------------------------------------------------------------------------
# plot_data
# ---------------------------------------------------------------------------------------------


def test_plot_data_scatters_every_example_with_labels(data):
    X, y = data
    ax = plot_data(X, y)
    points = ax.collections[0].get_offsets()
    np.testing.assert_array_equal(np.asarray(points), np.column_stack([X[:, 0], y]))
    assert ax.get_xlabel() == "size (1000 sq ft)"
    assert ax.get_ylabel() == "price ($1000s)"
    assert ax.get_title()
    assert ax.get_lines() == []


def test_plot_data_uses_given_ax_and_labels(data):
    X, y = data
    _, ax = plt.subplots()
    returned = plot_data(X, y, ax=ax, xlabel="x", ylabel="t", title="my data")
    assert returned is ax
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("x", "t", "my data")


@pytest.mark.parametrize("w", [150.0, np.array([150.0])])
def test_plot_data_line_follows_w_x_plus_b(data, w):
    X, y = data
    ax = plot_data(X, y, line=(w, 50.0))
    (line,) = ax.get_lines()
    xs, ys = line.get_data()
    assert min(xs) == X.min() and max(xs) == X.max()
    np.testing.assert_allclose(ys, 150.0 * np.asarray(xs) + 50.0)
    assert ax.get_legend() is not None


def test_plot_data_rejects_1d_X_with_a_reshape_hint(data):
    X, y = data
    with pytest.raises(ValueError, match=r"reshape\(-1, 1\)"):
        plot_data(X[:, 0], y)


def test_plot_data_rejects_several_features():
    X, y = housing_multi(20)
    with pytest.raises(ValueError, match="exactly one feature"):
        plot_data(X, y)


def test_plot_data_rejects_mismatched_rows(data):
    X, y = data
    with pytest.raises(ValueError, match="same number of examples"):
        plot_data(X, y[:-1])


def test_plot_data_rejects_nan(data):
    X, y = data
    y = y.copy()
    y[0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        plot_data(X, y)


def test_plot_data_rejects_non_numeric_X(data):
    _, y = data
    with pytest.raises(TypeError, match="numeric"):
        plot_data([["a"]] * len(y), y)


@pytest.mark.parametrize("line", [(1.0,), 3.0, (1.0, 2.0, 3.0)])
def test_plot_data_rejects_a_line_that_is_not_a_pair(data, line):
    X, y = data
    with pytest.raises(TypeError, match=r"pair \(w, b\)"):
        plot_data(X, y, line=line)


def test_plot_data_rejects_non_finite_line(data):
    X, y = data
    with pytest.raises(ValueError, match="finite"):
        plot_data(X, y, line=(np.inf, 0.0))


def test_plot_data_rejects_a_non_axes_ax(data):
    X, y = data
    with pytest.raises(TypeError, match="Axes"):
        plot_data(X, y, ax="left")


# ---------------------------------------------------------------------------------------------
# plot_cost_surface
# ---------------------------------------------------------------------------------------------


def test_plot_cost_surface_makes_a_labelled_3d_axes(data):
    X, y = data
    ax = plot_cost_surface(X, y)
    assert ax.name == "3d"
    assert_labelled(ax)
    assert ax.get_zlabel().strip()
    assert len(ax.collections) == 1  # the surface


def test_plot_cost_surface_marks_the_least_squares_minimum(data):
    X, y = data
    ax = plot_cost_surface(X, y)
    marker = line_labelled(ax, plots.OPTIMUM_LABEL)
    w_marked, b_marked, j_marked = (np.ravel(v)[0] for v in marker.get_data_3d())
    w_star, b_star = lstsq_line(X, y)
    assert (w_marked, b_marked) == pytest.approx((w_star, b_star), rel=1e-9)
    assert j_marked == pytest.approx(np.sum((w_star * X[:, 0] + b_star - y) ** 2) / (2 * len(y)))


def test_plot_cost_surface_respects_given_ranges_and_ax(data):
    X, y = data
    ax = plt.figure().add_subplot(projection="3d")
    returned = plot_cost_surface(X, y, w_range=(100, 200), b_range=(-20.0, 120.0), ax=ax)
    assert returned is ax
    w_lo, w_hi = ax.get_xlim()
    b_lo, b_hi = ax.get_ylim()
    assert w_lo <= 100 and w_hi >= 200 and w_hi - w_lo < 150
    assert b_lo <= -20 and b_hi >= 120 and b_hi - b_lo < 200


def test_plot_cost_surface_needs_a_3d_axes(data):
    X, y = data
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="3-D Axes"):
        plot_cost_surface(X, y, ax=ax)


def test_plot_cost_surface_needs_exactly_one_feature():
    X, y = housing_multi(20)
    with pytest.raises(ValueError, match="exactly one feature"):
        plot_cost_surface(X, y)


@pytest.mark.parametrize(
    ("w_range", "error", "message"),
    [
        ((5.0, 1.0), ValueError, "low < high"),
        ((1.0, np.nan), ValueError, "finite"),
        ((1.0,), TypeError, r"pair \(low, high\)"),
        (("a", "b"), TypeError, "real number"),
    ],
)
def test_plot_cost_surface_rejects_bad_ranges(data, w_range, error, message):
    X, y = data
    with pytest.raises(error, match=message):
        plot_cost_surface(X, y, w_range=w_range)


# ---------------------------------------------------------------------------------------------
# plot_cost_contours
# ---------------------------------------------------------------------------------------------


def test_plot_cost_contours_marks_the_least_squares_minimum(data):
    X, y = data
    ax = plot_cost_contours(X, y)
    assert_labelled(ax)
    w_marked, b_marked = (
        np.ravel(v)[0] for v in line_labelled(ax, "least-squares minimum").get_data()
    )
    assert (w_marked, b_marked) == pytest.approx(lstsq_line(X, y), rel=1e-9)


def test_plot_cost_contours_default_view_is_centred_on_the_minimum(data):
    X, y = data
    ax = plot_cost_contours(X, y)
    w_star, b_star = lstsq_line(X, y)
    assert np.mean(ax.get_xlim()) == pytest.approx(w_star)
    assert np.mean(ax.get_ylim()) == pytest.approx(b_star)


def test_plot_cost_contours_default_levels_are_log_spaced_above_the_minimum(data):
    X, y = data
    ax = plot_cost_contours(X, y)
    w_star, b_star = lstsq_line(X, y)
    cost_star = np.sum((w_star * X[:, 0] + b_star - y) ** 2) / (2 * len(y))
    heights = contour_set(ax).levels - cost_star
    assert len(heights) >= 10
    assert np.all(heights > 0)
    ratios = heights[1:] / heights[:-1]
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-6)
    assert ratios[0] > 1.2


def test_plot_cost_contours_uses_given_levels_and_ranges(data):
    X, y = data
    _, ax = plt.subplots()
    levels = [500.0, 1000.0, 5000.0]
    returned = plot_cost_contours(X, y, levels=levels, w_range=(0, 300), b_range=(-100, 200), ax=ax)
    assert returned is ax
    np.testing.assert_array_equal(contour_set(ax).levels, levels)
    assert ax.get_xlim() == (0, 300)
    assert ax.get_ylim() == (-100, 200)


def test_plot_cost_contours_levels_as_a_count(data):
    X, y = data
    ax = plot_cost_contours(X, y, levels=6)
    assert len(contour_set(ax).levels) == 6


def test_plot_cost_contours_draws_the_path_with_start_and_end(data):
    X, y = data
    path = np.array([[0.0, 0.0], [60.0, 20.0], [110.0, 35.0], [140.0, 45.0]])
    ax = plot_cost_contours(X, y, path=path)
    xs, ys = line_labelled(ax, "gradient descent").get_data()
    np.testing.assert_array_equal(np.column_stack([xs, ys]), path)
    np.testing.assert_array_equal(np.ravel(line_labelled(ax, "start").get_data()), path[0])
    np.testing.assert_array_equal(np.ravel(line_labelled(ax, "end").get_data()), path[-1])
    assert ax.get_legend() is not None


def test_plot_cost_contours_widens_the_default_view_to_show_the_start(data):
    X, y = data
    path = np.array([[-2000.0, 3000.0], [100.0, 40.0]])
    ax = plot_cost_contours(X, y, path=path)
    w_lo, w_hi = ax.get_xlim()
    b_lo, b_hi = ax.get_ylim()
    assert w_lo < -2000 < w_hi and b_lo < 3000 < b_hi


def test_plot_cost_contours_draws_far_points_on_the_border(data):
    X, y = data
    path = np.array([[100.0, 50.0], [1e9, -1e9]])
    ax = plot_cost_contours(X, y, path=path, w_range=(0, 300), b_range=(-100, 200))
    xs, ys = line_labelled(ax, "gradient descent").get_data()
    np.testing.assert_array_equal(xs, [100.0, 300.0])
    np.testing.assert_array_equal(ys, [50.0, -100.0])


@pytest.mark.parametrize("path", [np.zeros((4, 3)), np.zeros(2), np.zeros((0, 2))])
def test_plot_cost_contours_rejects_badly_shaped_paths(data, path):
    X, y = data
    with pytest.raises(ValueError, match=r"shape \(k, 2\)"):
        plot_cost_contours(X, y, path=path)


def test_plot_cost_contours_rejects_non_finite_paths(data):
    X, y = data
    with pytest.raises(ValueError, match="diverge"):
        plot_cost_contours(X, y, path=[[0.0, 0.0], [np.inf, 1.0]])


@pytest.mark.parametrize("levels", [1, [3.0, 2.0, 1.0], [[1.0, 2.0]]])
def test_plot_cost_contours_rejects_bad_levels(data, levels):
    X, y = data
    with pytest.raises(ValueError, match="levels must"):
        plot_cost_contours(X, y, levels=levels)


def test_plot_cost_contours_needs_exactly_one_feature():
    X, y = housing_multi(20)
    with pytest.raises(ValueError, match="exactly one feature"):
        plot_cost_contours(X, y)


# ---------------------------------------------------------------------------------------------
# plot_cost_curve
# ---------------------------------------------------------------------------------------------


def test_plot_cost_curve_plots_cost_against_iteration():
    costs = np.array([10.0, 5.0, 3.0, 2.5])
    ax = plot_cost_curve(costs)
    assert_labelled(ax)
    xs, ys = ax.get_lines()[0].get_data()
    np.testing.assert_array_equal(xs, [1, 2, 3, 4])
    np.testing.assert_array_equal(ys, costs)
    assert ax.get_yscale() == "linear"


def test_plot_cost_curve_log_scale_on_given_ax():
    _, ax = plt.subplots()
    assert plot_cost_curve([4.0, 2.0, 1.0], ax=ax, logy=True) is ax
    assert ax.get_yscale() == "log"
    assert "log" in ax.get_ylabel()


def test_plot_cost_curve_log_scale_needs_positive_costs():
    with pytest.raises(ValueError, match="every cost > 0"):
        plot_cost_curve([4.0, 0.0], logy=True)


@pytest.mark.parametrize("costs", [[], [[1.0, 2.0]], 3.0])
def test_plot_cost_curve_rejects_non_1d_costs(costs):
    with pytest.raises(ValueError, match="non-empty 1-D"):
        plot_cost_curve(costs)


def test_plot_cost_curve_rejects_non_bool_logy():
    with pytest.raises(TypeError, match="logy"):
        plot_cost_curve([1.0], logy="yes")
