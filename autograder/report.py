"""Per-question scores from the nbgrader gradebook: a table for the terminal and a CSV."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook


@dataclass
class SubmissionScores:
    """One student's scores on one assignment."""

    student: str
    total: float
    max_total: float
    questions: dict[str, float] = field(default_factory=dict)
    needs_review: bool = False


def read_scores(db_url: str, assignment: str) -> list[SubmissionScores]:
    """Scores of every graded submission of ``assignment``, sorted by student id.

    ``questions`` maps each graded cell's ``grade_id`` (``test_<function>``) to its score.
    """
    rows = []
    with Gradebook(db_url) as gb:
        for sub in gb.assignment_submissions(assignment):
            questions = {g.name: float(g.score) for nb in sub.notebooks for g in nb.grades}
            review = any(g.needs_manual_grade for nb in sub.notebooks for g in nb.grades)
            rows.append(
                SubmissionScores(
                    sub.student.id, float(sub.score), float(sub.max_score), questions, review
                )
            )
    return sorted(rows, key=lambda r: r.student)


def write_csv(rows: list[SubmissionScores], path: Path) -> Path:
    """Write one row per student: total, maximum, every question's score and a review flag."""
    questions = sorted({q for r in rows for q in r.questions})
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["student", "total", "max_total", *questions, "needs_review"])
        for r in rows:
            out.writerow(
                [
                    r.student,
                    r.total,
                    r.max_total,
                    *(r.questions.get(q, 0.0) for q in questions),
                    int(r.needs_review),
                ]
            )
    return path


def format_table(rows: list[SubmissionScores]) -> str:
    """A plain-text summary: one line per student with the total and each question."""
    questions = sorted({q for r in rows for q in r.questions})
    short = [q.removeprefix("test_") for q in questions]
    width = max([len("student"), *(len(r.student) for r in rows)])
    header = f"{'student':<{width}}  {'total':>11}  " + "  ".join(short)
    lines = [header, "-" * len(header)]
    for r in rows:
        cells = "  ".join(
            f"{r.questions.get(q, 0.0):>{len(s)}g}" for q, s in zip(questions, short, strict=True)
        )
        lines.append(f"{r.student:<{width}}  {r.total:>5g} / {r.max_total:<3g}  {cells}")
    return "\n".join(lines)
