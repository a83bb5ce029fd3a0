"""Helpers shared by the tests: widgets, training, feedback pages."""

import html
import re
from pathlib import Path

import nbformat


def status_text(explorer):
    """The status line without its HTML tags, runs of spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", explorer.status.value))


def descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from descendants(child)


def plain_step(w, dw, state, lr=0.1):
    """Plain SGD in the shape of a week-4 update rule (for training-helper tests)."""
    return w - lr * dw


def shuffled_batches(X, y, batch_size, rng):
    """Week 4's ``minibatches`` contract: each example once per epoch, in a random order."""
    order = rng.permutation(len(y))
    for start in range(0, len(y), batch_size):
        rows = order[start : start + batch_size]
        yield X[rows], y[rows]


def hidden_lines(folder: Path) -> set[str]:
    """Source lines (over 25 characters) found only in the hidden tests of a folder's notebooks."""
    hidden, visible = set(), set()
    for nb in folder.glob("*.ipynb"):
        for cell in nbformat.read(nb, as_version=4).cells:
            inside = False
            for line in cell.source.splitlines():
                if "BEGIN HIDDEN TESTS" in line or "END HIDDEN TESTS" in line:
                    inside = "BEGIN" in line
                elif len(line.strip()) > 25:
                    (hidden if inside else visible).add(line.strip())
    return hidden - visible


def page_text(page: Path) -> str:
    """The visible text of an HTML page (syntax highlighting splits code into many tags)."""
    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
