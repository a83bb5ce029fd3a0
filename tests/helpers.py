"""Helpers shared by the tests: widgets, training, feedback pages, torch cross-checks."""

import html
import importlib
import os
import re
from pathlib import Path

import nbformat
import pytest


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


TORCH_INSTALL = "pip install -e '.[torch-check]' (a CPU build of torch)"


def in_ci() -> bool:
    """Whether the environment variable CI is set to something true."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def torch_or_skip():
    """torch; without it, None in CI (see :func:`require_torch`) and a module skip elsewhere.

    torch is not a course dependency: `make test` installs it (the ``torch-check`` extra).
    """
    try:
        return importlib.import_module("torch")
    except ImportError:
        if not in_ci():
            pytest.skip(
                f"torch is not installed: `make test` installs it (or {TORCH_INSTALL})",
                allow_module_level=True,
            )
        return None


def require_torch(torch, what: str) -> None:
    """In CI a missing torch fails the test (so a broken install cannot pass unnoticed)."""
    if torch is None:
        pytest.fail(
            f"torch is not installed but CI is set: {what} must run in CI. `make test` "
            f"installs it; by hand: {TORCH_INSTALL}",
            pytrace=False,
        )
