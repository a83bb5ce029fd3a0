"""Where the course's pieces live, and nbgrader's standard commands run on them.

Every function takes the course ``root`` (the repository root, or a scratch copy of it in
tests) and runs nbgrader there, so the root's ``nbgrader_config.py`` maps the directories.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = "solutions"
EXERCISES = "exercises"
SUBMITTED = "autograder/submitted"
AUTOGRADED = "autograder/autograded"
FEEDBACK = "autograder/feedback"


def assignments(root: Path = REPO_ROOT) -> list[str]:
    """Names of all assignments, from the folders under ``solutions/``."""
    return sorted(p.name for p in (Path(root) / SOLUTIONS).iterdir() if p.is_dir())


def nbgrader(root: Path, *args: str) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` in ``root`` and raise with its log if it fails."""
    # `python -m nbgrader`, after importing autograder (see its __init__: a faster start).
    start = "import autograder, runpy; runpy.run_module('nbgrader', run_name='__main__')"
    cmd = [sys.executable, "-c", start, *args]
    # nbgrader runs helper executables (alembic) by name: find them beside this Python.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    # nbgrader imports our preprocessors (autograder.feedback) by name. A scratch course's
    # own autograder/ folder (submissions, feedback) would shadow them as a namespace package
    # from the working directory; a regular package anywhere on the path takes precedence.
    pythonpath = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    env = dict(
        os.environ,
        PATH=path,
        PYTHONPATH=pythonpath,
        PYTHONWARNINGS="ignore::DeprecationWarning",
    )
    # Submissions are graded side by side: one BLAS thread per kernel avoids oversubscribing
    # the cores (an instructor can still raise it by setting the variables).
    for threads in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(threads, "1")
    done = subprocess.run(cmd, cwd=root, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(
            f"`nbgrader {' '.join(args)}` failed in {root} (exit {done.returncode}):\n"
            f"{done.stdout}\n{done.stderr}"
        )
    return done


def generate_release(
    root: Path, assignment: str, release_dir: str = EXERCISES, *, record: bool = False
) -> Path:
    """Generate the student version of ``assignment`` from its source under ``solutions/``.

    With ``record=True`` the assignment's cells are also recorded in the gradebook, which
    grading needs; a plain release leaves the gradebook alone.
    Returns the folder the release was written to.
    """
    args = [
        "generate_assignment",
        assignment,
        "--force",
        f"--CourseDirectory.release_directory={release_dir}",
    ]
    nbgrader(root, *args, *([] if record else ["--no-db"]))
    return Path(root) / release_dir / assignment


def generate_feedback(
    root: Path, assignment: str, students: list[str] | None = None, processes: int = 1
) -> None:
    """Write the HTML feedback for every autograded submission of ``assignment``.

    With ``students`` and ``processes > 1`` the class is split into that many nbgrader runs
    side by side (each excluding the others' students); they only read the gradebook.
    """
    chunks = [students[i::processes] for i in range(processes)] if students else []
    chunks = [c for c in chunks if c]
    if len(chunks) < 2 or any("," in s for s in students):
        nbgrader(root, "generate_feedback", assignment, "--force")
        return

    def run(chunk: list[str]) -> None:
        others = ",".join(s for s in students if s not in set(chunk))
        exclude = f"--CourseDirectory.student_id_exclude={others}"
        nbgrader(root, "generate_feedback", assignment, "--force", exclude)

    with ThreadPoolExecutor(len(chunks)) as pool:
        list(pool.map(run, chunks))


def export_grades(root: Path, csv_path: str) -> None:
    """Export nbgrader's gradebook (every assignment) to a CSV file."""
    nbgrader(root, "export", f"--to={csv_path}")
