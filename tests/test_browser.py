"""The course as a student meets it: JupyterLab from `make lab`, in a real browser.

Playwright drives Debian's Chromium. The test starts JupyterLab with the README's first
command (`make lab`, on a free loopback port with a random token), then

- opens every lecture, runs all cells from the Run menu (in kernels that apply the same figure
  and progress-bar checks nbval does, so nbval does not run the lectures a second time; see
  tests/conftest.py) and checks that no cell raised, that
  every widget rendered, and that moving a slider of each explorer with the keyboard (focus
  the handle, press an arrow key) redraws its figure: the widgets work, and work without a
  mouse;
- opens copies of the week-1 exercise and clicks nbgrader's Validate button: the untouched
  release must report its failing tests, a copy filled in with the solution must pass;
- checks JupyterLab's two faces (jupyter_config/): the student's page has the Validate button
  and no "Create Assignment", formgrader or course list; `make instructor` has them all.
  `make lab` runs as root in CI, so it also shows that it starts from a root shell.

A screenshot of each notebook goes to build/screenshots/. The committed notebooks are never
changed (lectures are opened in place with autosave off, exercises as copies), one at a time in
the same JupyterLab page (loading JupyterLab once); each test
checks their digests. Without a browser the tests skip, except under CI=true, where they
fail. About 2-3 minutes on a 2-core machine.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from browser_helpers import (
    ROOT,
    LabServer,
    browser_unavailable_reason,
    cells_not_run,
    changed_notebooks,
    close_dialog,
    close_notebooks,
    collect_page_errors,
    error_outputs,
    get_page,
    iter_lectures,
    launch_browser,
    move_slider_with_keyboard,
    new_context,
    new_page,
    notebook_digests,
    notebook_state,
    open_notebook,
    page_config,
    run_all_cells,
    screenshot,
    shut_down_kernels,
    skip_or_fail,
    slider_explorers,
    start_lab,
    stop_lab,
    validate,
    wait_until_run,
    widget_problems,
)

from autograder.notebooks import fill_in, grade_id, is_answer_cell, solution_answers

LECTURES = list(iter_lectures())
ASSIGNMENT = "week01_linear_regression"
RELEASE = ROOT / "exercises" / ASSIGNMENT / "linear_regression.ipynb"
SOURCE = ROOT / "solutions" / ASSIGNMENT / "linear_regression.ipynb"
# Longest a lecture may take to run all its cells in the browser (the slowest takes ~40 s).
RUN_TIMEOUT = 180.0


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """JupyterLab started with `make lab`; shut down (kernels included) at the end."""
    reason = browser_unavailable_reason()
    if reason:
        skip_or_fail(reason)
    server = start_lab(tmp_path_factory.mktemp("jupyterlab"))
    yield server
    leftovers = stop_lab(server)
    assert not leftovers, f"processes outlived JupyterLab's shutdown and were killed: {leftovers}"


@pytest.fixture(scope="module")
def browser(lab: LabServer) -> Iterator:
    """Headless Chromium under Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_browser(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def context(browser) -> Iterator:
    """The browser context every test's page opens in (see browser_helpers.new_context)."""
    context = new_context(browser)
    yield context
    context.close()


@pytest.fixture(scope="module")
def shared_page(context) -> Iterator:
    """The one page all tests use: JupyterLab loads once (see browser_helpers.open_notebook)."""
    page = new_page(context)
    yield page
    page.close()


@pytest.fixture
def page(shared_page, lab: LabServer) -> Iterator:
    """The shared page; afterwards its notebooks are closed and every kernel shut down."""
    yield shared_page
    close_notebooks(shared_page)
    shut_down_kernels(lab)


def report(capsys: pytest.CaptureFixture, lines: list[str]) -> None:
    """Print lines to the terminal even though pytest captures output."""
    with capsys.disabled():
        print()
        for line in lines:
            print(f"    {line}")


@pytest.mark.parametrize("lecture", LECTURES, ids=lambda path: Path(path).stem)
def test_lecture_runs_and_its_widgets_answer_the_keyboard(
    lecture: str, lab: LabServer, page, capsys: pytest.CaptureFixture
) -> None:
    before = notebook_digests()
    started = time.monotonic()
    js_errors = collect_page_errors(page)
    open_notebook(page, lab, lecture)
    run_all_cells(page)
    state = wait_until_run(page, lecture, RUN_TIMEOUT)

    errors = error_outputs(state)
    assert not errors, f"{lecture}: cells raised in the browser:\n\n" + "\n\n".join(errors)
    assert not cells_not_run(state), f"{lecture}: cells not run: {cells_not_run(state)}"
    problems = widget_problems(page, state)
    assert not problems, f"{lecture}: widgets did not render: {problems}; JS errors {js_errors}"

    explorers = slider_explorers(page)
    assert explorers, f"{lecture}: no widget with a slider and a figure to try"
    moves = [move_slider_with_keyboard(page, view) for view in explorers]
    errors = error_outputs(notebook_state(page, lecture))
    assert not errors, f"{lecture}: moving a slider raised:\n\n" + "\n\n".join(errors)

    shot = screenshot(page, Path(lecture).stem)
    report(
        capsys,
        [f"{lecture}: ran, {len(explorers)} explorers redrew after an arrow key:"]
        + [f"  {move}" for move in moves]
        + [f"screenshot: {shot.relative_to(ROOT)} ({time.monotonic() - started:.1f} s)"],
    )
    changed = changed_notebooks(before)
    assert not changed, f"committed notebooks changed: {changed}"


def test_lecture_kernels_hold_figures_to_the_course_rules(
    lab: LabServer, page, capsys: pytest.CaptureFixture
) -> None:
    """The kernels the browser test runs lectures in apply nbval's figure checks too, so a
    figure that breaks a rule fails its cell here (nbval does not run the lectures again)."""
    folder = Path(tempfile.mkdtemp(prefix="figure-rules-", dir=_scratch_parent()))
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("import matplotlib.pyplot as plt"),
            nbformat.v4.new_code_cell("plt.plot([0, 1], [1, 0])\nplt.show()"),  # no labels
        ]
    )
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    path = folder / "unlabelled_figure.ipynb"
    nbformat.write(notebook, path)
    try:
        relative = str(path.relative_to(ROOT))
        open_notebook(page, lab, relative)
        run_all_cells(page)
        errors = error_outputs(wait_until_run(page, relative, RUN_TIMEOUT))
    finally:
        shutil.rmtree(folder)
    assert len(errors) == 1 and "breaks the course's rules" in errors[0], errors
    assert "cell 1" in errors[0] and "x label" in errors[0], errors[0]
    report(capsys, ["a figure without labels fails its cell in the browser's kernel too"])


def _scratch_parent() -> Path:
    """A folder for temporary notebooks inside the served root (build/ is ignored by git)."""
    parent = ROOT / "build" / "browser-test"
    parent.mkdir(parents=True, exist_ok=True)
    return parent


@pytest.fixture
def exercise_copies() -> Iterator[dict[str, str]]:
    """The week-1 release copied untouched and filled in with the solution's answers, in a
    temporary folder inside the served root (build/ is ignored by git); removed afterwards.

    Returns ``{"untouched": path, "filled": path}``, relative to the repository.
    """
    folder = Path(tempfile.mkdtemp(prefix="validate-", dir=_scratch_parent()))
    untouched = folder / "untouched" / RELEASE.name
    untouched.parent.mkdir()
    shutil.copyfile(RELEASE, untouched)
    filled = fill_in(RELEASE, solution_answers(SOURCE), folder / "filled" / RELEASE.name)
    yield {
        "untouched": str(untouched.relative_to(ROOT)),
        "filled": str(filled.relative_to(ROOT)),
    }
    shutil.rmtree(folder)


def autograder_test_cells(path: Path) -> list[str]:
    """The grade ids of a notebook's autograder test cells."""
    nb = nbformat.read(path, as_version=4)
    return [
        grade_id(cell)
        for cell in nb.cells
        if cell.metadata.get("nbgrader", {}).get("grade") and not is_answer_cell(cell)
    ]


INSTRUCTOR_PLUGINS = [
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:course-list",
]


def assert_student_face(page, lab: LabServer) -> None:
    """Assert that `make lab` shows a student no instructor tool.

    With a notebook open (where nbgrader would put its "Create Assignment" sidebar): the
    Validate plugin is there, the instructor plugins are not, no "Create Assignment" text is
    on the page, and the server has no formgrader.
    """
    plugins = page.evaluate(
        "ids => ids.map(id => window.jupyterapp.hasPlugin(id))",
        ["@jupyter/nbgrader:validate-assignment", *INSTRUCTOR_PLUGINS],
    )
    assert plugins[0], "the Validate plugin is missing from the student's JupyterLab"
    shown = [p for p, loaded in zip(INSTRUCTOR_PLUGINS, plugins[1:], strict=True) if loaded]
    assert not shown, f"the student's JupyterLab loads instructor tools: {shown}"
    assert page.get_by_text("Create Assignment").count() == 0
    assert page.locator('[title*="Create Assignment"]').count() == 0
    status, _ = get_page(lab, "/formgrader")
    assert status == 404, f"the student's server answers /formgrader with {status}"


def test_instructor_face_has_the_instructor_tools(
    lab: LabServer, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """`make instructor` serves nbgrader's instructor tools that `make lab` turns off.

    Checked on the server, without a second browser page: the page configuration JupyterLab
    hands the browser disables none of them (it disables all of them for `make lab`), and
    the formgrader answers.
    """
    student = page_config(lab)["disabledExtensions"]
    assert set(INSTRUCTOR_PLUGINS) <= set(student), f"make lab leaves on: {student}"
    server = start_lab(tmp_path, target="instructor")
    try:
        disabled = page_config(server)["disabledExtensions"]
        status, body = get_page(server, "/formgrader")
    finally:
        leftovers = stop_lab(server)
    assert not set(INSTRUCTOR_PLUGINS) & set(disabled), f"make instructor disables {disabled}"
    assert status == 200 and "nbgrader formgrade" in body, f"/formgrader answered {status}"
    assert not leftovers, f"processes outlived `make instructor`: {leftovers}"
    report(capsys, ["make instructor: Create Assignment, formgrader and course list are on"])


def test_validate_button_on_the_exercise(
    lab: LabServer, page, exercise_copies: dict[str, str], capsys: pytest.CaptureFixture
) -> None:
    before = notebook_digests()
    started = time.monotonic()
    lines = []

    open_notebook(page, lab, exercise_copies["untouched"])
    classes, text = validate(page)
    shot = screenshot(page, "exercise_week01_untouched_validate")
    failed = text.count("The following cell failed:")
    expected = len(autograder_test_cells(RELEASE))
    assert "validation-failed" in classes, f"untouched release: {classes}\n{text[:2000]}"
    assert failed == expected, f"{failed} failed cells reported, expected {expected}:\n{text}"
    assert "NotImplementedError" in text, text[:2000]
    close_dialog(page)
    lines.append(f"untouched release: Validate reports {failed} failing tests")
    assert_student_face(page, lab)
    lines.append("make lab: Validate is there, Create Assignment and the formgrader are not")
    lines.append(f"screenshot: {shot.relative_to(ROOT)}")

    open_notebook(page, lab, exercise_copies["filled"])
    classes, text = validate(page)
    shot = screenshot(page, "exercise_week01_filled_validate")
    assert "validation-success" in classes, f"filled-in copy: {classes}\n{text[:3000]}"
    assert "Success! Your notebook passes all the tests." in text
    close_dialog(page)
    lines.append("filled-in copy: Validate reports success")
    lines.append(f"screenshot: {shot.relative_to(ROOT)}")

    report(capsys, lines + [f"({time.monotonic() - started:.1f} s)"])
    changed = changed_notebooks(before)
    assert not changed, f"committed notebooks changed: {changed}"
