"""How long the class reports take for a class of 200 submissions across 4 assignments.

    .venv/bin/python bench/class_report.py [--students 50] [--templates 5]

Builds a scratch course with four assignments (weeks 1, 5, 6 and 7). For each, the grader
grades ``--templates`` real submissions: the solution and ones with catalogued mistakes drawn
at random (seeded). Every one of the ``--students`` students then gets one of those graded
submissions per assignment: its gradebook rows (nbgrader's API), graded notebooks, feedback
pages and flags are copied under the student's name, so the reports read as much as they would
after grading the whole class (grading 200 submissions here would take many minutes and is
what ``bench/grade_class_week01.py`` measures). Then it times ``python -m autograder report``'s
work, :func:`autograder.class_report.write_reports`, and prints the time and the pages' sizes.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

from nbgrader.api import Gradebook
from sqlalchemy.exc import SAWarning

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder import catalogue, course, notebooks  # noqa: E402
from autograder.class_report import write_reports  # noqa: E402
from autograder.grading import grade_class  # noqa: E402
from autograder.grading.flags import flags_path  # noqa: E402

ASSIGNMENTS = (
    "week01_linear_regression",
    "week05_training",
    "week06_regularization",
    "week07_autoencoders",
)


def _templates(root: Path, assignment: str, count: int, rng: random.Random) -> list[str]:
    """Write ``count`` submissions (the solution, then random catalogued mistakes)."""
    release = course.generate_release(root, assignment)
    (notebook,) = release.glob("*.ipynb")
    solution = notebooks.solution_answers(ROOT / course.SOLUTIONS / assignment / notebook.name)
    wrong = [v for v in catalogue.load(assignment) if not v.correct]
    names = []
    for k in range(count):
        changed = {}
        for variant in rng.sample(wrong, min(len(wrong), k)):  # k mistakes (0 for the first)
            changed.setdefault(variant.function, variant.code)
        name = f"template-{k}"
        notebooks.fill_in(
            notebook,
            solution | changed,
            root / course.SUBMITTED / name / assignment / notebook.name,
        )
        names.append(name)
    return names


def _copy_graded(
    root: Path, gb: Gradebook, flags: dict, assignment: str, template: str, student: str
) -> None:
    """Give ``student`` the graded submission of ``template``: gradebook rows, files, flags."""
    for folder in (course.SUBMITTED, course.AUTOGRADED, course.FEEDBACK):
        source = root / folder / template / assignment
        if source.exists():
            shutil.copytree(source, root / folder / student / assignment, dirs_exist_ok=True)
    gb.update_or_create_student(student)
    gb.update_or_create_submission(assignment, student)
    for nb in gb.find_submission(assignment, template).notebooks:
        for grade in nb.grades:
            copy = gb.find_grade(grade.name, nb.name, assignment, student)
            copy.auto_score = grade.auto_score
            copy.needs_manual_grade = grade.needs_manual_grade
    gb.db.commit()
    flags[student] = flags.get(template, [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=50)
    parser.add_argument("--templates", type=int, default=5)
    args = parser.parse_args()
    # nbgrader's update_or_create_submission warns about its own session's autoflush.
    warnings.filterwarnings("ignore", category=SAWarning)
    rng = random.Random(19)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "course"
        root.mkdir()
        shutil.copy(ROOT / "nbgrader_config.py", root)
        (root / "autograder").mkdir()
        started = time.perf_counter()
        templates = {}
        for assignment in ASSIGNMENTS:
            shutil.copytree(
                ROOT / course.SOLUTIONS / assignment, root / course.SOLUTIONS / assignment
            )
            templates[assignment] = _templates(root, assignment, args.templates, rng)
            grade_class(root, assignment, progress=False)
        graded = time.perf_counter() - started
        started = time.perf_counter()
        students = [f"student-{i:03d}" for i in range(args.students)]
        with Gradebook(f"sqlite:///{root / 'autograder' / 'gradebook.db'}") as gb:
            for assignment, names in templates.items():
                flags_file = flags_path(root, assignment)
                flags = json.loads(flags_file.read_text())
                for student in students:
                    _copy_graded(root, gb, flags, assignment, rng.choice(names), student)
                flags_file.write_text(json.dumps(flags))
            # The templates are not students: the report covers the class only.
            for name in templates[ASSIGNMENTS[0]]:
                gb.remove_student(name)
        for folder in (course.SUBMITTED, course.AUTOGRADED, course.FEEDBACK):
            for name in templates[ASSIGNMENTS[0]]:
                shutil.rmtree(root / folder / name, ignore_errors=True)
        copied = time.perf_counter() - started
        cpu = time.process_time()
        started = time.perf_counter()
        written = write_reports(root)
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
        submissions = len(ASSIGNMENTS) * len(students)
        pages = {p.name: p.stat().st_size for p in written if p.parent == root / "autograder"}
        print(
            f"graded {len(ASSIGNMENTS) * args.templates} template submissions in {graded:.0f} s; "
            f"copied them to {submissions} submissions of {len(students)} students in "
            f"{copied:.0f} s"
        )
        print(
            f"write_reports: {took:.1f} s ({cpu:.1f} CPU s) for {submissions} submissions "
            f"across {len(ASSIGNMENTS)} assignments: {len(written)} files"
        )
        for name, size in sorted(pages.items()):
            print(f"  {name}: {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
