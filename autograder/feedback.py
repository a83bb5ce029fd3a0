"""Feedback that does not leak hidden tests.

nbgrader's feedback HTML shows the autograded notebook, where the hidden tests have been put
back into the test cells; a failing hidden test also prints a traceback that quotes its source.
`HideHiddenTests` runs during `nbgrader generate_feedback`: it removes the hidden region from
every graded test cell, reduces each error in those cells to its type and message and, from
every output of every cell, removes any line that only the hidden tests contain (the class
grader has already done so, and flagged it, when it saved the grades).
"""

from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests

from autograder.grading import hidden

HIDDEN_NOTE = "# Further hidden tests ran here when your notebook was graded."


class HideHiddenTests(ClearHiddenTests):
    """Strip hidden tests and their tracebacks from graded test cells."""

    def preprocess(self, nb: NotebookNode, resources: dict):
        lines = hidden.hidden_only_lines(nb, self.begin_test_delimeter, self.end_test_delimeter)
        hidden.remove_hidden_lines(nb, lines)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: dict, cell_index: int):
        if cell.cell_type != "code" or not utils.is_grade(cell):
            return cell, resources
        if self._remove_hidden_test_region(cell):
            cell.source = cell.source.rstrip("\n") + "\n" + HIDDEN_NOTE
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                ename, evalue = output.get("ename", "Error"), output.get("evalue", "")
                output["traceback"] = [f"{ename}: {evalue}"]
        return cell, resources
