"""Reading answer cells and building filled-in submissions from the release."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbformat import NotebookNode

_SOLUTION_MARKERS = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.MULTILINE)


def grade_id(cell: NotebookNode | dict) -> str | None:
    """The nbgrader ``grade_id`` of a cell, or None for a plain cell.

    Works on a cell read by nbformat and on a plain ``dict`` (a cell parsed as JSON).
    """
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def is_answer_cell(cell: NotebookNode | dict) -> bool:
    """True for a cell students write in (nbgrader ``solution`` cells)."""
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution"))


def solution_answers(source: Path) -> dict[str, str]:
    """The instructor's answer for every answer cell of a source notebook, markers removed.

    Returns
    -------
    dict
        ``{grade_id: source code}``.
    """
    nb = nbformat.read(source, as_version=4)
    return {grade_id(c): _SOLUTION_MARKERS.sub("", c.source) for c in nb.cells if is_answer_cell(c)}


def filled_in(release: Path, answers: dict[str, str]) -> NotebookNode:
    """A release notebook with the given answer cells filled in.

    Parameters
    ----------
    release : Path
        The student version of a notebook.
    answers : dict
        ``{grade_id: code}`` for the answer cells to fill; others keep the release's stub.

    Raises
    ------
    KeyError
        If the release has no answer cell for one of ``answers``.
    """
    nb = nbformat.read(release, as_version=4)
    unknown = set(answers) - {grade_id(c) for c in nb.cells if is_answer_cell(c)}
    if unknown:
        raise KeyError(f"{release.name} has no answer cells named {sorted(unknown)}")
    for cell in nb.cells:
        if is_answer_cell(cell) and grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return nb


def fill_in(release: Path, answers: dict[str, str], destination: Path) -> Path:
    """Write :func:`filled_in` ``(release, answers)`` to ``destination`` (folders are created)."""
    nb = filled_in(release, answers)
    destination.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, destination)
    return destination


def define_answers(source: Path, names: list[str] | tuple[str, ...]) -> dict:
    """Run the named answer cells of a source notebook and return the namespace they define.

    The cells run in order in one namespace that starts with ``np`` (NumPy) and ``math``, as
    the assignments' setup cells provide; benchmarks and reference checks use this to call an
    assignment's solution functions outside a notebook.

    Raises
    ------
    KeyError
        If the notebook has no answer cell for one of ``names``.
    """
    import math

    import numpy as np

    answers = solution_answers(source)
    missing = [name for name in names if name not in answers]
    if missing:
        raise KeyError(f"{Path(source).name} has no answer cells named {missing}")
    namespace: dict = {"np": np, "math": math}
    for name in names:
        exec(answers[name], namespace)
    return namespace
