"""The class report's figures, drawn with matplotlib and embedded in the page as PNG.

Each function returns a :class:`Picture`: the image as a ``data:`` URI (the page needs no
network and no other file) and a text alternative that says what the figure shows. Every
figure is held to the course's figure rules (:func:`dlcourse.accessibility.figure_problems`):
labelled axes, colour-blind-safe colour maps, labelled lines told apart by marker and style.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import numpy as np
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from dlcourse.accessibility import figure_problems

HEAT_MAP = "cividis"
MISSING_COLOUR = "#d9d9d9"  # a light grey: no submission (the cell also says so in words)
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
_STYLES = ("-", "--", "-.", ":")
_MOST_ANNOTATED = 60  # students: above this the heat map's cells carry no numbers


@dataclass(frozen=True)
class Picture:
    """An embedded figure: ``uri`` for ``<img src>``, ``alt`` for its text alternative."""

    uri: str
    alt: str


def _embed(fig: Figure, alt: str) -> Picture:
    problems = figure_problems(fig)
    if problems:  # a bug in this module, never the instructor's data
        raise RuntimeError(
            "a report figure breaks the course's figure rules: " + "; ".join(problems)
        )
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    return Picture("data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode(), alt)


def totals_histogram(histogram: dict, max_total: float, assignment: str) -> Picture:
    """Bars: how many submissions scored each range of totals (``collect._histogram``)."""
    edges, counts = np.asarray(histogram["edges"]), np.asarray(histogram["counts"])
    fig = Figure(figsize=(6.4, 2.8))
    ax = fig.subplots()
    ax.bar(
        edges[:-1], counts, width=np.diff(edges), align="edge", color="#3b528b", edgecolor="white"
    )
    ax.set_xlim(0, max(max_total, edges[-1]))
    ax.set_xlabel(f"total score (out of {max_total:g})")
    ax.set_ylabel("submissions")
    ax.set_title(f"{assignment}: distribution of totals")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ranges = [
        f"{n} scored {lo:g} to {'under ' if i < len(counts) - 1 else ''}{hi:g}"
        for i, (n, lo, hi) in enumerate(zip(counts, edges[:-1], edges[1:], strict=True))
        if n
    ]
    alt = f"Histogram of the {int(counts.sum())} totals of {assignment}: " + "; ".join(ranges) + "."
    return _embed(fig, alt)


def heat_map(students: list[str], assignments: list[str], percent: list[list]) -> Picture:
    """Students × assignments, each cell the total in percent; missing submissions in grey."""
    values = np.array([[np.nan if p is None else p for p in row] for row in percent], float)
    fig = Figure(figsize=(1.6 + 1.3 * len(assignments), 1.4 + 0.28 * len(students)))
    ax = fig.subplots()
    cmap = colormaps[HEAT_MAP].with_extremes(bad=MISSING_COLOUR)
    image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, vmin=0, vmax=100, aspect="auto")
    ax.set_xticks(range(len(assignments)), assignments, rotation=30, ha="right")
    ax.set_yticks(range(len(students)), students)
    ax.set_xlabel("assignment")
    ax.set_ylabel("student")
    ax.set_title("Totals in percent (grey: no submission)")
    if len(students) <= _MOST_ANNOTATED:
        for (i, j), value in np.ndenumerate(values):
            text = "missing" if np.isnan(value) else f"{value:.0f}"
            dark = not np.isnan(value) and value < 55
            ax.text(
                j, i, text, ha="center", va="center", fontsize=7, color="white" if dark else "black"
            )
    bar = fig.colorbar(image, ax=ax)
    bar.set_label("total (% of the maximum)")
    missing = int(np.isnan(values).sum())
    alt = (
        f"Heat map of {len(students)} students by {len(assignments)} assignments, each cell "
        f"the student's total in percent on a dark-blue (0%) to yellow (100%) scale; "
        f"{missing} missing submission{'s' if missing != 1 else ''} shown in grey. The table "
        "below gives the same numbers."
    )
    return _embed(fig, alt)


def trends(assignments: list[str], rows: list[dict], highlighted: list[str]) -> Picture:
    """Every student's percentage across the assignments (missing counted as 0%), in grey,
    with the class median in black and the ``highlighted`` students marked and labelled."""
    x = np.arange(len(assignments))
    series = {
        r["student"]: [p if p is not None else 0.0 for p in r["percent"].values()] for r in rows
    }
    fig = Figure(figsize=(6.4, 3.4))
    ax = fig.subplots()
    for student, ys in series.items():
        if student not in highlighted:
            ax.plot(x, ys, color="#bbbbbb", linewidth=0.8)
    median = np.median(np.array(list(series.values())), axis=0) if series else np.zeros(len(x))
    ax.plot(x, median, color="black", linewidth=2.5, linestyle="-", label="class median")
    colours = colormaps["viridis"](np.linspace(0.0, 0.85, max(1, len(highlighted))))
    for k, student in enumerate(highlighted):
        ax.plot(
            x,
            series[student],
            color=colours[k],
            marker=_MARKERS[k % len(_MARKERS)],
            linestyle=_STYLES[(k + 1) % len(_STYLES)],
            label=student,
        )
    ax.set_xticks(x, assignments, rotation=20, ha="right")
    ax.set_ylim(-5, 105)
    ax.set_xlabel("assignment")
    ax.set_ylabel("total (% of the maximum)")
    ax.set_title("Each student's trend (grey), the median and who is falling behind")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    who = ", ".join(highlighted) if highlighted else "nobody"
    alt = (
        f"Line chart of every student's total in percent across {len(assignments)} "
        f"assignments (missing submissions count as 0%), with the class median "
        f"({', '.join(f'{m:.0f}%' for m in median)}). Falling behind: {who}."
    )
    return _embed(fig, alt)
