"""The grading pipeline, proven through real nbgrader runs.

A scratch copy of the course is graded with the same code as `python -m autograder grade`:
the solution (full marks), the untouched release (zero), every catalogued wrong
implementation (loses its function's points), every correct alternative (full marks) and the
committed sample submissions (their documented scores). Each assignment's submissions go into a
scratch course of their own, graded by the parallel class grader (one worker per core) the first
time a test asks for that assignment, so `-k week02` grades week 2 alone.

A submission whose files are byte for byte another's is graded once, and both students'
expectations are checked on that one result: the committed samples, once proven to match a
fresh build, stand in for the pseudo-students they equal (sample-full-marks is the solution,
sample-untouched the release, sample-other-correct-ways the first round of correct
alternatives).

Feedback is the one step not run for the whole class: the tests read the feedback of two
students per assignment (the solution and the first wrong round), so only theirs is written.
Feedback for every student of a class is tested on the hostile class (tests/test_grade_class.py).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from helpers import hidden_lines, page_text

from autograder import catalogue, course, notebooks, report, samples
from autograder.__main__ import grade
from autograder.catalogue import dependencies
from autograder.class_report.mistakes import hint_lines
from dlcourse.testing import GENERIC_HINT_MARK

REPO = course.REPO_ROOT
ASSIGNMENTS = course.assignments(REPO)
VARIANTS = [(a, v) for a in ASSIGNMENTS for v in catalogue.load(a)]
# Committed samples under autograder/submitted and the totals they must earn, written from
# each notebook's points. sample-two-mistakes holds the first wrong variant of the last two
# graded functions (autograder/samples.py), and loses exactly their points.
SAMPLE_SCORES = {
    "week01_linear_regression": {  # 1 + 2 + 3 + 3 + 2 + 2 = 13 points
        "sample-full-marks": 13,
        "sample-other-correct-ways": 13,
        "sample-two-mistakes": 9,  # loses standardize (2) and normal_equation (2)
        "sample-untouched": 0,
    },
    "week02_classification": {  # 2 + 2 + 2 + 2 + 3 + 2 + 3 = 16 points
        "sample-full-marks": 16,
        "sample-other-correct-ways": 16,
        "sample-two-mistakes": 11,  # loses softmax (2) and softmax_cross_entropy (3)
        "sample-untouched": 0,
    },
    "week03_backprop": {  # Value 4, mlp_loss 3, affine_backward 2, nine more of 1 = 18 points
        "sample-full-marks": 18,
        "sample-other-correct-ways": 18,
        "sample-two-mistakes": 14,  # loses leaky_relu_backward (1) and mlp_loss (3)
        "sample-untouched": 0,
    },
    "week04_optimizers": {  # 3 + 2 + 1 + 2 + 2 + 2 + 2 + 3 + 1 + 1 + 1 + 2 = 22 points
        "sample-full-marks": 22,
        "sample-other-correct-ways": 22,
        "sample-two-mistakes": 19,  # loses inverse_time_decay (1) and clip_grad_norm (2)
        "sample-untouched": 0,
    },
    "week05_training": {  # 3 + 2 + 3 + 3 = 11 points
        "sample-full-marks": 11,
        "sample-other-correct-ways": 11,
        "sample-two-mistakes": 5,  # loses batchnorm_forward (3) and batchnorm_backward (3)
        "sample-untouched": 0,
    },
    "week06_regularization": {  # 2 + 1 + 3 + 2 + 2 + 2 + 2 = 14 points
        "sample-full-marks": 14,
        "sample-other-correct-ways": 14,
        "sample-two-mistakes": 10,  # loses early_stopping (2) and random_shift (2)
        "sample-untouched": 0,
    },
    "week07_autoencoders": {  # 3 + 2 + 3 = 8 points
        "sample-full-marks": 8,
        "sample-other-correct-ways": 8,
        "sample-two-mistakes": 3,  # loses kl_sparsity (2) and autoencoder_loss (3)
        "sample-untouched": 0,
    },
    "week08_embeddings": {  # 2 + 1 + 2 + 2 + 1 + 3 + 3 + 2 + 2 = 18 points
        "sample-full-marks": 18,
        "sample-other-correct-ways": 18,
        "sample-two-mistakes": 14,  # loses nearest_neighbors (2) and analogy (2)
        "sample-untouched": 0,
    },
}


def _new_course(root: Path) -> Path:
    root.mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", root)
    shutil.copytree(REPO / course.SOLUTIONS, root / course.SOLUTIONS)
    (root / "autograder").mkdir()
    return root


@functools.cache
def _dependencies(assignment: str) -> dict[str, frozenset[str]]:
    return dependencies.assignment_dependencies(assignment)


@functools.cache
def _pseudo_students(assignment: str) -> dict[str, list[catalogue.Variant]]:
    """Who submits which catalogued variants.

    Wrong variants are batched into rounds (``catalogue.dependencies.batches``): no function
    in a round depends on another in it (through its test, its solution or its variants), so
    each mistake must lose its own function's points, and every function that depends on
    none of the round's mistakes must keep its points. Correct alternatives are batched into
    rounds too, round k holding the k-th alternative of every function, and must earn full
    marks together: fewer nbgrader runs, and a stronger check that the alternatives work with
    each other.
    """
    variants = catalogue.load(assignment)
    students: dict[str, list[catalogue.Variant]] = {}
    rounds: dict[str, int] = {}
    for variant in variants:
        if variant.correct:
            k = rounds[variant.function] = rounds.get(variant.function, 0) + 1
            students.setdefault(f"correct--round{k}", []).append(variant)
    wrong = {}
    for variant in variants:
        if not variant.correct:
            wrong.setdefault(variant.function, []).append(variant)
    counts = {f: len(vs) for f, vs in wrong.items()}
    for k, functions in enumerate(dependencies.batches(_dependencies(assignment), counts), 1):
        students[f"wrong--round{k}"] = [wrong[f].pop(0) for f in functions]
    return students


def _student_of(assignment: str, variant: catalogue.Variant) -> str:
    """The pseudo-student whose submission holds ``variant``."""
    return next(s for s, vs in _pseudo_students(assignment).items() if variant in vs)


def _feedback_readers(assignment: str) -> list[str]:
    """The students whose feedback the tests read: the solution and a wrong round."""
    wrong = next(v for v in catalogue.load(assignment) if not v.correct)
    return ["solution", _student_of(assignment, wrong)]


def _feedback_only_for(
    readers: list[str],
    root: Path,
    assignment: str,
    students: list[str] | None = None,
    processes: int = 1,
) -> None:
    """Stands in for :func:`autograder.course.generate_feedback`: the same nbgrader command,
    run once (whatever ``processes``), excluding every student but ``readers``."""
    others = ",".join(s for s in students or [] if s not in readers)
    exclude = [f"--CourseDirectory.student_id_exclude={others}"] if others else []
    course.nbgrader(root, "generate_feedback", assignment, "--force", *exclude)


def _submissions(assignment: str, release: Path) -> dict[str, dict[str, Path | dict]]:
    """Every submission: {student: {notebook name: answers or a file to copy}}.

    The solution, the untouched release and the pseudo-students come first, then the
    committed samples (the grader lets a later identical submission share an earlier one's
    grading).
    """
    source_dir = REPO / course.SOLUTIONS / assignment
    answers = {nb.name: notebooks.solution_answers(nb) for nb in source_dir.glob("*.ipynb")}
    subs: dict[str, dict] = {"solution": dict(answers), "untouched": {}}
    for student, variants in _pseudo_students(assignment).items():
        filled = dict(answers)
        for variant in variants:
            owner = next(n for n, a in answers.items() if variant.function in a)
            filled[owner] = filled[owner] | {variant.function: variant.code}
        subs[student] = filled
    for nb in (release).glob("*.ipynb"):
        subs["untouched"][nb.name] = nb
    for sample in SAMPLE_SCORES.get(assignment, {}):
        subs[sample] = {
            nb.name: nb for nb in (REPO / course.SUBMITTED / sample / assignment).glob("*.ipynb")
        }
    return subs


def _write(student_folder: Path, per_nb: dict[str, Path | dict], release: Path) -> None:
    """Write one submission: each notebook copied from a file or filled in from the release."""
    for name, content in per_nb.items():
        dest = student_folder / name
        if isinstance(content, Path):
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(content, dest)
        else:
            notebooks.fill_in(release / name, content, dest)


def _digest(folder: Path) -> str:
    """One hash of every file's path and bytes under a folder."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


@dataclass
class GradedAssignment:
    """One assignment's scratch course after grading, and every submission's scores."""

    scores: dict[str, report.SubmissionScores]  # {student: scores}, stand-ins' included
    root: Path
    stand_ins: dict[str, str]  # {student: the identical submission graded in its place}


@pytest.fixture(scope="session")
def fresh_release(tmp_path_factory) -> Callable[[str], Path]:
    """An assignment's release folder, generated from solutions/ in a scratch course, once."""
    base = tmp_path_factory.mktemp("release")

    @functools.cache
    def release(assignment: str) -> Path:
        return course.generate_release(_new_course(base / assignment), assignment)

    return release


@pytest.fixture(scope="session")
def grader(tmp_path_factory, fresh_release) -> Callable[[str], GradedAssignment]:
    """Grades an assignment's pseudo-students the first time a test asks for it.

    Only the assignments a test run selects are graded: `pytest tests/test_autograding.py -k
    week02` grades week 2 alone. A submission identical to one written before it (the
    pseudo-students come first, then the committed samples) is not graded again: it gets that
    submission's scores. Feedback is written for :func:`_feedback_readers` only.
    """
    base = tmp_path_factory.mktemp("grading")

    @functools.cache
    def graded(assignment: str) -> GradedAssignment:
        root = _new_course(base / assignment / "course")
        release = fresh_release(assignment)
        first_with: dict[str, str] = {}  # {digest: the first student who submitted it}
        stand_ins: dict[str, str] = {}
        for student, per_nb in _submissions(assignment, release).items():
            folder = root / course.SUBMITTED / student / assignment
            _write(folder, per_nb, release)
            key = _digest(folder)
            if key in first_with:
                stand_ins[student] = first_with[key]
                shutil.rmtree(folder.parent)
            else:
                first_with[key] = student
        feedback = functools.partial(_feedback_only_for, _feedback_readers(assignment))
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(course, "generate_feedback", feedback)
            scores = {r.student: r for r in grade(root, assignment, progress=False)}
        scores |= {student: scores[twin] for student, twin in stand_ins.items()}
        return GradedAssignment(scores, root, stand_ins)

    return graded


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_earns_full_marks(grader, assignment):
    graded = grader(assignment)
    s = graded.scores["solution"]
    assert s.max_total > 0
    assert s.total == s.max_total, f"solution scored {s.total}/{s.max_total}: {s.questions}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_untouched_release_earns_zero(grader, assignment):
    graded = grader(assignment)
    s = graded.scores["untouched"]
    assert s.total == 0, f"the untouched release scored {s.total}: {s.questions}"


@functools.cache
def _hints_in(folder: Path) -> dict[str, list[str]]:
    """{graded function: the hints of the error its test cell raised}, for the graded
    notebooks in ``folder`` (each read once: a round's variants share them)."""
    hints: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            question = notebooks.grade_id(cell) or ""
            if question.startswith("test_"):
                errors = [o.get("evalue", "") for o in cell.outputs if o.output_type == "error"]
                hints[question.removeprefix("test_")] = hint_lines("\n".join(errors))
    return hints


def _hints(graded: GradedAssignment, assignment: str, student: str, function: str) -> list[str]:
    """The hints of the error that ``test_<function>`` raised in a student's graded
    notebook (the proof's own grading: nothing is run again)."""
    folder = graded.root / course.AUTOGRADED / student / assignment
    found = _hints_in(folder)
    assert function in found, f"no cell test_{function} in the graded notebooks in {folder}"
    return found[function]


def _check_hint(variant: catalogue.Variant, hints: list[str]) -> None:
    """A wrong variant's failure carries the hint it names, and no generic hint but that one."""
    found = "\n".join(hints)
    if variant.hint:
        assert variant.hint.lower() in found.lower(), (
            f"the failure of '{variant.why}' should hint {variant.hint!r}; its hints: {hints}"
        )
    generic = [h for h in hints if GENERIC_HINT_MARK in h]
    assert all(variant.hint and variant.hint.lower() in h.lower() for h in generic), (
        f"'{variant.why}' got a generic hint it does not name as its own: {generic}"
    )


def test_the_hint_check_fails_a_missing_or_unclaimed_hint():
    named = catalogue.wrong("f", "s", "a slip", "def f(): pass", hint="divide by m")
    plain = catalogue.wrong("f", "t", "another slip", "def f(): pass")
    generic = "Hint: every entry is 3x the expected one: a scaling factor (such as ...) is off."
    _check_hint(named, ["Hint: the cost is a mean: divide by m."])
    _check_hint(plain, [])
    with pytest.raises(AssertionError, match="should hint 'divide by m'"):
        _check_hint(named, [])
    with pytest.raises(AssertionError, match="generic hint"):
        _check_hint(plain, [generic])
    with pytest.raises(AssertionError, match="generic hint"):
        _check_hint(named, ["Hint: divide by m.", generic])
    _check_hint(
        catalogue.wrong("f", "u", "sums", "def f(): pass", hint="3x the expected"), [generic]
    )


@pytest.mark.parametrize(
    ("assignment", "variant"), VARIANTS, ids=[f"{a}:{v.student_id}" for a, v in VARIANTS]
)
def test_catalogued_variant(grader, assignment, variant):
    graded = grader(assignment)
    student = _student_of(assignment, variant)
    s = graded.scores[student]
    question = f"test_{variant.function}"
    assert question in s.questions, f"no graded cell {question} in {sorted(s.questions)}"
    if variant.correct:
        together = [v.student_id for v in _pseudo_students(assignment)[student]]
        assert s.total == s.max_total, (
            f"correct alternative ({variant.why}) lost points in {student}: {s.questions}; "
            f"that submission holds {together}"
        )
    else:
        assert s.questions[question] == 0, (
            f"{question} did not reject the mistake '{variant.why}': scored {s.questions[question]}"
        )
        _check_hint(variant, _hints(graded, assignment, student, variant.function))
        batch = {v.function for v in _pseudo_students(assignment)[student]}
        deps = _dependencies(assignment)
        full = graded.scores["solution"].questions
        keep = {f"test_{f}" for f in deps if f not in batch and not deps[f] & batch}
        lost = {q: p for q, p in s.questions.items() if q in keep and p != full[q]}
        assert not lost, (
            f"{student} (mistakes in {sorted(batch)}) also lost points of functions that "
            f"depend on none of them: {lost}"
        )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_catalogue_covers_every_graded_function(assignment):
    graded_functions = set()
    for nb in (REPO / course.SOLUTIONS / assignment).glob("*.ipynb"):
        ids = {notebooks.grade_id(c) for c in nbformat.read(nb, as_version=4).cells}
        graded_functions |= {i.removeprefix("test_") for i in ids if i and i.startswith("test_")}
    variants = catalogue.load(assignment)
    for function in sorted(graded_functions):
        n_wrong = sum(1 for v in variants if v.function == function and not v.correct)
        n_right = sum(1 for v in variants if v.function == function and v.correct)
        assert n_wrong >= 3, f"{function}: only {n_wrong} wrong implementations catalogued"
        assert n_right >= 1, f"{function}: no correct alternative catalogued"
    slugs = [(v.function, v.slug) for v in variants]
    assert len(slugs) == len(set(slugs)), "duplicate variant names"


@pytest.mark.parametrize(
    ("assignment", "student", "total"),
    [(a, s, t) for a, samples in SAMPLE_SCORES.items() for s, t in samples.items()],
)
def test_committed_samples_earn_their_documented_scores(grader, assignment, student, total):
    graded = grader(assignment)
    s = graded.scores[student]
    graded_as = f" (graded as {graded.stand_ins[student]})" if student in graded.stand_ins else ""
    assert s.total == total, f"{student}{graded_as} scored {s.total}: {s.questions}"


def _assert_same_files(committed: Path, fresh: Path, fix: str) -> None:
    """Fail unless two folders hold the same files with the same bytes."""
    fresh_files = sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file())
    committed_files = sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    where = committed.relative_to(REPO)
    assert committed_files == fresh_files, f"{where} has different files: run `{fix}`"
    for rel in fresh_files:
        assert (committed / rel).read_bytes() == (fresh / rel).read_bytes(), (
            f"{where}/{rel} is out of date with solutions/ and the catalogue: run `{fix}`"
        )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_committed_release_matches_a_fresh_generation(fresh_release, assignment):
    _assert_same_files(
        REPO / course.EXERCISES / assignment, fresh_release(assignment), "make release"
    )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_committed_samples_match_a_fresh_build(fresh_release, tmp_path, assignment):
    (source,) = (REPO / course.SOLUTIONS / assignment).glob("*.ipynb")
    samples.write_samples(assignment, source, fresh_release(assignment) / source.name, tmp_path)
    for student in samples.STUDENTS:
        committed = REPO / course.SUBMITTED / student / assignment
        _assert_same_files(committed, tmp_path / student / assignment, "make samples")


def test_every_assignment_documents_its_sample_scores():
    assert sorted(SAMPLE_SCORES) == ASSIGNMENTS
    for assignment, scores in SAMPLE_SCORES.items():
        assert sorted(scores) == sorted(samples.STUDENTS), assignment


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_grading_writes_per_question_csv(grader, assignment):
    graded = grader(assignment)
    root = graded.root
    rows = list(csv.DictReader(open(root / "autograder" / f"grades_{assignment}.csv")))
    solution = next(r for r in rows if r["student"] == "solution")
    expected = graded.scores["solution"]
    assert float(solution["total"]) == expected.total == expected.max_total
    assert {k for k in solution if k.startswith("test_")} == set(expected.questions)
    assert (root / "autograder" / "grades.csv").exists()


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_shows_failures_but_never_hidden_tests(grader, assignment):
    graded = grader(assignment)
    hidden = hidden_lines(REPO / course.SOLUTIONS / assignment)
    assert hidden, "the assignment has no hidden tests"
    for student in _feedback_readers(assignment):
        folder = graded.root / course.FEEDBACK / student / assignment
        pages = list(folder.glob("*.html"))
        assert pages, f"no feedback for {student} in {folder}"
        text = "\n".join(page_text(p) for p in pages)
        assert "BEGIN HIDDEN TESTS" not in text
        leaked = sorted(hidden & {line.strip() for line in text.splitlines()})
        assert not leaked, f"feedback for {student} shows hidden test lines: {leaked[:3]}"
        assert "hidden tests ran here" in text
        if student != "solution":
            assert "AssertionError" in text, "a failing test's message should be in the feedback"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_ordinary_submissions_raise_no_flags(grader, assignment):
    graded = grader(assignment)
    """Right, wrong and empty answers are no misbehaviour: the grader must not flag them."""
    flagged = {s: r.flags for s, r in graded.scores.items() if r.flags}
    assert not flagged, f"false alarms: {flagged}"
    assert not any(r.needs_review for r in graded.scores.values())
