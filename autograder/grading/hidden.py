"""The last line of defence for hidden tests: no output may quote their source.

The sandboxed kernel keeps a graded test cell's source away from student code while it runs
(:func:`autograder.grading.kernel._hide_cell_source`). Whatever route a submission still
finds, this module removes, from every output of every cell, each line that appears only in
the hidden tests, before the graded notebook is saved and again when feedback is written.

A line is compared whitespace-normalized, with terminal colours and HTML tags taken out; an
output line that contains a long hidden-only line (a ``repr`` of the whole cell, say) goes too.
Lines the release also shows (visible tests, the setup cell, the text) are kept, and so are
very short lines (``)``, ``else:``), which give nothing away.
"""

from __future__ import annotations

import html
import re

from nbformat import NotebookNode
from nbgrader import utils

from autograder.grading import prepare
from autograder.notebooks import grade_id

BEGIN, END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
REMOVED = "[hidden test source removed]"
MIN_CHARS = 10  # shorter hidden lines are not worth hiding
MIN_CONTAINED = 20  # hidden lines this long are also found inside longer output lines
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_TAG = re.compile(r"<[^>]+>")
_TEXT_TYPES = ("text/plain", "text/html", "text/markdown", "text/latex")


def normalize(line: str) -> str:
    """A line without colours, tags and runs of whitespace."""
    line = html.unescape(_TAG.sub("", _ANSI.sub("", line)))
    return " ".join(line.split())


def hidden_only_lines(nb: NotebookNode, begin: str = BEGIN, end: str = END) -> set[str]:
    """The normalized lines of ``nb``'s hidden tests that nothing the release shows contains.

    Parameters
    ----------
    nb : NotebookNode
        A notebook whose instructor cells hold their hidden tests (a source notebook, or a
        graded one, where nbgrader restored them).
    begin, end : str
        The delimiters of a hidden region (nbgrader's ``ClearHiddenTests`` defaults).
    """
    hidden, shown = set(), set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            shown.update(normalize(line) for line in cell.source.splitlines())
            continue
        if not prepare.is_instructor_cell(cell):
            continue
        inside = False
        for line in cell.source.splitlines():
            if begin in line or end in line:
                inside = begin in line
                continue
            (hidden if inside and utils.is_grade(cell) else shown).add(normalize(line))
    return {line for line in hidden - shown if len(line.replace(" ", "")) >= MIN_CHARS}


def _long(hidden: set[str]) -> list[str]:
    """The hidden lines long enough to be looked for inside longer output lines too."""
    return [h for h in hidden if len(h) >= MIN_CONTAINED]


def _leaks(line: str, hidden: set[str], long_hidden: list[str]) -> bool:
    text = normalize(line)
    return text in hidden or any(h in text for h in long_hidden)


def drop_hidden_lines(text: str, hidden: set[str]) -> str:
    """``text`` without the lines that quote a hidden-only line (the rule of
    :func:`remove_hidden_lines`, which marks them instead)."""
    long_hidden = _long(hidden)
    return "\n".join(ln for ln in text.splitlines() if not _leaks(ln, hidden, long_hidden))


def _scrub(text: str, hidden: set[str], long_hidden: list[str]) -> tuple[str, bool]:
    """``text`` with leaking lines replaced by one marker per run; whether any was."""
    lines, out, removed = text.splitlines(keepends=True), [], False
    for line in lines:
        if _leaks(line, hidden, long_hidden):
            if not out or out[-1] != REMOVED + "\n":
                out.append(REMOVED + "\n")
            removed = True
        else:
            out.append(line)
    if removed and text and not text.endswith("\n") and out[-1] == REMOVED + "\n":
        out[-1] = REMOVED
    return "".join(out), removed


def remove_hidden_lines(nb: NotebookNode, hidden: set[str]) -> list[str]:
    """Remove every output line of ``nb`` that quotes a hidden-only line, in place.

    Returns
    -------
    list of str
        The cells (grade ids, or ``cell N``) whose outputs had such lines.
    """
    if not hidden:
        return []
    long_hidden = _long(hidden)
    changed = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        found = False
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "stream":
                output["text"], hit = _scrub(_joined(output.get("text", "")), hidden, long_hidden)
                found |= hit
            elif kind == "error":
                output["evalue"], hit = _scrub(output.get("evalue", ""), hidden, long_hidden)
                found |= hit
                frames = []
                for frame in output.get("traceback", []):
                    frame, hit = _scrub(frame, hidden, long_hidden)
                    found |= hit
                    frames.append(frame)
                output["traceback"] = frames
            elif kind in ("display_data", "execute_result"):
                data = output.get("data", {})
                for mime in _TEXT_TYPES:
                    if mime in data:
                        data[mime], hit = _scrub(_joined(data[mime]), hidden, long_hidden)
                        found |= hit
        if found:
            changed.append(grade_id(cell) or f"cell {index}")
    return changed


def _joined(text) -> str:
    return "".join(text) if isinstance(text, list) else str(text)
