"""The class report, checked number by number on a class graded for the purpose.

Two assignments are graded in a scratch course with the real grader (`grade`, which also
writes the reports):

- week 7: ``full`` (the solution) and six students with known mistakes: three with Gaussian
  noise drawn with σ² (one hint), two of them also with ρ and ρ̂ swapped (another hint), two
  with a wrong loss (two hints), one whose ``corrupt`` raises an error no hint knows, and one
  whose ``kl_sparsity`` never returns (a timeout); ``s-c``'s timestamp is unreadable (a flag
  that needs review);
- week 1, graded first: ``s-a`` submits the solution, ``s-d`` submits no notebook.

``s-g`` is on the roster (the gradebook) but never submitted. Every expected number below is
worked out by hand from that list, not by the code under test. The pages are then opened in
Chromium: figures render, tables sort, links to feedback work.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser_helpers import (
    browser_unavailable_reason,
    launch_browser,
    new_context,
    screenshot,
    skip_or_fail,
)
from helpers import hidden_lines, page_text
from nbgrader.api import Gradebook

from autograder import catalogue, course, notebooks
from autograder.__main__ import grade, main
from autograder.class_report.collect import _mistakes
from autograder.class_report.mistakes import NOT_RUN, Failure, failure_of
from autograder.grading.limits import Limits

REPO = Path(__file__).resolve().parent.parent
WEEK7, WEEK1 = "week07_autoencoders", "week01_linear_regression"
STUDENTS = ["full", "s-a", "s-b", "s-c", "s-d", "s-e", "s-f", "s-g"]
NOT_FINISHED = 'def corrupt(X, kind, level, rng):\n    raise RuntimeError("not finished")\n'
ENDLESS = "def kl_sparsity(rho, rho_hat):\n    while True:\n        pass\n"

# Words of each hint the week-7 tests give for these mistakes.
NOISE_HINT = "rng.normal takes σ, not σ²"
MASK_HINT = "probability of masking an entry"
SWAPPED_HINT = "KL(rho || rho_hat)"
NO_HALF_HINT = "the 1/2 is missing"
NO_MEAN_HINT = "divide the sum by m"


def _week7_answers() -> dict[str, dict[str, str]]:
    v = {(x.function, x.slug): x.code for x in catalogue.load(WEEK7)}
    noise, swapped = v["corrupt", "variance-as-scale"], v["kl_sparsity", "swapped"]
    return {
        "full": {},
        "s-a": {"corrupt": noise, "kl_sparsity": swapped},
        "s-b": {"corrupt": noise, "autoencoder_loss": v["autoencoder_loss", "no-half"]},
        "s-c": {"corrupt": noise, "kl_sparsity": swapped},
        "s-d": {
            "corrupt": v["corrupt", "mask-keeps-with-level"],
            "autoencoder_loss": v["autoencoder_loss", "no-mean"],
        },
        "s-e": {"corrupt": NOT_FINISHED},
        "s-f": {"kl_sparsity": ENDLESS},
    }


def _submit(root: Path, assignment: str, answers: dict[str, dict[str, str]]) -> None:
    # The committed release (tests/test_autograding.py checks that it matches a fresh one).
    (notebook,) = (REPO / course.EXERCISES / assignment).glob("*.ipynb")
    source = REPO / course.SOLUTIONS / assignment / notebook.name
    solution = notebooks.solution_answers(source)
    for student, changed in answers.items():
        dest = root / course.SUBMITTED / student / assignment / notebook.name
        notebooks.fill_in(notebook, solution | changed, dest)


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Path:
    """The scratch course after grading both assignments (and so writing the reports)."""
    root = tmp_path_factory.mktemp("class") / "course"
    root.mkdir()
    shutil.copy(REPO / "nbgrader_config.py", root)
    for assignment in (WEEK1, WEEK7):
        shutil.copytree(REPO / course.SOLUTIONS / assignment, root / course.SOLUTIONS / assignment)
    (root / "autograder").mkdir()
    _submit(root, WEEK1, {"s-a": {}})
    (root / course.SUBMITTED / "s-d" / WEEK1).mkdir(
        parents=True
    )  # a submission without its notebook
    _submit(root, WEEK7, _week7_answers())
    (root / course.SUBMITTED / "s-c" / WEEK7 / "timestamp.txt").write_text("last Tuesday\n")
    limits = Limits(cell_timeout=2.0)
    grade(root, WEEK1, limits=limits, workers=2, progress=False)
    with Gradebook(f"sqlite:///{root / 'autograder' / 'gradebook.db'}") as gb:
        gb.update_or_create_student("s-g")  # on the roster, never submitted
    grade(root, WEEK7, limits=limits, workers=2, progress=False)
    return root


def _error(evalue: str, ename: str = "AssertionError") -> list[dict]:
    return [
        {"output_type": "stream", "text": "ok"},
        {
            "output_type": "error",
            "ename": ename,
            "evalue": evalue,
            "traceback": ["secret source line quoted here"],
        },
    ]


def test_a_failure_is_its_hint_or_the_first_line_of_its_error() -> None:
    message = (
        "\nf(x): wrong value (1 of 4 entries wrong)\n  expected: 1\nHint: the sign is flipped.\n"
    )
    assert failure_of(_error(message), set()) == Failure(
        "the sign is flipped.", "f(x): wrong value (1 of 4 entries wrong)"
    )
    assert failure_of(_error("not finished", "RuntimeError"), set()) == Failure(
        None, "RuntimeError: not finished"
    )
    assert failure_of(_error("", "KeyboardInterrupt"), set()) == Failure(None, "KeyboardInterrupt")
    assert failure_of([{"output_type": "stream", "text": "x"}], set()) == Failure(None, NOT_RUN)


def test_a_failure_never_carries_a_hidden_test_line() -> None:
    leaked = "\nassert np.allclose(f(secret_input), 42)\nHint: the sign is flipped.\n"
    failure = failure_of(_error(leaked), {"assert np.allclose(f(secret_input), 42)"})
    assert failure == Failure("the sign is flipped.", "Hint: the sign is flipped.")
    # A long hidden line quoted inside a longer one goes too (the grader's own rule).
    quoted = "\nnear: assert np.allclose(f(secret_input), 42) failed\nf: wrong value\n"
    failure = failure_of(_error(quoted), {"assert np.allclose(f(secret_input), 42)"})
    assert failure == Failure(None, "f: wrong value")


def test_failures_group_by_hint_then_by_message_numbers_aside() -> None:
    groups = _mistakes(
        {
            "a": Failure(None, "f: wrong value (1 of 4 entries wrong)"),
            "b": Failure("the sign is flipped.", "f: wrong value (4 of 4 entries wrong)"),
            "c": Failure(None, "f: wrong value (3 of 4 entries wrong)"),
            "d": Failure("the sign is flipped.", "f: wrong value (4 of 4 entries wrong)"),
            "e": Failure(None, "RuntimeError: not finished"),
        }
    )
    assert [(g["count"], g["hint"], g["message"], g["students"]) for g in groups] == [
        (2, "the sign is flipped.", None, ["b", "d"]),
        (2, None, "f: wrong value (1 of 4 entries wrong)", ["a", "c"]),
        (1, None, "RuntimeError: not finished", ["e"]),
    ]


def _json(root: Path, name: str) -> dict:
    return json.loads((root / "autograder" / name).read_text())


def _question(data: dict, name: str) -> dict:
    return next(q for q in data["questions"] if q["question"] == name)


def _groups(question: dict) -> list[tuple]:
    """Each mistake group as (count, hint or message, students)."""
    return [(m["count"], m["hint"] or m["message"], m["students"]) for m in question["mistakes"]]


def test_grading_writes_every_report(graded: Path) -> None:
    out = graded / "autograder"
    for name in (f"report_{WEEK1}", f"report_{WEEK7}", "report"):
        assert (out / f"{name}.html").is_file(), f"{name}.html missing"
        assert (out / f"{name}.json").is_file(), f"{name}.json missing"
    for student in STUDENTS:
        assert (graded / course.FEEDBACK / student / "progress.html").is_file(), student


def test_assignment_json_counts_pass_rates_totals_and_flags(graded: Path) -> None:
    data = _json(graded, f"report_{WEEK7}.json")
    assert data["submissions"] == 7
    assert data["max_total"] == 8
    totals = {s["student"]: s["total"] for s in data["students"]}
    assert totals == {"full": 8, "s-a": 3, "s-b": 2, "s-c": 3, "s-d": 2, "s-e": 5, "s-f": 6}
    assert data["totals"]["mean"] == pytest.approx(29 / 7)
    assert data["totals"]["median"] == 3
    hist = data["totals"]["histogram"]
    assert hist["edges"] == [0, 1, 2, 3, 4, 5, 6, 7, 8]
    assert hist["counts"] == [0, 0, 2, 2, 0, 1, 1, 1]
    order = [q["question"] for q in data["questions"]]
    assert order == ["test_corrupt", "test_kl_sparsity", "test_autoencoder_loss"]
    expected = {  # question: (passed, failed, mean score)
        "test_corrupt": (2, 5, 6 / 7),
        "test_kl_sparsity": (4, 3, 8 / 7),
        "test_autoencoder_loss": (5, 2, 15 / 7),
    }
    for name, (passed, failed, mean) in expected.items():
        q = _question(data, name)
        assert (q["passed"], q["failed"]) == (passed, failed), name
        assert q["pass_rate"] == pytest.approx(passed / 7), name
        assert q["mean_score"] == pytest.approx(mean), name
    flagged = {f["student"]: f for f in data["flagged"]}
    assert sorted(flagged) == ["s-c", "s-f"]
    assert [f["code"] for f in flagged["s-f"]["flags"]] == ["timeout"]
    assert not flagged["s-f"]["needs_review"]
    assert [f["code"] for f in flagged["s-c"]["flags"]] == ["timestamp"]
    assert flagged["s-c"]["needs_review"]
    assert flagged["s-f"]["feedback"] == [f"feedback/s-f/{WEEK7}/autoencoders.html"]


def test_assignment_json_groups_each_failure_by_its_hint(graded: Path) -> None:
    data = _json(graded, f"report_{WEEK7}.json")
    corrupt = _groups(_question(data, "test_corrupt"))
    assert [(n, who) for n, _, who in corrupt] == [
        (3, ["s-a", "s-b", "s-c"]),
        (1, ["s-d"]),
        (1, ["s-e"]),
    ]
    assert NOISE_HINT in corrupt[0][1]
    assert MASK_HINT in corrupt[1][1]
    no_hint = _question(data, "test_corrupt")["mistakes"][2]
    assert no_hint["hint"] is None
    assert no_hint["message"] == "RuntimeError: not finished"
    kl = _question(data, "test_kl_sparsity")["mistakes"]
    assert [(m["count"], m["students"]) for m in kl] == [(2, ["s-a", "s-c"]), (1, ["s-f"])]
    assert SWAPPED_HINT in kl[0]["hint"]
    assert kl[1]["hint"] is None and kl[1]["message"] == "KeyboardInterrupt"
    loss = {m["students"][0]: m for m in _question(data, "test_autoencoder_loss")["mistakes"]}
    assert sorted(loss) == ["s-b", "s-d"]
    assert NO_HALF_HINT in loss["s-b"]["hint"]
    assert NO_MEAN_HINT in loss["s-d"]["hint"]


def test_course_json_shows_missing_submissions_and_who_falls_behind(graded: Path) -> None:
    data = _json(graded, "report.json")
    assignments = {a["assignment"]: a for a in data["assignments"]}
    assert list(assignments) == [WEEK1, WEEK7]
    assert (assignments[WEEK1]["submissions"], assignments[WEEK1]["missing"]) == (2, 6)
    assert (assignments[WEEK7]["submissions"], assignments[WEEK7]["missing"]) == (7, 1)
    assert assignments[WEEK1]["mean_percent"] == pytest.approx(50)
    assert assignments[WEEK7]["mean_percent"] == pytest.approx(100 * 29 / 56)
    rows = {r["student"]: r for r in data["students"]}
    assert sorted(rows) == STUDENTS
    assert rows["s-a"]["percent"] == {WEEK1: 100, WEEK7: 37.5}
    assert rows["s-d"]["percent"] == {WEEK1: 0, WEEK7: 25}
    assert rows["s-b"]["percent"] == {WEEK1: None, WEEK7: 25}
    assert rows["s-g"]["percent"] == {WEEK1: None, WEEK7: None}
    assert rows["s-g"]["missing"] == [WEEK1, WEEK7]
    assert rows["s-a"]["change"] == pytest.approx(-62.5)
    assert rows["s-e"]["change"] == pytest.approx(62.5)
    assert [s for s, r in rows.items() if r["falling_behind"]] == ["s-a"]


class _Tables(HTMLParser):
    """The text of every table cell, list item and heading of a page, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.items: list[str] = []
        self._cell: list[str] | None = None
        self._item: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "li":
            self._item = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "li" and self._item is not None:
            self.items.append(" ".join("".join(self._item).split()))
            self._item = None

    def handle_data(self, data):
        for part in (self._cell, self._item):
            if part is not None:
                part.append(data)


def _parse(path: Path) -> _Tables:
    parser = _Tables()
    parser.feed(path.read_text())
    return parser


def test_assignment_page_shows_the_same_numbers(graded: Path) -> None:
    page = graded / "autograder" / f"report_{WEEK7}.html"
    text = page_text(page)
    assert text.count("For instructors only") == 1
    assert "7 submissions graded; mean total 4.14 and median 3 out of 8; 2 flagged" in text
    parsed = _parse(page)
    questions, flagged, everyone = parsed.tables
    assert questions[1:] == [
        ["test_corrupt", "29%", "2", "5", "0.86", "3"],
        ["test_kl_sparsity", "57%", "4", "3", "1.14", "2"],
        ["test_autoencoder_loss", "71%", "5", "2", "2.14", "3"],
    ]
    assert [row[:2] for row in flagged[1:]] == [["s-c", "yes"], ["s-f", "no"]]
    assert everyone[0][:5] == [
        "student",
        "total",
        "test_autoencoder_loss",
        "test_corrupt",
        "test_kl_sparsity",
    ]
    assert [row[:5] for row in everyone[1:]] == [
        ["full", "8", "3", "3", "2"],
        ["s-a", "3", "3", "0", "0"],
        ["s-b", "2", "0", "0", "2"],
        ["s-c", "3", "3", "0", "0"],
        ["s-d", "2", "0", "0", "2"],
        ["s-e", "5", "3", "0", "2"],
        ["s-f", "6", "3", "3", "0"],
    ]
    items = parsed.items
    assert len(items) == 7
    assert items[0].startswith("3: ") and NOISE_HINT in items[0]
    assert items[0].endswith("Students: s-a, s-b, s-c")
    assert items[2] == "1: no hint; the error began RuntimeError: not finished. Students: s-e"
    assert "test_corrupt: 5 of 7 failed" in text
    assert "test_kl_sparsity: 3 of 7 failed" in text


def test_course_page_shows_the_same_numbers(graded: Path) -> None:
    parsed = _parse(graded / "autograder" / "report.html")
    summary, students = parsed.tables
    assert summary[1:] == [[WEEK1, "2", "6", "50"], [WEEK7, "7", "1", "52"]]
    rows = {row[0]: row[1:6] for row in students[1:]}
    assert rows["s-a"] == ["100", "38", "69", "-62", "yes"]
    assert rows["s-g"] == ["missing", "missing", "0", "+0", "no"]
    assert rows["s-b"] == ["missing", "25", "12", "+25", "no"]
    text = page_text(graded / "autograder" / "report.html")
    assert "Falling behind: s-a." in text


def test_reports_never_show_hidden_tests(graded: Path) -> None:
    for assignment in (WEEK1, WEEK7):
        secret = hidden_lines(REPO / course.SOLUTIONS / assignment)
        assert secret, f"{assignment} has no hidden tests to look for"
        pages = [
            *(graded / "autograder").glob("report*.*"),
            *(graded / course.FEEDBACK).glob("*/progress.html"),
        ]
        for page in pages:
            text = page.read_text()
            leaked = [line for line in secret if line in text]
            assert not leaked, f"{page.name} quotes hidden tests: {leaked[:3]}"


def test_student_page_has_only_that_students_data(graded: Path) -> None:
    page = graded / course.FEEDBACK / "s-a" / "progress.html"
    text = page_text(page)
    assert "For instructors only" not in text
    others = [s for s in STUDENTS if s != "s-a" and re.search(rf"\b{s}\b", text)]
    assert not others, f"s-a's page names {others}"
    parsed = _parse(page)
    assert parsed.tables[0][1:] == [
        [WEEK1, "13 of 13", "linear_regression.html"],
        [WEEK7, "3 of 8", "autoencoders.html"],
    ]
    assert any(NOISE_HINT in item for item in parsed.items)
    assert any(SWAPPED_HINT in item for item in parsed.items)
    missing = _parse(graded / course.FEEDBACK / "s-g" / "progress.html").tables[0][1:]
    assert missing == [[WEEK1, "not submitted", ""], [WEEK7, "not submitted", ""]]


def test_report_command_rewrites_the_reports(graded: Path, capsys) -> None:
    page = graded / "autograder" / f"report_{WEEK1}.html"
    page.unlink()
    main(["--root", str(graded), "report", WEEK1])
    assert page.is_file()
    assert "class reports (instructors only)" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="not graded yet: week03_backprop"):
        main(["--root", str(graded), "report", "week03_backprop"])


def test_reports_in_chromium_render_sort_and_link(graded: Path) -> None:
    reason = browser_unavailable_reason()
    if reason:
        skip_or_fail(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        context = new_context(browser)
        page = context.new_page()
        try:
            page.goto((graded / "autograder" / "report.html").as_uri())
            images = page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
            assert len(images) == 2 and all(w > 200 for w in images), images
            screenshot(page, "class_report_course")
            table = page.locator("table").nth(1)
            first_column = table.locator("tbody tr td:first-child")
            change = table.locator("thead th").nth(4).locator("button")
            change.click()
            assert table.locator("thead th").nth(4).get_attribute("aria-sort") == "ascending"
            assert first_column.first.inner_text() == "s-a"  # the largest fall first
            change.click()
            assert first_column.first.inner_text() == "full"  # 100% after a missing week 1
            page.get_by_role("link", name=WEEK7).click()
            page.wait_for_load_state()
            assert page.title() == f"Class report: {WEEK7}"
            widths = page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
            assert len(widths) == 1 and widths[0] > 200, widths
            screenshot(page, "class_report_week07")
            page.locator("ul.mistakes").first.get_by_role("link", name="s-b").click()
            page.wait_for_load_state()
            assert page.url.endswith(f"feedback/s-b/{WEEK7}/autoencoders.html")
            assert "corrupt" in page.content()
        finally:
            context.close()
            browser.close()
