"""Drawing 8×8 digit images (pixels, reconstructions, a unit's weights) for the week-7 figures and
explorers: a row or grid of images is tiled into one picture on one switched-off Axes, which
draws and redraws far quicker than one Axes per image."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

IMAGE_SHAPE = (8, 8)
"""Height and width of a digit; a row of 64 pixels is ``pixels.reshape(IMAGE_SHAPE)``."""

_GAP = 1
"""Blank pixels between two tiles."""


def tile(images: np.ndarray, columns: int) -> np.ndarray:
    """Rows of 64 values, shape (k, 64), as one picture of ``columns`` tiles per row, NaN
    (drawn blank) between the tiles and in unused places."""
    k = images.shape[0]
    rows = -(-k // columns)
    h, w = IMAGE_SHAPE
    picture = np.full((rows * (h + _GAP) - _GAP, columns * (w + _GAP) - _GAP), np.nan)
    for index, pixels in enumerate(images):
        r, c = divmod(index, columns)
        top, left = r * (h + _GAP), c * (w + _GAP)
        picture[top : top + h, left : left + w] = np.reshape(pixels, IMAGE_SHAPE)
    return picture


def scaled_to_unit(weights: np.ndarray) -> np.ndarray:
    """Each row divided by its largest |entry| (rows of zeros stay 0; NaN entries are left out
    and stay NaN): values in −1..1, so patterns of different sizes compare by their shape."""
    size = np.nanmax(np.abs(weights), axis=1, keepdims=True)
    return weights / np.where(size > 0, size, 1.0)


def draw_digits(
    ax: Axes,
    images: np.ndarray,
    *,
    title: str,
    columns: int | None = None,
    limits: tuple[float, float] = (0.0, 1.0),
) -> None:
    """Images of 64 values each, shape (k, 64), tiled on ``ax`` (switched off, with ``title``).

    ``columns`` tiles per row (all in one row by default). With the ``gray_r`` map 0 is white
    paper and ``limits[1]`` black ink; values outside ``limits`` are drawn at the nearest end.
    An earlier picture on ``ax`` gets the new pixels (quicker than drawing it again).
    """
    picture = tile(np.asarray(images, dtype=np.float64), columns or len(images))
    if ax.images:
        ax.images[0].set_data(picture)
        ax.images[0].set_clim(*limits)
    else:
        ax.imshow(picture, cmap="gray_r", vmin=limits[0], vmax=limits[1], interpolation="nearest")
        ax.set_axis_off()
    ax.set_title(title, fontsize="medium")
