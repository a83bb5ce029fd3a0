"""The class report's data, read from what grading left behind; nothing is run again.

- the gradebook (``autograder/gradebook.db``): every submission's total and per-question
  scores, the maximum of each question, who needs a manual review;
- ``autograder/flags_<assignment>.json``: what the grader noticed about each submission;
- the graded notebooks (``autograder/autograded/<student>/<assignment>/``): the error message
  of each failed test, for its hint (:mod:`~autograder.class_report.mistakes`);
- the feedback pages (``autograder/feedback/<student>/<assignment>/*.html``), linked to.

Everything here is plain data (dicts, lists, numbers, strings): it is what the JSON files hold
and what the HTML pages show.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import nbformat
import numpy as np
from nbgrader.api import Gradebook, MissingEntry

from autograder import course
from autograder.class_report.mistakes import NOT_RUN, Failure, failures
from autograder.grading.flags import flags_path
from autograder.grading.gradebook import database_url, load_config

NO_HINT = "no hint"
FALLING_BEHIND = -20.0  # points: last assignment vs the mean of the earlier ones


def _db_url(root: Path) -> str:
    return database_url(root, load_config(root))


def graded_assignments(root: Path) -> list[str]:
    """The assignments the gradebook holds at least one submission of, in course order."""
    with Gradebook(_db_url(root)) as gb:
        graded = {a.name for a in gb.assignments if a.submissions}
    return [a for a in course.assignments(root) if a in graded] + sorted(
        graded - set(course.assignments(root))
    )


def _feedback_pages(root: Path, student: str, assignment: str) -> list[str]:
    """The student's feedback pages, relative to ``autograder/`` (where reports are)."""
    folder = Path(root) / course.FEEDBACK / student / assignment
    return [str(p.relative_to(Path(root) / "autograder")) for p in sorted(folder.glob("*.html"))]


def _read_flags(root: Path, assignment: str) -> dict[str, list[dict]]:
    path = flags_path(root, assignment)
    return json.loads(path.read_text()) if path.exists() else {}


def _student_failures(root: Path, student: str, assignment: str, failed: set[str]):
    folder = Path(root) / course.AUTOGRADED / student / assignment
    found: dict[str, Failure] = {}
    for path in sorted(folder.glob("*.ipynb")):
        try:
            found |= failures(nbformat.read(path, as_version=4), failed)
        except Exception:  # an unreadable graded notebook: its failures read as not run
            continue
    return {q: found.get(q, Failure(None, NOT_RUN)) for q in sorted(failed)}


def _histogram(totals: list[float], max_total: float) -> dict:
    """Counts of totals in bins of one point (or ``max_total / 10`` for a long assignment)."""
    width = max(1.0, float(np.ceil(max_total / 10)))
    edges = list(np.arange(0.0, max_total + width, width))
    if edges[-1] < max_total:
        edges.append(edges[-1] + width)
    counts, _ = np.histogram(totals, bins=edges) if totals else (np.zeros(len(edges) - 1), None)
    return {"edges": [float(e) for e in edges], "counts": [int(c) for c in counts]}


def _mean(values: list[float]) -> float | None:
    return float(np.mean(values)) if values else None


_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def _mistakes(failed_by: dict[str, Failure]) -> list[dict]:
    """The failures of one question grouped by hint, or without one by the first line of the
    error with its numbers left out (``wrong value (1 of 4 entries wrong)`` and ``(3 of 4
    ...)`` are one group); a group shows its first student's line."""
    groups: dict[tuple, list[str]] = {}
    shown: dict[tuple, str] = {}
    for student, failure in sorted(failed_by.items()):
        if failure.hint:
            key = ("hint", failure.hint)
        else:
            key = (NO_HINT, _NUMBER.sub("#", failure.message))
        groups.setdefault(key, []).append(student)
        shown.setdefault(key, failure.hint or failure.message)
    rows = [
        {
            "hint": shown[key] if key[0] == "hint" else None,
            "message": None if key[0] == "hint" else shown[key],
            "count": len(students),
            "students": students,
        }
        for key, students in groups.items()
    ]
    # The most common first; within a count, hints before "no hint" groups.
    return sorted(rows, key=lambda r: (-r["count"], r["hint"] is None, r["hint"] or r["message"]))


def assignment_data(root: Path, assignment: str) -> dict:
    """Everything the report of one assignment shows (see the README for the fields).

    Raises
    ------
    ValueError
        If the gradebook has no such assignment.
    """
    root = Path(root)
    flags = _read_flags(root, assignment)
    with Gradebook(_db_url(root)) as gb:
        try:
            record = gb.find_assignment(assignment)
        except MissingEntry:
            raise ValueError(
                f"the gradebook has no assignment {assignment!r}: grade it first "
                f"(python -m autograder grade {assignment})"
            ) from None
        maxima = {
            cell.name: float(cell.max_score) for nb in record.notebooks for cell in nb.grade_cells
        }
        max_total = float(record.max_score)
        students = []
        for sub in gb.assignment_submissions(assignment):
            grades = [g for nb in sub.notebooks for g in nb.grades]
            penalty = float(sub.late_submission_penalty or 0.0)
            student_flags = flags.get(sub.student.id, [])
            students.append(
                {
                    "student": sub.student.id,
                    "total": max(0.0, float(sub.score) - penalty),
                    "max_total": max_total,
                    "late_penalty": penalty,
                    "questions": {g.name: float(g.score) for g in grades},
                    "needs_review": any(g.needs_manual_grade for g in grades)
                    or any(f.get("review") for f in student_flags),
                    "flags": student_flags,
                }
            )
    students.sort(key=lambda s: s["student"])
    for s in students:
        failed = {q for q, m in maxima.items() if s["questions"].get(q, 0.0) < m}
        s["failures"] = {
            q: {"hint": f.hint, "message": f.message}
            for q, f in _student_failures(root, s["student"], assignment, failed).items()
        }
        s["feedback"] = _feedback_pages(root, s["student"], assignment)
    questions = []
    for q, top in maxima.items():
        scores = [s["questions"].get(q, 0.0) for s in students]
        failed_by = {
            s["student"]: Failure(**s["failures"][q]) for s in students if q in s["failures"]
        }
        questions.append(
            {
                "question": q,
                "max_score": top,
                "submissions": len(students),
                "passed": len(students) - len(failed_by),
                "failed": len(failed_by),
                "pass_rate": (len(students) - len(failed_by)) / len(students) if students else 0.0,
                "mean_score": _mean(scores) or 0.0,
                "mistakes": _mistakes(failed_by),
            }
        )
    questions.sort(
        key=lambda q: (q["pass_rate"], q["mean_score"] / (q["max_score"] or 1), q["question"])
    )
    totals = [s["total"] for s in students]
    return {
        "assignment": assignment,
        "max_total": max_total,
        "submissions": len(students),
        "totals": {
            "mean": _mean(totals),
            "median": float(np.median(totals)) if totals else None,
            "histogram": _histogram(totals, max_total),
        },
        "questions": questions,
        "flagged": [
            {
                "student": s["student"],
                "needs_review": s["needs_review"],
                "flags": s["flags"],
                "feedback": s["feedback"],
            }
            for s in students
            if s["flags"] or s["needs_review"]
        ],
        "students": students,
    }


def submissions_by_student(
    per_assignment: dict[str, dict], students: list[str]
) -> dict[str, dict[str, dict | None]]:
    """``{student: {assignment: their entry of its data's "students", or None}}``."""
    index = {a: {s["student"]: s for s in d["students"]} for a, d in per_assignment.items()}
    return {student: {a: index[a].get(student) for a in per_assignment} for student in students}


def course_data(root: Path, per_assignment: dict[str, dict]) -> dict:
    """The course page's data: every student's percentage on every assignment, and trends.

    ``per_assignment`` maps each graded assignment to its :func:`assignment_data`. A student
    with no submission of an assignment has ``None`` there; the trend counts it as 0%.
    ``change`` is the last assignment's percentage minus the mean of the earlier ones, in
    points; a student whose change is -20 or less is ``falling_behind``.
    """
    names = list(per_assignment)
    with Gradebook(_db_url(root)) as gb:
        roster = {s.id for s in gb.students}
    for data in per_assignment.values():
        roster |= {s["student"] for s in data["students"]}
    rows = []
    for student, theirs in submissions_by_student(per_assignment, sorted(roster)).items():
        percent: dict[str, float | None] = {}
        for name, mine in theirs.items():
            top = per_assignment[name]["max_total"]
            percent[name] = None if mine is None else (100.0 * mine["total"] / top if top else 0.0)
        series = [p if p is not None else 0.0 for p in percent.values()]
        change = series[-1] - float(np.mean(series[:-1])) if len(series) > 1 else 0.0
        rows.append(
            {
                "student": student,
                "percent": percent,
                "missing": [n for n, p in percent.items() if p is None],
                "mean_percent": _mean(series),
                "change": change,
                "falling_behind": change <= FALLING_BEHIND,
            }
        )
    missed = Counter(n for r in rows for n in r["missing"])
    return {
        "assignments": [
            {
                "assignment": n,
                "submissions": per_assignment[n]["submissions"],
                "missing": missed[n],
                "mean_percent": _mean(
                    [r["percent"][n] for r in rows if r["percent"][n] is not None]
                ),
            }
            for n in names
        ],
        "students": rows,
    }
