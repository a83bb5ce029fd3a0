"""The course's rules for readable figures and keyboard-usable widgets, as checks.

Public API
----------
figure_problems           what a matplotlib figure breaks of the rules below, as sentences
widget_problems           controls of an ipywidgets tree that a screen reader or keyboard user
                          cannot use
check_figures_when_shown  check every figure whenever it is drawn for display (in a notebook:
                          each figure a cell shows), raising ValueError for one that breaks a rule
check_long_cells_show_progress
                          in a notebook, fail a cell that computes for more than a few seconds
                          without a tqdm progress bar
ALLOWED_COLORMAPS         the colour maps figures may use
LONG_RUN_SECONDS          how long a cell may compute without a progress bar
NOTEBOOK_CHECKS           code that turns both notebook checks on in a kernel

The rules (the tests hold every figure of ``dlcourse`` and of the lecture and solution notebooks
to them):

- every Axes has an x label, a y label and a title (a 3-D Axes also a z label); an Axes switched
  off (``ax.set_axis_off()``, e.g. a diagram or an image) needs only a title, its own or the
  figure's; a colour bar needs a label;
- colour maps are perceptually uniform and colour-blind safe (:data:`ALLOWED_COLORMAPS`, their
  reversed ``_r`` forms, or maps derived from them and named ``<map>_<anything>``); colours given
  one by one to contours are greys or colours of such a map;
- no red–green pair tells labelled lines or point sets apart;
- labelled lines differ in line style or marker, labelled point sets in marker shape, so that a
  greyscale print still tells them apart;
- a legend does not cover lines, points or bars: it sits where the data are not (``loc="best"``
  usually finds such a place) or outside the axes;
- no mouse-only interaction: no matplotlib event handlers for mouse clicks, moves, picks or
  scrolling (offer an ipywidgets control instead);
- every widget control has a ``description`` (the label a screen reader reads) and is not taken
  out of the keyboard's tab order;
- a notebook cell that computes for more than :data:`LONG_RUN_SECONDS` shows a ``tqdm.auto``
  progress bar.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator

import ipywidgets as widgets
import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.backend_bases import FigureCanvasBase
from matplotlib.cm import ScalarMappable
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba_array
from matplotlib.container import BarContainer
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.path import Path
from matplotlib.transforms import Bbox

from dlcourse._core.checks import check_bool, check_real

__all__ = [
    "ALLOWED_COLORMAPS",
    "LONG_RUN_SECONDS",
    "NOTEBOOK_CHECKS",
    "check_figures_when_shown",
    "check_long_cells_show_progress",
    "figure_problems",
    "widget_problems",
]

ALLOWED_COLORMAPS: tuple[str, ...] = (
    "viridis",
    "cividis",
    "plasma",
    "inferno",
    "magma",
    "Greys",
    "gray",
    "binary",
    "RdBu",
    "PuOr",
    "BrBG",
)
"""Perceptually uniform sequential maps, greys, and ColorBrewer's colour-blind-safe diverging
maps (for data with a meaningful centre)."""

LONG_RUN_SECONDS = 10.0
"""A notebook cell that computes longer than this (CPU seconds) must show a progress bar.

A safety net, not the target: training that takes more than a couple of seconds should show a
bar anyway. Without a bar the course's cells use at most about 3.5 s of CPU time (2-core machine),
so 10 s leaves room for a slower machine."""

NOTEBOOK_CHECKS = (
    '__import__("dlcourse.accessibility").accessibility.check_figures_when_shown()\n'
    '__import__("dlcourse.accessibility").accessibility.check_long_cells_show_progress()\n'
)
"""Code that turns on :func:`check_figures_when_shown` and
:func:`check_long_cells_show_progress` in the kernel that runs it, binding no name in the
notebook's namespace (so no cell can come to rely on it). The repository's ``conftest.py`` runs
it in every kernel nbval starts; the browser test's JupyterLab runs it as each kernel starts."""

_MOUSE_EVENTS = (
    "button_press_event",
    "button_release_event",
    "motion_notify_event",
    "pick_event",
    "scroll_event",
)
_MATPLOTLIB = ("matplotlib", "mpl_toolkits")
_DISPLAY_ONLY = (widgets.HTML, widgets.HTMLMath, widgets.Label)
_GREY_TOLERANCE = 0.02
_COLOR_TOLERANCE = 1e-3
_PIXEL = 1.0
"""A legend may touch data this many display pixels deep (its frame's edge) without hiding it."""


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------


def figure_problems(fig: Figure, *, draw: bool = True) -> list[str]:
    """Everything ``fig`` breaks of the module's rules, one sentence each ([] when none).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    draw : bool, default True
        Draw the figure (without rendering) first when it has a legend, to know where the
        legend is; False skips that when the figure has just been drawn.

    Returns
    -------
    list of str
        E.g. ``"axes 0 ('Cost'): no x label"``.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    draw = check_bool(draw, "draw")
    problems = _mouse_problems(fig)
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None] + fig.legends
    if legends and draw:
        fig.draw_without_rendering()
    suptitle = fig._suptitle.get_text() if fig._suptitle is not None else ""
    for index, ax in enumerate(fig.axes):
        if not ax.get_visible():
            continue
        where = f"axes {index} ({_title(ax)!r})"
        if getattr(ax, "_colorbar", None) is not None:
            if not (ax.get_xlabel() or ax.get_ylabel()):
                problems.append(f"{where}: a colour bar without a label")
            continue
        problems += [f"{where}: {problem}" for problem in _axes_problems(ax, suptitle)]
    for legend in legends:
        problems += _legend_problems(fig, legend)
    return problems


def _title(ax: Axes) -> str:
    return next((ax.get_title(loc) for loc in ("center", "left", "right") if ax.get_title(loc)), "")


def _axes_problems(ax: Axes, suptitle: str) -> list[str]:
    """Labels, title, colour maps, colours and styles of one Axes (not a colour bar)."""
    problems = []
    # A 3-D Axes keeps axison False and says whether its axes are drawn in _axis3don.
    if not (ax._axis3don if ax.name == "3d" else ax.axison):
        if not (_title(ax) or suptitle):
            problems.append("switched off, and neither it nor the figure has a title")
    else:
        names = ("x", "y", "z") if ax.name == "3d" else ("x", "y")
        problems += [f"no {name} label" for name in names if not getattr(ax, f"get_{name}label")()]
        if not _title(ax):
            problems.append("no title")
    for artist in ax.get_children():
        if isinstance(artist, ScalarMappable):
            problems += _colormap_problems(artist)
    lines = [line for line in ax.get_lines() if line.get_visible() and _labelled(line)]
    points = [c for c in ax.collections if isinstance(c, PathCollection) and _labelled(c)]
    problems += _red_green_problems(lines, points)
    problems += _same_style_problems(
        lines,
        _line_style,
        "lines {} look the same without colour: give them different line styles or markers",
    )
    problems += _same_style_problems(
        points, _marker_shape, "point sets {} have the same marker: give each its own shape"
    )
    return problems


def _labelled(artist) -> bool:
    label = artist.get_label()
    return bool(label) and not label.startswith("_")


def _colormap_problems(mappable: ScalarMappable) -> list[str]:
    """A colour map outside the allowed list, or contour colours from outside such a map."""
    if isinstance(mappable, ContourSet) and mappable.colors is not None:
        colors = to_rgba_array(mappable.colors)
        bad = [c for c in colors if not (_is_grey(c) or _is_from_allowed_map(c))]
        if bad:
            rgb = tuple(round(float(v), 3) for v in bad[0][:3])
            return [
                f"contour colours such as {rgb} are neither greys nor from an allowed colour map "
                f"({', '.join(ALLOWED_COLORMAPS)})"
            ]
        return []
    if mappable.get_array() is None:  # not colour-mapped (plain colours)
        return []
    name = mappable.get_cmap().name
    if name.split("_")[0] not in ALLOWED_COLORMAPS:
        return [
            f"colour map {name!r} is not perceptually uniform and colour-blind safe: use one of "
            f"{', '.join(ALLOWED_COLORMAPS)}"
        ]
    return []


def _is_grey(rgba: np.ndarray) -> bool:
    return float(np.ptp(rgba[:3])) <= _GREY_TOLERANCE


@functools.cache
def _allowed_colors() -> np.ndarray:
    """Every colour of every allowed map (256 each), shape (256 * k, 3)."""
    return np.concatenate(
        [colormaps[name](np.linspace(0.0, 1.0, 256))[:, :3] for name in ALLOWED_COLORMAPS]
    )


def _is_from_allowed_map(rgba: np.ndarray) -> bool:
    return bool(np.min(np.abs(_allowed_colors() - rgba[:3]).max(axis=1)) <= _COLOR_TOLERANCE)


def _hue_class(rgba: np.ndarray) -> str:
    """ "red", "green" or "" for one RGBA colour (greys and dark or pale colours are neither)."""
    r, g, b = rgba[:3]
    high, low = max(r, g, b), min(r, g, b)
    if high < 0.3 or high - low < 0.4 * high:
        return ""
    if high == r:
        hue = 60.0 * (((g - b) / (high - low)) % 6)
    elif high == g:
        hue = 60.0 * ((b - r) / (high - low) + 2)
    else:
        hue = 60.0 * ((r - g) / (high - low) + 4)
    if hue < 15 or hue > 345:
        return "red"
    return "green" if 75 <= hue <= 160 else ""


def _red_green_problems(lines: list[Line2D], points: list[PathCollection]) -> list[str]:
    colors = [to_rgba_array(line.get_color())[0] for line in lines]
    colors += [to_rgba_array(c.get_facecolor())[0] for c in points if len(c.get_facecolor())]
    hues = {_hue_class(c) for c in colors}
    if {"red", "green"} <= hues:
        return ["red and green tell data apart (unreadable with red–green colour blindness)"]
    return []


def _line_style(line: Line2D) -> tuple:
    """What tells a line apart without colour: its dash pattern (or none) and marker."""
    dashes = "none" if line.get_linestyle() in ("None", " ", "") else line._unscaled_dash_pattern
    return (str(dashes), str(line.get_marker()))


def _marker_shape(points: PathCollection) -> tuple:
    paths = points.get_paths()
    return tuple(np.round(paths[0].vertices, 3).ravel()) if paths else ()


def _same_style_problems(artists: list, style, message: str) -> list[str]:
    seen: dict[tuple, str] = {}
    problems = []
    for artist in artists:
        key = style(artist)
        if key in seen:
            problems.append(message.format(f"{seen[key]!r} and {artist.get_label()!r}"))
        else:
            seen[key] = artist.get_label()
    return problems


# -- legends ----------------------------------------------------------------------------------


def _legend_problems(fig: Figure, legend: Legend) -> list[str]:
    """The axes whose lines, points or bars ``legend`` covers."""
    if not legend.get_visible():
        return []
    box = legend.get_window_extent()
    owner = legend.axes
    problems = []
    for index, ax in enumerate(fig.axes):
        if (owner is not None and ax is not owner) or getattr(ax, "_colorbar", None) is not None:
            continue
        region = Bbox.intersection(box, ax.bbox)
        if region is None or region.width <= 2 * _PIXEL or region.height <= 2 * _PIXEL:
            continue
        region = region.padded(-_PIXEL)
        covered = [artist for artist in _data_artists(ax) if _covers(region, artist)]
        if covered:
            names = ", ".join(sorted({_describe(artist) for artist in covered}))
            kind = "the legend" if owner is not None else "the figure legend"
            problems.append(
                f"axes {index} ({_title(ax)!r}): {kind} covers data ({names}); use "
                'loc="best" or put it outside the axes'
            )
    return problems


def _data_artists(ax: Axes) -> Iterator:
    yield from (line for line in ax.get_lines() if line.get_visible())
    yield from (c for c in ax.collections if isinstance(c, PathCollection) and c.get_visible())
    for container in ax.containers:
        if isinstance(container, BarContainer):
            yield from (bar for bar in container.patches if bar.get_visible())


def _describe(artist) -> str:
    kind = "bar" if not isinstance(artist, (Line2D, PathCollection)) else type(artist).__name__
    return f"{kind} {artist.get_label()!r}" if _labelled(artist) else kind


def _covers(region: Bbox, artist) -> bool:
    """Whether ``artist`` (a line, scatter or bar) has a visible part inside ``region``."""
    if isinstance(artist, Line2D):
        xy = artist.get_transform().transform(np.asarray(artist.get_xydata(), dtype=float))
        return _path_covers(region, xy, joined=_line_style(artist)[0] != "none")
    if isinstance(artist, PathCollection):
        xy = artist.get_offset_transform().transform(artist.get_offsets())
        return _path_covers(region, xy, joined=False)
    return region.overlaps(artist.get_window_extent())


def _path_covers(region: Bbox, xy: np.ndarray, joined: bool) -> bool:
    """Whether points ``xy`` (shape (k, 2), display units), or with ``joined`` the segments
    between consecutive finite ones, reach into ``region``."""
    finite = np.all(np.isfinite(xy), axis=1)
    inside = (
        (xy[:, 0] > region.x0)
        & (xy[:, 0] < region.x1)
        & (xy[:, 1] > region.y0)
        & (xy[:, 1] < region.y1)
    )
    if np.any(inside & finite):
        return True
    if not joined:
        return False
    breaks = np.flatnonzero(~finite)
    for run in np.split(xy, breaks):
        run = run[np.all(np.isfinite(run), axis=1)]
        if len(run) >= 2 and Path(run).intersects_bbox(region, filled=False):
            return True
    return False


# -- interaction ------------------------------------------------------------------------------


def _mouse_problems(fig: Figure) -> list[str]:
    """Mouse event handlers connected to the figure other than matplotlib's own (its
    interactive ``matplotlib.widgets`` count as handlers too)."""
    events = []
    for event in _MOUSE_EVENTS:
        for ref in fig.canvas.callbacks.callbacks.get(event, {}).values():
            module = getattr(ref(), "__module__", "") or ""
            if module.startswith("matplotlib.widgets") or not module.startswith(_MATPLOTLIB):
                events.append(event)
                break
    if not events:
        return []
    return [
        f"mouse-only interaction ({', '.join(events)} handlers): a keyboard cannot use it; "
        "offer an ipywidgets control instead"
    ]


# ---------------------------------------------------------------------------------------------
# Widgets
# ---------------------------------------------------------------------------------------------


def widget_problems(widget: widgets.Widget) -> list[str]:
    """Controls in ``widget`` and its children without a label or out of the tab order.

    Parameters
    ----------
    widget : ipywidgets.Widget
        E.g. an explorer's ``widget`` box.

    Returns
    -------
    list of str
        E.g. ``"FloatSlider (value 0.1): no description"``; [] when every control is fine.
    """
    if not isinstance(widget, widgets.Widget):
        raise TypeError(f"widget must be an ipywidgets Widget, got {type(widget).__name__}")
    problems = []
    for control in _descendants(widget):
        is_control = isinstance(control, widgets.Button) or (
            isinstance(control, widgets.widget_description.DescriptionWidget)
            and not isinstance(control, _DISPLAY_ONLY)
        )
        if not is_control:
            continue
        name = f"{type(control).__name__} (value {getattr(control, 'value', None)!r})"
        if not str(control.description).strip():
            problems.append(f"{name}: no description (the label a screen reader reads)")
        if getattr(control, "tabbable", None) is False:
            problems.append(f"{name}: taken out of the tab order (tabbable=False)")
    return problems


def _descendants(widget: widgets.Widget) -> Iterator[widgets.Widget]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _descendants(child)


# ---------------------------------------------------------------------------------------------
# Notebooks
# ---------------------------------------------------------------------------------------------


def check_figures_when_shown() -> None:
    """Check every figure when it is drawn for display (or saved); raise for a broken rule.

    Wraps ``FigureCanvasBase.print_figure``, which IPython's inline backend, ``display(fig)``
    and ``savefig`` all go through: once the figure is drawn, :func:`figure_problems` runs, and
    a ValueError lists what it found. In a notebook the cell then shows that error (and nbval
    fails the cell). The repository's ``conftest.py`` calls this in every kernel nbval starts;
    call it in a notebook of your own to check its figures. A second call does nothing.
    """
    original = FigureCanvasBase.print_figure
    if getattr(original, "_checks_figures", False):
        return

    @functools.wraps(original)
    def print_figure(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        problems = figure_problems(self.figure, draw=False)  # just drawn
        if problems:
            raise ValueError(
                "this figure breaks the course's rules for readable figures "
                "(dlcourse.accessibility):\n- " + "\n- ".join(problems)
            )
        return result

    print_figure._checks_figures = True
    FigureCanvasBase.print_figure = print_figure


def check_long_cells_show_progress(limit: float = LONG_RUN_SECONDS) -> None:
    """Make a notebook cell fail if it computes for long without showing a progress bar.

    From now on, a cell of the running IPython shell (a notebook's kernel) that uses more than
    ``limit`` seconds of CPU time (the kernel process's, so a busy machine does not trigger it)
    without starting a ``tqdm`` progress bar (``tqdm.auto`` in a notebook) raises a ValueError
    once it has run, which the cell shows as an error (and nbval fails the cell). The
    repository's ``conftest.py`` calls this in every kernel nbval starts. A second call in the
    same shell does nothing.

    Parameters
    ----------
    limit : float, default LONG_RUN_SECONDS (10.0)
        CPU seconds a cell may use without a progress bar, > 0.
    """
    from IPython import get_ipython

    limit = check_real(limit, "limit")
    if limit <= 0:
        raise ValueError(f"limit must be > 0 seconds, got {limit}")
    shell = get_ipython()
    if shell is None:
        raise RuntimeError("check_long_cells_show_progress works inside IPython (a notebook)")
    if getattr(shell, "_dlcourse_checks_progress", False):
        return
    _count_progress_bars()
    started = [time.process_time(), _bars_started[0]]  # for the cell running this call

    def before(info) -> None:
        started[:] = [time.process_time(), _bars_started[0]]

    def after(result) -> None:
        used = time.process_time() - started[0]
        if used > limit and _bars_started[0] == started[1]:
            raise ValueError(
                f"this cell computed for {used:.1f} s of CPU time (more than {limit:g} s) "
                "without a progress bar: wrap its long loop in tqdm.auto.tqdm (or use a "
                "dlcourse helper's live=True)"
            )

    shell.events.register("pre_run_cell", before)
    shell.events.register("post_run_cell", after)
    shell._dlcourse_checks_progress = True


_bars_started = [0]
"""How many tqdm bars (not disabled) were started since :func:`_count_progress_bars`."""


def _count_progress_bars() -> None:
    """Make every tqdm bar count itself in ``_bars_started`` (once per process)."""
    from tqdm import std

    original = std.tqdm.__init__
    if getattr(original, "_counts_bars", False):
        return

    @functools.wraps(original)
    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if not self.disable:
            _bars_started[0] += 1

    __init__._counts_bars = True
    std.tqdm.__init__ = __init__
