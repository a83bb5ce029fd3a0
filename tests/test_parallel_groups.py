"""How `make test` splits the tests between its two processes (the root conftest.py)."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _root_conftest():
    spec = importlib.util.spec_from_file_location("root_conftest", ROOT / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_each_assignments_proofs_are_one_group_and_every_other_file_is_one():
    group = _root_conftest().group
    proofs = "tests/test_autograding.py"
    week1 = f"{proofs}[week01_linear_regression]"
    assert group(f"{proofs}::test_solution_earns_full_marks[week01_linear_regression]") == week1
    assert group(f"{proofs}::test_catalogued_variant[week01_linear_regression:wrong-x]") == week1
    assert (
        group(
            f"{proofs}::test_committed_samples_earn_their_documented_scores[week02_classification-sample-full-marks-16]"
        )
        == f"{proofs}[week02_classification]"
    )
    assert group(f"{proofs}::test_every_assignment_documents_its_sample_scores") == proofs
    # A notebook's cells run in order in one kernel; any other test file stays together.
    notebook = "solutions/week01_linear_regression/linear_regression.ipynb"
    assert group(f"{notebook}::Cell 0") == group(f"{notebook}::Cell 7") == notebook
    assert (
        group("tests/test_browser.py::test_lecture[01_linear_regression]")
        == "tests/test_browser.py"
    )
    assert group("tests/test_live.py::test_x") == "tests/test_live.py"


def test_the_longest_groups_come_first_in_a_stable_order():
    conftest = _root_conftest()

    class Item:
        def __init__(self, nodeid):
            self.nodeid = nodeid

    ids = [
        "tests/test_accessibility.py::test_a",
        "tests/test_autograding.py::test_solution_earns_full_marks[week01_linear_regression]",
        "lectures/01_linear_regression.ipynb::Cell 0",
        "tests/test_browser.py::test_validate",
        "lectures/01_linear_regression.ipynb::Cell 1",
        "tests/test_grade_class.py::test_honest",
    ]
    ordered = [item.nodeid for item in sorted(map(Item, ids), key=conftest._rank)]
    assert ordered == [ids[3], ids[5], ids[1], ids[0], ids[2], ids[4]]
