"""autograder.notebooks: reading the answers of a source notebook and running them."""

import pytest

from autograder import course, notebooks

WEEK4 = course.REPO_ROOT / course.SOLUTIONS / "week04_optimizers" / "optimizers.ipynb"


def test_define_answers_runs_the_named_answer_cells():
    namespace = notebooks.define_answers(WEEK4, ["sgd_step", "inverse_time_decay"])
    assert namespace["inverse_time_decay"](1.0, 3, 1.0) == 0.25
    assert "adam_step" not in namespace  # only the cells asked for


def test_define_answers_names_a_missing_answer_cell():
    with pytest.raises(KeyError, match="no answer cells named \\['no_such_function'\\]"):
        notebooks.define_answers(WEEK4, ["sgd_step", "no_such_function"])
