"""Pictures of small compute graphs, with the forward-pass values and backward-pass gradients.

Public API
----------
draw_graph     draw a compute graph (boxes joined by arrows) with matplotlib alone, optionally
               writing each node's value (forward pass) above it and its gradient (backward
               pass) below it
example_graph  the nodes, edges, values and gradients of the lecture's worked example
               f = (x + y) · z, ready for ``draw_graph(**example_graph(-2, 5, -4))``
GraphSpec      the dictionary ``example_graph`` returns (a TypedDict)

A graph is described by plain Python containers, so students can sketch their own::

    nodes = {"x": (0, 1), "w": (0, 0), "p": (1.5, 0.5, "p = x · w")}
    edges = [("x", "p"), ("w", "p")]
    draw_graph(nodes, edges, forward={"x": 2, "w": 3, "p": 6}, backward={"p": 1, "x": 3, "w": 2})

Values are written in blue and labelled "value", gradients in vermillion and labelled "grad"
(the Okabe–Ito colour-blind-safe pair), so the picture reads without colour too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TypedDict

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch

from dlcourse._core.checks import check_real, check_text
from dlcourse._core.drawing import check_2d_axes
from dlcourse._core.style import PALETTE, format_number

__all__ = ["GraphSpec", "draw_graph", "example_graph"]

VALUE_COLOR = PALETTE["blue"]
"""Okabe–Ito blue: forward-pass values."""

GRAD_COLOR = PALETTE["vermillion"]
"""Okabe–Ito vermillion: backward-pass gradients."""

VALUE_PREFIX = "value = "
GRAD_PREFIX = "grad = "

CAPTION = "each arrow feeds a node's value into the next operation"
"""Written under every graph (its axes are switched off, so there are no axis labels)."""

_BOX_HALF_WIDTH = 0.32
_BOX_HALF_HEIGHT = 0.16
"""Half-size of a node's box, as a fraction of the distance between the two closest nodes."""

_TEXT_GAP = 0.04
"""Gap between a box and its value / gradient text, same unit as the box size."""

_MARGIN = 0.45
"""Room around the outermost boxes (for the texts), same unit as the box size."""


class GraphSpec(TypedDict):
    """A compute graph and its numbers, in the form :func:`draw_graph` takes them."""

    nodes: dict[str, tuple[float, float, str]]
    edges: list[tuple[str, str]]
    forward: dict[str, float]
    backward: dict[str, float]


# ---------------------------------------------------------------------------------------------
# Input validation (private)
# ---------------------------------------------------------------------------------------------


def _check_nodes(nodes: object) -> dict[str, tuple[float, float, str]]:
    """``nodes`` as {name: (x, y, label)}, or TypeError/ValueError saying what to fix."""
    example = 'e.g. {"x": (0, 1), "q": (1.5, 0.5, "q = x + y")}'
    if not isinstance(nodes, Mapping):
        raise TypeError(
            f"nodes must be a dict mapping each node's name to its position (x, y), {example}; "
            f"got {type(nodes).__name__}"
        )
    if not nodes:
        raise ValueError("nodes is empty: a compute graph needs at least one node")
    checked = {}
    for name, spec in nodes.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"node names must be non-empty strings, got {name!r}")
        if (
            isinstance(spec, (str, bytes))
            or not isinstance(spec, (Sequence, np.ndarray))
            or len(spec) not in (2, 3)
        ):
            raise TypeError(
                f"node {name!r} must map to a position (x, y) or to (x, y, label), {example}; "
                f"got {spec!r}"
            )
        x = check_real(spec[0], f"the x position of node {name!r}")
        y = check_real(spec[1], f"the y position of node {name!r}")
        label = name if len(spec) == 2 else spec[2]
        if not isinstance(label, str):
            raise TypeError(
                f"the label of node {name!r} (third entry) must be a string, got {label!r}"
            )
        checked[name] = (x, y, label)
    positions: dict[tuple[float, float], str] = {}
    for name, (x, y, _) in checked.items():
        if (x, y) in positions:
            raise ValueError(
                f"nodes {positions[(x, y)]!r} and {name!r} are both at ({x:g}, {y:g}): give "
                "every node its own position"
            )
        positions[(x, y)] = name
    return checked


def _check_edges(edges: object, names: Mapping[str, object]) -> list[tuple[str, str]]:
    """``edges`` as a list of (src, dst) name pairs forming an acyclic graph, or raise."""
    if isinstance(edges, (str, bytes, Mapping)) or not isinstance(edges, (Sequence, np.ndarray)):
        raise TypeError(
            "edges must be a list of (source, destination) pairs of node names, e.g. "
            f'[("x", "q"), ("y", "q")]; got {type(edges).__name__}'
        )
    known = ", ".join(repr(name) for name in names)
    checked: list[tuple[str, str]] = []
    for edge in edges:
        if (
            isinstance(edge, (str, bytes))
            or not isinstance(edge, (Sequence, np.ndarray))
            or len(edge) != 2
        ):
            raise TypeError(f"each edge must be a pair (source, destination), got {edge!r}")
        src, dst = edge
        for end in (src, dst):
            if end not in names:
                raise ValueError(
                    f"edge ({src!r}, {dst!r}) refers to unknown node {end!r}; add it to nodes or "
                    f"use one of {known}"
                )
        if src == dst:
            raise ValueError(f"edge ({src!r}, {dst!r}) joins a node to itself")
        if (src, dst) in checked:
            raise ValueError(f"edge ({src!r}, {dst!r}) is listed twice")
        checked.append((src, dst))
    _check_acyclic(checked, names)
    return checked


def _check_acyclic(edges: list[tuple[str, str]], names: Mapping[str, object]) -> None:
    """Raise ValueError naming the nodes on a cycle, if ``edges`` has one (Kahn's algorithm)."""
    incoming = {name: 0 for name in names}
    for _, dst in edges:
        incoming[dst] += 1
    ready = [name for name, count in incoming.items() if count == 0]
    while ready:
        node = ready.pop()
        for src, dst in edges:
            if src == node:
                incoming[dst] -= 1
                if incoming[dst] == 0:
                    ready.append(dst)
    on_cycle = [name for name, count in incoming.items() if count > 0]
    if on_cycle:
        raise ValueError(
            "a compute graph has no cycles, but the edges go round a loop through "
            f"{', '.join(repr(name) for name in on_cycle)}"
        )


def _check_numbers(values: object, name: str, nodes: Mapping[str, object]) -> dict[str, float]:
    """``values`` as {node: finite float} for known nodes (``None`` gives {}), or raise."""
    if values is None:
        return {}
    if not isinstance(values, Mapping):
        raise TypeError(
            f'{name} must be a dict mapping node names to numbers, e.g. {{"x": -2.0}}; got '
            f"{type(values).__name__}"
        )
    checked = {}
    for node, value in values.items():
        if node not in nodes:
            known = ", ".join(repr(n) for n in nodes)
            raise ValueError(f"{name} has a number for unknown node {node!r}; nodes are {known}")
        checked[node] = check_real(value, f"{name}[{node!r}]")
    return checked


# ---------------------------------------------------------------------------------------------
# Drawing helpers (private)
# ---------------------------------------------------------------------------------------------


def _closest_distance(points: list[tuple[float, float]]) -> float:
    """Smallest distance between two of ``points`` (1.0 for a single point)."""
    distances = [math.dist(a, b) for i, a in enumerate(points) for b in points[i + 1 :]]
    return min(distances) if distances else 1.0


def _box_exit(
    start: tuple[float, float], end: tuple[float, float], half_w: float, half_h: float
) -> tuple[float, float]:
    """Where the segment from ``start`` (a box centre) to ``end`` leaves that box."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    scales = []
    if dx:
        scales.append(half_w / abs(dx))
    if dy:
        scales.append(half_h / abs(dy))
    t = min(scales)
    return start[0] + t * dx, start[1] + t * dy


def _sinks(names: Mapping[str, object], edges: list[tuple[str, str]]) -> list[str]:
    """Nodes no edge leaves (the graph's outputs)."""
    sources = {src for src, _ in edges}
    return [name for name in names if name not in sources]


# ---------------------------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------------------------


def draw_graph(
    nodes: Mapping[str, Sequence],
    edges: Sequence[tuple[str, str]],
    *,
    forward: Mapping[str, float] | None = None,
    backward: Mapping[str, float] | None = None,
    ax: Axes | None = None,
    title: str = "Compute graph",
) -> Axes:
    """Draw a compute graph: one box per node, one arrow per edge, values and gradients.

    Parameters
    ----------
    nodes : dict
        ``{name: (x, y)}`` or ``{name: (x, y, label)}``: the centre of each node's box in
        data coordinates, and optionally the text written in the box (the name by default),
        e.g. ``{"x": (0, 1), "q": (1.5, 0.5, "q = x + y")}``. Boxes are sized from the
        distance between the two closest nodes, so keep labels short (about 10 characters).
        No two nodes may share a position.
    edges : list of (str, str)
        ``(source, destination)`` pairs: the source is an input of the destination. Every name
        must be in ``nodes``; no self-loops, duplicates or cycles.
    forward : dict, optional
        ``{name: value}``: the forward-pass value of some or all nodes, written in blue
        above the box as "value = 3".
    backward : dict, optional
        ``{name: gradient}``: the derivative of the graph's output with respect to some or
        all nodes, written in vermillion below the box as "grad = -4".
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made with pyplot if None.
    title : str, default "Compute graph"
        Not empty: the diagram has no axes, so its title says what it shows.

    Returns
    -------
    matplotlib Axes
        Switched off (positions carry no meaning: no ticks, frame or axis labels); a caption
        under the graph says how to read it. Artists carry gids for programmatic checks:
        ``"caption"`` (that text), ``"box:<name>"`` (the FancyBboxPatch), ``"node:<name>"``
        (label text), ``"value:<name>"`` and ``"grad:<name>"`` (texts),
        ``"edge:<src>-><dst>"`` (the FancyArrowPatch).

    Raises
    ------
    TypeError, ValueError
        For malformed nodes or edges, edges naming unknown nodes, self-loops, duplicate edges,
        cycles, two nodes at one place, values / gradients for unknown nodes or that are not
        finite numbers, or an empty title.
    """
    checked_nodes = _check_nodes(nodes)
    checked_edges = _check_edges(edges, checked_nodes)
    values = _check_numbers(forward, "forward", checked_nodes)
    grads = _check_numbers(backward, "backward", checked_nodes)
    title = check_text(title, "title")
    if not title.strip():
        raise ValueError("title must not be empty: a diagram without axes needs a title")
    ax = check_2d_axes(ax)

    centres = {name: (x, y) for name, (x, y, _) in checked_nodes.items()}
    unit = _closest_distance(list(centres.values()))
    half_w, half_h, gap = _BOX_HALF_WIDTH * unit, _BOX_HALF_HEIGHT * unit, _TEXT_GAP * unit

    for src, dst in checked_edges:
        start = _box_exit(centres[src], centres[dst], half_w, half_h)
        end = _box_exit(centres[dst], centres[src], half_w, half_h)
        arrow = FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=16,
            shrinkA=0,
            shrinkB=0,
            color="0.2",
            lw=1.5,
            zorder=1,
        )
        arrow.set_gid(f"edge:{src}->{dst}")
        ax.add_patch(arrow)

    for name, (x, y, label) in checked_nodes.items():
        box = FancyBboxPatch(
            (x - half_w, y - half_h),
            2 * half_w,
            2 * half_h,
            boxstyle=f"round,pad=0,rounding_size={0.3 * half_h}",
            facecolor="white",
            edgecolor="black",
            lw=1.5,
            zorder=2,
        )
        box.set_gid(f"box:{name}")
        ax.add_patch(box)
        ax.text(x, y, label, ha="center", va="center", fontsize=11, zorder=3, gid=f"node:{name}")
        if name in values:
            ax.text(
                x,
                y + half_h + gap,
                VALUE_PREFIX + format_number(values[name]),
                ha="center",
                va="bottom",
                color=VALUE_COLOR,
                fontsize=10,
                fontweight="bold",
                zorder=3,
                gid=f"value:{name}",
            )
        if name in grads:
            ax.text(
                x,
                y - half_h - gap,
                GRAD_PREFIX + format_number(grads[name]),
                ha="center",
                va="top",
                color=GRAD_COLOR,
                fontsize=10,
                fontstyle="italic",
                zorder=3,
                gid=f"grad:{name}",
            )

    xs = [x for x, _ in centres.values()]
    ys = [y for _, y in centres.values()]
    margin = _MARGIN * unit
    ax.set_xlim(min(xs) - half_w - margin, max(xs) + half_w + margin)
    ax.set_ylim(min(ys) - half_h - margin, max(ys) + half_h + margin)
    ax.set_axis_off()

    sinks = _sinks(checked_nodes, checked_edges)
    output = sinks[0] if len(sinks) == 1 else "L"
    handles = []
    if values:
        handles.append(Patch(color=VALUE_COLOR, label="value: forward pass, along the arrows"))
    if grads:
        handles.append(
            Patch(
                color=GRAD_COLOR,
                label=f"grad = ∂{output}/∂node: backward pass, against the arrows",
            )
        )
    if handles:
        ax.legend(handles=handles, loc="best", fontsize="small", framealpha=0.9)
    ax.set_title(title)
    ax.text(0.5, 0.0, CAPTION, transform=ax.transAxes, ha="center", va="top", gid="caption")
    return ax


def example_graph(x: float, y: float, z: float) -> GraphSpec:
    """The lecture's worked example f(x, y, z) = (x + y) · z, forward and backward.

    The graph has inputs x, y, z, an addition node q = x + y and the output f = q · z.
    Backpropagation starts at df/df = 1 and applies the chain rule node by node:
    df/dq = z and df/dz = q (multiplication swaps its inputs), then
    df/dx = df/dq · dq/dx = z · 1 and df/dy = z (addition passes the gradient on unchanged).

    Parameters
    ----------
    x, y, z : float
        The inputs; any finite numbers.

    Returns
    -------
    GraphSpec
        A dict with keys "nodes", "edges", "forward" (values of x, y, z, q, f) and
        "backward" (df/dnode for the same five nodes), ready for
        ``draw_graph(**example_graph(x, y, z))``.

    Examples
    --------
    >>> spec = example_graph(-2, 5, -4)
    >>> spec["forward"]["q"], spec["forward"]["f"]
    (3.0, -12.0)
    >>> spec["backward"]["x"], spec["backward"]["y"], spec["backward"]["z"]
    (-4.0, -4.0, 3.0)
    """
    x = check_real(x, "x")
    y = check_real(y, "y")
    z = check_real(z, "z")
    q = x + y
    f = q * z
    df_df = 1.0
    df_dq, df_dz = z * df_df, q * df_df
    df_dx, df_dy = df_dq * 1.0, df_dq * 1.0
    return {
        "nodes": {
            "x": (0.0, 2.0, "x"),
            "y": (0.0, 1.0, "y"),
            "z": (0.0, 0.0, "z"),
            "q": (1.6, 1.5, "q = x + y"),
            "f": (3.2, 0.75, "f = q · z"),
        },
        "edges": [("x", "q"), ("y", "q"), ("q", "f"), ("z", "f")],
        "forward": {"x": x, "y": y, "z": z, "q": q, "f": f},
        "backward": {"x": df_dx, "y": df_dy, "z": df_dz, "q": df_dq, "f": df_df},
    }
