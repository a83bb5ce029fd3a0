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
    flags: str = ""
    late_penalty: float = 0.0


def read_scores(db_url: str, assignment: str) -> list[SubmissionScores]:
    """Scores of every graded submission of ``assignment``, sorted by student id.

    ``questions`` maps each graded cell's ``grade_id`` (``test_<function>``) to its score;
    ``total`` is the grade after nbgrader's late penalty (``late_penalty``), as
    ``nbgrader export`` reports it.
    """
    rows = []
    with Gradebook(db_url) as gb:
        for sub in gb.assignment_submissions(assignment):
            questions = {g.name: float(g.score) for nb in sub.notebooks for g in nb.grades}
            review = any(g.needs_manual_grade for nb in sub.notebooks for g in nb.grades)
            penalty = float(sub.late_submission_penalty or 0.0)
            total = max(0.0, float(sub.score) - penalty)
            rows.append(
                SubmissionScores(
                    sub.student.id,
                    total,
                    float(sub.max_score),
                    questions,
                    review,
                    late_penalty=penalty,
                )
            )
    return sorted(rows, key=lambda r: r.student)


def write_csv(rows: list[SubmissionScores], path: Path) -> Path:
    """Write one row per student: total, maximum, every question's score, review and flags.

    ``needs_review`` is 1 when an instructor should look before releasing the grade;
    ``flags`` lists what the grader noticed (``code: reason; ...``), empty when nothing.
    """
    questions = sorted({q for r in rows for q in r.questions})
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as fh:
        out = csv.writer(fh)
        header = ["student", "total", "max_total", *questions, "late_penalty"]
        out.writerow([*header, "needs_review", "flags"])
        for r in rows:
            out.writerow(
                [
                    r.student,
                    r.total,
                    r.max_total,
                    *(r.questions.get(q, 0.0) for q in questions),
                    r.late_penalty,
                    int(r.needs_review),
                    r.flags,
                ]
            )
    return path


def format_table(rows: list[SubmissionScores]) -> str:
    """A plain-text summary: one line per student with the total and each question.

    Flagged students are marked ``!`` (needs review) or ``*`` (flagged), and their flags are
    listed under the table.
    """
    questions = sorted({q for r in rows for q in r.questions})
    short = [q.removeprefix("test_") for q in questions]
    width = max([len("student"), *(len(r.student) for r in rows)])
    header = f"{'student':<{width}}  {'total':>11}  " + "  ".join(short)
    lines = [header, "-" * len(header)]
    for r in rows:
        cells = "  ".join(
            f"{r.questions.get(q, 0.0):>{len(s)}g}" for q, s in zip(questions, short, strict=True)
        )
        mark = "!" if r.needs_review else "*" if r.flags else " "
        lines.append(f"{r.student:<{width}}{mark} {r.total:>5g} / {r.max_total:<3g}  {cells}")
    flagged = [r for r in rows if r.flags]
    if flagged:
        lines += ["", f"flagged ({len(flagged)}; ! = needs review):"]
        lines += [f"  {r.student}: {r.flags}" for r in flagged]
    return "\n".join(lines)
