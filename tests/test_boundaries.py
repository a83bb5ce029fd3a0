"""Tests for dlcourse.boundaries: the shaded regions, boundary lines, scatter and messages."""

from __future__ import annotations

import importlib

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PathCollection, QuadMesh
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure

from dlcourse import boundaries
from dlcourse.boundaries import BOUNDARY_LABEL, plot_decision_boundary, plot_planar
from dlcourse.datasets import planar

# Functions students write in the graded week-2 exercise: the library must not hand them out.
WEEK2_EXERCISE_FUNCTIONS = {
    "sigmoid",
    "bce_cost",
    "logistic_gradients",
    "train_logistic",
    "perceptron_train",
    "softmax",
    "softmax_cross_entropy",
}

MODULES = [
    "dlcourse.boundaries",
    "dlcourse.widgets",
    "dlcourse.widgets.decision_boundary",
    "dlcourse.widgets.softmax_temperature",
    "dlcourse.widgets.learning_rate",
]


@pytest.fixture(scope="module")
def blobs():
    """Two well separated blobs: X of shape (60, 2), y of shape (60,)."""
    return planar("blobs", 60, seed=1)


def rule(P):
    """A known linear classifier: class 1 where x1 + 2 x2 > 0.3."""
    return (P[:, 0] + 2 * P[:, 1] > 0.3).astype(int)


def new_axes():
    """An Axes on a bare Figure (not managed by pyplot)."""
    return Figure().add_subplot()


def region_mesh(ax):
    """The one QuadMesh (the shaded regions) on ``ax``."""
    meshes = [c for c in ax.collections if isinstance(c, QuadMesh)]
    assert len(meshes) == 1, f"expected one QuadMesh, found {len(meshes)}"
    return meshes[0]


def contour_sets(ax):
    return [c for c in ax.collections if isinstance(c, ContourSet)]


def class_scatters(ax):
    """{label text: PathCollection} of the scatters on ``ax``."""
    return {c.get_label(): c for c in ax.collections if isinstance(c, PathCollection)}


def grid_points(ax, resolution):
    """The grid's points (rows of XX, YY) reconstructed from the axis limits."""
    xs = np.linspace(*ax.get_xlim(), resolution)
    ys = np.linspace(*ax.get_ylim(), resolution)
    return np.meshgrid(xs, ys)


def luminance(rgba):
    """Relative luminance of an sRGB colour (what is left of it in greyscale)."""
    r, g, b = rgba[:3]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


# ---------------------------------------------------------------------------------------------
# Public API, and no drop-in answers to the week-2 exercise
# ---------------------------------------------------------------------------------------------


def test_public_api():
    assert sorted(boundaries.__all__) == ["plot_decision_boundary", "plot_planar"]
    assert all(hasattr(boundaries, name) for name in boundaries.__all__)


@pytest.mark.parametrize("module_name", MODULES)
def test_no_public_week2_exercise_answers(module_name):
    module = importlib.import_module(module_name)
    public = {name for name in dir(module) if not name.startswith("_")}
    assert not public & WEEK2_EXERCISE_FUNCTIONS
    assert not set(getattr(module, "__all__", ())) & WEEK2_EXERCISE_FUNCTIONS


# ---------------------------------------------------------------------------------------------
# plot_decision_boundary: what is shaded, where, and the boundary
# ---------------------------------------------------------------------------------------------


def test_shaded_regions_match_predict_on_the_grid(blobs):
    X, y = blobs
    ax = plot_decision_boundary(rule, X, y, ax=new_axes(), resolution=40)
    regions = np.asarray(region_mesh(ax).get_array()).reshape(40, 40)
    XX, YY = grid_points(ax, 40)
    expected = rule(np.column_stack([XX.ravel(), YY.ravel()])).reshape(40, 40)
    np.testing.assert_array_equal(regions, expected)
    assert 0 < regions.mean() < 1  # both classes appear


def test_grid_covers_the_data_plus_padding(blobs):
    X, y = blobs
    ax = plot_decision_boundary(rule, X, y, ax=new_axes(), padding=0.25)
    assert ax.get_xlim() == pytest.approx((X[:, 0].min() - 0.25, X[:, 0].max() + 0.25))
    assert ax.get_ylim() == pytest.approx((X[:, 1].min() - 0.25, X[:, 1].max() + 0.25))


def test_predict_is_called_once_on_every_grid_point(blobs):
    X, y = blobs
    calls = []

    def recording_predict(P):
        calls.append(P.copy())
        return rule(P)

    ax = plot_decision_boundary(recording_predict, X, y, ax=new_axes(), resolution=30)
    assert len(calls) == 1
    (P,) = calls
    assert P.shape == (900, 2)
    XX, YY = grid_points(ax, 30)
    np.testing.assert_allclose(P, np.column_stack([XX.ravel(), YY.ravel()]))


def test_predict_may_modify_its_input_without_harm(blobs):
    X, y = blobs
    X_before = X.copy()

    def scribbling_predict(P):
        labels = rule(P)
        P[:] = 0.0
        return labels

    ax = plot_decision_boundary(scribbling_predict, X, y, ax=new_axes(), resolution=20)
    np.testing.assert_array_equal(X, X_before)
    assert ax.get_xlim() != (0.0, 0.0)


def test_boundary_line_follows_the_rule(blobs):
    X, y = blobs
    ax = plot_decision_boundary(rule, X, y, ax=new_axes(), resolution=100)
    (contours,) = contour_sets(ax)
    vertices = np.vstack([path.vertices for path in contours.get_paths() if len(path.vertices)])
    assert len(vertices) > 10
    cell = np.diff(ax.get_xlim())[0] / 99
    # Every vertex lies on the line x1 + 2 x2 = 0.3, up to about a grid cell.
    assert np.max(np.abs(vertices[:, 0] + 2 * vertices[:, 1] - 0.3)) < 3 * cell
    legend_texts = [text.get_text() for text in ax.get_legend().get_texts()]
    assert BOUNDARY_LABEL in legend_texts


def test_constant_prediction_has_no_boundary(blobs):
    X, y = blobs
    ax = plot_decision_boundary(lambda P: np.ones(len(P), dtype=int), X, y, ax=new_axes())
    assert contour_sets(ax) == []
    assert np.all(np.asarray(region_mesh(ax).get_array()) == 1)
    assert BOUNDARY_LABEL not in [t.get_text() for t in ax.get_legend().get_texts()]


def test_examples_are_scattered_by_true_class(blobs):
    X, y = blobs
    ax = plot_decision_boundary(rule, X, y, ax=new_axes())
    scatters = class_scatters(ax)
    assert set(scatters) == {"class 0", "class 1"}
    for label in (0, 1):
        offsets = np.asarray(scatters[f"class {label}"].get_offsets())
        np.testing.assert_array_equal(offsets, X[y == label])


def test_classes_differ_in_marker_and_in_greyscale():
    X, y = planar("blobs", 90, n_classes=3, seed=0)
    ax = plot_planar(X, y, ax=new_axes())
    scatters = list(class_scatters(ax).values())
    assert len(scatters) == 3
    markers = {tuple(map(tuple, s.get_paths()[0].vertices.round(6))) for s in scatters}
    assert len(markers) == 3, "every class needs its own marker shape"
    grey = sorted(luminance(s.get_facecolor()[0]) for s in scatters)
    assert min(np.diff(grey)) > 0.15, "class colours must stay apart in greyscale"


def test_multi_class_and_negative_labels():
    X, y = planar("blobs", 90, n_classes=3, seed=0)
    signed = np.where(y == 0, -1, y)  # labels -1, 1, 2

    def predict(P):
        scores = P @ np.array([[1.0, 0.0, -1.0], [0.0, 1.0, -1.0]])
        return np.array([-1, 1, 2])[np.argmax(scores, axis=1)]

    ax = plot_decision_boundary(predict, X, signed, ax=new_axes(), resolution=50)
    regions = np.asarray(region_mesh(ax).get_array())
    assert set(np.unique(regions)) == {-1, 1, 2}
    assert set(class_scatters(ax)) == {"class -1", "class 1", "class 2"}
    assert len(contour_sets(ax)) == 1


def test_region_colours_match_the_class_colours(blobs):
    X, y = blobs
    ax = plot_decision_boundary(rule, X, y, ax=new_axes(), resolution=20)
    mesh = region_mesh(ax)
    scatters = class_scatters(ax)
    shaded = mesh.cmap(mesh.norm(np.array([0, 1])))
    points = [scatters["class 0"].get_facecolor()[0], scatters["class 1"].get_facecolor()[0]]
    # The regions are lighter tints of their class's colour, in the same greyscale order.
    assert [luminance(c) for c in shaded] == sorted(luminance(c) for c in shaded)
    assert luminance(points[0]) < luminance(points[1])
    assert all(luminance(s) > luminance(p) for s, p in zip(shaded, points, strict=True))


@pytest.mark.parametrize(
    "predict",
    [
        lambda P: P[:, 0] + 2 * P[:, 1] > 0.3,  # booleans
        lambda P: (P[:, 0] + 2 * P[:, 1] > 0.3).astype(float),  # whole-number floats
        lambda P: list(rule(P)),  # a list
    ],
    ids=["bool", "float", "list"],
)
def test_label_types_students_return_are_accepted(blobs, predict):
    X, y = blobs
    ax = plot_decision_boundary(predict, X, y, ax=new_axes(), resolution=25)
    XX, YY = grid_points(ax, 25)
    expected = rule(np.column_stack([XX.ravel(), YY.ravel()]))
    np.testing.assert_array_equal(np.asarray(region_mesh(ax).get_array()).ravel(), expected)


def test_labels_and_title(blobs):
    X, y = blobs
    ax = new_axes()
    returned = plot_decision_boundary(rule, X, y, ax=ax, title="T", xlabel="hours", ylabel="sleep")
    assert returned is ax
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("T", "hours", "sleep")
    default = plot_decision_boundary(rule, X, y, ax=new_axes())
    assert default.get_title() == "Decision boundary"
    assert default.get_xlabel() and default.get_ylabel()


def test_without_ax_a_new_pyplot_figure_is_made(blobs):
    X, y = blobs
    before = len(plt.get_fignums())
    ax = plot_decision_boundary(rule, X, y, resolution=10)
    assert len(plt.get_fignums()) == before + 1
    assert ax.figure.number in plt.get_fignums()


def test_one_distinct_point_and_no_padding_still_gives_an_area():
    X = np.array([[1.0, 2.0], [1.0, 2.0]])
    ax = plot_decision_boundary(rule, X, [0, 1], ax=new_axes(), padding=0.0, resolution=5)
    assert ax.get_xlim() == pytest.approx((0.5, 1.5))


# ---------------------------------------------------------------------------------------------
# plot_planar
# ---------------------------------------------------------------------------------------------


def test_plot_planar_scatters_each_class_with_a_legend():
    X, y = planar("moons", 50, seed=2)
    ax = plot_planar(X, y, ax=new_axes(), title="Moons")
    scatters = class_scatters(ax)
    assert set(scatters) == {"class 0", "class 1"}
    for label in (0, 1):
        np.testing.assert_array_equal(
            np.asarray(scatters[f"class {label}"].get_offsets()), X[y == label]
        )
    assert ax.get_title() == "Moons"
    assert ax.get_xlabel() == "$x_1$" and ax.get_ylabel() == "$x_2$"
    assert ax.get_legend() is not None
    assert not [c for c in ax.collections if isinstance(c, QuadMesh)]


def test_plot_planar_and_the_boundary_plot_share_class_styles(blobs):
    X, y = blobs
    planar_scatters = class_scatters(plot_planar(X, y, ax=new_axes()))
    boundary_scatters = class_scatters(plot_decision_boundary(rule, X, y, ax=new_axes()))
    for label in planar_scatters:
        np.testing.assert_allclose(
            planar_scatters[label].get_facecolor(), boundary_scatters[label].get_facecolor()
        )


# ---------------------------------------------------------------------------------------------
# Bad input: the messages say what to fix
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("X", "message"),
    [
        (np.zeros((5, 3)), r"shape \(m, 2\).*inside predict"),
        (np.zeros(5), r"shape \(m, 2\)"),
        (np.zeros((0, 2)), "empty"),
        (np.array([[0.0, np.nan]] * 5), "NaN"),
    ],
)
def test_bad_X_is_rejected(X, message):
    with pytest.raises(ValueError, match=message):
        plot_decision_boundary(rule, X, np.zeros(len(X), dtype=int))


def test_non_numeric_X_is_rejected():
    with pytest.raises(TypeError, match="numeric"):
        plot_planar([["a", "b"]], [0])


@pytest.mark.parametrize(
    ("y", "error", "message"),
    [
        (np.zeros(59, dtype=int), ValueError, r"shape \(m,\) = \(60,\).*one label per row"),
        (np.zeros((60, 1), dtype=int), ValueError, r"y\.ravel\(\)"),
        (np.full(60, 0.5), ValueError, "non-integer values such as 0.5"),
        (np.array(["a"] * 60), TypeError, "integer class labels"),
    ],
)
def test_bad_y_is_rejected(blobs, y, error, message):
    X, _ = blobs
    with pytest.raises(error, match=message):
        plot_decision_boundary(rule, X, y)
    with pytest.raises(error, match=message):
        plot_planar(X, y)


def test_predict_must_be_callable(blobs):
    X, y = blobs
    with pytest.raises(TypeError, match=r"predict must be a function .* \(k, 2\)"):
        plot_decision_boundary(np.array([1.0, 2.0]), X, y)


@pytest.mark.parametrize(
    ("predict", "error", "message"),
    [
        (
            lambda P: 1 / (1 + np.exp(-P[:, 0])),
            ValueError,
            r"non-integer values .*\(p > 0\.5\)\.astype\(int\)",
        ),
        (lambda P: rule(P)[:, None], ValueError, r"returned shape \(400, 1\).*ravel"),
        (lambda P: np.zeros((len(P), 3)), ValueError, r"np\.argmax\(scores, axis=1\)"),
        (lambda P: 1, ValueError, r"must return shape \(400,\).*returned shape \(\)"),
        (lambda P: rule(P)[:10], ValueError, r"one label per row"),
        (lambda P: None, TypeError, "forget a `return`"),
        (lambda P: np.full(len(P), np.nan), ValueError, "NaN"),
    ],
    ids=["probabilities", "column", "scores", "scalar", "too-few", "none", "nan"],
)
def test_bad_predict_output_is_explained(blobs, predict, error, message):
    X, y = blobs
    with pytest.raises(error, match=message):
        plot_decision_boundary(predict, X, y, resolution=20)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"resolution": 1}, ValueError, "resolution must be between 2 and 1000"),
        ({"resolution": 20.5}, TypeError, "resolution must be an integer"),
        ({"padding": -0.1}, ValueError, "padding must be a finite number >= 0"),
        ({"padding": "wide"}, TypeError, "padding must be a number"),
        ({"title": 3}, TypeError, "title must be a string"),
        ({"ax": "left"}, TypeError, "Axes"),
    ],
)
def test_bad_options_are_rejected(blobs, kwargs, error, message):
    X, y = blobs
    with pytest.raises(error, match=message):
        plot_decision_boundary(rule, X, y, **kwargs)
