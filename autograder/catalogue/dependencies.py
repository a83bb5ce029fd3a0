"""Which graded functions each test's result can depend on, read from the source notebooks.

A graded function's test result depends on another graded function ``g`` when its test cell
uses ``g``, when its solution uses ``g``, or when one of its catalogued variants does; and
then also on whatever ``g``'s result depends on. A mistake in ``g`` can cost such a function
its points; a mistake in a function it does not depend on cannot. CI uses this to submit the
wrong variants of functions that do not depend on each other together (``batches``), and
``tests/test_catalogue_independence.py`` uses the same reading to check the catalogue's
``INDEPENDENT`` declarations.

Whether a cell "uses" a name is read with :mod:`symtable` from the cell's code (IPython magics
turned into Python first), including the global names that the functions and comprehensions
defined in the cell read.
"""

from __future__ import annotations

import builtins
import symtable
from dataclasses import dataclass

import nbformat
from IPython.core.inputtransformer2 import TransformerManager

from autograder import course, notebooks
from autograder.catalogue import Variant, load

# Names a notebook has without defining them: Python's builtins and IPython's.
PREDEFINED = frozenset(dir(builtins)) | {"get_ipython", "display", "In", "Out", "exit", "quit"}
_TO_PYTHON = TransformerManager()


@dataclass(frozen=True)
class Cell:
    """What one code cell defines and uses. ``kind``: setup, answer, test or other."""

    grade_id: str | None
    kind: str
    defines: frozenset[str]
    uses: frozenset[str]

    @property
    def label(self) -> str:
        what = {"answer": "the answer cell", "test": "the test cell", "setup": "the setup cell"}
        return f"{what.get(self.kind, 'the cell')} {self.grade_id or '(no grade id)'}"


def names_of(source: str) -> tuple[frozenset[str], frozenset[str]]:
    """The names a cell's code defines and the names it uses from the notebook's namespace.

    A name the cell both defines and uses counts as defined (its own). Functions, classes and
    comprehensions inside the cell contribute the global names they read.
    """
    table = symtable.symtable(_TO_PYTHON.transform_cell(source), "<cell>", "exec")
    defines, uses = set(), set()
    for symbol in table.get_symbols():
        if symbol.is_assigned() or symbol.is_imported() or symbol.is_namespace():
            defines.add(symbol.get_name())
        if symbol.is_referenced():
            uses.add(symbol.get_name())
    stack = list(table.get_children())
    while stack:
        inner = stack.pop()
        stack.extend(inner.get_children())
        for symbol in inner.get_symbols():
            if symbol.is_declared_global() and symbol.is_assigned():
                defines.add(symbol.get_name())
            if symbol.is_global() and symbol.is_referenced():
                uses.add(symbol.get_name())
    return frozenset(defines), frozenset(uses - defines - PREDEFINED)


def cells_of(notebook: nbformat.NotebookNode) -> list[Cell]:
    """Every code cell of a source notebook, classified by its nbgrader metadata."""
    cells = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        gid = notebooks.grade_id(cell)
        if notebooks.is_answer_cell(cell):
            kind = "answer"
        elif gid and gid.startswith("test_"):
            kind = "test"
        elif gid == "setup":
            kind = "setup"
        else:
            kind = "other"
        cells.append(Cell(gid, kind, *names_of(cell.source)))
    return cells


def assignment_cells(assignment: str) -> list[Cell]:
    """The code cells of every source notebook of an assignment, in order."""
    folder = course.REPO_ROOT / course.SOLUTIONS / assignment
    return [c for nb in sorted(folder.glob("*.ipynb")) for c in cells_of(nbformat.read(nb, 4))]


def graded_functions(cells: list[Cell]) -> set[str]:
    """The functions that have a test cell (``test_<name>``)."""
    return {c.grade_id.removeprefix("test_") for c in cells if c.kind == "test"}


def depends_on(cells: list[Cell], variants: list[Variant]) -> dict[str, frozenset[str]]:
    """{graded function: the other graded functions its test result can depend on}.

    Direct uses come from the function's test cell, its answer cell (the solution) and the
    code of its catalogued variants; the result is their transitive closure.
    """
    graded = graded_functions(cells)
    direct = {f: set() for f in graded}
    for cell in cells:
        if cell.kind in ("test", "answer"):
            function = cell.grade_id.removeprefix("test_")
            if function in direct:
                direct[function] |= cell.uses & graded
    for variant in variants:
        if variant.function in direct:
            direct[variant.function] |= names_of(variant.code)[1] & graded
    closed: dict[str, frozenset[str]] = {}

    def close(function: str, seen: frozenset[str]) -> frozenset[str]:
        if function not in closed:
            deps = set()
            for other in direct[function] - {function} - seen:
                deps |= {other} | close(other, seen | {function})
            closed[function] = frozenset(deps - {function})
        return closed[function]

    for function in sorted(graded):
        close(function, frozenset())
    return closed


def assignment_dependencies(assignment: str) -> dict[str, frozenset[str]]:
    """:func:`depends_on` for an assignment's notebooks and catalogue."""
    return depends_on(assignment_cells(assignment), load(assignment))


def batches(dependencies: dict[str, frozenset[str]], counts: dict[str, int]) -> list[list[str]]:
    """Rounds of functions whose mistakes can be submitted together: in each round no
    function depends on another, and each function appears in ``counts[function]`` rounds.

    Greedy: each round takes, among the functions with mistakes left (most left first, then
    by name), every one that depends on no function already taken and that none depends on.
    """
    left = {f: n for f, n in counts.items() if n > 0}
    rounds = []
    while left:
        taken: list[str] = []
        for function in sorted(left, key=lambda f: (-left[f], f)):
            if all(
                g not in dependencies[function] and function not in dependencies[g] for g in taken
            ):
                taken.append(function)
        for function in taken:
            left[function] -= 1
            if not left[function]:
                del left[function]
        rounds.append(sorted(taken))
    return rounds
