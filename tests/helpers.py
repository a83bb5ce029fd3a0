"""Helpers shared by the widget tests."""

import re


def status_text(explorer):
    """The status line without its HTML tags, runs of spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", explorer.status.value))


def descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from descendants(child)
