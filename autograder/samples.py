"""The sample submissions every assignment ships under ``autograder/submitted/``.

Four students, built from the release, the solution and the assignment's catalogue:

- ``sample-full-marks``: the solution's answers;
- ``sample-other-correct-ways``: the first catalogued correct alternative of every graded
  function (the same submission as CI's first round of correct alternatives);
- ``sample-two-mistakes``: the solution, except for the first catalogued wrong variant of
  each of the last two graded functions in the notebook. The notebook runs top to bottom and
  no graded test comes after these two functions' tests, so the submission loses exactly
  those two functions' points, whatever the other tests depend on;
- ``sample-untouched``: the release as it is (zero points).

``python -m autograder samples`` (``make samples``) rebuilds them; CI checks that the
committed ones match a fresh build and earn their documented scores.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
from nbgrader import utils

from autograder import catalogue, notebooks

FULL_MARKS = "sample-full-marks"
OTHER_CORRECT_WAYS = "sample-other-correct-ways"
TWO_MISTAKES = "sample-two-mistakes"
UNTOUCHED = "sample-untouched"
STUDENTS = (FULL_MARKS, OTHER_CORRECT_WAYS, TWO_MISTAKES, UNTOUCHED)


def graded_functions(source: Path) -> list[str]:
    """The answer cells of a source notebook that a graded test ``test_<name>`` checks.

    In the order of their test cells in the notebook.
    """
    cells = nbformat.read(source, as_version=4).cells
    answers = {notebooks.grade_id(c) for c in cells if notebooks.is_answer_cell(c)}
    tested = [notebooks.grade_id(c).removeprefix("test_") for c in cells if utils.is_grade(c)]
    return [name for name in tested if name in answers]


def _first(variants: list[catalogue.Variant], function: str, correct: bool):
    return next((v for v in variants if v.function == function and v.correct == correct), None)


def sample_answers(assignment: str, source: Path) -> dict[str, dict[str, str]]:
    """The answers each sample student submits: ``{student: {grade_id: code}}``.

    ``sample-untouched`` is not listed: it is the release itself.

    Raises
    ------
    ValueError
        If the notebook has fewer than two graded functions, or the catalogue lacks a wrong
        variant of the last two or a correct alternative of any of them.
    """
    functions = graded_functions(source)
    if len(functions) < 2:
        raise ValueError(
            f"{assignment}: {source.name} has {len(functions)} graded functions; "
            "sample-two-mistakes needs two"
        )
    variants = catalogue.load(assignment)
    missing = [f for f in functions if _first(variants, f, correct=True) is None]
    if missing:
        raise ValueError(
            f"{assignment}: the catalogue has no correct alternative of {missing}, which "
            f"sample-other-correct-ways needs: add one to autograder/catalogue/{assignment}.py"
        )
    last_two = functions[-2:]
    missing = [f for f in last_two if _first(variants, f, correct=False) is None]
    if missing:
        raise ValueError(
            f"{assignment}: the catalogue has no wrong variant of {missing}, the last graded "
            f"functions, which sample-two-mistakes needs: add one to "
            f"autograder/catalogue/{assignment}.py"
        )
    solution = notebooks.solution_answers(source)
    return {
        FULL_MARKS: solution,
        OTHER_CORRECT_WAYS: solution
        | {f: _first(variants, f, correct=True).code for f in functions},
        TWO_MISTAKES: solution | {f: _first(variants, f, correct=False).code for f in last_two},
    }


def write_samples(assignment: str, source: Path, release: Path, submitted: Path) -> list[Path]:
    """Write the four sample submissions of an assignment.

    Parameters
    ----------
    assignment : str
        The assignment's name (its catalogue module's).
    source : Path
        The source notebook, with solutions (``solutions/<assignment>/<notebook>``).
    release : Path
        The student version of that notebook.
    submitted : Path
        The submissions folder: each sample replaces ``<student>/<assignment>/``.

    Returns
    -------
    list of Path
        The notebooks written.
    """
    answers = sample_answers(assignment, source)
    for student in STUDENTS:  # a rebuild leaves nothing of the previous one behind
        shutil.rmtree(submitted / student / assignment, ignore_errors=True)
    written = [
        notebooks.fill_in(release, filled, submitted / student / assignment / release.name)
        for student, filled in answers.items()
    ]
    untouched = submitted / UNTOUCHED / assignment / release.name
    untouched.parent.mkdir(parents=True, exist_ok=True)
    written.append(Path(shutil.copy(release, untouched)))
    return written
