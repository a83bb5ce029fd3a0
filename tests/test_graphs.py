"""Tests for dlcourse.graphs: the worked example's numbers, what is drawn, and the messages."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from dlcourse import graphs
from dlcourse.graphs import GRAD_COLOR, VALUE_COLOR, draw_graph, example_graph

NODES = {"x": (0, 1), "w": (0, 0), "p": (1.5, 0.5, "p = x · w")}
EDGES = [("x", "p"), ("w", "p")]


def new_axes():
    """An Axes on a bare Figure (not managed by pyplot)."""
    return Figure().add_subplot()


def texts(ax, kind):
    """{node: text} of the texts whose gid is "<kind>:<node>"."""
    found = {}
    for text in ax.texts:
        gid = text.get_gid() or ""
        if gid.startswith(kind + ":"):
            found[gid.split(":", 1)[1]] = text
    return found


def f(x, y, z):
    return (x + y) * z


# ---------------------------------------------------------------------------------------------
# example_graph: the lecture's worked example
# ---------------------------------------------------------------------------------------------


def test_worked_example_numbers():
    spec = example_graph(-2, 5, -4)
    assert spec["forward"] == {"x": -2.0, "y": 5.0, "z": -4.0, "q": 3.0, "f": -12.0}
    assert spec["backward"] == {"x": -4.0, "y": -4.0, "z": 3.0, "q": -4.0, "f": 1.0}
    assert set(spec["nodes"]) == {"x", "y", "z", "q", "f"}
    assert sorted(spec["edges"]) == [("q", "f"), ("x", "q"), ("y", "q"), ("z", "f")]


def test_worked_example_is_drawn_with_its_numbers():
    ax = draw_graph(**example_graph(-2, 5, -4), ax=new_axes())
    values = {node: t.get_text() for node, t in texts(ax, "value").items()}
    grads = {node: t.get_text() for node, t in texts(ax, "grad").items()}
    assert values == {
        "x": "value = -2",
        "y": "value = 5",
        "z": "value = -4",
        "q": "value = 3",
        "f": "value = -12",
    }
    assert grads == {
        "x": "grad = -4",
        "y": "grad = -4",
        "z": "grad = 3",
        "q": "grad = -4",
        "f": "grad = 1",
    }
    labels = {node: t.get_text() for node, t in texts(ax, "node").items()}
    assert labels["q"] == "q = x + y" and labels["f"] == "f = q · z"


@pytest.mark.parametrize("seed", range(5))
def test_gradients_match_finite_differences(seed):
    x, y, z = np.random.default_rng(seed).uniform(-10, 10, size=3)
    spec = example_graph(x, y, z)
    h = 1e-6
    numeric = {
        "x": (f(x + h, y, z) - f(x - h, y, z)) / (2 * h),
        "y": (f(x, y + h, z) - f(x, y - h, z)) / (2 * h),
        "z": (f(x, y, z + h) - f(x, y, z - h)) / (2 * h),
        # f as a function of q = x + y: f = q * z
        "q": ((x + y + h) * z - (x + y - h) * z) / (2 * h),
    }
    for node, expected in numeric.items():
        assert spec["backward"][node] == pytest.approx(expected, rel=1e-6, abs=1e-8), node
    assert spec["backward"]["f"] == 1.0
    assert spec["forward"]["q"] == pytest.approx(x + y, rel=1e-15)
    assert spec["forward"]["f"] == pytest.approx(f(x, y, z), rel=1e-15)


def test_negative_zero_is_written_as_zero():
    ax = draw_graph(**example_graph(0.0, 0.0, -1.0), ax=new_axes())
    assert texts(ax, "value")["f"].get_text() == "value = 0"


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (("a", 1, 2), TypeError, "x must be a real number"),
        ((1, float("nan"), 2), ValueError, "y must be finite"),
        ((1, 2, True), TypeError, "z must be a real number"),
    ],
)
def test_example_graph_rejects_bad_inputs(args, error, message):
    with pytest.raises(error, match=message):
        example_graph(*args)


# ---------------------------------------------------------------------------------------------
# draw_graph: what is drawn
# ---------------------------------------------------------------------------------------------


def test_one_box_per_node_and_one_arrow_per_edge():
    ax = draw_graph(NODES, EDGES, ax=new_axes())
    boxes = {p.get_gid(): p for p in ax.patches if isinstance(p, FancyBboxPatch)}
    arrows = {p.get_gid(): p for p in ax.patches if isinstance(p, FancyArrowPatch)}
    assert set(boxes) == {"box:x", "box:w", "box:p"}
    assert set(arrows) == {"edge:x->p", "edge:w->p"}
    # Each box is centred on its node's position.
    for name, (x, y, *_) in NODES.items():
        box = boxes[f"box:{name}"]
        centre = (box.get_x() + box.get_width() / 2, box.get_y() + box.get_height() / 2)
        assert centre == pytest.approx((x, y))
    # Arrows run from the source box's edge towards the destination.
    box_x, box_p = boxes["box:x"], boxes["box:p"]
    start = arrows["edge:x->p"].get_path().vertices[0]
    assert start[0] == pytest.approx(box_x.get_x() + box_x.get_width())  # leaves x's right side
    tip_x = arrows["edge:x->p"].get_path().vertices[:-1, 0].max()  # last vertex closes the path
    assert box_p.get_x() - 0.05 < tip_x <= box_p.get_x() + 1e-12  # ends at p's left side
    # Without numbers there are no value or gradient texts and no legend.
    assert texts(ax, "value") == {} and texts(ax, "grad") == {}
    assert ax.get_legend() is None
    assert {t.get_text() for t in texts(ax, "node").values()} == {"x", "w", "p = x · w"}


def test_values_and_gradients_are_labelled_and_coloured_apart():
    ax = draw_graph(
        NODES, EDGES, forward={"x": 2, "w": 3, "p": 6}, backward={"p": 1, "x": 3}, ax=new_axes()
    )
    values, grads = texts(ax, "value"), texts(ax, "grad")
    assert set(values) == {"x", "w", "p"} and set(grads) == {"p", "x"}
    assert values["p"].get_text() == "value = 6" and grads["x"].get_text() == "grad = 3"
    assert all(t.get_color() == VALUE_COLOR for t in values.values())
    assert all(t.get_color() == GRAD_COLOR for t in grads.values())
    # The value sits above its node and the gradient below it.
    assert values["x"].get_position()[1] > 1 > grads["x"].get_position()[1]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(text.startswith("value") for text in legend)
    assert any(text.startswith("grad = ∂p/∂node") for text in legend)  # p is the only output


def test_figure_is_titled_and_captioned_with_its_axes_switched_off():
    ax = draw_graph(NODES, EDGES, forward={"p": 6}, ax=new_axes(), title="A product")
    assert ax.get_title() == "A product"
    assert not ax.axison  # positions carry no meaning: no ticks, frame or axis labels
    (caption,) = [text for text in ax.texts if text.get_gid() == "caption"]
    assert "arrow" in caption.get_text()
    # Every node (with room for its texts) lies inside the axis limits.
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    for x, y, *_ in NODES.values():
        assert x0 < x < x1 and y0 < y < y1


def test_without_ax_it_draws_on_a_new_pyplot_figure():
    before = len(plt.get_fignums())
    ax = draw_graph({"a": (0, 0)}, [])
    assert len(plt.get_fignums()) == before + 1
    assert ax.get_title() == "Compute graph"


def test_numpy_positions_and_numbers_are_accepted():
    nodes = {"a": np.array([0.0, 0.0]), "b": (np.float32(1.0), np.int64(0))}
    ax = draw_graph(nodes, [("a", "b")], forward={"a": np.float64(2.5)}, ax=new_axes())
    assert texts(ax, "value")["a"].get_text() == "value = 2.5"


# ---------------------------------------------------------------------------------------------
# draw_graph: bad input
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"nodes": [("x", (0, 0))]}, TypeError, "nodes must be a dict"),
        ({"nodes": {}}, ValueError, "nodes is empty"),
        ({"nodes": {"x": (0, 1, 2, 3)}, "edges": []}, TypeError, "node .x. must map to a pos"),
        ({"nodes": {"x": "0, 1"}, "edges": []}, TypeError, r"node 'x' must map to a position"),
        ({"nodes": {"x": (0, "up")}, "edges": []}, TypeError, "the y position of node 'x'"),
        ({"nodes": {"x": (np.inf, 0)}, "edges": []}, ValueError, "the x position of node 'x'"),
        ({"nodes": {"x": (0, 0, 5)}, "edges": []}, TypeError, "the label of node 'x'"),
        ({"nodes": {1: (0, 0)}, "edges": []}, TypeError, "node names must be non-empty strings"),
        (
            {"nodes": {"x": (0, 0), "y": (0.0, 0.0)}, "edges": []},
            ValueError,
            "nodes 'x' and 'y' are both at",
        ),
        ({"edges": "xp"}, TypeError, "edges must be a list of"),
        ({"edges": [("x", "p", "w")]}, TypeError, "each edge must be a pair"),
        ({"edges": [("x", "q")]}, ValueError, r"unknown node 'q'; add it to nodes or use one of"),
        ({"edges": [("x", "x")]}, ValueError, "joins a node to itself"),
        ({"edges": [("x", "p"), ("x", "p")]}, ValueError, "is listed twice"),
        (
            {"edges": [("x", "p"), ("p", "w"), ("w", "x")]},
            ValueError,
            "no cycles.*'x', 'w', 'p'",
        ),
        ({"forward": [1, 2]}, TypeError, "forward must be a dict mapping node names"),
        ({"forward": {"q": 1.0}}, ValueError, "forward has a number for unknown node 'q'"),
        ({"backward": {"x": "big"}}, TypeError, r"backward\['x'\] must be a real number"),
        ({"backward": {"x": np.nan}}, ValueError, r"backward\['x'\] must be finite"),
        ({"title": 3}, TypeError, "title must be a string"),
        ({"title": "  "}, ValueError, "title must not be empty"),
        ({"ax": "left"}, TypeError, "ax must be a matplotlib Axes"),
    ],
)
def test_draw_graph_rejects_bad_input(kwargs, error, message):
    arguments = {"nodes": NODES, "edges": EDGES, **kwargs}
    if "ax" not in kwargs:
        arguments["ax"] = new_axes()
    with pytest.raises(error, match=message):
        draw_graph(**arguments)


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def test_public_api():
    assert sorted(graphs.__all__) == ["GraphSpec", "draw_graph", "example_graph"]
    assert all(hasattr(graphs, name) for name in graphs.__all__)
