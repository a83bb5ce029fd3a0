"""Command line for releasing and grading the course's assignments.

python -m autograder release [ASSIGNMENT ...]   regenerate exercises/ from solutions/
python -m autograder grade ASSIGNMENT [options] grade autograder/submitted/*/ASSIGNMENT in
                                                parallel, sandboxed; write grades, feedback,
                                                the CSVs (see `grade --help`)
python -m autograder report [ASSIGNMENT ...]    the class reports (HTML and JSON) from the
                                                gradebook: what the class got wrong, flags,
                                                trends; each student's progress page
python -m autograder samples [ASSIGNMENT ...]   rebuild the sample submissions from the
                                                solution and the catalogue
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from autograder import course, report
from autograder.grading import grade_class
from autograder.grading.limits import Limits, parse_duration, parse_size
from autograder.samples import write_samples


def release(root: Path, names: list[str]) -> None:
    for name in names or course.assignments(root):
        out = course.generate_release(root, name)
        print(f"released {name} -> {out.relative_to(root)}")


def grade(
    root: Path,
    assignment: str,
    *,
    limits: Limits | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = True,
) -> list[report.SubmissionScores]:
    """Grade every submission of ``assignment`` (see :func:`autograder.grading.grade_class`)."""
    start = time.perf_counter()
    try:
        rows = grade_class(
            root, assignment, limits=limits, workers=workers, scheduler=scheduler, progress=progress
        )
    except ValueError as err:
        raise SystemExit(str(err)) from err
    print(report.format_table(rows))
    print(
        f"\nper-question grades and flags: autograder/grades_{assignment}.csv; all assignments: "
        f"autograder/grades.csv; feedback: {course.FEEDBACK}/<student>/{assignment}/"
    )
    print(f"graded {len(rows)} submissions in {time.perf_counter() - start:.1f} s")
    write_reports(root, [assignment])
    return rows


def write_reports(root: Path, names: list[str]) -> None:
    """Write the class reports (see :mod:`autograder.class_report`) and say where they are."""
    # Imported here: the reports' figures need Matplotlib, which no other command does (and
    # the grader's spawned workers import this module again).
    from autograder import class_report

    start = time.perf_counter()
    try:
        written = class_report.write_reports(root, names)
    except ValueError as err:
        raise SystemExit(str(err)) from err
    pages = [p for p in written if p.suffix == ".html" and p.parent == root / "autograder"]
    students = sum(p.name == "progress.html" for p in written)
    print(
        "class reports (instructors only): "
        + ", ".join(str(p.relative_to(root)) for p in pages)
        + f" (and JSON beside them); {students} student progress pages under "
        f"{course.FEEDBACK}/<student>/progress.html ({time.perf_counter() - start:.1f} s)"
    )


def samples(root: Path, names: list[str]) -> None:
    """Rebuild the sample submissions of each assignment (default: all) from a fresh release."""
    for assignment in names or course.assignments(root):
        sources = sorted((root / course.SOLUTIONS / assignment).glob("*.ipynb"))
        if len(sources) != 1:
            raise SystemExit(f"{assignment}: samples need one notebook, found {len(sources)}")
        with tempfile.TemporaryDirectory(dir=root / "autograder") as scratch:
            rel = str(Path(scratch).relative_to(root))
            release = course.generate_release(root, assignment, rel) / sources[0].name
            try:
                written = write_samples(assignment, sources[0], release, root / course.SUBMITTED)
            except ValueError as err:
                raise SystemExit(str(err)) from err
        for path in written:
            print(f"wrote {path.relative_to(root)}")


def limits_from_args(root: Path, args: argparse.Namespace) -> Limits:
    """The grading limits from the command line (cell timeout: nbgrader's config by default)."""
    if args.cell_timeout is not None:
        cell_timeout = parse_duration(args.cell_timeout)
    else:
        from autograder.grading.gradebook import load_config

        configured = load_config(root).Execute.get("timeout")
        cell_timeout = float(configured) if configured else Limits().cell_timeout
    return Limits(
        cell_timeout=cell_timeout,
        submission_timeout=parse_duration(args.time_limit),
        memory_bytes=parse_size(args.memory_limit),
        max_output_bytes=parse_size(args.max_output),
    )


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
    p = sub.add_parser(
        "grade",
        help="grade every submission of an assignment, in parallel and sandboxed",
        description="Grade every autograder/submitted/*/ASSIGNMENT: each submission runs in "
        "its own working copy, with a sandboxed kernel, under the limits below.",
    )
    p.add_argument("assignment")
    defaults = Limits()
    p.add_argument(
        "--workers", type=int, default=None, help="local worker processes (default: all cores)"
    )
    p.add_argument(
        "--cell-timeout",
        default=None,
        help="time one cell may run, e.g. 30s, 2m (default: nbgrader's Execute.timeout, "
        f"else {defaults.cell_timeout:g}s)",
    )
    p.add_argument(
        "--time-limit",
        default=f"{defaults.submission_timeout:g}s",
        help="wall-clock time for a whole submission (default: %(default)s)",
    )
    p.add_argument(
        "--memory-limit",
        default=f"{defaults.memory_bytes // 2**30}G",
        help="the kernel's memory (address space) limit, e.g. 2G; 0 for none "
        "(default: %(default)s)",
    )
    p.add_argument(
        "--max-output",
        default=f"{defaults.max_output_bytes // 2**20}M",
        help="output kept per notebook; the rest is dropped and flagged (default: %(default)s)",
    )
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="a Dask scheduler address (tcp://host:8786): run each submission on the cluster",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p = sub.add_parser(
        "report",
        help="write the class reports from the gradebook (nothing is run again)",
        description="Write autograder/report_<assignment>.html/.json for each ASSIGNMENT "
        "(default: every graded one), the course report autograder/report.html/.json, and "
        "each student's autograder/feedback/<student>/progress.html.",
    )
    p.add_argument("assignments", nargs="*", help="default: every graded assignment")
    p = sub.add_parser("samples", help="rebuild the sample submissions (see autograder/samples.py)")
    p.add_argument("assignments", nargs="*", help="default: every assignment")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.command == "release":
        release(root, args.assignments)
    elif args.command == "grade":
        try:
            limits = limits_from_args(root, args)
        except (TypeError, ValueError) as err:
            parser.error(str(err))
        grade(
            root,
            args.assignment,
            limits=limits,
            workers=args.workers,
            scheduler=args.scheduler,
            progress=not args.no_progress,
        )
    elif args.command == "report":
        write_reports(root, args.assignments)
    else:
        samples(root, args.assignments)


if __name__ == "__main__":
    main()
