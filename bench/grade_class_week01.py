"""Grade a class of 100 week-1 submissions with plain nbgrader and with the class grader.

    .venv/bin/python bench/grade_class_week01.py [--students 100] [--workers N [N ...]]

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
resident memory of every process it started, sampled every 0.2 s), and for both where a
submission's time goes: starting and stopping its kernel, running its cells (wall clock and
the kernel's CPU), the gradebook work of the main process (nbgrader's preprocessors other than
the execution), and its share of ``generate_feedback`` and ``export``. Plain nbgrader's split
comes from timers its scratch course's ``nbgrader_config.py`` installs (:func:`_time_nbgrader`),
the grader's from its workers' reports and timers around its main process's phases.
``--workers`` takes several counts (``--workers 1 2``): the class grader runs once per count.
Destructive misbehaviours (memory bombs, deleting files) are left out: plain nbgrader has no
defence against them. Numbers are recorded in the README.
"""

from __future__ import annotations

import argparse
import inspect
import json
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
from autograder.grading import grade, grade_class  # noqa: E402
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


def _time_nbgrader(path: str) -> None:
    """Installed by a scratch course's ``nbgrader_config.py``: time nbgrader's own steps.

    At exit the command appends one JSON line to ``path``: wall seconds starting and stopping
    kernels and running cells, the kernels' CPU seconds (ready, then running), and wall and
    CPU seconds of every other preprocessor (the gradebook work). Its source is copied into
    the config file, so it imports what it needs itself.
    """
    import atexit
    import json
    import sys
    import time

    import psutil
    from nbclient import NotebookClient
    from nbconvert.preprocessors import Preprocessor
    from nbgrader.preprocessors import Execute

    if getattr(Preprocessor, "_bench_timed", False):  # the config file is loaded twice
        return
    Preprocessor._bench_timed = True
    totals = dict.fromkeys(
        ["kernel_wall", "kernel_cpu", "execution_wall", "execution_cpu", "gradebook_wall"], 0.0
    )
    totals["gradebook_cpu"] = 0.0

    def cpu(client) -> float:
        try:
            times = psutil.Process(client.km.provisioner.pid).cpu_times()
        except Exception:  # noqa: BLE001 - gone already
            return 0.0
        return times.user + times.system

    def timed_kernel(method, on_end=None):
        def wrapper(self, *args, **kwargs):
            if on_end == "stop":
                totals["execution_cpu"] += max(0.0, cpu(self) - getattr(self, "_ready_cpu", 0.0))
            start = time.perf_counter()
            try:
                return method(self, *args, **kwargs)
            finally:
                totals["kernel_wall"] += time.perf_counter() - start
                if on_end == "ready":
                    self._ready_cpu = cpu(self)
                    totals["kernel_cpu"] += self._ready_cpu

        return wrapper

    NotebookClient.start_new_kernel = timed_kernel(NotebookClient.start_new_kernel)
    NotebookClient.start_new_kernel_client = timed_kernel(
        NotebookClient.start_new_kernel_client, "ready"
    )
    NotebookClient._cleanup_kernel = timed_kernel(NotebookClient._cleanup_kernel, "stop")
    call = Preprocessor.__call__

    def timed_call(self, nb, resources):
        start, start_cpu = time.perf_counter(), time.process_time()
        kernel_before = totals["kernel_wall"]
        try:
            return call(self, nb, resources)
        finally:
            wall = time.perf_counter() - start
            if isinstance(self, Execute):
                totals["execution_wall"] += wall - (totals["kernel_wall"] - kernel_before)
            else:
                totals["gradebook_wall"] += wall
                totals["gradebook_cpu"] += time.process_time() - start_cpu

    Preprocessor.__call__ = timed_call

    @atexit.register
    def report() -> None:
        with open(path, "a") as out:
            out.write(json.dumps({"command": sys.argv[1:2], **totals}) + "\n")


def _instrument(root: Path, path: Path) -> None:
    """Have every nbgrader command run in ``root`` time its steps into ``path``."""
    with open(root / "nbgrader_config.py", "a") as config:
        config.write(f"\n\n{inspect.getsource(_time_nbgrader)}\n_time_nbgrader({str(path)!r})\n")


class Split:
    """Where the time of a class went: wall and CPU seconds per step, summed."""

    STEPS = ("kernel", "execution", "gradebook", "feedback", "export")

    def __init__(self) -> None:
        self.wall = dict.fromkeys(self.STEPS, 0.0)
        self.cpu = dict.fromkeys(self.STEPS, 0.0)

    def add(self, timings: dict[str, float]) -> None:
        """Add ``{step_wall: s, step_cpu: s}`` entries."""
        for key, value in timings.items():
            step, kind = key.rsplit("_", 1)
            if step in self.wall:
                (self.wall if kind == "wall" else self.cpu)[step] += value

    def step(self, name: str):
        """A context manager adding its wall and (own and waited children's) CPU time."""
        split = self

        class _Step:
            def __enter__(self):
                self.start, self.cpu = time.perf_counter(), cpu_seconds()

            def __exit__(self, *exc):
                split.add(
                    {
                        f"{name}_wall": time.perf_counter() - self.start,
                        f"{name}_cpu": cpu_seconds() - self.cpu,
                    }
                )

        return _Step()


def plain_nbgrader(root: Path, split: Split) -> int:
    """What grading was before: nbgrader autograde, feedback and export, one at a time.

    Returns how many nbgrader commands failed (autograde exits 1 when a submission breaks
    it, as the misbehaving ones do; the others are still graded).
    """
    with tempfile.TemporaryDirectory(dir=root / "autograder") as scratch:
        course.generate_release(root, ASSIGNMENT, str(Path(scratch).relative_to(root)), record=True)
    timings = root / "autograder" / "timings.jsonl"
    _instrument(root, timings)
    failed = 0
    for step, args in (
        (None, ["autograde", ASSIGNMENT, "--force", f"--Execute.timeout={CELL_TIMEOUT}"]),
        ("feedback", ["generate_feedback", ASSIGNMENT, "--force"]),
        ("export", ["export", "--to=autograder/grades.csv"]),
    ):
        try:
            if step is None:
                course.nbgrader(root, *args)
            else:
                with split.step(step):
                    course.nbgrader(root, *args)
        except RuntimeError:
            failed += 1
    for line in timings.read_text().splitlines():
        entry = json.loads(line)
        if entry.pop("command") == ["autograde"]:
            split.add(entry)
    return failed


def class_grader(root: Path, workers: int | None, split: Split) -> list:
    """``python -m autograder grade``'s own function, with timers around its steps."""
    prepare, save = grade.prepare_submission, grade.save_submission
    feedback, export = course.generate_feedback, course.export_grades

    def timed(function, step):
        def wrapper(*args, **kwargs):
            with split.step(step):
                return function(*args, **kwargs)

        return wrapper

    def saved(root, assignment, prepared, outcome, *args):
        if outcome is not None:
            split.add(outcome.timings)
        return save(root, assignment, prepared, outcome, *args)

    limits = Limits(cell_timeout=CELL_TIMEOUT, submission_timeout=120)
    try:
        grade.prepare_submission = timed(prepare, "gradebook")
        grade.save_submission = timed(saved, "gradebook")
        course.generate_feedback = timed(feedback, "feedback")
        course.export_grades = timed(export, "export")
        return grade_class(root, ASSIGNMENT, limits=limits, workers=workers, progress=False)
    finally:
        grade.prepare_submission, grade.save_submission = prepare, save
        course.generate_feedback, course.export_grades = feedback, export


def cpu_seconds() -> float:
    """User + system time of this process and every child it has waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def print_split(runs: list[tuple[str, Split, float]], n: int) -> None:
    """Per submission: wall and CPU seconds of each step; the rest of the CPU time."""
    print("\nper submission, wall s / CPU s (kernel: its own CPU; gradebook: the main process's)")
    header = "".join(f"{s:>17}" for s in Split.STEPS)
    print(f"{'':<31}{header}{'other CPU':>11}")
    for label, split, total_cpu in runs:
        cells = "".join(
            f"{split.wall[s] / n:>8.2f} /{split.cpu[s] / n:>6.2f}  " for s in Split.STEPS
        )
        other = total_cpu - sum(split.cpu.values())
        print(f"{label:<31}{cells}{other / n:>9.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--workers", type=int, nargs="+", default=[None])
    parser.add_argument(
        "--grader-only", action="store_true", help="skip plain nbgrader (for development runs)"
    )
    args = parser.parse_args()
    n = args.students
    results = []  # (label, wall, cpu, peak memory, split)
    with tempfile.TemporaryDirectory() as tmp:
        kinds = make_class(Path(tmp) / "plain", n)
        counts = {k: list(kinds.values()).count(k) for k in sorted(set(kinds.values()))}
        print(f"{n} submissions of {ASSIGNMENT}: {counts}")

        if not args.grader_only:
            split = Split()
            start, cpu = time.perf_counter(), cpu_seconds()
            with PeakMemory() as mem:
                failed = plain_nbgrader(Path(tmp) / "plain", split)
            wall = time.perf_counter() - start
            label = "nbgrader autograde + feedback"
            results.append((label, wall, cpu_seconds() - cpu, mem.peak, split))
            print(f"plain nbgrader: {wall:.0f} s ({failed} nbgrader commands exited with errors)")

        for workers in args.workers:
            root = Path(tmp) / f"ours-{workers}"
            make_class(root, n)
            split = Split()
            start, cpu = time.perf_counter(), cpu_seconds()
            with PeakMemory() as mem:
                rows = class_grader(root, workers, split)
            wall = time.perf_counter() - start
            label = f"python -m autograder grade ({workers or os.cpu_count()} w)"
            results.append((label, wall, cpu_seconds() - cpu, mem.peak, split))
            flagged = sum(1 for r in rows if r.flags)
            print(f"class grader, {workers} workers: {wall:.0f} s ({flagged} submissions flagged)")

    cores = os.cpu_count() or 1
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f} on {cores} cores")
    print(f"{'':<31}{'seconds':>8}{'subs/min':>9}{'CPU s/sub':>10}{'peak MiB':>9}")
    for label, wall, cpu, mem, _ in results:
        print(f"{label:<31}{wall:>8.0f}{60 * n / wall:>9.1f}{cpu / n:>10.2f}{mem / 2**20:>9.0f}")
    print_split([(label, split, cpu) for label, _, cpu, _, split in results], n)
    if args.grader_only:
        return
    plain_wall, plain_cpu = results[0][1], results[0][2]
    for (label, wall, cpu, _, _), workers in zip(results[1:], args.workers, strict=True):
        # nbgrader keeps one core busy at a time, the grader one per worker: on an idle
        # machine their rates are about 1 and min(workers, cores) / (CPU per submission).
        used = min(workers or cores, cores)
        plain_idle, ours_idle = 60 * n / plain_cpu, 60 * used * n / cpu
        print(
            f"{label}: speed-up {plain_wall / wall:.2f}x by wall clock; from CPU time, on an "
            f"idle machine: {plain_idle:.1f} vs {ours_idle:.1f} subs/min "
            f"({ours_idle / plain_idle:.2f}x)"
        )


if __name__ == "__main__":
    main()
