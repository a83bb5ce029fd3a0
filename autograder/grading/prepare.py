"""Turn a submitted notebook into the notebook the grader runs.

The instructor's cells come back from the source, whatever the student did to them, and each
change is flagged: deleted, edited or reordered test (and other read-only) cells are put back
in the source's order, then nbgrader's own sanitizing preprocessors (the ones `nbgrader
autograde` runs) clear outputs, deduplicate ids, overwrite the kernelspec and restore every
read-only cell, hidden tests included, from the gradebook.

Guard cells are then inserted: one before everything that arms the sandbox's audit hook
(:mod:`autograder.grading.kernel`), and one before each graded test cell and at the end that
asks the hook to check for tampering and re-imports the names the instructor's cells bound
(``np``, ``assert_close``, ...) so a student's rebinding cannot make a test pass. Guard cells
are removed again (:func:`strip_guards`) before grades are saved or feedback is written.

Code cells after the last graded cell (an assignment's closing training runs and plots) earn
no points and cannot change any, so the grader does not run them (:data:`NOT_RUN_KEY`): they
reach the graded notebook and the feedback with a note instead of outputs.
"""

from __future__ import annotations

import ast
import copy
import json
import traceback

import jsonschema
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_output
from nbgrader import utils
from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.nbgraderformat.common import (
    BaseMetadataValidator,
    SchemaTooNewError,
    SchemaTooOldError,
)
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    OverwriteCells,
    OverwriteKernelspec,
)

from autograder.grading import kernel
from autograder.grading.flags import Flag
from autograder.notebooks import grade_id

GUARD_KEY = "autograder_guard"
SOURCE_KEY = "autograder_source"  # a graded test cell's own source, while it runs wrapped
END_LABEL = "end of notebook"
ARM_LABEL = "arm"
NOT_RUN_KEY = "autograder_not_run"  # a code cell after the last graded one: not executed
NOT_RUN_NOTE = "(not run by the grader: no points depend on this cell)\n"
_FORGET_ERROR = (
    "__import__('sys').last_traceback = __import__('sys').last_value = None\n"
    "__import__('IPython').get_ipython().last_execution_result = None\n"
    "__import__('gc').collect()"
)


def is_instructor_cell(cell: NotebookNode) -> bool:
    """Read-only cells: locked cells and graded test cells (not the students' answers)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("locked") or meta.get("grade")) and not meta.get("solution")


def restore_structure(
    submitted: NotebookNode, release: NotebookNode
) -> tuple[NotebookNode, list[Flag]]:
    """Put the release's read-only cells back, in the release's order.

    Cells the student added stay after the cell they followed; answer cells keep the
    student's code; a deleted answer cell comes back as the release's stub.

    Parameters
    ----------
    submitted : NotebookNode
        The student's notebook.
    release : NotebookNode
        The student version of the same notebook, as released.

    Returns
    -------
    notebook : NotebookNode
        A new notebook with the release's cells in the release's order.
    flags : list of Flag
        ``test-cells`` flags naming deleted, edited and reordered read-only cells.
    """
    release_ids = [grade_id(c) for c in release.cells if grade_id(c)]
    known = set(release_ids)
    anchors: dict[str, NotebookNode] = {}
    followers: dict[str | None, list[NotebookNode]] = {None: []}
    previous = None
    for cell in submitted.cells:
        gid = grade_id(cell)
        if gid in known and gid not in anchors:
            anchors[gid] = cell
            previous = gid
            followers[gid] = []
        elif gid in known:  # a duplicate of an instructor's cell: drop the copy
            continue
        else:
            if gid is not None:  # an id the release does not know: treat as the student's
                cell = copy.deepcopy(cell)
                del cell.metadata["nbgrader"]
            followers[previous].append(cell)
    deleted, edited = [], []
    cells = list(followers[None])
    for rcell in release.cells:
        gid = grade_id(rcell)
        if gid is None:
            cells.append(copy.deepcopy(rcell))
            continue
        scell = anchors.get(gid)
        if is_instructor_cell(rcell):
            if scell is None:
                deleted.append(gid)
            elif scell.source != rcell.source or scell.cell_type != rcell.cell_type:
                edited.append(gid)
            cells.append(copy.deepcopy(rcell))
        else:
            cells.append(copy.deepcopy(scell if scell is not None else rcell))
        cells += followers.get(gid, [])
    order = [g for g in (grade_id(c) for c in submitted.cells) if g in known]
    order = list(dict.fromkeys(order))
    reordered = order != [g for g in release_ids if g in set(order)]
    flags = []
    graded = {grade_id(c) for c in release.cells if utils.is_grade(c)}
    for what, ids in (("deleted", deleted), ("edited", edited)):
        tests = [g for g in ids if g in graded]
        if tests:
            flags.append(Flag("test-cells", f"{what} test cells {', '.join(tests)}: restored"))
        others = [g for g in ids if g not in graded]
        if others:
            flags.append(
                Flag("read-only-cells", f"{what} read-only cells {', '.join(others)}: restored")
            )
    if reordered:
        flags.append(Flag("test-cells", "moved read-only cells: the original order was restored"))
    result = copy.deepcopy(submitted)
    result.cells = cells
    return result, flags


class _SchemaCheckedOnce(BaseMetadataValidator):
    """nbgrader's per-cell schema check, with the schema itself checked once, not per cell.

    ``jsonschema.validate`` checks the schema before validating the instance; nbgrader calls
    it for every cell of every submission, and that check was most of the time sanitizing
    took. The instance is validated exactly as ``jsonschema.validate`` does.
    """

    _validators: dict[int, jsonschema.protocols.Validator] = {}

    def validate_cell(self, cell: NotebookNode) -> None:
        if "nbgrader" not in cell.metadata:
            return
        meta, expected = cell.metadata["nbgrader"], self.schema_version
        version = meta.get("schema_version", 0)
        if version < expected:
            raise SchemaTooOldError(
                f"Outdated schema version: {version} (expected {expected})", version, expected
            )
        if version > expected:
            raise SchemaTooNewError(
                f"Schema version is too new: {version} (expected {expected})", version, expected
            )
        if expected not in self._validators:
            cls = jsonschema.validators.validator_for(self.schema)
            cls.check_schema(self.schema)
            self._validators[expected] = cls(self.schema)
        error = jsonschema.exceptions.best_match(self._validators[expected].iter_errors(meta))
        if error is not None:
            raise error


class _MetadataValidator(MetadataValidator, _SchemaCheckedOnce):
    """nbgrader's metadata validator, every check it makes, with the schema checked once."""


class _CheckCellMetadata(CheckCellMetadata):
    """nbgrader's ``CheckCellMetadata`` with :class:`_MetadataValidator`."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        try:
            _MetadataValidator().validate_nb(nb)
        except ValidationError:
            self.log.error(traceback.format_exc())
            msg = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error(msg)
            raise ValidationError(msg) from None
        return nb, resources


def sanitize(
    notebook: NotebookNode, db_url: str, assignment: str, notebook_id: str
) -> NotebookNode:
    """Run nbgrader's sanitizing preprocessors, as ``nbgrader autograde`` does.

    The notebook's read-only cells (hidden tests included), points and kernelspec are
    restored from the gradebook, which must hold the assignment's source cells.
    """
    resources = {"nbgrader": {"notebook": notebook_id, "assignment": assignment, "db_url": db_url}}
    for preprocessor in (
        ClearOutput(),
        DeduplicateIds(),
        OverwriteKernelspec(),
        OverwriteCells(),
        _CheckCellMetadata(),
    ):
        notebook, resources = preprocessor.preprocess(notebook, resources)
    return notebook


def _python(cell: NotebookNode) -> ast.Module | None:
    """A code cell's top level, IPython's ``%magic`` and ``!shell`` lines left out."""
    lines = [line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def imported_names(
    notebook: NotebookNode, last: int | None = None
) -> list[tuple[str, str, str | None]]:
    """The names the instructor's code cells import, as ``(name, module, attribute)``.

    ``import numpy as np`` gives ``("np", "numpy", None)``; ``from dlcourse.testing import
    assert_close`` (on one line or several) gives ``("assert_close", "dlcourse.testing",
    "assert_close")``. With ``last``, only cells up to that index count.
    """
    names = []
    for cell in notebook.cells[: None if last is None else last + 1]:
        if cell.cell_type != "code" or not is_instructor_cell(cell):
            continue
        tree = _python(cell)
        for node in tree.body if tree else []:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        names.append((alias.asname, alias.name, None))
                    else:
                        top = alias.name.split(".")[0]
                        names.append((top, top, None))
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    if alias.name != "*":
                        names.append((alias.asname or alias.name, node.module, alias.name))
    return list(dict.fromkeys(names))


def defined_functions(cell: NotebookNode) -> list[str]:
    """The functions an instructor's cell defines at its top level (a test's helpers)."""
    tree = _python(cell)
    return [n.name for n in (tree.body if tree else []) if isinstance(n, ast.FunctionDef)]


def _guard(source: str, label: str) -> NotebookNode:
    cell = new_code_cell(source)
    cell.metadata[GUARD_KEY] = label
    return cell


def _rebind_source(names: list[tuple[str, str, str | None]]) -> str:
    lines = []
    for name, module, attr in names:
        if attr is None:
            lines.append(f"{name} = __import__('importlib').import_module({module!r})")
        else:
            lines.append(
                f"{name} = getattr(__import__('importlib').import_module({module!r}), {attr!r})"
            )
    return "\n".join(lines)


# The test's source is an argument, not a constant of the function: a student function the
# test calls can see the wrapper function in its globals, but not its callers' frames.
_TEST_WRAPPER = """\
{start}    def __graded_test(
        source,
        audit=__import__("sys").audit,
        run=__import__("builtins").exec,
        build=__import__("builtins").compile,
    ):
        namespace = {{**__import__("builtins").globals()}}
        try:
            run(build(source, {name!r}, "exec"), namespace)
        finally:
            audit("autograder.after", {label!r})

    try:
        __graded_test({source!r})
    finally:
        del __graded_test
"""


def _isolated(cell: NotebookNode) -> NotebookNode:
    """A graded test cell that runs in a copy of the notebook's namespace, then is checked.

    Student functions see the notebook's namespace as their globals; a test that ran there
    would leave its inputs and expected values where they could read them (``globals()``)
    while it calls them. Run in a copy, the test still sees everything the notebook defined,
    but what it defines stays its own. When it ends, pass or fail, the hook checks that the
    student code it called replaced nothing the test relied on; if it did, the test fails.
    (The wrapper's own tools are bound as it starts, in a function's defaults, out of reach.)

    Warnings the student's code emits are recorded, not printed: nbgrader scores a test
    cell with any output on stderr as failed, and a right answer that warns deserves its
    points (a test that forbids warnings turns them into errors itself). The cell's own
    source comes back in :func:`strip_guards`.
    """
    wrapped = copy.deepcopy(cell)
    wrapped.source = _TEST_WRAPPER.format(
        start=kernel.TEST_START,
        source=cell.source,
        name=f"{kernel.TEST_FILE}{grade_id(cell)}>",
        label=grade_id(cell),
    )
    wrapped.metadata[SOURCE_KEY] = cell.source
    return wrapped


def add_guards(notebook: NotebookNode) -> NotebookNode:
    """Insert the sandbox's guard cells: arm first, check before every test and at the end.

    After an instructor's cell that defines functions, a guard has the hook keep them.
    Every graded test cell runs in a namespace of its own (:func:`_isolated`).
    """
    graded = [
        i for i, c in enumerate(notebook.cells) if c.cell_type == "code" and utils.is_grade(c)
    ]
    last_graded = graded[-1] if graded else len(notebook.cells)
    # What the tests may rely on: the imports of the cells that run (not of the closing cells
    # after the last graded one, which the grader does not run; re-binding those before
    # every test would import their modules, say scikit-learn, for nothing).
    names = imported_names(notebook, last_graded)
    arm = f"__import__('sys').audit('autograder.arm', {json.dumps(json.dumps(names))})"
    rebind = _rebind_source(names)

    def audit(label: str) -> str:
        return f"__import__('sys').audit('autograder.check', {label!r})"

    def check(label: str) -> NotebookNode:
        # Drop the last error's traceback too: after a MemoryError it pins the hog's memory.
        return _guard(f"{audit(label)}\n{rebind}\n{_FORGET_ERROR}", label)

    cells = [_guard(arm, ARM_LABEL)]
    for index, cell in enumerate(notebook.cells):
        if index > last_graded and cell.cell_type == "code":
            cell = copy.deepcopy(cell)
            cell.metadata[NOT_RUN_KEY] = True
            cells.append(cell)
            continue
        if cell.cell_type == "code" and utils.is_grade(cell):
            cells.append(check(grade_id(cell)))
            if is_instructor_cell(cell):
                cell = _isolated(cell)
        cells.append(cell)
        functions = defined_functions(cell) if is_instructor_cell(cell) else []
        if cell.cell_type == "code" and functions and not utils.is_grade(cell):
            # The hook keeps the functions this cell defined, to put them back before every
            # test (a student's cell could redefine a test's helper).
            label = f"after {grade_id(cell)}"
            keep = f"__import__('sys').audit('autograder.keep', {json.dumps(functions)!r})"
            cells.append(_guard(f"{keep}\n{audit(label)}", label))
    cells.append(check(END_LABEL))
    guarded = copy.deepcopy(notebook)
    guarded.cells = cells
    return guarded


def guard_labels(notebook: NotebookNode) -> list[str]:
    """The labels of the check guards in a guarded notebook, in order."""
    return [
        c.metadata[GUARD_KEY]
        for c in notebook.cells
        if is_guard(c) and c.metadata[GUARD_KEY] != ARM_LABEL
    ]


def is_guard(cell: NotebookNode) -> bool:
    """True for a cell the grader inserted."""
    return bool(cell.get("metadata", {}).get(GUARD_KEY))


def strip_guards(notebook: NotebookNode) -> NotebookNode:
    """The notebook without the grader's cells, tests in their own words (before saving)."""
    stripped = copy.deepcopy(notebook)
    stripped.cells = [c for c in stripped.cells if not is_guard(c)]
    for cell in stripped.cells:
        if SOURCE_KEY in cell.get("metadata", {}):
            cell.source = cell.metadata.pop(SOURCE_KEY)
        if cell.get("metadata", {}).pop(NOT_RUN_KEY, False):
            cell.outputs = [new_output("stream", name="stdout", text=NOT_RUN_NOTE)]
    return stripped
