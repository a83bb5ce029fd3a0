"""Command line for releasing and grading the course's assignments.

python -m autograder release [ASSIGNMENT ...]   regenerate exercises/ from solutions/
python -m autograder grade ASSIGNMENT           autograde autograder/submitted/*/ASSIGNMENT,
                                                write feedback and the grades CSVs
python -m autograder samples ASSIGNMENT         rebuild the sample submissions from the
                                                solution and the catalogue
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from autograder import catalogue, course, notebooks, report

DB_URL = "sqlite:///autograder/gradebook.db"


def release(root: Path, names: list[str]) -> None:
    for name in names or course.assignments(root):
        out = course.generate_release(root, name)
        print(f"released {name} -> {out.relative_to(root)}")


def grade(root: Path, assignment: str) -> list[report.SubmissionScores]:
    start = time.perf_counter()
    submitted = sorted((root / course.SUBMITTED).glob(f"*/{assignment}"))
    if not submitted:
        raise SystemExit(f"no submissions of {assignment} under {course.SUBMITTED}/*/")
    print(f"grading {len(submitted)} submissions of {assignment} ...")
    # Record the source's cells in the gradebook without touching the committed release.
    with tempfile.TemporaryDirectory(dir=root / "autograder") as scratch:
        course.generate_release(root, assignment, str(Path(scratch).relative_to(root)), record=True)
    course.autograde(root, assignment)
    course.generate_feedback(root, assignment)
    course.export_grades(root, "autograder/grades.csv")
    rows = report.read_scores(f"sqlite:///{root / 'autograder' / 'gradebook.db'}", assignment)
    csv_path = report.write_csv(rows, root / "autograder" / f"grades_{assignment}.csv")
    print(report.format_table(rows))
    print(
        f"\nper-question grades: {csv_path.relative_to(root)}; all assignments: "
        f"autograder/grades.csv; feedback: {course.FEEDBACK}/<student>/{assignment}/"
    )
    print(f"graded {len(rows)} submissions in {time.perf_counter() - start:.1f} s")
    return rows


SAMPLES = {
    # student id -> which catalogued variants replace the solution's answers
    "sample-full-marks": [],
    "sample-other-correct-ways": "correct",
    "sample-two-mistakes": ["linear_cost/no-mean", "standardize/ddof1"],
}


def samples(root: Path, assignment: str) -> None:
    """Write sample submissions: full marks, correct alternatives, some mistakes, untouched."""
    nb_path = next((root / course.SOLUTIONS / assignment).glob("*.ipynb"))
    with tempfile.TemporaryDirectory(dir=root / "autograder") as scratch:
        rel = str(Path(scratch).relative_to(root))
        release_nb = course.generate_release(root, assignment, rel) / nb_path.name
        variants = catalogue.load(assignment)
        answers = notebooks.solution_answers(nb_path)
        for student, chosen in SAMPLES.items():
            if chosen == "correct":
                picked = {v.function: v for v in variants if v.correct}
            else:
                wanted = {tuple(c.split("/")) for c in chosen}
                picked = {v.function: v for v in variants if (v.function, v.slug) in wanted}
            dest = root / course.SUBMITTED / student / assignment / nb_path.name
            notebooks.fill_in(release_nb, answers | {f: v.code for f, v in picked.items()}, dest)
            print(f"wrote {dest.relative_to(root)}")
        untouched = root / course.SUBMITTED / "sample-untouched" / assignment / nb_path.name
        untouched.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(release_nb, untouched)
        print(f"wrote {untouched.relative_to(root)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m autograder",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=course.REPO_ROOT,
        help="course root holding nbgrader_config.py (default: this repo)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("release", help="regenerate exercises/ from solutions/")
    p.add_argument("assignments", nargs="*", help="default: every assignment")
    p = sub.add_parser("grade", help="grade every submission of an assignment")
    p.add_argument("assignment")
    p = sub.add_parser("samples", help="rebuild the sample submissions")
    p.add_argument("assignment")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.command == "release":
        release(root, args.assignments)
    elif args.command == "grade":
        grade(root, args.assignment)
    else:
        samples(root, args.assignment)


if __name__ == "__main__":
    main()
