"""The class report's HTML: one page per assignment, one for the course, one per student.

Pages are self-contained: styles and the small table-sorting script are inline, figures are
embedded images, links are relative (to the feedback pages and to each other), so a page works
opened from disk, from JupyterLab, or copied elsewhere with ``autograder/``. Tables sort by
any column with a click or the keyboard (each heading is a button); without JavaScript they
keep their meaningful default order.
"""

from __future__ import annotations

from html import escape

from autograder.class_report import figures
from autograder.class_report.collect import FALLING_BEHIND

COURSE_PAGE = "report.html"
INSTRUCTORS_ONLY = (
    "For instructors only. This page names students and shows their marks and mistakes: do "
    "not publish it or send it to students. Each student has a page of their own, "
    "<code>feedback/&lt;student&gt;/progress.html</code>, next to their feedback."
)

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5rem auto; max-width: 70rem;
       padding: 0 1rem; color: #1a1a1a; line-height: 1.45; }
.banner { border: 2px solid #6a3d9a; background: #f3eef8; padding: .6rem .9rem; }
table { border-collapse: collapse; margin: .5rem 0 1.2rem; }
th, td { border: 1px solid #bbb; padding: .25rem .5rem; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
th button { font: inherit; font-weight: bold; background: none; border: 0; padding: 0;
            cursor: pointer; text-align: left; }
th button:focus-visible { outline: 2px solid #1f4e9a; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; }
th[aria-sort="descending"] button::after { content: " \\25BC"; }
.missing { color: #555; font-style: italic; }
.behind { font-weight: bold; }
figure { margin: 1rem 0; } figcaption { font-size: .9rem; color: #333; max-width: 60rem; }
img { max-width: 100%; height: auto; }
ul.mistakes li { margin-bottom: .3rem; }
"""

# Sorts a table by the clicked column: numbers (data-sort, else the cell's text) numerically,
# the rest alphabetically; a second click reverses.
_SORT_SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, col) {
    var button = th.querySelector("button");
    if (!button) return;
    button.addEventListener("click", function () {
      var up = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      function key(row) {
        var cell = row.cells[col];
        var sort = cell.getAttribute("data-sort");
        return sort !== null ? sort : cell.textContent.trim();
      }
      var numeric = rows.every(function (r) { return key(r) !== "" && !isNaN(Number(key(r))); });
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        var order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
        return up ? order : -order;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
"""


def _page(title: str, body: str, *, instructors: bool = True) -> str:
    banner = f'<p class="banner" role="note">{INSTRUCTORS_ONLY}</p>' if instructors else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n{banner}\n{body}\n<script>{_SORT_SCRIPT}</script>\n"
        "</body>\n</html>\n"
    )


def _figure(picture: figures.Picture) -> str:
    return (
        f'<figure><img src="{picture.uri}" alt="{escape(picture.alt)}">'
        f"<figcaption>{escape(picture.alt)}</figcaption></figure>"
    )


def _table(headings: list[str], rows: list[list[str]], caption: str, sortable: bool = True) -> str:
    """A table; each row's cells are already HTML (``<td>...</td>``)."""
    if sortable:
        head = "".join(
            f'<th scope="col"><button type="button">{escape(h)}</button></th>' for h in headings
        )
    else:
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headings)
    body = "\n".join(f"<tr>{''.join(cells)}</tr>" for cells in rows)
    kind = ' class="sortable"' if sortable else ""
    return (
        f"<table{kind}><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>\n{body}\n</tbody></table>"
    )


def _td(text: str, sort: float | str | None = None, cls: str = "") -> str:
    attrs = f' data-sort="{escape(str(sort))}"' if sort is not None else ""
    attrs += f' class="{cls}"' if cls else ""
    return f"<td{attrs}>{text}</td>"


def _num(value: float, text: str | None = None) -> str:
    return _td(escape(text if text is not None else f"{value:g}"), value, "num")


def _links(pages: list[str], missing: str = "no feedback page") -> str:
    if not pages:
        return f'<span class="missing">{missing}</span>'
    return ", ".join(f'<a href="{escape(p)}">{escape(p.rsplit("/", 1)[-1])}</a>' for p in pages)


def _page_link(assignment: str) -> str:
    return f'<a href="report_{escape(assignment)}.html">{escape(assignment)}</a>'


def _student_link(student: str, pages: list[str]) -> str:
    """The student's id, linked to their first feedback page when there is one."""
    if not pages:
        return escape(student)
    return f'<a href="{escape(pages[0])}">{escape(student)}</a>'


def _flags_text(flags: list[dict]) -> str:
    return "; ".join(escape(f"{f['code']}: {f['reason']}") for f in flags) or "none"


def assignment_page(data: dict) -> str:
    """The report of one assignment (``data`` from :func:`collect.assignment_data`)."""
    name, top = data["assignment"], data["max_total"]
    feedback = {s["student"]: s["feedback"] for s in data["students"]}
    totals = data["totals"]
    parts = [
        f'<p><a href="{COURSE_PAGE}">The whole course</a> · JSON: '
        f'<a href="report_{escape(name)}.json">report_{escape(name)}.json</a></p>',
        f"<p>{data['submissions']} submissions graded; mean total "
        f"{(totals['mean'] or 0):.2f} and median {(totals['median'] or 0):g} out of {top:g}; "
        f"{len(data['flagged'])} flagged or needing review.</p>",
        _figure(figures.totals_histogram(totals["histogram"], top, name)),
        "<h2>Questions, the most failed first</h2>",
        _table(
            ["question", "pass rate", "passed", "failed", "mean score", "points"],
            [
                [
                    _td(escape(q["question"])),
                    _num(q["pass_rate"], f"{100 * q['pass_rate']:.0f}%"),
                    _num(q["passed"]),
                    _num(q["failed"]),
                    _num(q["mean_score"], f"{q['mean_score']:.2f}"),
                    _num(q["max_score"]),
                ]
                for q in data["questions"]
            ],
            f"Pass rate and mean score of each graded test of {name}",
        ),
        "<h2>What the class got wrong</h2>",
        "<p>For each failed test, the hint each failing student was shown, counted; a failure "
        "the exercise's tests have no hint for is grouped by the first line of its error.</p>",
    ]
    failed = [q for q in data["questions"] if q["failed"]]
    if not failed:
        parts.append("<p>Every submission passed every test.</p>")
    for q in failed:
        items = []
        for m in q["mistakes"]:
            what = (
                f"<q>{escape(m['hint'])}</q>"
                if m["hint"]
                else f"no hint; the error began <q>{escape(m['message'])}</q>"
            )
            who = ", ".join(_student_link(s, feedback.get(s, [])) for s in m["students"])
            items.append(f"<li><strong>{m['count']}</strong>: {what}. Students: {who}</li>")
        parts.append(
            f'<h3 id="{escape(q["question"])}">{escape(q["question"])}: {q["failed"]} of '
            f'{q["submissions"]} failed</h3><ul class="mistakes">{"".join(items)}</ul>'
        )
    parts.append("<h2>Flags and submissions to review</h2>")
    if data["flagged"]:
        parts.append(
            _table(
                ["student", "needs review", "flags", "feedback"],
                [
                    [
                        _td(escape(f["student"])),
                        _td("yes" if f["needs_review"] else "no"),
                        _td(_flags_text(f["flags"])),
                        _td(_links(f["feedback"])),
                    ]
                    for f in data["flagged"]
                ],
                f"Submissions of {name} the grader flagged",
            )
        )
    else:
        parts.append("<p>The grader flagged no submission.</p>")
    questions = [q["question"] for q in sorted(data["questions"], key=lambda q: q["question"])]
    parts += [
        "<h2>Every submission</h2>",
        _table(
            ["student", "total", *questions, "late penalty", "flags", "feedback"],
            [
                [
                    _td(escape(s["student"])),
                    _num(s["total"]),
                    *(_num(s["questions"].get(q, 0.0)) for q in questions),
                    _num(s["late_penalty"]),
                    _td(_flags_text(s["flags"])),
                    _td(_links(s["feedback"])),
                ]
                for s in data["students"]
            ],
            f"Every student's scores on {name} (out of {top:g})",
        ),
    ]
    return _page(f"Class report: {name}", "\n".join(parts))


def course_page(data: dict) -> str:
    """The course report (``data`` from :func:`collect.course_data`)."""
    names = [a["assignment"] for a in data["assignments"]]
    rows = data["students"]
    behind = [r["student"] for r in sorted(rows, key=lambda r: r["change"]) if r["falling_behind"]]
    parts = [
        '<p>JSON: <a href="report.json">report.json</a></p>',
        _table(
            ["assignment", "submissions", "missing", "mean of the submitted (%)"],
            [
                [
                    _td(
                        _page_link(a["assignment"]),
                        a["assignment"],
                    ),
                    _num(a["submissions"]),
                    _num(a["missing"]),
                    _num(a["mean_percent"] or 0, f"{a['mean_percent'] or 0:.0f}"),
                ]
                for a in data["assignments"]
            ],
            "The graded assignments (each links to its own report)",
        ),
        "<h2>Who is falling behind</h2>",
        f"<p>A student is marked when their last assignment is {-FALLING_BEHIND:g} or more points "
        "(of 100) below the mean of their earlier ones; a missing submission counts as 0%. "
        "Falling behind: "
        + (", ".join(f'<span class="behind">{escape(s)}</span>' for s in behind) or "nobody")
        + ".</p>",
        _figure(figures.trends(names, rows, behind[:8]))
        if len(names) > 1
        else "<p>Trends need two graded assignments.</p>",
        _figure(
            figures.heat_map(
                [r["student"] for r in rows], names, [list(r["percent"].values()) for r in rows]
            )
        ),
        _table(
            ["student", *names, "mean (%)", "change (points)", "falling behind", "own page"],
            [
                [
                    _td(escape(r["student"])),
                    *(
                        _td('<span class="missing">missing</span>', -1)
                        if r["percent"][n] is None
                        else _num(r["percent"][n], f"{r['percent'][n]:.0f}")
                        for n in names
                    ),
                    _num(r["mean_percent"], f"{r['mean_percent']:.0f}"),
                    _num(r["change"], f"{r['change']:+.0f}"),
                    _td(
                        "yes" if r["falling_behind"] else "no",
                        cls="behind" if r["falling_behind"] else "",
                    ),
                    _td(f'<a href="feedback/{escape(r["student"])}/progress.html">progress</a>'),
                ]
                for r in rows
            ],
            "Every student's total on every assignment, in percent of its maximum",
        ),
    ]
    return _page("Class report: the whole course", "\n".join(parts))


def student_page(student: str, mine: dict[str, dict | None]) -> str:
    """A student's own page: their totals and the hints they got, nobody else's data.

    ``mine`` maps every graded assignment to this student's entry of its
    :func:`collect.assignment_data` ``students`` (None without a submission).
    """
    rows, parts = [], []
    for name, s in mine.items():
        if s is None:
            rows.append(
                [_td(escape(name)), _td('<span class="missing">not submitted</span>'), _td("")]
            )
            continue
        pages = [p.split("/", 2)[-1] for p in s["feedback"]]  # relative to feedback/<student>/
        rows.append(
            [
                _td(escape(name)),
                _num(s["total"], f"{s['total']:g} of {s['max_total']:g}"),
                _td(_links(pages)),
            ]
        )
        items = [
            f"<li>{escape(q)}: "
            + (f"<q>{escape(f['hint'])}</q>" if f["hint"] else f"<q>{escape(f['message'])}</q>")
            + "</li>"
            for q, f in s["failures"].items()
        ]
        if items:
            parts.append(f"<h3>{escape(name)}: what to look at again</h3><ul>{''.join(items)}</ul>")
    body = [
        "<p>Your totals on every graded assignment, with links to your feedback, and the hint "
        "each failed test gave you. Only your own work is on this page.</p>",
        _table(
            ["assignment", "total", "feedback"], rows, f"{student}: totals per assignment", False
        ),
        *parts,
    ]
    return _page(f"Progress of {student}", "\n".join(body), instructors=False)
