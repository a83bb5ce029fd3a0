"""The class grader (`python -m autograder grade`) against misbehaving submissions.

One scratch course holds an honest full-marks submission beside every misbehaviour of
`autograder.misbehaving` (broken files, tampered tests, runaway code, crashing kernels,
attempts to read or damage the course, monkeypatching); it is graded once, in parallel, with
short limits. Each misbehaviour must end with its honest score and its flag, the honest
student must keep full marks, and nothing on disk may change but the grader's outputs.

A second, small class (on time, late under the penalty "zero", renamed, and two misbehaviours)
is graded twice, first through a Dask scheduler, then by local workers over the same gradebook:
one grading serves both checks. Through Dask each submission must get its honest score and
flag; the regrading must change no grade, and the late submission must lose its points.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from helpers import hidden_lines, page_text

from autograder import course, misbehaving, notebooks
from autograder.grading import grade_class
from autograder.grading.limits import Limits

REPO = course.REPO_ROOT
ASSIGNMENT = misbehaving.ASSIGNMENT
RELEASE = REPO / course.EXERCISES / ASSIGNMENT / misbehaving.NOTEBOOK
SOURCE = REPO / course.SOLUTIONS / ASSIGNMENT / misbehaving.NOTEBOOK
# Short limits keep CI fast: runaway cells stop after 5 s, a notebook after 20 s. (With 3 s,
# a memory bomb sharing two cores with `make test`'s other process sometimes had not reached
# its memory limit yet, and was flagged as a timeout.)
LIMITS = Limits(
    cell_timeout=5,
    submission_timeout=20,
    memory_bytes=1536 * 2**20,
    max_output_bytes=2**20,
)


def new_course(root: Path) -> Path:
    """A scratch course: config, sources, an empty autograder/ folder."""
    root.mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", root)
    shutil.copytree(REPO / course.SOLUTIONS / ASSIGNMENT, root / course.SOLUTIONS / ASSIGNMENT)
    (root / "autograder").mkdir()
    return root


def submit_solution(root: Path, student: str, name: str = misbehaving.NOTEBOOK) -> Path:
    dest = root / course.SUBMITTED / student / ASSIGNMENT / name
    return notebooks.fill_in(RELEASE, notebooks.solution_answers(SOURCE), dest)


def digest(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under a folder."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def csv_rows(path: Path) -> dict[str, dict[str, str]]:
    with open(path, newline="") as fh:
        return {row["student"]: row for row in csv.DictReader(fh)}


class BadClass:
    def __init__(self, root: Path, rows, before: dict, protected_before: dict, temp: Path):
        self.root = root
        self.temp = temp
        self.rows = {r.student: r for r in rows}
        self.before = before
        self.protected_before = protected_before


@pytest.fixture(scope="module")
def bad_class(tmp_path_factory) -> BadClass:
    root = new_course(tmp_path_factory.mktemp("badclass") / "course")
    submit_solution(root, "good-student")
    answers = notebooks.solution_answers(SOURCE)
    misbehaving.write_all(RELEASE, answers, root / course.SUBMITTED, root)
    before = digest(root / course.SUBMITTED)
    protected_before = digest(root / course.SOLUTIONS) | {
        "nbgrader_config.py": digest(root)["nbgrader_config.py"]
    }
    # The workers (new processes) put working copies under $TMPDIR: a folder of this test's
    # own, so another grading run on the machine cannot be mistaken for a leftover.
    temp = tmp_path_factory.mktemp("worker-tmp")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TMPDIR", str(temp))
        rows = grade_class(root, ASSIGNMENT, limits=LIMITS, workers=2, progress=False)
    return BadClass(root, rows, before, protected_before, temp)


def test_every_submission_is_graded(bad_class):
    expected = {"good-student"} | {b.name for b in misbehaving.MISBEHAVIOURS}
    assert set(bad_class.rows) == expected


def test_honest_student_keeps_full_marks_and_no_flags(bad_class):
    good = bad_class.rows["good-student"]
    assert good.total == good.max_total == misbehaving.MAX_SCORE
    assert good.flags == ""
    assert not good.needs_review


@pytest.mark.parametrize("bad", misbehaving.MISBEHAVIOURS, ids=lambda b: b.name)
def test_misbehaviour_gets_honest_score_and_flag(bad_class, bad):
    row = bad_class.rows[bad.name]
    lost = {q: row.questions.get(q) for q in bad.lost}
    died = "kernel-died: " in row.flags
    if died and bad.lost_if_kernel_dies:
        lost |= {q: row.questions.get(q) for q in bad.lost_if_kernel_dies}
    expected = misbehaving.MAX_SCORE - sum(misbehaving.POINTS[q] for q in lost)
    assert row.total == expected, f"{bad.why}: scored {row.total}, {row.questions}"
    assert all(score == 0 for score in lost.values()), lost
    if bad.flag is None:
        assert row.flags == "", f"{bad.why}: no flag expected, got {row.flags!r}"
    else:
        assert f"{bad.flag}: " in row.flags, f"{bad.why}: flags were {row.flags!r}"
    assert row.needs_review == bad.review, f"{bad.why}: {row.flags!r}"
    # Where the kernel closes a route to the hidden tests, nothing may reach the outputs for
    # the last line of defence to remove.
    assert (REMOVED_FLAG in row.flags) == bad.leak_removed, f"{bad.why}: {row.flags!r}"


REMOVED_FLAG = "hidden test source in the output"


def test_no_feedback_page_shows_a_hidden_test_line(bad_class):
    hidden = hidden_lines(bad_class.root / course.SOLUTIONS / ASSIGNMENT)
    assert len(hidden) > 20
    shown = {}
    for student in bad_class.rows:
        pages = list((bad_class.root / course.FEEDBACK / student / ASSIGNMENT).glob("*.html"))
        graded = bad_class.root / course.AUTOGRADED / student / ASSIGNMENT
        texts = [page_text(p) for p in pages]
        # Outputs of the graded notebook too (its sources hold the hidden tests, as they should).
        for nb in graded.glob("*.ipynb"):
            for cell in nbformat.read(nb, as_version=4).cells:
                texts += [json.dumps(o) for o in cell.get("outputs", [])]
        lines = {line.strip() for text in texts for line in text.splitlines()}
        lines |= {part.strip() for text in texts for part in text.split("\\n")}
        if hidden & lines:
            shown[student] = sorted(hidden & lines)[:2]
    assert not shown, f"hidden test lines in feedback or outputs: {shown}"
    printed = bad_class.root / course.FEEDBACK / "bad-prints-hidden-lines" / ASSIGNMENT
    assert "[hidden test source removed]" in "".join(page_text(p) for p in printed.glob("*.html"))


def test_submissions_and_course_files_are_untouched(bad_class):
    assert digest(bad_class.root / course.SUBMITTED) == bad_class.before
    after = digest(bad_class.root / course.SOLUTIONS) | {
        "nbgrader_config.py": digest(bad_class.root)["nbgrader_config.py"]
    }
    assert after == bad_class.protected_before


def test_no_working_copy_is_left_behind(bad_class):
    work = bad_class.temp / "autograder-work"
    assert work.is_dir(), "working copies should live under the shared autograder-work folder"
    assert list(work.glob("submission-*")) == [], "a working copy outlived its submission"


def test_csv_lists_scores_flags_and_review(bad_class):
    rows = csv_rows(bad_class.root / "autograder" / f"grades_{ASSIGNMENT}.csv")
    assert rows["good-student"]["flags"] == ""
    assert rows["good-student"]["needs_review"] == "0"
    assert "renamed: graded 'linear_regression (1).ipynb'" in rows["bad-renamed"]["flags"]
    assert rows["bad-reads-solutions"]["needs_review"] == "1"
    assert "solutions/" in rows["bad-reads-solutions"]["flags"]
    assert float(rows["bad-os-exit"]["total"]) == 9


def test_gradebook_is_consistent_and_marks_review(bad_class):
    db = sqlite3.connect(bad_class.root / "autograder" / "gradebook.db")
    per_student = db.execute(
        "SELECT student_id, COUNT(*) FROM submitted_assignment GROUP BY student_id"
    ).fetchall()
    assert len(per_student) == len(bad_class.rows)
    assert all(n == 1 for _, n in per_student)
    review = {
        s
        for (s,) in db.execute(
            "SELECT DISTINCT sa.student_id FROM grade g "
            "JOIN submitted_notebook sn ON g.notebook_id = sn.id "
            "JOIN submitted_assignment sa ON sn.assignment_id = sa.id "
            "WHERE g.needs_manual_grade = 1"
        )
    }
    assert review == {b.name for b in misbehaving.MISBEHAVIOURS if b.review}


def test_nbgrader_export_and_feedback_see_every_grade(bad_class):
    rows = csv_rows_by(bad_class.root / "autograder" / "grades.csv", "student_id")
    assert set(rows) == set(bad_class.rows)
    for student, row in bad_class.rows.items():
        assert float(rows[student]["score"]) == row.total
    for student in ("good-student", "bad-renamed", "bad-missing"):
        pages = list((bad_class.root / course.FEEDBACK / student / ASSIGNMENT).glob("*.html"))
        assert pages, f"no feedback for {student}"
    graded = bad_class.root / course.AUTOGRADED / "bad-monkeypatch" / ASSIGNMENT
    text = (graded / misbehaving.NOTEBOOK).read_text()
    assert "autograder.check" not in text, "the grader's own cells leaked into the graded notebook"


def csv_rows_by(path: Path, key: str) -> dict[str, dict[str, str]]:
    with open(path, newline="") as fh:
        return {row[key]: row for row in csv.DictReader(fh)}


def test_flags_file_holds_reasons(bad_class):
    flags = json.loads((bad_class.root / "autograder" / f"flags_{ASSIGNMENT}.json").read_text())
    assert flags["good-student"] == []
    codes = {f["code"] for f in flags["bad-segfault"]}
    assert "kernel-died" in codes
    assert any("SIGSEGV" in f["reason"] for f in flags["bad-segfault"])


# --------------------------------------------------------------------------- regrading, Dask


def _gradebook_scores(root: Path) -> list[tuple]:
    db = sqlite3.connect(root / "autograder" / "gradebook.db")
    return db.execute(
        "SELECT sa.student_id, gc.name, g.auto_score, g.needs_manual_grade FROM grade g "
        "JOIN submitted_notebook sn ON g.notebook_id = sn.id "
        "JOIN submitted_assignment sa ON sn.assignment_id = sa.id "
        "JOIN base_cell gc ON g.cell_id = gc.id ORDER BY 1, 2"
    ).fetchall()


def _dask():
    """The ``distributed`` module, or None when Dask is not installed (never under CI)."""
    try:
        import distributed
    except ImportError:
        if os.environ.get("CI") == "true":
            raise  # CI installs the cluster extra: a missing Dask fails, never skips
        return None
    return distributed


@dataclass
class GradedTwice:
    """A small class graded twice: first through a Dask scheduler (by local workers when Dask
    is not installed), then again by local workers over the same gradebook."""

    root: Path
    before: dict[str, str]  # digest of the submissions before grading
    dask: bool  # whether the first grading ran on Dask
    first: dict  # {student: SubmissionScores}
    first_scores: list[tuple]  # the gradebook after the first grading
    second: dict
    second_scores: list[tuple]


@pytest.fixture(scope="module")
def graded_twice(tmp_path_factory) -> GradedTwice:
    """On time, late (penalty "zero"), renamed, and two misbehaviours a Dask worker must
    survive (a kernel that calls os._exit, one that reads the solutions)."""
    root = new_course(tmp_path_factory.mktemp("regrading") / "course")
    with open(root / "nbgrader_config.py", "a") as fh:
        fh.write('\nc.LateSubmissionPlugin.penalty_method = "zero"\n')
    submit_solution(root, "on-time")
    submit_solution(root, "late")
    submit_solution(root, "renamed", "linear_regression (2).ipynb")
    answers = notebooks.solution_answers(SOURCE)
    for bad in misbehaving.MISBEHAVIOURS:
        if bad.name in ("bad-os-exit", "bad-reads-solutions"):
            bad.write(RELEASE, answers, root / course.SUBMITTED / bad.name / ASSIGNMENT, root)
    due = datetime.datetime(2030, 1, 1, 12, 0)
    (root / course.SUBMITTED / "on-time" / ASSIGNMENT / "timestamp.txt").write_text(
        "2030-01-01 11:00:00.000000 UTC"
    )
    (root / course.SUBMITTED / "late" / ASSIGNMENT / "timestamp.txt").write_text(
        "2030-01-02 12:00:00.000000 UTC"
    )
    from nbgrader.api import Gradebook

    with pytest.MonkeyPatch.context() as patch:
        # A new gradebook runs nbgrader's `alembic` helper, which sits beside this Python.
        patch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
        with Gradebook(f"sqlite:///{root / 'autograder' / 'gradebook.db'}") as gb:
            gb.update_or_create_assignment(ASSIGNMENT, duedate=due)
        before = digest(root / course.SUBMITTED)
        distributed = _dask()
        if distributed is None:
            first = grade_class(root, ASSIGNMENT, limits=LIMITS, progress=False)
        else:
            with distributed.LocalCluster(
                n_workers=2,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            ) as cluster:
                address = cluster.scheduler_address
                first = grade_class(
                    root, ASSIGNMENT, limits=LIMITS, scheduler=address, progress=False
                )
        first_scores = _gradebook_scores(root)
        second = grade_class(root, ASSIGNMENT, limits=LIMITS, progress=False)
    return GradedTwice(
        root,
        before,
        dask=distributed is not None,
        first={r.student: r for r in first},
        first_scores=first_scores,
        second={r.student: r for r in second},
        second_scores=_gradebook_scores(root),
    )


def test_grading_through_a_dask_scheduler(graded_twice):
    if not graded_twice.dask:
        pytest.skip("Dask is not installed: pip install -e '.[cluster]'")
    rows = graded_twice.first
    assert rows["on-time"].total == misbehaving.MAX_SCORE
    assert rows["bad-os-exit"].total == 9
    assert "kernel-died" in rows["bad-os-exit"].flags
    assert rows["bad-reads-solutions"].needs_review
    assert "sandbox" in rows["bad-reads-solutions"].flags


def test_regrading_is_idempotent_and_applies_late_penalties(graded_twice):
    root, first, second = graded_twice.root, graded_twice.first, graded_twice.second
    assert graded_twice.second_scores == graded_twice.first_scores
    assert {s: r.total for s, r in first.items()} == {s: r.total for s, r in second.items()}
    assert first["on-time"].total == misbehaving.MAX_SCORE
    assert first["renamed"].total == misbehaving.MAX_SCORE
    assert first["late"].total == 0, "the late submission should lose everything (penalty zero)"
    assert digest(root / course.SUBMITTED) == graded_twice.before
    export = csv_rows_by(root / "autograder" / "grades.csv", "student_id")
    assert float(export["late"]["late_submission_penalty"]) == misbehaving.MAX_SCORE
    assert float(export["on-time"]["score"]) == misbehaving.MAX_SCORE
