"""Misbehaving week-1 submissions: what the class grader must survive, grade and flag.

Each :class:`Misbehaviour` writes one submission folder from the week-1 release and the
solution's answers: broken files, tampered test cells, runaway code, crashing kernels,
attempts to read or damage the course, and tricks that would make assertions pass. The tests
grade them all in one class and check each ends with its honest score and its flag; the
benchmark mixes some of them into its class.
"""

from __future__ import annotations

import copy
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder import catalogue

ASSIGNMENT = "week01_linear_regression"
NOTEBOOK = "linear_regression.ipynb"
POINTS = {
    "test_linear_predict": 1,
    "test_linear_cost": 2,
    "test_linear_gradients": 3,
    "test_gradient_descent": 3,
    "test_standardize": 2,
    "test_normal_equation": 2,
}
MAX_SCORE = sum(POINTS.values())


@dataclass(frozen=True)
class Misbehaviour:
    """One way a submission can go wrong.

    Attributes
    ----------
    name : str
        The student id it is submitted as.
    why : str
        What the submission does.
    flag : str
        The flag code the grader must raise.
    lost : tuple of str
        The test cells that must score zero (all others earn their points).
    review : bool
        Whether the grader must mark it for review.
    write : callable
        ``write(release, answers, folder, course_root)`` writes the submission.
    lost_if_kernel_dies : tuple of str
        Test cells after the misbehaviour that score zero if, and only if, the kernel did not
        survive it (the grader then raises ``kernel-died`` too). Whether a kernel survives
        hitting its memory limit depends on which of its threads ran out first.
    """

    name: str
    why: str
    flag: str
    lost: tuple[str, ...]
    review: bool
    write: Callable[[Path, dict[str, str], Path, Path], None]
    lost_if_kernel_dies: tuple[str, ...] = ()

    @property
    def score(self) -> float:
        """The honest score the grader must give (when the kernel survives)."""
        return MAX_SCORE - sum(POINTS[t] for t in self.lost)


def _wrong(function: str) -> str:
    """The code of the first catalogued wrong implementation of ``function``."""
    return next(
        v.code for v in catalogue.load(ASSIGNMENT) if v.function == function and not v.correct
    )


def _notebook(release: Path, answers: dict[str, str]) -> nbformat.NotebookNode:
    nb = nbformat.read(release, as_version=4)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and gid in answers:
            cell.source = answers[gid]
    return nb


def _save(nb, folder: Path, name: str = NOTEBOOK) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / name)


def _with(extra: dict[str, str], *, after: bool = True):
    """Answers with code appended to (or replacing) some answer cells."""

    def write(release: Path, answers: dict[str, str], folder: Path, root: Path) -> None:
        filled = dict(answers)
        for gid, code in extra.items():
            code = textwrap.dedent(code).format(root=str(root), assignment=ASSIGNMENT)
            filled[gid] = (answers[gid].rstrip() + "\n\n" + code) if after else code
        _save(_notebook(release, filled), folder)

    return write


def _invalid_json(release, answers, folder, root) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / NOTEBOOK).write_text('{"cells": [ this is not JSON')


def _truncated(release, answers, folder, root) -> None:
    text = nbformat.writes(_notebook(release, answers))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / NOTEBOOK).write_text(text[: len(text) // 2])


def _renamed(release, answers, folder, root) -> None:
    _save(_notebook(release, answers), folder, "linear_regression (1).ipynb")


def _missing(release, answers, folder, root) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "answers.py").write_text("# I forgot to upload the notebook\n")


def _edit_cells(change: Callable[[list], list], answers_override: dict[str, str] | None = None):
    def write(release, answers, folder, root) -> None:
        nb = _notebook(release, answers | (answers_override or {}))
        nb.cells = change(copy.deepcopy(nb.cells))
        _save(nb, folder)

    return write


def _wrong_standardize_then(code: str):
    """The catalogue's first wrong ``standardize``, then ``code`` in the same answer cell."""
    return _edit_cells(
        lambda cells: cells, {"standardize": _wrong("standardize") + textwrap.dedent(code)}
    )


def _gid(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def _delete_tests(cells):
    return [c for c in cells if _gid(c) not in ("test_linear_cost", "test_standardize")]


def _edit_test(cells):
    for cell in cells:
        if _gid(cell) == "test_standardize":
            cell.source = "pass  # the test was in my way"
    return cells


def _reorder_tests(cells):
    moved = next(c for c in cells if _gid(c) == "test_normal_equation")
    rest = [c for c in cells if c is not moved]
    return [rest[0], moved, *rest[1:]]


_TRY = "try:\n    {}\nexcept Exception as err:\n    print('blocked:', err)\n"


def _tries(*statements: str) -> str:
    return "\n".join(_TRY.format(s) for s in statements)


MISBEHAVIOURS = [
    Misbehaviour(
        "bad-invalid-json", "not JSON at all", "unreadable", tuple(POINTS), False, _invalid_json
    ),
    Misbehaviour(
        "bad-truncated",
        "the file was cut off half-way",
        "unreadable",
        tuple(POINTS),
        False,
        _truncated,
    ),
    Misbehaviour(
        "bad-renamed", "saved as 'linear_regression (1).ipynb'", "renamed", (), False, _renamed
    ),
    Misbehaviour(
        "bad-missing", "no notebook in the upload", "missing", tuple(POINTS), False, _missing
    ),
    Misbehaviour(
        "bad-deleted-tests",
        "deleted two test cells",
        "test-cells",
        (),
        False,
        _edit_cells(_delete_tests),
    ),
    Misbehaviour(
        "bad-edited-test",
        "wrong standardize, its test replaced by pass",
        "test-cells",
        ("test_standardize",),
        False,
        _edit_cells(_edit_test, {"standardize": _wrong("standardize")}),
    ),
    Misbehaviour(
        "bad-reordered-tests",
        "moved a test cell to the top",
        "test-cells",
        (),
        False,
        _edit_cells(_reorder_tests),
    ),
    Misbehaviour(
        "bad-infinite-loop",
        "normal_equation never returns",
        "timeout",
        ("test_normal_equation",),
        False,
        _with(
            {"normal_equation": "def normal_equation(X, y):\n    while True:\n        pass\n"},
            after=False,
        ),
    ),
    Misbehaviour(
        "bad-ignores-interrupt",
        "an endless loop that swallows KeyboardInterrupt",
        "timeout",
        ("test_normal_equation",),
        False,
        _with(
            {
                "normal_equation": """
                     while True:
                         try:
                             while True:
                                 pass
                         except KeyboardInterrupt:
                             pass
                     """
            }
        ),
    ),
    Misbehaviour(
        "bad-os-exit",
        "os._exit(1) after standardize",
        "kernel-died",
        ("test_standardize", "test_normal_equation"),
        False,
        _with({"standardize": "import os\nos._exit(1)\n"}),
    ),
    Misbehaviour(
        "bad-sys-exit",
        "sys.exit() after standardize",
        "exit",
        (),
        False,
        _with({"standardize": "import sys\nsys.exit('bye')\n"}),
    ),
    Misbehaviour(
        "bad-segfault",
        "a segfault through ctypes",
        "kernel-died",
        ("test_standardize", "test_normal_equation"),
        True,
        _with({"standardize": "import ctypes\nctypes.string_at(0)\n"}),
    ),
    Misbehaviour(
        "bad-memory-bomb",
        "standardize allocates until memory runs out",
        "memory",
        ("test_standardize",),
        False,
        _with(
            {
                "standardize": """
                     def standardize(X):
                         hog = []
                         while True:
                             hog.append(bytearray(2**26))
                     """
            },
            after=False,
        ),
        # A kernel driven to its address-space limit may not recover (its own threads could
        # not allocate) and die in the next cell.
        lost_if_kernel_dies=("test_normal_equation",),
    ),
    Misbehaviour(
        "bad-huge-output",
        "prints 100 MB",
        "output",
        (),
        False,
        _with({"linear_predict": "for _ in range(1000):\n    print('x' * 100_000)\n"}),
    ),
    Misbehaviour(
        "bad-reads-solutions",
        "reads solutions/, the gradebook and other students",
        "sandbox",
        (),
        True,
        _with(
            {
                "linear_predict": _tries(
                    "print(open('{root}/solutions/{assignment}/linear_regression.ipynb').read())",
                    "print(open('{root}/autograder/gradebook.db', 'rb').read(100))",
                    "print(__import__('os').listdir('{root}/autograder/submitted'))",
                )
            }
        ),
    ),
    Misbehaviour(
        "bad-writes-outside",
        "overwrites and deletes course files",
        "sandbox",
        (),
        True,
        _with(
            {
                "linear_predict": _tries(
                    "open('{root}/autograder/submitted/good-student/{assignment}/"
                    "linear_regression.ipynb', 'w').write('{{}}')",
                    "__import__('os').remove('{root}/nbgrader_config.py')",
                    "__import__('shutil').rmtree('{root}/autograder/submitted')",
                    "__import__('os').system('rm -rf {root}/solutions')",
                )
            }
        ),
    ),
    Misbehaviour(
        "bad-monkeypatch",
        "wrong standardize; silences numpy and dlcourse.testing",
        "tampering",
        ("test_standardize",),
        True,
        _wrong_standardize_then("""
            import numpy
            import dlcourse.testing
            quiet = lambda *args, **kwargs: None
            dlcourse.testing.assert_close = quiet
            numpy.testing.assert_allclose = quiet
            numpy.allclose = lambda *args, **kwargs: True
            assert_close = quiet
            """),
    ),
    Misbehaviour(
        "bad-patches-code",
        "wrong standardize; swaps assert_close's __code__",
        "tampering",
        ("test_standardize",),
        True,
        _wrong_standardize_then("\nassert_close.__code__ = (lambda *a, **k: None).__code__\n"),
    ),
    Misbehaviour(
        "bad-input-transformer",
        "wrong standardize; a transformer blanks asserts",
        "tampering",
        ("test_standardize",),
        True,
        _wrong_standardize_then(
            "\nget_ipython().input_transformers_cleanup.append(\n"
            "    lambda lines: ['pass\\n'] if any('assert_close' in l for l in lines)"
            " else lines)\n"
        ),
    ),
]


def write_all(release: Path, answers: dict[str, str], submitted: Path, root: Path) -> list[str]:
    """Write every misbehaving submission under ``submitted/<name>/week01_linear_regression``."""
    for bad in MISBEHAVIOURS:
        bad.write(release, answers, submitted / bad.name / ASSIGNMENT, root)
    return [bad.name for bad in MISBEHAVIOURS]
