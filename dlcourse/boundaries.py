"""Pictures of 2-D classification sets and of the decision boundaries classifiers draw on them.

Public functions
----------------
plot_planar             scatter of a 2-D classification set, one colour and marker per class
plot_decision_boundary  the region each class gets from a classifier, the boundaries between
                        them, and the examples on top

Both draw on ``ax`` when one is given (otherwise they make a new figure with pyplot), return the
Axes and never call ``plt.show()``.

The classifier is passed in as a function, so any model fits: ``predict`` receives points of
shape (k, 2) and returns k integer labels. For a logistic-regression model with weights ``w``
of shape (2,) and bias ``b`` that is, for example::

    plot_decision_boundary(lambda P: (P @ w + b > 0).astype(int), X, y)

and for a model trained on extra features, put the feature map inside ``predict`` and keep
plotting the two raw inputs.

Colours come from the viridis map (readable in greyscale and by colour-blind readers) and
every class also has its own marker shape.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.lines import Line2D
from numpy.typing import ArrayLike

from dlcourse._core.checks import as_float_array, check_int, check_text, is_real
from dlcourse._core.drawing import check_2d_axes
from dlcourse._core.style import COLORMAP, class_colors

__all__ = ["plot_decision_boundary", "plot_planar"]

CLASS_MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X", "*", "<", ">")
"""Marker of class number i (in sorted label order) is ``CLASS_MARKERS[i % 10]``."""

BOUNDARY_LABEL = "decision boundary"
"""Legend label of the boundary lines."""

MAX_RESOLUTION = 1000
"""Largest accepted grid resolution (a 1000 x 1000 grid is a million predictions)."""

_REGION_TINT = 0.35
"""Region colour = this much of the class colour, the rest white."""


# ---------------------------------------------------------------------------------------------
# Input validation (private)
# ---------------------------------------------------------------------------------------------


def _check_points(X: ArrayLike) -> np.ndarray:
    """``X`` as a finite float64 array of shape (m, 2) with m >= 1, or raise."""
    X = as_float_array(X, "X")
    if X.ndim != 2 or X.shape[1] != 2:
        hint = ""
        if X.ndim == 2 and X.shape[1] > 2:
            hint = (
                " To draw a model trained on more features, pass the two raw inputs as X and "
                "compute the extra features inside predict."
            )
        raise ValueError(
            "X must have shape (m, 2): one row per example and one column per input "
            f"(x1, x2); got shape {X.shape}.{hint}"
        )
    if X.shape[0] == 0:
        raise ValueError("X is empty: the plot needs at least one example")
    if not np.all(np.isfinite(X)):
        raise ValueError("X must not contain NaN or infinite values")
    return X


def _as_labels(values: np.ndarray, name: str) -> np.ndarray:
    """Numeric ``values`` holding whole numbers as an int64 array, or ValueError.

    ``name`` describes the values in the message, e.g. "y" or "predict's output".
    """
    if values.dtype.kind in "biu":
        return values.astype(np.int64)
    if values.dtype.kind != "f":
        raise TypeError(
            f"{name} must hold integer class labels (0, 1, ...), got dtype {values.dtype}"
        )
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} must hold integer class labels, but it contains NaN or inf")
    fractional = values[values != np.round(values)]
    if fractional.size:
        raise ValueError(
            f"{name} must hold integer class labels (0, 1, ...), got non-integer values such "
            f"as {fractional[0]:.4g}; if these are probabilities, turn them into labels first, "
            "e.g. (p > 0.5).astype(int), or np.argmax(P, axis=1) for one column per class"
        )
    return values.astype(np.int64)


def _check_labels(y: ArrayLike, m: int) -> np.ndarray:
    """``y`` as int64 labels of shape (m,), or raise."""
    try:
        values = np.asarray(y)
    except (TypeError, ValueError):
        raise TypeError(
            f"y must be an array of integer class labels, got {type(y).__name__}"
        ) from None
    if values.ndim != 1 or values.shape[0] != m:
        hint = " Flatten it with y.ravel()." if values.size == m else ""
        raise ValueError(
            f"y must have shape (m,) = ({m},), one label per row of X; got shape "
            f"{values.shape}.{hint}"
        )
    return _as_labels(values, "y")


def _check_predict(predict: object) -> Callable[[np.ndarray], ArrayLike]:
    """``predict`` itself if it can be called, else TypeError with an example."""
    if not callable(predict):
        raise TypeError(
            "predict must be a function that maps points of shape (k, 2) to k class labels, "
            "e.g. lambda P: (P @ w + b > 0).astype(int); got "
            f"{type(predict).__name__} {predict!r:.60}"
        )
    return predict


def _check_padding(padding: object) -> float:
    """``padding`` as a finite float >= 0, or raise."""
    if not is_real(padding):
        raise TypeError(f"padding must be a number >= 0, got {padding!r}")
    if not (np.isfinite(padding) and padding >= 0):
        raise ValueError(f"padding must be a finite number >= 0, got {padding}")
    return float(padding)


# ---------------------------------------------------------------------------------------------
# Helpers (private)
# ---------------------------------------------------------------------------------------------


def _grid(X: np.ndarray, padding: float, resolution: int) -> tuple[np.ndarray, np.ndarray]:
    """The grid's axis values ``(xs, ys)``, each shape (resolution,), covering X plus padding."""
    axes = []
    for column in X.T:
        low, high = float(column.min()) - padding, float(column.max()) + padding
        if low == high:  # one distinct value and no padding: give the axis some width
            low, high = low - 0.5, high + 0.5
        axes.append(np.linspace(low, high, resolution))
    return axes[0], axes[1]


def _predict_grid(predict: Callable[[np.ndarray], ArrayLike], points: np.ndarray) -> np.ndarray:
    """``predict(points)`` checked to be k integer labels, int64 array of shape (k,)."""
    k = points.shape[0]
    returned = predict(points.copy())
    if returned is None:
        raise TypeError("predict returned None: did you forget a `return` in it?")
    try:
        labels = np.asarray(returned)
    except (TypeError, ValueError):
        raise TypeError(
            f"predict must return an array of k class labels, got {type(returned).__name__}"
        ) from None
    if labels.shape != (k,):
        if labels.ndim == 2 and labels.shape[0] == k and labels.shape[1] > 1:
            hint = (
                " It looks like one score per class: take the best class with "
                "np.argmax(scores, axis=1)."
            )
        elif labels.size == k:
            hint = " Flatten the result, e.g. with .ravel()."
        else:
            hint = " It must return one label per row (point) of its input."
        raise ValueError(
            f"predict was given points of shape {points.shape} and must return shape ({k},), "
            f"one label per point; it returned shape {labels.shape}.{hint}"
        )
    return _as_labels(labels, "predict's output")


def _scatter_classes(
    ax: Axes, X: np.ndarray, y: np.ndarray, classes: np.ndarray, colors: np.ndarray
) -> None:
    """Scatter the examples of each class in ``y``, coloured and shaped by its place in ``classes``.

    ``classes`` is the sorted array of every label the picture shows (shape (K,)) and
    ``colors`` their colours (shape (K, 4)); one scatter (a PathCollection labelled
    "class <label>") is drawn per class present in ``y``, in sorted order.
    """
    for index, label in enumerate(classes):
        members = y == label
        if not np.any(members):
            continue
        ax.scatter(
            X[members, 0],
            X[members, 1],
            s=28,
            marker=CLASS_MARKERS[index % len(CLASS_MARKERS)],
            color=colors[index],
            edgecolors="black",
            linewidths=0.6,
            label=f"class {label}",
            zorder=3,
        )


def _label_axes(ax: Axes, title: str, xlabel: str, ylabel: str) -> None:
    """Set the title and both axis labels."""
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)


# ---------------------------------------------------------------------------------------------
# Public plotting functions
# ---------------------------------------------------------------------------------------------


def plot_planar(
    X: ArrayLike,
    y: ArrayLike,
    *,
    ax: Axes | None = None,
    title: str = "Training set",
    xlabel: str = "$x_1$",
    ylabel: str = "$x_2$",
) -> Axes:
    """Scatter a 2-D classification set, one colour and one marker shape per class.

    Parameters
    ----------
    X : array_like, shape (m, 2)
        The examples, one per row.
    y : array_like, shape (m,)
        Integer class labels (any integers; floats are accepted when they are whole numbers).
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if None.
    title, xlabel, ylabel : str
        Title and axis labels.

    Returns
    -------
    matplotlib Axes
        With one scatter per class (labelled "class <label>") and a legend.
    """
    X = _check_points(X)
    y = _check_labels(y, X.shape[0])
    title = check_text(title, "title")
    xlabel, ylabel = check_text(xlabel, "xlabel"), check_text(ylabel, "ylabel")
    ax = check_2d_axes(ax)
    classes = np.unique(y)
    _scatter_classes(ax, X, y, classes, class_colors(len(classes)))
    _label_axes(ax, title, xlabel, ylabel)
    ax.legend(loc="best", fontsize="small", framealpha=0.9)
    return ax


def plot_decision_boundary(
    predict: Callable[[np.ndarray], ArrayLike],
    X: ArrayLike,
    y: ArrayLike,
    *,
    ax: Axes | None = None,
    resolution: int = 200,
    padding: float = 0.5,
    title: str = "Decision boundary",
    xlabel: str = "$x_1$",
    ylabel: str = "$x_2$",
) -> Axes:
    """Shade the region each class gets from ``predict``, draw the boundaries, scatter the data.

    ``predict`` is evaluated on a ``resolution x resolution`` grid of points covering the data
    plus ``padding`` on every side. Each grid cell is shaded in a light tint of its predicted
    class's colour, black lines follow the boundaries between the regions, and the examples
    are drawn on top in their true class's colour and marker, so misclassified examples stand
    out against the region around them.

    Parameters
    ----------
    predict : callable
        ``predict(P)`` takes points ``P`` of shape (k, 2) (one point per row, like X) and
        returns their integer class labels, shape (k,). Booleans and whole-number floats are
        accepted as labels.
    X : array_like, shape (m, 2)
        The examples, one per row.
    y : array_like, shape (m,)
        Their true integer class labels.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if None.
    resolution : int, default 200
        Grid points per axis, 2..1000; ``predict`` is called once on all
        ``resolution**2`` points.
    padding : float, default 0.5
        How far (in data units) the shaded area extends beyond the data on every side, >= 0.
    title, xlabel, ylabel : str
        Title and axis labels.

    Returns
    -------
    matplotlib Axes
        The shaded regions are a QuadMesh whose array, of shape (resolution, resolution),
        holds the predicted label at each grid point (row i is the i-th y value); the axis
        limits are exactly the grid's range.

    Raises
    ------
    TypeError, ValueError
        For a badly shaped X or y, labels that are not whole numbers, a ``predict`` that is
        not callable or that returns anything but k labels for k points.
    """
    predict = _check_predict(predict)
    X = _check_points(X)
    y = _check_labels(y, X.shape[0])
    resolution = check_int(resolution, "resolution", 2, MAX_RESOLUTION)
    padding = _check_padding(padding)
    title = check_text(title, "title")
    xlabel, ylabel = check_text(xlabel, "xlabel"), check_text(ylabel, "ylabel")
    ax = check_2d_axes(ax)

    xs, ys = _grid(X, padding, resolution)
    XX, YY = np.meshgrid(xs, ys)
    predicted = _predict_grid(predict, np.column_stack([XX.ravel(), YY.ravel()]))
    regions = predicted.reshape(XX.shape)

    classes = np.union1d(np.unique(y), np.unique(predicted))
    colors = class_colors(len(classes))
    tints = _REGION_TINT * colors[:, :3] + (1 - _REGION_TINT) * np.ones(3)
    # Colour cell values by class: each label sits in its own bin between neighbouring labels.
    edges = np.concatenate(
        [[classes[0] - 0.5], (classes[:-1] + classes[1:]) / 2, [classes[-1] + 0.5]]
    )
    ax.pcolormesh(
        XX,
        YY,
        regions,
        shading="nearest",
        cmap=ListedColormap(tints, name=f"{COLORMAP}_tints"),
        norm=BoundaryNorm(edges, ncolors=len(classes)),
        rasterized=True,
        zorder=0,
    )
    handles = []
    if len(np.unique(predicted)) > 1:
        # Contour the class index (not the raw label) so every change of class is one level.
        index = np.searchsorted(classes, regions)
        ax.contour(
            XX,
            YY,
            index,
            levels=np.arange(len(classes) - 1) + 0.5,
            colors="black",
            linewidths=1.5,
            zorder=2,
        )
        handles.append(Line2D([], [], color="black", lw=1.5, label=BOUNDARY_LABEL))

    _scatter_classes(ax, X, y, classes, colors)
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    _label_axes(ax, title, xlabel, ylabel)
    class_handles, _ = ax.get_legend_handles_labels()
    ax.legend(handles=class_handles + handles, loc="best", fontsize="small", framealpha=0.9)
    return ax
