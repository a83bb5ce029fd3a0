"""The course's figure style: the Okabe–Ito palette, one line style and marker per path, class
colours from a perceptually uniform colour map."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np

PALETTE: Mapping[str, str] = MappingProxyType(
    {
        "black": "#000000",
        "orange": "#E69F00",
        "sky": "#56B4E9",
        "green": "#009E73",
        "yellow": "#F0E442",
        "blue": "#0072B2",
        "vermillion": "#D55E00",
        "purple": "#CC79A7",
    }
)
"""Okabe and Ito's colours, distinguishable with every common kind of colour blindness, by
name ("blue", "vermillion", ...). Yellow vanishes on white: use it for fills only."""

COLORMAP = "viridis"
"""Perceptually uniform, readable in greyscale and by colour-blind readers."""

PATH_STYLES: tuple[dict[str, object], ...] = (
    {"color": PALETTE["black"], "ls": "-", "marker": "o"},
    {"color": PALETTE["orange"], "ls": "--", "marker": "s"},
    {"color": PALETTE["sky"], "ls": "-.", "marker": "^"},
    {"color": PALETTE["green"], "ls": ":", "marker": "D"},
    {"color": PALETTE["blue"], "ls": (0, (6, 2)), "marker": "v"},
    {"color": PALETTE["purple"], "ls": (0, (3, 1, 1, 1, 1, 1)), "marker": "P"},
    {"color": PALETTE["vermillion"], "ls": (0, (1, 1)), "marker": "X"},
)
"""Each path's Okabe–Ito colour paired with its own line style and marker, so paths can be told
apart in greyscale too (no yellow)."""

CLASS_COLOR_SPAN = (0.0, 0.85)
"""Part of the colour map used for classes; its palest end would vanish on white."""


def path_style(index: int) -> dict[str, object]:
    """Colour, line style and marker of path (or curve) number ``index``, a new dict."""
    return dict(PATH_STYLES[index % len(PATH_STYLES)])


def class_colors(count: int) -> np.ndarray:
    """``count`` distinct RGBA colours from the colour map, darkest first, shape (count, 4)."""
    from matplotlib import colormaps

    return colormaps[COLORMAP](np.linspace(*CLASS_COLOR_SPAN, count))


def format_number(value: float) -> str:
    """Up to 4 significant digits, no trailing zeros, and never "-0"."""
    return f"{value + 0.0:.4g}"
