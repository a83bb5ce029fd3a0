"""Grade a class of 100 week-1 submissions with plain nbgrader and with the class grader.

    .venv/bin/python bench/grade_class_week01.py [--students 100] [--workers N]

Builds a scratch course with a mix of submissions (correct ones, partly wrong ones from the
catalogue, and a few misbehaving ones: endless loops, kernels that exit or segfault, huge
output, broken and renamed files), then times on the same machine

- plain nbgrader: ``nbgrader autograde`` (one submission after another), then
  ``generate_feedback`` and ``export``, and
- ``python -m autograder grade`` (parallel workers, sandboxed kernels, the same feedback and
  export),

with the same per-cell timeout. Prints submissions per minute for both, the ratio, the CPU
time each spent (its processes and their kernels: on a shared machine wall-clock time depends
on the neighbours, CPU time much less) and the peak memory of each run (the sum of the
resident memory of every process it started, sampled every 0.2 s). Destructive
misbehaviours (memory bombs, deleting files) are left out: plain nbgrader has no defence
against them. Numbers are recorded in the README.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder import catalogue, course, misbehaving, notebooks  # noqa: E402
from autograder.grading import grade_class  # noqa: E402
from autograder.grading.limits import Limits  # noqa: E402

ASSIGNMENT = misbehaving.ASSIGNMENT
CELL_TIMEOUT = 10
# Misbehaviours plain nbgrader survives too (it has no memory limit and no sandbox).
MISBEHAVING = {
    "bad-infinite-loop": 3,
    "bad-os-exit": 2,
    "bad-segfault": 2,
    "bad-huge-output": 2,
    "bad-renamed": 2,
    "bad-invalid-json": 1,
    "bad-truncated": 1,
    "bad-sys-exit": 1,
}


class PeakMemory:
    """Sample the resident memory of this process's descendants; keep the largest sum."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for child in me.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def make_class(root: Path, students: int, seed: int = 0) -> dict[str, str]:
    """Write ``students`` submissions; return {student: kind}."""
    rng = random.Random(seed)
    root.mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", root)
    shutil.copytree(ROOT / course.SOLUTIONS / ASSIGNMENT, root / course.SOLUTIONS / ASSIGNMENT)
    release = ROOT / course.EXERCISES / ASSIGNMENT / misbehaving.NOTEBOOK
    answers = notebooks.solution_answers(
        ROOT / course.SOLUTIONS / ASSIGNMENT / misbehaving.NOTEBOOK
    )
    variants = catalogue.load(ASSIGNMENT)
    wrong = [v for v in variants if not v.correct]
    right = [v for v in variants if v.correct]
    submitted = root / course.SUBMITTED
    kinds: dict[str, str] = {}
    bad = {b.name: b for b in misbehaving.MISBEHAVIOURS}
    n_bad = sum(MISBEHAVING.values())
    for name, count in MISBEHAVING.items():
        for k in range(count):
            student = f"{name}-{k}"
            bad[name].write(release, answers, submitted / student / ASSIGNMENT, root)
            kinds[student] = "misbehaving"
    n_rest = students - n_bad
    for i in range(n_rest):
        student = f"student-{i:03d}"
        filled = dict(answers)
        if i % 2 == 0:
            picks = rng.sample(right, 2)
            kinds[student] = "correct"
        else:
            picks = rng.sample(wrong, rng.choice([1, 2]))
            kinds[student] = "partly wrong"
        for v in picks:
            filled[v.function] = v.code
        notebooks.fill_in(release, filled, submitted / student / ASSIGNMENT / misbehaving.NOTEBOOK)
    return kinds


def plain_nbgrader(root: Path) -> int:
    """What grading was before: nbgrader autograde, feedback and export, one at a time.

    Returns how many nbgrader commands failed (autograde exits 1 when a submission breaks
    it, as the misbehaving ones do; the others are still graded).
    """
    with tempfile.TemporaryDirectory(dir=root / "autograder") as scratch:
        course.generate_release(root, ASSIGNMENT, str(Path(scratch).relative_to(root)), record=True)
    failed = 0
    for args in (
        ["autograde", ASSIGNMENT, "--force", f"--Execute.timeout={CELL_TIMEOUT}"],
        ["generate_feedback", ASSIGNMENT, "--force"],
        ["export", "--to=autograder/grades.csv"],
    ):
        try:
            course.nbgrader(root, *args)
        except RuntimeError:
            failed += 1
    return failed


def cpu_seconds() -> float:
    """User + system time of this process and every child it has waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        kinds = make_class(Path(tmp) / "plain", args.students)
        make_class(Path(tmp) / "ours", args.students)
        counts = {k: list(kinds.values()).count(k) for k in sorted(set(kinds.values()))}
        print(f"{args.students} submissions of {ASSIGNMENT}: {counts}")

        start, cpu = time.perf_counter(), cpu_seconds()
        with PeakMemory() as plain_mem:
            failed = plain_nbgrader(Path(tmp) / "plain")
        plain_s, plain_cpu = time.perf_counter() - start, cpu_seconds() - cpu
        print(f"plain nbgrader: {plain_s:.0f} s ({failed} nbgrader commands exited with errors)")

        limits = Limits(cell_timeout=CELL_TIMEOUT, submission_timeout=120)
        start, cpu = time.perf_counter(), cpu_seconds()
        with PeakMemory() as ours_mem:
            rows = grade_class(
                Path(tmp) / "ours", ASSIGNMENT, limits=limits, workers=args.workers, progress=False
            )
        ours_s, ours_cpu = time.perf_counter() - start, cpu_seconds() - cpu
        flagged = sum(1 for r in rows if r.flags)
        print(f"class grader: {ours_s:.0f} s ({flagged} submissions flagged)")

    n = args.students
    cores = os.cpu_count() or 1
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f} on {cores} cores")
    print(f"{'':<31}{'seconds':>8}{'subs/min':>9}{'CPU s/sub':>10}{'peak MiB':>9}")
    for label, wall, cpu, mem in (
        ("nbgrader autograde + feedback", plain_s, plain_cpu, plain_mem.peak),
        ("python -m autograder grade", ours_s, ours_cpu, ours_mem.peak),
    ):
        print(f"{label:<31}{wall:>8.0f}{60 * n / wall:>9.1f}{cpu / n:>10.2f}{mem / 2**20:>9.0f}")
    print(f"speed-up (wall clock): {plain_s / ours_s:.2f}x")
    # nbgrader keeps one core busy at a time, the grader all of them: on an idle machine their
    # rates are about 1 / (CPU per submission) and cores / (CPU per submission).
    plain_idle, ours_idle = 60 * n / plain_cpu, 60 * cores * n / ours_cpu
    print(
        f"from CPU time, on an idle machine: plain {plain_idle:.1f} subs/min, grader "
        f"{ours_idle:.1f} subs/min, {ours_idle / plain_idle:.2f}x"
    )


if __name__ == "__main__":
    main()
