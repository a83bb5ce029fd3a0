"""Axes helpers shared by the figure modules, and the drawn path of the week-1 contour plots
(which the learning-rate explorer moves)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

PATH_LABEL = "gradient descent"
START_LABEL = "start"
END_LABEL = "end"

Range = tuple[float, float]


def check_2d_axes(ax: Axes | None) -> Axes:
    """``ax`` itself, or a new 2-D Axes on a new pyplot figure when ``ax`` is None."""
    if ax is None:
        _, ax = plt.subplots()
        return ax
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax


def find_line(ax: Axes, label: str) -> Line2D:
    """The line on ``ax`` with this legend label (KeyError if there is none)."""
    for line in ax.get_lines():
        if line.get_label() == label:
            return line
    raise KeyError(f"no line labelled {label!r} on this Axes")


def clip_path(path: np.ndarray, w_range: Range, b_range: Range) -> np.ndarray:
    """The path with every point clipped into the box ``w_range`` x ``b_range``, shape (k, 2)."""
    return np.column_stack([np.clip(path[:, 0], *w_range), np.clip(path[:, 1], *b_range)])


def draw_path(ax: Axes, path: np.ndarray, w_range: Range, b_range: Range) -> dict[str, Line2D]:
    """Draw a descent path (connected points, start and end marked); return the three lines.

    ``path`` has shape (k, 2), rows (w, b). Points outside the box ``w_range`` x ``b_range``
    are drawn on its border.
    """
    (line,) = ax.plot([], [], "-o", color="black", lw=1.2, ms=3, label=PATH_LABEL, zorder=3)
    (start,) = ax.plot(
        [], [], "o", ms=9, mfc="white", mec="black", mew=2, label=START_LABEL, zorder=4
    )
    (end,) = ax.plot([], [], "s", ms=8, mfc="black", mec="white", mew=1, label=END_LABEL, zorder=4)
    lines = {"path": line, "start": start, "end": end}
    update_path(lines, path, w_range, b_range)
    return lines


def path_lines_on(ax: Axes) -> dict[str, Line2D]:
    """The path, start and end lines :func:`draw_path` drew on ``ax``."""
    return {
        "path": find_line(ax, PATH_LABEL),
        "start": find_line(ax, START_LABEL),
        "end": find_line(ax, END_LABEL),
    }


def update_path(lines: dict[str, Line2D], path: np.ndarray, w_range: Range, b_range: Range) -> None:
    """Move the lines made by :func:`draw_path` to a new path of shape (k, 2)."""
    shown = clip_path(path, w_range, b_range)
    lines["path"].set_data(shown[:, 0], shown[:, 1])
    lines["start"].set_data(shown[:1, 0], shown[:1, 1])
    lines["end"].set_data(shown[-1:, 0], shown[-1:, 1])
