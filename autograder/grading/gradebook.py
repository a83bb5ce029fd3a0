"""The single writer: grades, late penalties and review marks go into nbgrader's gradebook.

Only the grading command's main process calls these functions, one submission at a time, so
SQLite never sees two writers. Scores are computed by nbgrader's own preprocessors
(``SaveAutoGrades``, ``AssignLatePenalties``), exactly as ``nbgrader autograde`` would.

The main process opens the gradebook once for the whole class (:func:`opened`), and nbgrader's
preprocessors use that connection too: each of them would otherwise open and set up a new one
(engine, table checks, course check, and SQLAlchemy's statement cache lost) on every call:
five connections per submission.
"""

from __future__ import annotations

import datetime
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic.script import ScriptDirectory
from nbformat import NotebookNode
from nbgrader.api import Base, Gradebook
from nbgrader.dbutil import ALEMBIC_DIR
from nbgrader.preprocessors import (
    AssignLatePenalties,
    SaveAutoGrades,
    latesubmissions,
    overwritecells,
    overwritekernelspec,
    saveautogrades,
)
from nbgrader.utils import parse_utc
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import SAWarning
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader


def load_config(root: Path) -> Config:
    """The course's ``nbgrader_config.py`` (empty when there is none)."""
    path = Path(root) / "nbgrader_config.py"
    if not path.exists():
        return Config()
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


def database_url(root: Path, config: Config) -> str:
    """The gradebook's URL, with a relative SQLite path made absolute against ``root``."""
    url = config.CourseDirectory.get("db_url", "sqlite:///gradebook.db")
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url[len(prefix) :].startswith("/"):
        return prefix + str((Path(root) / url[len(prefix) :]).resolve())
    return url


def create(db_url: str) -> None:
    """Create the gradebook at ``db_url`` as nbgrader does, unless it has tables already.

    nbgrader's ``Gradebook`` does the same the first time it opens a database, but finds the
    schema's revision by running ``alembic heads`` in a new process, which costs 6 CPU s here
    (a fresh interpreter importing nbgrader and jsonschema) for every new gradebook. The
    revision is read here from nbgrader's own migration scripts, in this process.
    """
    engine = create_engine(db_url, future=True)
    try:
        if inspect(engine).get_table_names():
            return
        (head,) = ScriptDirectory(ALEMBIC_DIR).get_heads()
        Base.metadata.create_all(bind=engine)
        with engine.begin() as connection:
            connection.execute(
                text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
            )
            connection.execute(
                text("INSERT INTO alembic_version (version_num) VALUES (:head)"), {"head": head}
            )
    finally:
        engine.dispose()


# The nbgrader modules whose preprocessors the grader runs and which open a gradebook by name.
_OPENERS = (saveautogrades, latesubmissions, overwritecells, overwritekernelspec)


class _Borrowed:
    """The class's open gradebook, lent to one nbgrader preprocessor: closing it does nothing
    (but roll back what the preprocessor left unfinished when it failed)."""

    def __init__(self, gradebook: Gradebook) -> None:
        self._gradebook = gradebook

    def __getattr__(self, name: str):
        return getattr(self._gradebook, name)

    def __enter__(self) -> _Borrowed:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is not None:
            self._gradebook.db.rollback()

    def close(self) -> None:
        pass


@contextmanager
def opened(db_url: str) -> Iterator[Gradebook]:
    """The gradebook at ``db_url``, open for a whole class; nbgrader's preprocessors share it.

    While the context is active, the preprocessors of :data:`_OPENERS` get this connection
    where they would open their own (their code is nbgrader's, unchanged). Only the grading
    command's main process, the gradebook's single writer, enters it.
    """
    with Gradebook(db_url) as gb:
        originals = [module.Gradebook for module in _OPENERS]

        def lend(url: str, *args, **kwargs) -> _Borrowed:
            if url != db_url:
                raise ValueError(f"the class's gradebook is {db_url}, not {url}")
            return _Borrowed(gb)

        for module in _OPENERS:
            module.Gradebook = lend
        try:
            yield gb
        finally:
            for module, original in zip(_OPENERS, originals, strict=True):
                module.Gradebook = original


def read_timestamp(submission: Path) -> tuple[datetime.datetime | None, str | None]:
    """The submission time from nbgrader's ``timestamp.txt``, and a problem if it is bad."""
    path = submission / "timestamp.txt"
    if not path.exists():
        return None, None
    text = path.read_text(errors="replace").strip()
    if not text:
        return None, "timestamp.txt is empty"
    try:
        return parse_utc(text), None
    except (ValueError, OverflowError):
        return None, f"timestamp.txt does not hold a time ({text[:40]!r})"


def start_submission(
    gb: Gradebook, assignment: str, student: str, timestamp: datetime.datetime | None
) -> None:
    """Create or update the student and their submission, with its timestamp.

    ``timestamp`` None (no readable ``timestamp.txt``) clears the one a previous grading
    stored: grades come from the submitted files alone, and a late penalty from a timestamp
    that is no longer there would contradict "graded as on time".
    """
    # nbgrader warns about its own autoflush on every new submission: noise, not a problem.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)
        gb.update_or_create_student(student)
        if timestamp is not None:
            gb.update_or_create_submission(assignment, student, timestamp=timestamp)
        else:
            submission = gb.update_or_create_submission(assignment, student)
            if submission.timestamp is not None:
                submission.timestamp = None
                gb.db.commit()


def _resources(db_url: str, assignment: str, student: str, notebook_id: str) -> dict:
    return {
        "nbgrader": {
            "notebook": notebook_id,
            "assignment": assignment,
            "student": student,
            "db_url": db_url,
        }
    }


def save_grades(
    db_url: str,
    assignment: str,
    student: str,
    notebook_id: str,
    notebook: NotebookNode,
    config: Config,
) -> None:
    """Score an executed notebook's graded cells and apply the late penalty, as nbgrader does."""
    resources = _resources(db_url, assignment, student, notebook_id)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)
        for preprocessor in (SaveAutoGrades(config=config), AssignLatePenalties(config=config)):
            notebook, resources = preprocessor.preprocess(notebook, resources)


def save_zero(gb: Gradebook, assignment: str, student: str, notebook_id: str) -> None:
    """Zero every graded cell of a notebook that could not be run (missing, unreadable)."""
    submitted = gb.find_submission_notebook(notebook_id, assignment, student)
    for grade in submitted.grades:
        grade.auto_score = 0
        grade.needs_manual_grade = grade.manual_score is not None
    submitted.late_submission_penalty = None
    gb.db.commit()


def mark_for_review(gb: Gradebook, assignment: str, student: str, notebook_id: str) -> None:
    """Mark a notebook's grades as needing manual grading, so the formgrader lists it."""
    submitted = gb.find_submission_notebook(notebook_id, assignment, student)
    for grade in submitted.grades:
        grade.needs_manual_grade = True
    gb.db.commit()
