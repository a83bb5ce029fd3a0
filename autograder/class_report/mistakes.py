"""What each failed test told the student: its hint, or the first line of its error.

The exercise tests (``dlcourse.testing``) end a failure message with ``Hint: ...`` when the
result matches a catalogued mistake. The report groups the class's failures by that hint; a
failure without one is grouped by the first line of its error message instead. Only the error
*message* of a graded test cell is read, never its traceback (which quotes source), and any
line the hidden tests alone contain is dropped first, so nothing of them reaches a report.
"""

from __future__ import annotations

from dataclasses import dataclass

from nbformat import NotebookNode
from nbgrader import utils

from autograder.grading import hidden
from autograder.notebooks import grade_id

HINT_PREFIX = "Hint:"
NOT_RUN = "the test cell has no error output (it did not run: see the flags)"


@dataclass(frozen=True)
class Failure:
    """Why one graded test failed for one student.

    Attributes
    ----------
    hint : str or None
        The hint the student was shown (without ``Hint:``), or None when there was none.
    message : str
        The first line of the error (``AssertionError: ...`` without the type for our own
        assertion messages), shown for failures without a hint.
    """

    hint: str | None
    message: str


def _first_line(ename: str, evalue: str) -> str:
    for line in evalue.splitlines():
        if line.strip():
            line = line.strip()
            return line if ename == "AssertionError" else f"{ename}: {line}"
    return ename or "an error without a message"


def hint_lines(message: str) -> list[str]:
    """The hints in an error message: each line that starts with ``Hint:``, without it."""
    return [
        line.strip()[len(HINT_PREFIX) :].strip()
        for line in message.splitlines()
        if line.strip().startswith(HINT_PREFIX)
    ]


def failure_of(outputs: list, hidden_lines: set[str]) -> Failure:
    """The :class:`Failure` shown by a graded test cell's ``outputs``."""
    errors = [o for o in outputs if o.get("output_type") == "error"]
    if not errors:
        return Failure(None, NOT_RUN)
    ename, evalue = errors[0].get("ename", ""), errors[0].get("evalue", "")
    if hidden_lines:
        evalue = hidden.drop_hidden_lines(evalue, hidden_lines)
    return Failure(" ".join(hint_lines(evalue)) or None, _first_line(ename, evalue))


def failures(nb: NotebookNode, failed: set[str]) -> dict[str, Failure]:
    """The failure of each graded test cell of a graded notebook whose id is in ``failed``."""
    hidden_lines = hidden.hidden_only_lines(nb)
    found = {}
    for cell in nb.cells:
        name = grade_id(cell)
        if cell.cell_type == "code" and utils.is_grade(cell) and name in failed:
            found[name] = failure_of(cell.get("outputs", []), hidden_lines)
    return found
