"""Grade a whole class: prepare every submission, run them in parallel, save grades once.

1. The main process records the assignment's source in the gradebook, then, per
   submission, finds and reads its notebooks, restores the instructor's cells and inserts the
   guard cells (:mod:`~autograder.grading.prepare`).
2. Workers (:mod:`~autograder.grading.runners`) run each submission in its own working copy
   with a sandboxed kernel (:mod:`~autograder.grading.execute`).
3. The main process, the gradebook's only writer, saves each result with nbgrader's
   preprocessors as it arrives (:mod:`~autograder.grading.gradebook`), writes the graded
   notebooks, then generates feedback and exports the grades for the whole class.

Submitted files are only read, so running it again regrades from scratch and loses nothing.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.api import Gradebook
from tqdm import tqdm

from autograder import course, report
from autograder.grading import gradebook, hidden, prepare
from autograder.grading.execute import Job, Outcome
from autograder.grading.flags import Flag, describe, flags_path, listing
from autograder.grading.limits import Limits
from autograder.grading.locate import find_notebooks, read_notebook
from autograder.grading.runners import DaskRunner, LocalRunner


@dataclass
class Prepared:
    """One submission after phase 1: a job to run, or nothing left to run."""

    student: str
    job: Job | None
    flags: list[Flag] = field(default_factory=list)
    zero: list[str] = field(default_factory=list)  # notebooks scored zero without running
    renamed: dict[str, str] = field(default_factory=dict)


MAX_ATTEMPTS = 3  # runs of one submission when the worker running it dies


def _source_files(root: Path, assignment: str) -> dict[str, bytes]:
    """The assignment's files other than notebooks (data the notebooks may read)."""
    source = Path(root) / course.SOLUTIONS / assignment
    files = {}
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if path.is_file() and path.suffix != ".ipynb" and ".ipynb_checkpoints" not in rel.parts:
            files[str(rel)] = path.read_bytes()
    return files


def prepare_submission(
    folder: Path,
    releases: dict[str, NotebookNode],
    db_url: str,
    assignment: str,
    limits: Limits,
    files: dict[str, bytes],
    protected: list[str],
) -> Prepared:
    """Phase 1 for one submission folder: locate, read, restore and guard its notebooks."""
    student = folder.parent.name
    found, flags = find_notebooks(folder, sorted(releases))
    prepared = Prepared(student, None, list(flags))
    guarded: dict[str, str] = {}
    for name, path in found.items():
        if path is None:
            prepared.zero.append(name)
            continue
        if path.name != f"{name}.ipynb":
            prepared.renamed[name] = path.name
        nb, problem = read_notebook(path)
        if nb is None:
            prepared.flags.append(problem)
            prepared.zero.append(name)
            continue
        try:
            restored, restore_flags = prepare.restore_structure(nb, releases[name])
            restored = prepare.sanitize(restored, db_url, assignment, name)
        except Exception as err:  # a notebook too broken to restore is graded as missing
            prepared.flags.append(
                Flag("unreadable", f"{path.name} could not be restored ({err}): scored zero")
            )
            prepared.zero.append(name)
            continue
        prepared.flags += restore_flags
        guarded[name] = nbformat.writes(prepare.add_guards(restored))
    if guarded:
        prepared.job = Job(student, assignment, guarded, files, limits, protected)
    return prepared


def _write_graded(
    root: Path, assignment: str, student: str, notebooks: dict[str, NotebookNode]
) -> None:
    folder = Path(root) / course.AUTOGRADED / student / assignment
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, nb in notebooks.items():
        nbformat.write(nb, folder / f"{name}.ipynb")
    stamp = Path(root) / course.SUBMITTED / student / assignment / "timestamp.txt"
    if stamp.exists():
        shutil.copy(stamp, folder / "timestamp.txt")


def _failed(prepared: Prepared, err: BaseException) -> Outcome:
    reason = f"the grader failed on this submission ({type(err).__name__}: {err})"
    return Outcome(prepared.student, "", {}, [Flag("grader-error", reason, review=True)], 0.0)


def save_submission(
    root: Path,
    assignment: str,
    prepared: Prepared,
    outcome: Outcome | None,
    releases: dict[str, NotebookNode],
    gb: Gradebook,
    db_url: str,
    config,
) -> list[Flag]:
    """Phase 3 for one submission: grades into the gradebook ``gb`` (opened at ``db_url`` by
    :func:`gradebook.opened`), graded notebooks to disk."""
    submission = Path(root) / course.SUBMITTED / prepared.student / assignment
    timestamp, stamp_problem = gradebook.read_timestamp(submission)
    flags = list(prepared.flags)
    if stamp_problem:
        flags.append(Flag("timestamp", f"{stamp_problem}: graded as on time", review=True))
    gradebook.start_submission(gb, assignment, prepared.student, timestamp)
    executed = {
        name: nbformat.reads(text, as_version=4)
        for name, text in (outcome.notebooks if outcome else {}).items()
    }
    if outcome is not None:
        flags += outcome.flags
    for nb in executed.values():
        leaked = hidden.remove_hidden_lines(nb, hidden.hidden_only_lines(nb))
        if leaked:
            reason = f"hidden test source in the output of {listing(leaked, 4)}: removed"
            flags.append(Flag("tampering", reason, review=True))
    graded: dict[str, NotebookNode] = {}
    for name in sorted(releases):
        if name in executed:
            gradebook.save_grades(
                db_url, assignment, prepared.student, name, executed[name], config
            )
            graded[name] = executed[name]
        else:
            gradebook.save_zero(gb, assignment, prepared.student, name)
            graded[name] = releases[name]  # feedback shows the empty notebook
        if any(f.review for f in flags):
            gradebook.mark_for_review(gb, assignment, prepared.student, name)
    _write_graded(root, assignment, prepared.student, graded)
    return flags


def _record_release(root: Path, assignment: str) -> dict[str, NotebookNode]:
    """Record the source's cells in the gradebook; return the release notebooks."""
    with tempfile.TemporaryDirectory(dir=Path(root) / "autograder") as scratch:
        rel = str(Path(scratch).relative_to(root))
        folder = course.generate_release(root, assignment, rel, record=True)
        return {p.stem: nbformat.read(p, as_version=4) for p in sorted(folder.glob("*.ipynb"))}


def grade_class(
    root: Path,
    assignment: str,
    *,
    limits: Limits | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = True,
) -> list[report.SubmissionScores]:
    """Grade every ``autograder/submitted/*/ASSIGNMENT`` and write grades, feedback, CSVs.

    Parameters
    ----------
    root : Path
        The course root (holds ``nbgrader_config.py``).
    assignment : str
        The assignment's name (a folder under ``solutions/``).
    limits : Limits, optional
        Time, memory and output limits (defaults: :class:`Limits`).
    workers : int, optional
        Local worker processes (default: one per core). Ignored with ``scheduler``.
    scheduler : str, optional
        A Dask scheduler address (``tcp://host:8786``): run each submission there.
    progress : bool
        Show a progress bar on stderr.

    Returns
    -------
    list of SubmissionScores
        One row per graded student, with flags.
    """
    root = Path(root).resolve()
    limits = limits or Limits()
    if not (root / course.SOLUTIONS / assignment).is_dir():
        raise ValueError(f"no assignment {assignment!r} under {root / course.SOLUTIONS}")
    folders = sorted(p for p in (root / course.SUBMITTED).glob(f"*/{assignment}") if p.is_dir())
    if not folders:
        raise ValueError(f"no submissions of {assignment} under {course.SUBMITTED}/*/")
    config = gradebook.load_config(root)
    db_url = gradebook.database_url(root, config)
    gradebook.create(db_url)  # (before nbgrader would, in a slower way)
    releases = _record_release(root, assignment)
    files = _source_files(root, assignment)
    protected = [str(root)]

    def new_runner():
        return DaskRunner(scheduler) if scheduler else LocalRunner(workers)

    runner = new_runner()
    print(f"grading {len(folders)} submissions of {assignment} on {runner.where}", flush=True)
    all_flags: dict[str, list[Flag]] = {}
    bar = tqdm(total=len(folders), unit="sub", disable=not progress, file=sys.stderr)

    def save(prepared: Prepared, outcome: Outcome | None) -> None:
        all_flags[prepared.student] = save_submission(
            root, assignment, prepared, outcome, releases, gb, db_url, config
        )
        bar.set_postfix_str(prepared.student[-20:], refresh=False)
        bar.update()

    attempts: dict[str, int] = {}
    # One connection for the whole class, closed (all written) before feedback reads it.
    with gradebook.opened(db_url) as gb:
        try:
            # Phase 1 feeds the workers as it goes; phase 3 saves results as they come back.
            pending = {}
            for folder in folders:
                prepared = prepare_submission(
                    folder, releases, db_url, assignment, limits, files, protected
                )
                if prepared.job is None:
                    save(prepared, None)
                else:
                    pending[runner.submit(prepared.job)] = prepared
            while pending:
                retry = []
                for future in runner.as_completed(pending):
                    prepared = pending[future]
                    try:
                        outcome = future.result()
                    except Exception as err:  # a worker process died (run_job itself never raises)
                        attempts[prepared.student] = attempts.get(prepared.student, 0) + 1
                        if attempts[prepared.student] < MAX_ATTEMPTS:
                            retry.append(prepared)
                            continue
                        outcome = _failed(prepared, err)
                    save(prepared, outcome)
                pending = {}
                if retry:  # a local pool is broken once a worker dies: start a new one
                    runner.close()
                    runner = new_runner()
                    pending = {runner.submit(p.job): p for p in retry}
        finally:
            bar.close()
            runner.close()
    path = flags_path(root, assignment)
    path.write_text(
        json.dumps({s: [asdict(f) for f in fl] for s, fl in sorted(all_flags.items())}, indent=1)
    )
    feedback_processes = 1 if scheduler else getattr(runner, "workers", 1)
    course.generate_feedback(root, assignment, sorted(all_flags), feedback_processes)
    course.export_grades(root, "autograder/grades.csv")
    rows = report.read_scores(db_url, assignment)
    for row in rows:
        flags = all_flags.get(row.student, [])
        row.flags = describe(flags)
        row.needs_review = row.needs_review or any(f.review for f in flags)
    report.write_csv(rows, root / "autograder" / f"grades_{assignment}.csv")
    return rows
