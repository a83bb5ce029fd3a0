"""Unit tests for dlcourse.testing: the helpers must fail on wrong answers, pass right ones,
and say something useful when they fail."""

import numpy as np
import pytest

from dlcourse.testing import (
    assert_close,
    call_without_mutation,
    call_without_warnings,
    expect_tuple,
    format_value,
)


def message_of(func, *args, **kwargs) -> str:
    with pytest.raises(AssertionError) as info:
        func(*args, **kwargs)
    return str(info.value)


def test_assert_close_accepts_equal_values_within_tolerance():
    assert_close(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-12]), name="f")
    assert_close(np.float64(3.0), 3.0, name="f")
    assert_close(3, 3.0, name="f")
    assert_close(np.array(3.0), 3.0, name="f")


def test_assert_close_reports_inputs_expected_got_and_first_wrong_entry():
    msg = message_of(
        assert_close,
        np.array([1.0, 5.0, 7.0]),
        np.array([1.0, 2.0, 3.0]),
        name="linear_predict",
        inputs={"w": np.array([0.5])},
    )
    assert "linear_predict" in msg
    assert "2 of 3 entries wrong" in msg
    assert "first wrong entry: index (1,), expected 2, got 5" in msg
    assert "w = array of shape (1,): [0.5]" in msg


def test_assert_close_reports_none_as_a_missing_return():
    msg = message_of(assert_close, None, 1.0, name="linear_cost")
    assert "returned None" in msg and "return" in msg


def test_assert_close_rejects_non_numbers():
    msg = message_of(assert_close, "abc", 1.0, name="f")
    assert "not numbers" in msg


@pytest.mark.parametrize(
    ("got", "expected", "fragment"),
    [
        (np.ones((3, 1)), np.ones(3), "column vector"),
        (np.ones((2, 3)), np.ones((3, 2)), "transpose"),
        (np.ones(3), 1.0, "single number"),
        (1.0, np.ones(3), "should be an array"),
    ],
)
def test_assert_close_explains_wrong_shapes(got, expected, fragment):
    msg = message_of(assert_close, got, expected, name="f")
    assert "returned shape" in msg
    assert fragment in msg


@pytest.mark.parametrize(
    ("factor", "fragment"),
    [(2.0, "exactly 2x"), (0.5, "exactly half"), (-1.0, "wrong sign"), (7.0, "7x the expected")],
)
def test_assert_close_names_constant_factors(factor, fragment):
    expected = np.array([1.0, -2.0, 0.0, 4.0])
    msg = message_of(assert_close, factor * expected, expected, name="f")
    assert fragment in msg


def test_assert_close_names_a_catalogued_mistake_before_generic_hints():
    expected = np.array([1.0, 2.0])
    msg = message_of(
        assert_close,
        np.array([3.0, 3.0]),
        expected,
        name="f",
        mistakes={"you forgot the bias": np.array([3.0, 3.0]), "other": np.array([9.0, 9.0])},
    )
    assert "Hint: you forgot the bias" in msg
    assert "other" not in msg


def test_assert_close_gives_no_hint_for_an_unrecognised_error():
    msg = message_of(assert_close, np.array([1.0, 5.0]), np.array([1.0, 2.0]), name="f")
    assert "Hint" not in msg


def test_assert_close_flags_nan_and_inf():
    msg = message_of(assert_close, np.array([np.nan, 1.0]), np.array([0.0, 1.0]), name="f")
    assert "nan or inf" in msg


def test_assert_close_finds_a_transposed_square_matrix():
    expected = np.array([[1.0, 2.0], [3.0, 4.0]])
    msg = message_of(assert_close, expected.T, expected, name="f")
    assert "transpose" in msg


def test_expect_tuple_returns_the_values_and_rejects_wrong_counts():
    assert expect_tuple((1, 2), ("dw", "db"), name="g") == (1, 2)
    msg = message_of(expect_tuple, np.ones(3), ("dw", "db"), name="linear_gradients")
    assert "should return 2 values (dw, db)" in msg
    assert "return dw, db" in msg
    msg = message_of(expect_tuple, (1, 2, 3), ("dw", "db"), name="g")
    assert "returned 3" in msg


def test_call_without_mutation_returns_the_result_when_inputs_are_untouched():
    def pure(x, y):
        return x + y

    x = np.array([1.0, 2.0])
    out = call_without_mutation(pure, x, y=np.array([1.0, 1.0]))
    np.testing.assert_array_equal(out, [2.0, 3.0])


def test_call_without_mutation_names_the_argument_changed_in_place():
    def bad(w, dw):
        w -= dw
        return w

    msg = message_of(call_without_mutation, bad, np.array([1.0, 2.0]), np.array([0.5, 0.5]))
    assert "changed its input `w` in place" in msg
    assert "w = w.copy()" in msg


def test_call_without_mutation_catches_changed_lists():
    def appends(values):
        values.append(1)

    msg = message_of(call_without_mutation, appends, [0])
    assert "`values`" in msg


def test_format_value_summarises_large_arrays():
    text = format_value(np.arange(1000.0))
    assert text.startswith("array of shape (1000,)")
    assert len(text) < 120
    assert format_value(0.1 + 0.2) == "0.3"
    assert format_value("x") == "'x'"


def test_call_without_warnings_returns_the_result_of_a_quiet_function():
    z = np.array([-1000.0, 0.0, 1000.0])
    out = call_without_warnings(lambda v: np.exp(-np.abs(v)), z)
    np.testing.assert_array_equal(out, [0.0, 1.0, 0.0])


def test_call_without_warnings_turns_an_overflow_into_a_failure_naming_it():
    def naive_sigmoid(z):
        return 1 / (1 + np.exp(-z))

    with pytest.raises(AssertionError, match="naive_sigmoid: emitted a RuntimeWarning.*overflow"):
        call_without_warnings(naive_sigmoid, np.array([-1000.0]))


def test_call_without_warnings_catches_warnings_even_when_numpy_is_set_to_ignore_them():
    with np.errstate(all="ignore"), pytest.raises(AssertionError, match="divide by zero"):
        call_without_warnings(np.log, np.array([0.0]))


def test_call_without_warnings_still_checks_for_mutation():
    def clip_in_place(p):
        p[p < 0.1] = 0.1
        return p

    with pytest.raises(AssertionError, match="changed its input `p` in place"):
        call_without_warnings(clip_in_place, np.array([0.0, 0.5]))


def test_call_without_mutation_names_the_first_changed_entry_at_full_precision():
    def clip_in_place(p):
        p[p < 1e-12] = 1e-12
        return p

    with pytest.raises(AssertionError, match=r"index \(1,\), np.float64\(0.0\) became .*1e-12"):
        call_without_mutation(clip_in_place, np.array([0.5, 0.0]))
