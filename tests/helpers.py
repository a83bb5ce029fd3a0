"""Helpers shared by the widget and training tests."""

import re


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
