"""Finding and reading the notebooks of one submission, whatever state they arrive in."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from autograder.grading.flags import Flag


def find_notebooks(
    submission: Path, expected: list[str]
) -> tuple[dict[str, Path | None], list[Flag]]:
    """Match a submission's ``.ipynb`` files to the assignment's notebooks.

    A notebook saved under another name (``linear_regression (1).ipynb``) is accepted when it
    is the only unexpected notebook and exactly one expected notebook is missing.

    Parameters
    ----------
    submission : Path
        The folder ``submitted/<student>/<assignment>``.
    expected : list of str
        The assignment's notebook names without ``.ipynb``.

    Returns
    -------
    found : dict
        ``{notebook name: path or None when missing}``.
    flags : list of Flag
        A ``renamed`` or ``missing`` flag per notebook that was not where it should be.
    """
    if not isinstance(submission, Path):
        raise TypeError(f"submission must be a Path, not {type(submission).__name__}")
    if not expected:
        raise ValueError("the assignment has no notebooks")
    present = sorted(
        p for p in submission.glob("*.ipynb") if p.is_file() and not p.name.startswith(".")
    )
    found: dict[str, Path | None] = {}
    for name in expected:
        path = submission / f"{name}.ipynb"
        found[name] = path if path in present else None
    missing = [name for name, path in found.items() if path is None]
    extra = [p for p in present if p.stem not in expected]
    flags = []
    if len(missing) == 1 and len(extra) == 1:
        found[missing[0]] = extra[0]
        flags.append(
            Flag(
                "renamed",
                f"graded {extra[0].name!r} as {missing[0]}.ipynb (saved under another name)",
            )
        )
        missing = []
    for name in missing:
        others = f"; found {', '.join(repr(p.name) for p in extra)}" if extra else ""
        flags.append(Flag("missing", f"no {name}.ipynb in the submission{others}: scored zero"))
    return found, flags


def read_notebook(path: Path) -> tuple[NotebookNode | None, Flag | None]:
    """Read a submitted notebook, or explain why it cannot be graded.

    Returns
    -------
    notebook : NotebookNode or None
        The notebook (nbformat 4), or None when it is not a readable notebook.
    flag : Flag or None
        An ``unreadable`` flag with the reason (invalid JSON, truncated file, not a notebook).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, Flag("unreadable", f"{path.name} is not UTF-8 text: scored zero")
    if not text.strip():
        return None, Flag("unreadable", f"{path.name} is empty: scored zero")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        where = "truncated" if err.pos >= len(text.rstrip()) - 1 else "invalid JSON"
        return None, Flag(
            "unreadable", f"{path.name} is {where} (line {err.lineno}: {err.msg}): scored zero"
        )
    if not isinstance(data, dict) or "cells" not in data:
        return None, Flag("unreadable", f"{path.name} is JSON but not a notebook: scored zero")
    try:
        notebook = nbformat.reads(text, as_version=4)
    except Exception as err:  # nbformat raises several types for malformed notebooks
        return None, Flag("unreadable", f"{path.name} is not a valid notebook ({err}): scored zero")
    return notebook, None
