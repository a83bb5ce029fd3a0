"""What the class got wrong: reports for instructors, and a progress page for each student.

``python -m autograder report [ASSIGNMENT ...]`` (``make report``; ``grade`` also runs it)
writes, from the gradebook and the graded notebooks (nothing is run again):

- ``autograder/report_<assignment>.html`` and ``.json``: totals, per-question pass rates and
  the mistakes behind each failed test, flags, links to feedback (instructors only);
- ``autograder/report.html`` and ``report.json``: every student × every assignment, trends,
  who is falling behind (instructors only);
- ``autograder/feedback/<student>/progress.html``: one student's own totals and hints.

Modules: :mod:`~autograder.class_report.collect` (the data),
:mod:`~autograder.class_report.mistakes` (hints from error messages),
:mod:`~autograder.class_report.figures` and :mod:`~autograder.class_report.pages` (HTML).
"""

from __future__ import annotations

import json
from pathlib import Path

from autograder import course
from autograder.class_report import collect, pages

__all__ = ["write_reports"]


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_reports(root: Path, assignments: list[str] | None = None) -> list[Path]:
    """Write the reports of ``assignments`` (default: every graded one) and the course's.

    The course page and the students' progress pages always cover every graded assignment.

    Raises
    ------
    ValueError
        If an assignment named has not been graded.

    Returns
    -------
    list of Path
        The files written: each assignment's HTML and JSON, the course's, the students' pages.
    """
    root = Path(root)
    graded = collect.graded_assignments(root)
    unknown = [a for a in assignments or [] if a not in graded]
    if unknown:
        raise ValueError(
            f"not graded yet: {', '.join(unknown)} (graded: {', '.join(graded) or 'none'}); "
            "run `python -m autograder grade ASSIGNMENT` first"
        )
    data = {a: collect.assignment_data(root, a) for a in graded}
    out = root / "autograder"
    written = []
    for name in assignments or graded:
        written.append(_write(out / f"report_{name}.json", json.dumps(data[name], indent=1)))
        written.append(_write(out / f"report_{name}.html", pages.assignment_page(data[name])))
    overview = collect.course_data(root, data)
    written.append(_write(out / "report.json", json.dumps(overview, indent=1)))
    written.append(_write(out / pages.COURSE_PAGE, pages.course_page(overview)))
    students = [row["student"] for row in overview["students"]]
    for student, mine in collect.submissions_by_student(data, students).items():
        page = root / course.FEEDBACK / student / "progress.html"
        written.append(_write(page, pages.student_page(student, mine)))
    return written
