"""Time the week-1 pieces a user waits for: the lecture, the solution, grading one submission.

    .venv/bin/python bench/time_week01.py

Prints wall-clock seconds for each; numbers are recorded in the README.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder import course  # noqa: E402
from autograder.__main__ import grade  # noqa: E402

ASSIGNMENT = "week01_linear_regression"


def timed(label: str, func) -> float:
    start = time.perf_counter()
    func()
    seconds = time.perf_counter() - start
    print(f"{label:<45} {seconds:6.1f} s")
    return seconds


def execute(notebook: Path) -> None:
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "jupyter",
                "nbconvert",
                "--to",
                "notebook",
                "--execute",
                str(notebook),
                "--output-dir",
                out,
            ],
            check=True,
            capture_output=True,
        )


def grade_one() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copy(ROOT / "nbgrader_config.py", root)
        shutil.copytree(ROOT / course.SOLUTIONS, root / course.SOLUTIONS)
        sample = ROOT / course.SUBMITTED / "sample-full-marks" / ASSIGNMENT
        shutil.copytree(sample, root / course.SUBMITTED / "student" / ASSIGNMENT)
        grade(root, ASSIGNMENT)


if __name__ == "__main__":
    timed(
        "lecture 01 (nbconvert --execute)",
        lambda: execute(ROOT / "lectures" / "01_linear_regression.ipynb"),
    )
    timed(
        "week-1 solution (nbconvert --execute)",
        lambda: execute(next((ROOT / course.SOLUTIONS / ASSIGNMENT).glob("*.ipynb"))),
    )
    timed("grade one submission (whole grade command)", grade_one)
