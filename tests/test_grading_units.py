"""Unit tests of the class grader's small pieces: limits, locating, restoring, reporting."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import nbformat
import numpy as np
import pytest

import dlcourse.testing
from autograder import catalogue, course, notebooks, report, samples
from autograder.__main__ import main
from autograder.grading import execute, gradebook, hidden, prepare, template
from autograder.grading.execute import KERNEL_STARTS, Job, KernelStartError, _read_report, run_job
from autograder.grading.flags import Flag, describe
from autograder.grading.gradebook import database_url, read_timestamp
from autograder.grading.limits import Limits, parse_duration, parse_size
from autograder.grading.locate import find_notebooks, read_notebook
from autograder.notebooks import grade_id

REPO = course.REPO_ROOT
RELEASE = REPO / course.EXERCISES / "week01_linear_regression" / "linear_regression.ipynb"
SOURCE = REPO / course.SOLUTIONS / "week01_linear_regression" / "linear_regression.ipynb"


# ------------------------------------------------------------------------------ limits


@pytest.mark.parametrize(
    ("text", "expected"),
    [("4096", 4096), ("512M", 512 * 2**20), ("2G", 2 * 2**30), ("1.5GiB", 3 * 2**29), (0, 0)],
)
def test_parse_size(text, expected):
    assert parse_size(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("90", 90.0), ("30s", 30.0), ("2m", 120.0), ("1h", 3600.0), (1.5, 1.5)]
)
def test_parse_duration(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("bad", ["", "lots", "-1G", "2 bananas"])
def test_parse_size_rejects_nonsense(bad):
    with pytest.raises(ValueError, match="size"):
        parse_size(bad)


@pytest.mark.parametrize("bad", ["", "soon", "0", "-5s"])
def test_parse_duration_rejects_nonsense(bad):
    with pytest.raises(ValueError, match="duration"):
        parse_duration(bad)


def test_parse_rejects_wrong_types():
    with pytest.raises(TypeError):
        parse_size(True)
    with pytest.raises(TypeError):
        parse_duration([3])


def test_limits_validate():
    with pytest.raises(ValueError, match="cell_timeout"):
        Limits(cell_timeout=0)
    with pytest.raises(ValueError, match="memory_bytes"):
        Limits(memory_bytes=-1)


def test_command_line_rejects_bad_limits(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["grade", "week01_linear_regression", "--memory-limit", "lots"])
    assert exit_info.value.code == 2
    assert "not a size" in capsys.readouterr().err


# ------------------------------------------------------------------------------ locate


def _touch(folder: Path, *names: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_text("{}")


def test_find_notebooks_exact_name(tmp_path):
    _touch(tmp_path, "linear_regression.ipynb", "notes.txt")
    found, flags = find_notebooks(tmp_path, ["linear_regression"])
    assert found == {"linear_regression": tmp_path / "linear_regression.ipynb"}
    assert flags == []


def test_find_notebooks_accepts_a_single_renamed_notebook(tmp_path):
    _touch(tmp_path, "linear_regression (1).ipynb")
    found, flags = find_notebooks(tmp_path, ["linear_regression"])
    assert found["linear_regression"] == tmp_path / "linear_regression (1).ipynb"
    assert [f.code for f in flags] == ["renamed"]
    assert "linear_regression (1).ipynb" in flags[0].reason


def test_find_notebooks_will_not_guess_between_several(tmp_path):
    _touch(tmp_path, "a.ipynb", "b.ipynb")
    found, flags = find_notebooks(tmp_path, ["linear_regression"])
    assert found == {"linear_regression": None}
    assert [f.code for f in flags] == ["missing"]
    assert "'a.ipynb'" in flags[0].reason


def test_find_notebooks_missing(tmp_path):
    tmp_path.joinpath("answers.py").write_text("")
    found, flags = find_notebooks(tmp_path, ["linear_regression"])
    assert found == {"linear_regression": None}
    assert flags[0].code == "missing"


def test_find_notebooks_bad_arguments(tmp_path):
    with pytest.raises(TypeError):
        find_notebooks(str(tmp_path), ["x"])
    with pytest.raises(ValueError):
        find_notebooks(tmp_path, [])


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("", "empty"),
        ('{"cells": [', "truncated"),
        ("{nope}", "invalid JSON"),
        ("[1, 2]", "not a notebook"),
        (b"\xff\xfe\x00", "UTF-8"),
    ],
)
def test_read_notebook_explains_what_is_wrong(tmp_path, content, words):
    path = tmp_path / "nb.ipynb"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    nb, flag = read_notebook(path)
    assert nb is None
    assert flag.code == "unreadable"
    assert words in flag.reason


def test_read_notebook_reads_a_real_one():
    nb, flag = read_notebook(RELEASE)
    assert flag is None
    assert nb.cells


# ------------------------------------------------------------------------------ prepare


def _release():
    return nbformat.read(RELEASE, as_version=4)


def _ids(nb):
    return [grade_id(c) for c in nb.cells]


def _cell(nb, gid):
    return next(c for c in nb.cells if grade_id(c) == gid)


def test_grade_id_reads_notebook_cells_and_plain_dicts():
    cell = next(c for c in _release().cells if c.metadata.get("nbgrader"))
    expected = cell.metadata["nbgrader"]["grade_id"]
    assert grade_id(cell) == expected
    assert grade_id(json.loads(json.dumps(cell))) == expected  # a cell parsed as JSON
    assert grade_id({"cell_type": "code", "metadata": {}, "source": ""}) is None
    assert grade_id({"cell_type": "code", "source": ""}) is None


def test_restore_keeps_an_untouched_release_as_it_is():
    nb, flags = prepare.restore_structure(_release(), _release())
    assert flags == []
    assert [c.source for c in nb.cells] == [c.source for c in _release().cells]


def test_restore_puts_back_deleted_edited_and_moved_cells():
    release = _release()
    sub = _release()
    sub.cells = [c for c in sub.cells if grade_id(c) != "test_linear_cost"]
    edited = next(c for c in sub.cells if grade_id(c) == "test_standardize")
    edited.source = "pass"
    moved = next(c for c in sub.cells if grade_id(c) == "test_normal_equation")
    sub.cells.remove(moved)
    sub.cells.insert(1, moved)
    scratch = nbformat.v4.new_code_cell("helper = 1")
    sub.cells.insert(5, scratch)
    nb, flags = prepare.restore_structure(sub, release)
    assert [i for i in _ids(nb) if i] == [i for i in _ids(release) if i]
    assert _cell(nb, "test_standardize").source == _cell(release, "test_standardize").source
    assert any(c.source == "helper = 1" for c in nb.cells), "a student's own cell was lost"
    text = describe(flags)
    assert "deleted test cells test_linear_cost" in text
    assert "edited test cells test_standardize" in text
    assert "original order" in text


def test_restore_keeps_answers_and_drops_duplicated_tests():
    answers = notebooks.solution_answers(SOURCE)
    sub = _release()
    for cell in sub.cells:
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    copy = next(c for c in sub.cells if grade_id(c) == "test_linear_predict")
    sub.cells.append(nbformat.from_dict(json.loads(json.dumps(copy))))
    nb, _ = prepare.restore_structure(sub, _release())
    assert _ids(nb).count("test_linear_predict") == 1
    predict = next(c for c in nb.cells if grade_id(c) == "linear_predict")
    assert predict.source == answers["linear_predict"]


def test_imported_names_of_the_instructor_cells():
    names = prepare.imported_names(_release())
    assert ("np", "numpy", None) in names
    assert ("assert_close", "dlcourse.testing", "assert_close") in names
    assert ("plt", "matplotlib.pyplot", None) in names
    # An import over several lines (weeks 2 and 3) counts too.
    week2 = REPO / course.EXERCISES / "week02_classification" / "classification.ipynb"
    names = prepare.imported_names(nbformat.read(week2, as_version=4))
    assert ("expect_tuple", "dlcourse.testing", "expect_tuple") in names


def test_only_the_imports_of_cells_that_run_are_rebound_before_each_test():
    # Week 5's closing cells (after its last graded cell, not run by the grader) import the
    # training demo and tqdm; the guards must not import them before every test.
    week5 = REPO / course.EXERCISES / "week05_training" / "training.ipynb"
    release = nbformat.read(week5, as_version=4)
    everywhere = prepare.imported_names(release)
    assert ("train_digits_with", "dlcourse.optimizer_demo", "train_digits_with") in everywhere
    arm = prepare.add_guards(release).cells[0].source
    assert "dlcourse.testing" in arm
    assert "optimizer_demo" not in arm and "tqdm" not in arm, arm


def test_guards_wrap_every_test_and_strip_cleanly():
    release = _release()
    guarded = prepare.add_guards(release)
    tests = [i for i in _ids(release) if i and i.startswith("test_")]
    assert prepare.guard_labels(guarded) == [*tests, prepare.END_LABEL]
    assert "autograder.arm" in guarded.cells[0].source
    stripped = prepare.strip_guards(guarded)
    assert [c.source for c in stripped.cells] == [c.source for c in release.cells]


def test_a_graded_test_runs_in_a_namespace_of_its_own():
    """Its variables never reach the notebook's namespace, where student code could read them."""
    test = _cell(nbformat.read(SOURCE, as_version=4), "test_linear_cost")
    wrapped = prepare._isolated(test)
    assert "BEGIN HIDDEN TESTS" not in wrapped.source.splitlines()[0]
    seen = {}

    def linear_cost(X, y, w, b):
        seen.update(caller_globals=set(namespace))  # what a student's globals() would show
        return float((X @ w + b - y) @ (X @ w + b - y)) / (2 * len(y))

    namespace = {"__builtins__": __builtins__, "np": np, "linear_cost": linear_cost}
    namespace |= {
        n: getattr(dlcourse.testing, n) for n in ("assert_close", "call_without_mutation")
    }
    before = set(namespace)
    exec(compile(wrapped.source, "<cell>", "exec"), namespace)
    assert set(namespace) == before, "the test's names leaked into the notebook's namespace"
    # While it runs, the student sees only the wrapper (whose code holds no test source).
    assert seen["caller_globals"] == before | {"__graded_test"}
    # ...and it still fails a wrong answer.
    namespace["linear_cost"] = lambda X, y, w, b: 0.0
    with pytest.raises(AssertionError, match="linear_cost"):
        exec(compile(wrapped.source, "<cell>", "exec"), namespace)
    guarded = prepare.add_guards(_release())
    assert sum(prepare.SOURCE_KEY in c.metadata for c in guarded.cells) == 6


def test_a_warning_in_a_graded_test_is_not_printed():
    """nbgrader fails a test cell with stderr output; a right answer that warns keeps its points."""
    import warnings

    cell = nbformat.v4.new_code_cell("import warnings\nwarnings.warn('mine')\nx = 1")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "test_x", "points": 1}
    shown = []
    for source, expected in ((cell.source, 1), (prepare._isolated(cell).source, 0)):
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.showwarning = lambda *args, **kwargs: shown.append(args)
            exec(compile(source, "<cell>", "exec"), {"__builtins__": __builtins__})
        assert len(shown) == expected
        shown.clear()


# ------------------------------------------------------------------------------ hidden lines


def _graded_notebook(*outputs) -> nbformat.NotebookNode:
    source = nbformat.read(SOURCE, as_version=4)
    _cell(source, "linear_predict").outputs = list(outputs)
    return source


def test_hidden_only_lines_leave_out_what_the_release_shows():
    lines = hidden.hidden_only_lines(nbformat.read(SOURCE, as_version=4))
    assert "rng = np.random.default_rng(101)" in lines
    shown = {hidden.normalize(line) for c in _release().cells for line in c.source.splitlines()}
    assert not lines & shown
    assert all(len(line.replace(" ", "")) >= hidden.MIN_CHARS for line in lines)
    assert hidden.hidden_only_lines(_release()) == set()


def test_hidden_lines_are_removed_from_every_kind_of_output():
    leak = "    rng = np.random.default_rng(101)\n"
    nb = _graded_notebook(
        nbformat.v4.new_output("stream", name="stdout", text=f"ok\n{leak}{leak}still ok\n"),
        nbformat.v4.new_output(
            "error",
            ename="ValueError",
            evalue="no",
            traceback=[f"\x1b[0;31m{leak}\x1b[0m", "kept"],
        ),
        nbformat.v4.new_output(
            "display_data",
            data={
                "text/plain": repr(leak + "X = rng.normal(size=(m, n))"),
                "text/html": "<b>" + leak + "</b>",
            },
        ),
    )
    lines = hidden.hidden_only_lines(nb)
    assert hidden.remove_hidden_lines(nb, lines) == ["linear_predict"]
    stream, error, display = _cell(nb, "linear_predict").outputs
    assert stream.text == f"ok\n{hidden.REMOVED}\nstill ok\n"  # one marker for the run
    assert error.traceback[0].startswith(hidden.REMOVED) and error.traceback[1] == "kept"
    assert "default_rng" not in error.traceback[0]
    assert hidden.REMOVED in display.data["text/plain"]  # a repr of the cell, on one line
    assert "default_rng" not in display.data["text/html"]
    assert hidden.remove_hidden_lines(nb, lines) == [], "a second pass finds nothing"


def test_visible_lines_and_ordinary_output_are_kept():
    visible = "X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])\n"
    nb = _graded_notebook(
        nbformat.v4.new_output("stream", name="stdout", text=visible + "cost 0.33\n)\n")
    )
    assert hidden.remove_hidden_lines(nb, hidden.hidden_only_lines(nb)) == []
    assert _cell(nb, "linear_predict").outputs[0].text == visible + "cost 0.33\n)\n"


# ------------------------------------------------------------------------------ samples


def test_graded_functions_are_listed_in_notebook_order():
    assert samples.graded_functions(SOURCE) == [
        "linear_predict",
        "linear_cost",
        "linear_gradients",
        "gradient_descent",
        "standardize",
        "normal_equation",
    ]


def test_two_mistakes_are_the_first_wrong_variants_of_the_last_two_functions():
    answers = samples.sample_answers("week01_linear_regression", SOURCE)
    solution = notebooks.solution_answers(SOURCE)
    changed = {f for f, code in answers[samples.TWO_MISTAKES].items() if code != solution[f]}
    assert changed == {"standardize", "normal_equation"}
    assert "ddof=1" in answers[samples.TWO_MISTAKES]["standardize"]
    assert answers[samples.FULL_MARKS] == solution


@pytest.mark.parametrize(
    ("keep", "words"),
    [
        (lambda v: v.correct or v.function != "normal_equation", "no wrong variant of"),
        (lambda v: not v.correct or v.function != "linear_cost", "no correct alternative of"),
    ],
)
def test_samples_say_what_the_catalogue_lacks(monkeypatch, keep, words):
    variants = [v for v in catalogue.load("week01_linear_regression") if keep(v)]
    monkeypatch.setattr(catalogue, "load", lambda assignment: variants)
    with pytest.raises(ValueError, match=words):
        samples.sample_answers("week01_linear_regression", SOURCE)


def test_samples_command_rebuilds_an_assignments_samples(tmp_path, capsys):
    root = tmp_path / "course"
    (root / "autograder").mkdir(parents=True)
    (root / "nbgrader_config.py").write_bytes((REPO / "nbgrader_config.py").read_bytes())
    week = "week01_linear_regression"
    (root / course.SOLUTIONS / week).mkdir(parents=True)
    (root / course.SOLUTIONS / week / SOURCE.name).write_bytes(SOURCE.read_bytes())
    stale = root / course.SUBMITTED / samples.TWO_MISTAKES / week / "old.ipynb"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}")
    main(["--root", str(root), "samples", week])
    assert "wrote autograder/submitted/sample-two-mistakes/" in capsys.readouterr().out
    for student in samples.STUDENTS:
        written = sorted(p.name for p in (root / course.SUBMITTED / student / week).iterdir())
        assert written == [SOURCE.name], f"{student}: {written}"
    assert not list((root / "autograder").glob("tmp*")), "the scratch release was left behind"


# ------------------------------------------------------------------------------ reporting


def test_report_signatures_are_checked(tmp_path):
    import hashlib
    import hmac

    key = b"k" * 32
    entry = json.dumps({"kind": "armed"})
    good = {"entry": entry, "mac": hmac.new(key, entry.encode(), hashlib.sha256).hexdigest()}
    forged = {"entry": json.dumps({"kind": "check", "changed": []}), "mac": "0" * 64}
    path = tmp_path / "report.jsonl"
    path.write_text(json.dumps(good) + "\n")
    assert _read_report(path, key) == ([{"kind": "armed"}], False)
    path.write_text(json.dumps(good) + "\n" + json.dumps(forged) + "\n")
    assert _read_report(path, key) == ([{"kind": "armed"}], True)


def test_csv_has_flags_and_review_columns(tmp_path):
    rows = [
        report.SubmissionScores("ann", 13, 13, {"test_a": 13}),
        report.SubmissionScores(
            "bob", 0, 13, {"test_a": 0}, True, describe([Flag("missing", "no notebook")])
        ),
    ]
    path = report.write_csv(rows, tmp_path / "g.csv")
    got = list(csv.DictReader(open(path)))
    assert got[0]["flags"] == "" and got[0]["needs_review"] == "0"
    assert got[1]["flags"] == "missing: no notebook" and got[1]["needs_review"] == "1"
    table = report.format_table(rows)
    assert "bob!" in table.replace(" ", "")
    assert "missing: no notebook" in table


def test_regrading_without_a_readable_timestamp_drops_the_old_one(tmp_path):
    """A regrade takes the time from the submitted files alone: a late time stored by the
    last grading must not keep its penalty once ``timestamp.txt`` is gone or unreadable."""
    import datetime

    db_url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    gradebook.create(db_url)
    due = datetime.datetime(2030, 1, 1, 12, 0)
    with gradebook.opened(db_url) as gb:
        gb.update_or_create_assignment("week01", duedate=due)
        gradebook.start_submission(gb, "week01", "s1", due + datetime.timedelta(days=1))
        assert gb.find_submission("week01", "s1").total_seconds_late == 86400
        gradebook.start_submission(gb, "week01", "s1", None)
        submission = gb.find_submission("week01", "s1")
        assert submission.timestamp is None
        assert submission.total_seconds_late == 0
        gradebook.start_submission(gb, "week01", "s1", due - datetime.timedelta(hours=1))
        assert gb.find_submission("week01", "s1").total_seconds_late == 0


def test_timestamps_and_database_url(tmp_path):
    assert read_timestamp(tmp_path) == (None, None)
    (tmp_path / "timestamp.txt").write_text("2030-01-02 03:04:05 UTC")
    stamp, problem = read_timestamp(tmp_path)
    assert (stamp.year, stamp.hour, problem) == (2030, 3, None)
    (tmp_path / "timestamp.txt").write_text("yesterday-ish")
    assert read_timestamp(tmp_path)[0] is None
    assert "does not hold a time" in read_timestamp(tmp_path)[1]
    from traitlets.config import Config

    config = Config()
    config.CourseDirectory.db_url = "sqlite:///autograder/gradebook.db"
    assert (
        database_url(tmp_path, config) == f"sqlite:///{tmp_path.resolve()}/autograder/gradebook.db"
    )


def test_a_new_gradebook_is_made_as_nbgrader_makes_it(tmp_path, monkeypatch):
    import nbgrader.api
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR
    from sqlalchemy import create_engine, inspect, text

    url = f"sqlite:///{tmp_path}/gradebook.db"
    gradebook.create(url)
    engine = create_engine(url)
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    engine.dispose()
    assert tables == set(nbgrader.api.Base.metadata.tables) | {"alembic_version"}
    assert [v for (v,) in versions] == list(ScriptDirectory(ALEMBIC_DIR).get_heads())

    def no_alembic():
        raise AssertionError("nbgrader took the gradebook for a new one")

    # nbgrader uses it as its own: it neither sets it up again nor asks alembic.
    monkeypatch.setattr(nbgrader.api, "get_alembic_version", no_alembic)
    with nbgrader.api.Gradebook(url) as gb:
        gb.add_student("someone")
    gradebook.create(url)  # an existing gradebook is left as it is
    with nbgrader.api.Gradebook(url) as gb:
        assert [s.id for s in gb.students] == ["someone"]


def test_nbgraders_preprocessors_share_the_classs_gradebook(tmp_path):
    import nbgrader.api
    from nbgrader.preprocessors import overwritecells, saveautogrades

    url = f"sqlite:///{tmp_path}/gradebook.db"
    gradebook.create(url)
    with gradebook.opened(url) as gb:
        with saveautogrades.Gradebook(url) as lent:
            lent.add_student("kept")
        assert gb.db.get(nbgrader.api.Student, "kept") is not None, "closing it closed ours"
        with pytest.raises(RuntimeError), overwritecells.Gradebook(url) as lent:
            lent.db.add(nbgrader.api.Student(id="half-done"))
            raise RuntimeError("a preprocessor failed")
        assert [s.id for s in gb.students] == ["kept"], "a failure's leftovers were kept"
        with pytest.raises(ValueError):
            saveautogrades.Gradebook(f"sqlite:///{tmp_path}/another.db")
    assert saveautogrades.Gradebook is overwritecells.Gradebook is nbgrader.api.Gradebook


# ------------------------------------------------------------------------ kernel starts


def _guarded_job(limits: Limits) -> Job:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("assert x == 1", metadata={"nbgrader": _GRADED}),
    ]
    return Job("student", "week", {"nb": nbformat.writes(prepare.add_guards(nb))}, limits=limits)


_GRADED = {"grade": True, "solution": False, "locked": True, "grade_id": "t", "points": 1}


def test_a_kernel_that_never_starts_scores_zero_and_asks_for_review(tmp_path):
    # 64 MiB of address space is too little for the kernel to import NumPy: it dies at start.
    outcome = run_job(_guarded_job(Limits(memory_bytes=64 * 2**20)), scratch=str(tmp_path))
    nb = nbformat.reads(outcome.notebooks["nb"], as_version=4)
    test = next(c for c in nb.cells if c.source == "assert x == 1")
    assert [o.ename for o in test.outputs if o.output_type == "error"] == ["NotRun"]
    assert [(f.code, f.review) for f in outcome.flags] == [("grader-error", True)]
    assert f"did not start in {KERNEL_STARTS} tries" in outcome.flags[0].reason


def test_a_kernel_that_fails_to_start_once_is_started_again(tmp_path, monkeypatch):
    real, calls = execute.run_notebook, []

    def flaky(*args, **kwargs):
        calls.append(args[1])
        if len(calls) == 1:
            raise KernelStartError("Kernel didn't respond in 60 seconds")
        return real(*args, **kwargs)

    monkeypatch.setattr(execute, "run_notebook", flaky)
    outcome = run_job(_guarded_job(Limits()), scratch=str(tmp_path))
    assert outcome.flags == []
    assert len(calls) == 2 and calls[0] != calls[1], "each try needs a fresh working copy"
    nb = nbformat.reads(outcome.notebooks["nb"], as_version=4)
    assert not any(o.output_type == "error" for c in nb.cells for o in c.get("outputs", []))


def _kernel_facts(tmp_path) -> dict:
    """What a kernel the grader starts says about its process."""
    nb = nbformat.v4.new_notebook()
    probe = (
        "import json, os, random, time, numpy\n"
        "start = time.process_time()\n"
        "while time.process_time() - start < 0.1:\n"
        "    pass\n"
        "print(json.dumps({'pid': os.getpid(), 'parent': os.getppid(), 'sid': os.getsid(0),"
        " 'cwd': os.getcwd(), 'tmp': os.environ.get('TMPDIR'),"
        " 'stdin': os.readlink('/proc/self/fd/0'),"
        " 'draws': [numpy.random.rand(), random.random()],"
        " 'cpu_before': start, 'cpu_after': time.process_time()}))"
    )
    nb.cells = [nbformat.v4.new_code_cell(probe)]
    outcome = run_job(Job("student", "week", {"nb": nbformat.writes(nb)}), scratch=str(tmp_path))
    ran = nbformat.reads(outcome.notebooks["nb"], as_version=4)
    return json.loads(ran.cells[0].outputs[0].text) | {"timings": outcome.timings}


@pytest.mark.skipif(not template.CAN_FORK, reason="warm kernels need fork (Linux)")
def test_each_kernel_is_forked_fresh_from_the_template(tmp_path):
    first, second = _kernel_facts(tmp_path / "a"), _kernel_facts(tmp_path / "b")
    kernels = template.template_for(execute._shared_env())
    assert first["parent"] == second["parent"] == kernels._process.pid != os.getpid()
    for facts in (first, second):
        assert facts["sid"] == facts["pid"], "a kernel is its own session (killed as a group)"
        assert facts["cwd"].endswith("/work") and facts["tmp"] == facts["cwd"] + "/.tmp"
        assert facts["stdin"] == os.devnull, "a kernel keeps none of the template's pipes"
    assert first["pid"] != second["pid"]
    numpy_draws, python_draws = zip(first["draws"], second["draws"], strict=True)
    assert len(set(numpy_draws)) == len(set(python_draws)) == 2, "each kernel seeds anew"
    # The outcome says where the time went, as the kernel's own clock saw it: what it spent
    # before the cell ran (starting), and in the cell (running).
    timings = first["timings"]
    assert set(timings) == set(execute.TIMINGS)
    assert 0 < timings["kernel_cpu"] <= first["cpu_before"] + 0.05
    assert timings["execution_cpu"] >= first["cpu_after"] - first["cpu_before"] - 0.01
    assert timings["execution_wall"] >= first["cpu_after"] - first["cpu_before"] - 0.01
    assert timings["kernel_wall"] > 0 and timings["worker_cpu"] > 0


def test_without_warm_kernels_each_kernel_is_started_the_usual_way(tmp_path, monkeypatch):
    monkeypatch.setattr(template, "CAN_FORK", False)
    facts = _kernel_facts(tmp_path)
    assert facts["parent"] == os.getpid() and facts["sid"] == facts["pid"]


@pytest.mark.skipif(not template.CAN_FORK, reason="warm kernels need fork (Linux)")
def test_a_template_that_died_is_started_again(tmp_path):
    before = _kernel_facts(tmp_path / "a")["parent"]
    template.template_for(execute._shared_env())._process.kill()
    after = _kernel_facts(tmp_path / "b")["parent"]
    assert after != before and after == template.template_for(execute._shared_env())._process.pid


_LOCKED = {"locked": True, "solution": False, "grade": False, "grade_id": "setup"}
_ANSWER = {"solution": True, "grade": False, "locked": False, "grade_id": "answer"}


def _run(tmp_path, *cells: tuple[str, dict | None]):
    """Run cells (source, nbgrader metadata) as the class grader does; the graded cells."""
    nb = nbformat.v4.new_notebook()
    for index, (source, meta) in enumerate(cells):
        meta = dict(meta or {}, grade_id=f"{(meta or {}).get('grade_id', 'c')}{index}")
        nb.cells.append(nbformat.v4.new_code_cell(source, metadata={"nbgrader": meta}))
    job = Job("student", "week", {"nb": nbformat.writes(prepare.add_guards(nb))})
    outcome = run_job(job, scratch=str(tmp_path))
    ran = nbformat.reads(outcome.notebooks["nb"], as_version=4)
    graded = [c for c in ran.cells if c.metadata["nbgrader"].get("grade")]
    failed = [any(o.output_type == "error" for o in c.outputs) for c in graded]
    return failed, describe(outcome.flags)


def test_a_test_helper_redefined_by_a_student_is_put_back(tmp_path):
    failed, flags = _run(
        tmp_path,
        ("def check(value):\n    assert value == 1, value", _LOCKED),
        ("def answer():\n    return 2\n\ncheck = lambda value: None", _ANSWER),
        ("check(answer())", _GRADED),
    )
    assert failed == [True], "the test ran against the student's check"
    assert "the notebook's function 'check'" in flags and "tampering" in flags


def test_replacing_what_a_test_uses_while_it_runs_fails_the_test(tmp_path):
    cheat = (
        "import dlcourse.testing\n\n"
        "def answer():\n"
        "    dlcourse.testing.assert_close.__code__ = (lambda *a, **k: None).__code__\n"
        "    return 2.0"
    )
    failed, flags = _run(
        tmp_path,
        ("from dlcourse.testing import assert_close", _LOCKED),
        (cheat, _ANSWER),
        ("assert_close(answer(), 1.0, name='answer')", _GRADED),
        ("assert_close(1.0, 1.0, name='honest')", _GRADED),
    )
    assert failed == [True, False], flags
    assert "assert_close.__code__" in flags


def test_cells_after_the_last_graded_cell_are_not_run(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("assert x == 1", metadata={"nbgrader": _GRADED}),
        nbformat.v4.new_markdown_cell("Now train for a long time:"),
        nbformat.v4.new_code_cell("print('trained'); raise RuntimeError('would have run')"),
        nbformat.v4.new_code_cell("import os; os._exit(1)", metadata={"nbgrader": _ANSWER}),
    ]
    guarded = prepare.add_guards(nb)
    not_run = [c.source for c in guarded.cells if c.metadata.get(prepare.NOT_RUN_KEY)]
    assert not_run == [nb.cells[3].source, nb.cells[4].source]
    outcome = run_job(Job("student", "week", {"nb": nbformat.writes(guarded)}), str(tmp_path))
    assert outcome.flags == []  # no error, no kernel death: neither cell ran
    ran = nbformat.reads(outcome.notebooks["nb"], as_version=4)
    assert [c.source for c in ran.cells] == [c.source for c in nb.cells]  # guards stripped
    assert ran.cells[1].outputs == []  # the test ran and passed
    for cell in ran.cells[3:]:
        assert [o.get("text") for o in cell.outputs] == [prepare.NOT_RUN_NOTE]
        assert prepare.NOT_RUN_KEY not in cell.metadata


# ------------------------------------------------------------------------ metadata checks


def _first(nb, graded=False):
    return next(
        c.metadata.nbgrader
        for c in nb.cells
        if "nbgrader" in c.metadata and (c.metadata.nbgrader.get("grade") or not graded)
    )


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda nb: _first(nb, graded=True).__setitem__("points", "ten"),
        lambda nb: _first(nb).__setitem__("bogus", 1),
        lambda nb: _first(nb, graded=True).pop("grade_id"),
        lambda nb: _first(nb).__setitem__("schema_version", 9),
        lambda nb: _first(nb).__setitem__("schema_version", 1),
        lambda nb: _first(nb).__setitem__("grade", None),
        lambda nb: None,
    ],
)
def test_metadata_is_checked_exactly_as_nbgrader_checks_it(corrupt):
    from nbgrader.nbgraderformat import MetadataValidator

    def outcome(validator):
        nb = _release()
        corrupt(nb)
        try:
            validator().validate_nb(nb)
        except Exception as err:
            return type(err).__name__, str(err)
        return None

    assert outcome(prepare._MetadataValidator) == outcome(MetadataValidator)
