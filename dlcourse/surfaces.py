"""Two-dimensional test functions for watching optimizers, and a contour plot to race them on.

Public API
----------
Surface                a test function f(x, y): its value, gradient, start point, plotting range
                       and known minima and saddle points
ravine                 f = x²/20 + 5y², a long narrow valley (condition number 100)
rosenbrock             f = (1 − x)² + 100(y − x²)², the curved "banana" valley
saddle                 f = x² − y², a saddle point at the origin (no minimum)
local_minimum          f = (x² − 1)² + x/2 + y², a shallow local and a deeper global minimum
SURFACES               mapping name → Surface, in the order above
get_surface            the Surface with a given name (clear error for an unknown one)
plot_surface_contours  log-spaced contours of a surface, its minima, and optional labelled paths

A point is a float array ``p`` of shape (2,) holding (x, y); many points are an array of shape
(k, 2), one point per row (any leading shape works: (..., 2)). ``surface.f(p)`` returns a float
for one point and an array of shape (k,) for k points; ``surface.grad(p)`` returns the gradient
(∂f/∂x, ∂f/∂y) with the same shape as ``p``.

Examples
--------
>>> from dlcourse.surfaces import ravine
>>> ravine.f([1.0, 1.0])
5.05
>>> ravine.grad([1.0, 1.0]).tolist()
[0.1, 10.0]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from dlcourse._core.checks import as_float_array, check_text
from dlcourse._core.drawing import check_2d_axes
from dlcourse._core.optim import surface_grid
from dlcourse._core.style import path_style

__all__ = [
    "SURFACES",
    "Surface",
    "get_surface",
    "local_minimum",
    "plot_surface_contours",
    "ravine",
    "rosenbrock",
    "saddle",
]

X_LABEL = "$x$"
Y_LABEL = "$y$"

MINIMUM_LABEL = "minimum"
LOCAL_MINIMUM_LABEL = "local minimum"
SADDLE_LABEL = "saddle point"
START_LABEL = "start"

_CONTOUR_GRID_SIZE = 200
_LEVEL_COUNT = 16
_SMALLEST_LEVEL_FRACTION = 1e-3
"""The contour nearest a minimum sits this fraction of the way from it to the highest value."""

_MARKERS_PER_PATH = 10
"""A drawn path carries its marker at about this many of its points."""
_CONTOUR_CMAP = "Greys"
_CONTOUR_SHADES = (0.85, 0.35)
"""Contour lines run from dark grey (lowest level) to light grey, so coloured paths stand out."""


def _points(*rows: tuple[float, float]) -> np.ndarray:
    """A read-only float64 array of shape (len(rows), 2)."""
    array = np.array(rows, dtype=np.float64).reshape(len(rows), 2)
    array.flags.writeable = False
    return array


@dataclass(frozen=True, eq=False)
class Surface:
    """A 2-D test function f(x, y) for optimizers, with everything needed to draw a race on it.

    Attributes
    ----------
    name : str
        Key in :data:`SURFACES`, e.g. "ravine".
    formula : str
        The function as text, e.g. "f(x, y) = x²/20 + 5y²".
    description : str
        One sentence on what the surface shows about optimizers.
    start : np.ndarray, shape (2,)
        Default starting point (x, y) of a race. Read-only.
    x_range, y_range : tuple of float
        The (low, high) box a plot shows; it contains the start and the minima.
    minima : np.ndarray, shape (j, 2)
        Known minima, the global (lowest) one first; shape (0, 2) when f has no minimum.
        Read-only.
    saddle_points : np.ndarray, shape (s, 2)
        Known saddle points (s may be 0). Read-only.

    Methods
    -------
    f(p)
        Value(s) f at point(s) ``p`` of shape (2,) or (k, 2): a float, or shape (k,).
    grad(p)
        Gradient(s) at ``p``, the same shape as ``p``.
    """

    name: str
    formula: str
    description: str
    start: np.ndarray
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    minima: np.ndarray
    saddle_points: np.ndarray
    _value: Callable[[np.ndarray, np.ndarray], np.ndarray] = field(repr=False)
    _gradient: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]] = field(repr=False)

    def f(self, p: ArrayLike) -> float | np.ndarray:
        """The function's value at one point or many.

        Parameters
        ----------
        p : array_like, shape (2,) or (k, 2)
            One point (x, y), or k points in rows.

        Returns
        -------
        float for one point, or np.ndarray of shape (k,)
        """
        points = _check_points(p)
        value = self._value(points[..., 0], points[..., 1])
        return float(value) if points.ndim == 1 else np.asarray(value, dtype=np.float64)

    def grad(self, p: ArrayLike) -> np.ndarray:
        """The gradient (∂f/∂x, ∂f/∂y) at one point or many.

        Parameters
        ----------
        p : array_like, shape (2,) or (k, 2)

        Returns
        -------
        np.ndarray, the same shape as ``p``
        """
        points = _check_points(p)
        dx, dy = self._gradient(points[..., 0], points[..., 1])
        return np.stack(np.broadcast_arrays(dx, dy), axis=-1).astype(np.float64)

    @property
    def min_value(self) -> float | None:
        """f at the global minimum, or None when f has no minimum (it is unbounded below)."""
        return None if self.minima.shape[0] == 0 else float(self.f(self.minima[0]))

    def __repr__(self) -> str:
        return f"Surface({self.name!r}: {self.formula})"


def _check_points(p: ArrayLike) -> np.ndarray:
    """``p`` as a float64 array of shape (..., 2), or TypeError/ValueError saying what to fix."""
    points = as_float_array(p, "p")
    if points.ndim == 0 or points.shape[-1] != 2:
        raise ValueError(
            "p must hold points (x, y): shape (2,) for one point or (k, 2) for k points in rows; "
            f"got shape {points.shape}"
        )
    return points


# ---------------------------------------------------------------------------------------------
# The surfaces
# ---------------------------------------------------------------------------------------------

ravine = Surface(
    name="ravine",
    formula="f(x, y) = x²/20 + 5y²",
    description=(
        "A long, narrow valley: the curvature across it (10) is 100 times the curvature along "
        "it (0.1), so gradient descent zig-zags across and crawls along."
    ),
    start=_points((-9.0, 1.0))[0],
    x_range=(-10.0, 3.0),
    y_range=(-1.6, 1.6),
    minima=_points((0.0, 0.0)),
    saddle_points=_points(),
    _value=lambda x, y: x**2 / 20.0 + 5.0 * y**2,
    _gradient=lambda x, y: (x / 10.0, 10.0 * y),
)

rosenbrock = Surface(
    name="rosenbrock",
    formula="f(x, y) = (1 − x)² + 100(y − x²)²",
    description=(
        "Rosenbrock's banana: finding the curved valley floor is easy, following it to the "
        "minimum at (1, 1) is slow."
    ),
    start=_points((-1.2, 1.0))[0],
    x_range=(-2.0, 2.0),
    y_range=(-1.0, 3.0),
    minima=_points((1.0, 1.0)),
    saddle_points=_points(),
    _value=lambda x, y: (1.0 - x) ** 2 + 100.0 * (y - x**2) ** 2,
    _gradient=lambda x, y: (
        -2.0 * (1.0 - x) - 400.0 * x * (y - x**2),
        200.0 * (y - x**2),
    ),
)

saddle = Surface(
    name="saddle",
    formula="f(x, y) = x² − y²",
    description=(
        "A saddle point at the origin: the gradient vanishes there although it is no minimum. "
        "Starting just off the x-axis, an optimizer slows down near the saddle before it "
        "escapes along y (f has no minimum: it falls without bound)."
    ),
    start=_points((-2.5, 1e-3))[0],
    x_range=(-3.0, 3.0),
    y_range=(-3.0, 3.0),
    minima=_points(),
    saddle_points=_points((0.0, 0.0)),
    _value=lambda x, y: x**2 - y**2,
    _gradient=lambda x, y: (2.0 * x, -2.0 * y),
)


def _double_well_critical_points() -> np.ndarray:
    """x where (x² − 1)² + x/2 has zero slope, 4x³ − 4x + 1/2 = 0, sorted: global min,
    saddle (the hump between the wells), local min."""
    roots = np.sort(np.roots([4.0, 0.0, -4.0, 0.5]).real)
    # Polish the roots with Newton steps so the minima are exact to rounding.
    for _ in range(3):
        roots = roots - (4 * roots**3 - 4 * roots + 0.5) / (12 * roots**2 - 4)
    return roots


_WELL_LEFT, _WELL_HUMP, _WELL_RIGHT = _double_well_critical_points()

local_minimum = Surface(
    name="local_minimum",
    formula="f(x, y) = (x² − 1)² + x/2 + y²",
    description=(
        "Two valleys: a shallow local minimum near x = 0.93 and a deeper global one near "
        "x = −1.06, split by a ridge. Plain gradient descent from the right stops in the "
        "shallow valley; enough momentum rolls over the ridge."
    ),
    start=_points((2.0, 1.5))[0],
    x_range=(-2.0, 2.25),
    y_range=(-2.0, 2.0),
    minima=_points((_WELL_LEFT, 0.0), (_WELL_RIGHT, 0.0)),
    saddle_points=_points((_WELL_HUMP, 0.0)),
    _value=lambda x, y: (x**2 - 1.0) ** 2 + 0.5 * x + y**2,
    _gradient=lambda x, y: (4.0 * x * (x**2 - 1.0) + 0.5, 2.0 * y),
)

SURFACES: Mapping[str, Surface] = {s.name: s for s in (ravine, rosenbrock, saddle, local_minimum)}
"""Every surface by name: "ravine", "rosenbrock", "saddle", "local_minimum"."""


def get_surface(name: str | Surface) -> Surface:
    """The surface with this name (a Surface is returned unchanged).

    Parameters
    ----------
    name : str or Surface
        One of "ravine", "rosenbrock", "saddle", "local_minimum".

    Returns
    -------
    Surface
    """
    if isinstance(name, Surface):
        return name
    listed = ", ".join(repr(key) for key in SURFACES)
    if not isinstance(name, str):
        raise TypeError(f"surface must be a name, one of {listed}; got {name!r}")
    if name not in SURFACES:
        raise ValueError(f"unknown surface {name!r}; choose one of {listed}")
    return SURFACES[name]


# ---------------------------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------------------------


def _contour_levels(surface: Surface, F: np.ndarray, count: int = _LEVEL_COUNT) -> np.ndarray:
    """Contour levels log-spaced in their height above (and depth below) a reference value.

    The reference is f at the global minimum, or at the saddle point for a surface without a
    minimum. Log spacing puts many contours near the bottom of a valley, where the
    interesting moves happen, and few on steep walls.
    """
    if surface.minima.shape[0]:
        reference = float(surface._value(*surface.minima[0]))
    elif surface.saddle_points.shape[0]:
        reference = float(surface._value(*surface.saddle_points[0]))
    else:  # pragma: no cover - every built-in surface has one or the other
        reference = float(F.min())
    above, below = float(F.max()) - reference, reference - float(F.min())
    tiny = 1e-12 * max(above, below, 1.0)
    levels = []
    n_below = round(count * below / (above + below)) if below > tiny else 0
    if below > tiny and n_below:
        levels.extend(reference - np.geomspace(below, _SMALLEST_LEVEL_FRACTION * below, n_below))
    if above > tiny:
        n_above = count - n_below
        levels.extend(reference + np.geomspace(_SMALLEST_LEVEL_FRACTION * above, above, n_above))
    return np.unique(levels)


def _check_paths(paths: object) -> dict[str, np.ndarray]:
    """``paths`` as {label: float64 array of shape (k, 2), k >= 1}, or TypeError/ValueError."""
    if paths is None:
        return {}
    if not isinstance(paths, Mapping):
        raise TypeError(
            "paths must be a dict {label: array of shape (k, 2)}, e.g. {'SGD': path}; got "
            f"{type(paths).__name__}"
        )
    checked = {}
    for label, path in paths.items():
        array = as_float_array(path, f"paths[{label!r}]")
        if array.ndim != 2 or array.shape[1] != 2 or array.shape[0] == 0:
            raise ValueError(
                f"paths[{label!r}] must have shape (k, 2), one row (x, y) per visited point; "
                f"got shape {array.shape}"
            )
        if not np.all(np.isfinite(array)):
            raise ValueError(
                f"paths[{label!r}] contains NaN or infinite values (did the optimizer "
                "diverge?); keep only the finite rows, e.g. path[np.isfinite(path).all(axis=1)]"
            )
        checked[str(label)] = array
    return checked


def _draw_landmarks(ax: Axes, surface: Surface) -> None:
    """Mark the global minimum (star), other minima (grey hexagons), saddle points (crosses)."""
    if surface.minima.shape[0]:
        x, y = surface.minima[0]
        ax.plot(x, y, "*", ms=17, mfc="white", mec="black", mew=1.3, label=MINIMUM_LABEL, zorder=5)
    if surface.minima.shape[0] > 1:
        others = surface.minima[1:]
        ax.plot(
            others[:, 0],
            others[:, 1],
            "h",
            ms=11,
            mfc="0.6",
            mec="black",
            label=LOCAL_MINIMUM_LABEL,
            zorder=5,
        )
    if surface.saddle_points.shape[0]:
        saddles = surface.saddle_points
        ax.plot(
            saddles[:, 0],
            saddles[:, 1],
            "x",
            ms=11,
            mew=2.5,
            color="black",
            label=SADDLE_LABEL,
            zorder=5,
        )


def plot_surface_contours(
    surface: str | Surface,
    *,
    ax: Axes | None = None,
    paths: Mapping[str, ArrayLike] | None = None,
    title: str | None = None,
) -> Axes:
    """Contours of a test surface with its minima marked, and optionally optimizer paths.

    Parameters
    ----------
    surface : Surface or str
        The surface, or its name in :data:`SURFACES`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made with pyplot if None.
    paths : dict {label: array_like of shape (k, 2)}, optional
        Points visited by optimizers, starting point first. Each is drawn as a line with its
        own Okabe–Ito colour, line style and marker, its last point enlarged and ``label`` in
        the legend. Points outside the surface's box are cut off by the axes.
    title : str, optional
        The title; by default the surface's formula.

    Returns
    -------
    matplotlib Axes
    """
    surface = get_surface(surface)
    checked = _check_paths(paths)
    if title is not None:
        title = check_text(title, "title")
    ax = check_2d_axes(ax)
    X, Y, F = surface_grid(surface, _CONTOUR_GRID_SIZE)
    levels = _contour_levels(surface, F)
    colors = plt.get_cmap(_CONTOUR_CMAP)(np.linspace(*_CONTOUR_SHADES, len(levels)))
    ax.contour(X, Y, F, levels=levels, colors=colors, linewidths=1.0, zorder=1)
    _draw_landmarks(ax, surface)
    for index, (label, path) in enumerate(checked.items()):
        style = path_style(index)
        marker = style.pop("marker")
        every = max(1, len(path) // _MARKERS_PER_PATH)
        ax.plot(
            path[:, 0],
            path[:, 1],
            lw=1.8,
            marker=marker,
            ms=5,
            markevery=every,
            label=label,
            zorder=3,
            **style,
        )
        x, y = path[-1]
        ax.plot(
            x, y, marker=marker, ms=9, mec="white", mew=1, ls="none", color=style["color"], zorder=4
        )
    if checked:
        first = next(iter(checked.values()))[0]
        ax.plot(*first, "o", ms=9, mfc="white", mec="black", mew=2, label=START_LABEL, zorder=4)
    ax.set_xlim(surface.x_range)
    ax.set_ylim(surface.y_range)
    ax.set_xlabel(X_LABEL)
    ax.set_ylabel(Y_LABEL)
    ax.set_title(surface.formula if title is None else title)
    ax.legend(loc="best", fontsize="small", framealpha=0.9)
    return ax
