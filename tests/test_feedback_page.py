"""The feedback page exporter: nbconvert's pages, with the second parse only where it counts."""

from __future__ import annotations

import base64
import copy

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert.exporters import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from autograder.feedback import (
    FIGURE_ALT,
    FeedbackExporter,
    _needs_accessibility_pass,
    describe_figures,
)

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4).decode()
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4"/></svg>'


def _image(mime: str, data: str, **metadata) -> nbformat.NotebookNode:
    return new_output("display_data", data={mime: data}, metadata=metadata)


def _html(markup: str) -> nbformat.NotebookNode:
    return new_output("display_data", data={"text/html": markup})


def _notebook(*outputs) -> nbformat.NotebookNode:
    cells = [new_markdown_cell("# Week 1\nThe cost $J(\\theta)$ falls."), new_code_cell("x = 1")]
    for output in outputs:
        cell = new_code_cell("plot()")
        cell.outputs = [output]
        cells.append(cell)
    return new_notebook(cells=cells, metadata={"language_info": {"name": "python"}})


def _structure(page: str) -> tuple[list, list[str]]:
    """Every tag with its attributes, and the words of the text (whitespace is not compared)."""
    soup = BeautifulSoup(page, "html.parser")
    tags = [(t.name, sorted((k, str(v)) for k, v in t.attrs.items())) for t in soup.find_all(True)]
    return tags, soup.get_text().split()


def _both(nb: nbformat.NotebookNode, template: str) -> tuple[str, str]:
    """(our page, nbconvert's page for the same notebook once its figures are described)."""
    ours, _ = FeedbackExporter(template_name=template).from_notebook_node(copy.deepcopy(nb))
    described = copy.deepcopy(nb)
    describe_figures(described)
    theirs, _ = HTMLExporter(template_name=template).from_notebook_node(described)
    return ours, theirs


def _alts(page: str) -> list[str | None]:
    return [img.get("alt") for img in BeautifulSoup(page, "html.parser").find_all("img")]


def test_figures_get_a_text_alternative_and_keep_their_own():
    nb = _notebook(
        _image("image/png", PNG),
        _image("image/png", PNG, alt="the cost falls with every step"),
        _image("image/jpeg", PNG, **{"image/jpeg": {"alt": "a jpeg described"}}),
    )
    described = copy.deepcopy(nb)
    assert describe_figures(described) == 1
    ours, theirs = _both(nb, "classic")
    assert _alts(ours) == [FIGURE_ALT, "the cost falls with every step", "a jpeg described"]
    assert _structure(ours) == _structure(theirs)


def test_a_page_whose_figures_all_have_text_is_not_parsed_again(monkeypatch):
    parsed = []
    real = BeautifulSoup.__init__

    def counting(self, markup="", *args, **kwargs):
        parsed.append(len(markup))
        real(self, markup, *args, **kwargs)

    monkeypatch.setattr(BeautifulSoup, "__init__", counting)
    FeedbackExporter(template_name="classic").from_notebook_node(
        _notebook(_image("image/png", PNG))
    )
    assert parsed == []
    # nbconvert's own exporter parses every page it writes.
    HTMLExporter(template_name="classic").from_notebook_node(_notebook(_image("image/png", PNG)))
    assert len(parsed) == 1


@pytest.mark.parametrize(
    "outputs",
    [
        [_image("image/svg+xml", SVG)],  # the templates give an SVG no alt
        [_html('<p>see <img src="cat.png"> here</p>')],
        [_html("<IMG SRC='cat.png' title=\"a>b\" ALT=x>")],
        [_html('<img src="cat.png" title="alt=no">')],
    ],
    ids=["svg", "html-img", "odd-markup", "alt-in-a-value"],
)
def test_pages_the_pass_changes_come_out_as_nbconvert_writes_them(outputs):
    ours, theirs = _both(_notebook(*outputs), "classic")
    assert _structure(ours) == _structure(theirs)
    assert None not in _alts(ours)


def test_lab_template_cells_still_get_keyboard_focus():
    ours, theirs = _both(_notebook(_image("image/png", PNG)), "lab")
    assert 'tabindex="0"' in ours
    assert _structure(ours) == _structure(theirs)


@pytest.mark.parametrize(
    ("page", "needed"),
    [
        ("<p>no images</p>", False),
        ('<img src="data:image/png;base64,QUxUYWx0" alt="a plot">', False),
        ('<img src="a.png" width="3"\nalt="">', False),
        ('<img src="data:image/png;base64,YWx0PQ">', True),
        ("<img src='a.png' alt='x'>", True),  # not the templates' quoting: parse to be sure
        ('<img src="a.png" data-alt="x">', True),
        ('<img src="a.png" title="x alt=">', True),
        ('<div class="jp-Notebook">', True),
    ],
)
def test_which_pages_need_the_pass(page, needed):
    assert _needs_accessibility_pass(page) is needed
