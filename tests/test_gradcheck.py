"""Tests for dlcourse.gradcheck."""

import re

import numpy as np
import pytest

from dlcourse import gradcheck
from dlcourse.gradcheck import (
    DEFAULT_TOL,
    check_gradient,
    check_gradient_array,
    numerical_gradient,
    numerical_gradient_array,
    rel_error,
)

# ---------------------------------------------------------------------------------------------
# Functions with known gradients
# ---------------------------------------------------------------------------------------------


def sin_x_squared(x):
    """f(x) = sum(sin(x) * x^2)."""
    return np.sum(np.sin(x) * x**2)


def sin_x_squared_grad(x):
    return np.cos(x) * x**2 + 2 * x * np.sin(x)


def softmax_loss(W, X, y, reg=0.0):
    """Mean cross-entropy of softmax(X @ W) plus L2 penalty, and its gradient dW."""
    scores = X @ W
    scores = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(scores)
    probs /= probs.sum(axis=1, keepdims=True)
    m = len(y)
    loss = -np.mean(np.log(probs[np.arange(m), y])) + 0.5 * reg * np.sum(W * W)
    dscores = probs.copy()
    dscores[np.arange(m), y] -= 1.0
    return loss, X.T @ dscores / m + reg * W


def softmax_problem(seed, m=20, n=10, k=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, n))
    y = rng.integers(0, k, size=m)
    W = 0.1 * rng.normal(size=(n, k))
    return W, lambda w: softmax_loss(w, X, y, reg=0.1)[0], softmax_loss(W, X, y, reg=0.1)[1]


@pytest.fixture
def rng():
    return np.random.default_rng(0)


# ---------------------------------------------------------------------------------------------
# numerical_gradient
# ---------------------------------------------------------------------------------------------


def test_numerical_gradient_matches_closed_form(rng):
    x = rng.normal(size=(5, 4))
    grad = numerical_gradient(sin_x_squared, x)
    assert grad.shape == (5, 4) and grad.dtype == np.float64
    assert rel_error(grad, sin_x_squared_grad(x)) < 1e-6
    np.testing.assert_allclose(grad, sin_x_squared_grad(x), atol=1e-8)


def test_numerical_gradient_of_quadratic_form(rng):
    A = rng.normal(size=(4, 4))
    x = rng.normal(size=4)
    grad = numerical_gradient(lambda v: 0.5 * v @ A @ v, x)
    np.testing.assert_allclose(grad, 0.5 * (A + A.T) @ x, rtol=1e-8, atol=1e-9)


def test_numerical_gradient_uses_central_differences():
    # For a cubic, central differences have error exactly h^2 (f''' = 6, error h^2 f'''/6).
    x = np.array([2.0])
    grad = numerical_gradient(lambda v: v[0] ** 3, x, h=1e-2)
    assert grad[0] == pytest.approx(3 * 2.0**2 + 1e-4, rel=1e-9)


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 3, 2)])
def test_numerical_gradient_any_shape(rng, shape):
    x = rng.normal(size=shape)
    grad = numerical_gradient(lambda v: np.sum(v**2), x)
    assert grad.shape == shape
    np.testing.assert_allclose(grad, 2 * x, atol=1e-8)


def test_numerical_gradient_accepts_0d_array_output(rng):
    x = rng.normal(size=3)
    grad = numerical_gradient(lambda v: np.array(np.sum(v)), x)
    np.testing.assert_allclose(grad, np.ones(3))


def test_numerical_gradient_restores_x_exactly(rng):
    x = rng.normal(size=(6, 7)) * 1e3
    before = x.copy()
    numerical_gradient(sin_x_squared, x, h=0.123)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_evaluates_f_at_the_shifted_point():
    x = np.array([1.0, 2.0])
    seen = []
    numerical_gradient(lambda v: seen.append(v.copy()) or 0.0, x, h=0.5)
    expected = [[1.5, 2.0], [0.5, 2.0], [1.0, 2.5], [1.0, 1.5]]
    np.testing.assert_array_equal(np.array(seen), expected)


def test_numerical_gradient_restores_x_when_f_raises(rng):
    x = rng.normal(size=(3, 3))
    before = x.copy()
    calls = []

    def explodes_on_second_call(v):
        calls.append(1)
        if len(calls) == 2:  # while x[0, 0] is shifted by -h
            raise RuntimeError("boom")
        return float(np.sum(v))

    with pytest.raises(RuntimeError, match="boom"):
        numerical_gradient(explodes_on_second_call, x)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_restores_x_when_f_returns_an_array(rng):
    x = rng.normal(size=(2, 2))
    before = x.copy()
    with pytest.raises(ValueError):
        numerical_gradient(lambda v: v * 2, x)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_non_scalar_output_names_the_shape():
    with pytest.raises(ValueError, match=r"f must return a scalar.*shape \(2, 3\)"):
        numerical_gradient(lambda v: np.ones((2, 3)), np.zeros(4))


def test_numerical_gradient_rejects_integer_arrays():
    with pytest.raises(TypeError, match=r"float array, got dtype int64.*x\.astype\(float\)"):
        numerical_gradient(np.sum, np.arange(3))


def test_numerical_gradient_rejects_lists():
    with pytest.raises(TypeError, match="x must be a NumPy float array, got list"):
        numerical_gradient(np.sum, [1.0, 2.0])


def test_numerical_gradient_rejects_read_only_arrays():
    x = np.zeros(3)
    x.flags.writeable = False
    with pytest.raises(ValueError, match=r"x must be writeable.*x\.copy\(\)"):
        numerical_gradient(np.sum, x)


@pytest.mark.parametrize("h", [0.0, -1e-5, float("nan")])
def test_numerical_gradient_rejects_bad_step(h):
    with pytest.raises(ValueError, match="h must be a positive number"):
        numerical_gradient(np.sum, np.zeros(2), h=h)


def test_numerical_gradient_rejects_non_numeric_step():
    with pytest.raises(TypeError, match="h must be a positive number"):
        numerical_gradient(np.sum, np.zeros(2), h="1e-5")


# ---------------------------------------------------------------------------------------------
# numerical_gradient_array
# ---------------------------------------------------------------------------------------------


def test_numerical_gradient_array_tanh_layer(rng):
    x = rng.normal(size=(4, 5))
    dout = rng.normal(size=(4, 5))
    dx = numerical_gradient_array(np.tanh, x, dout)
    assert dx.shape == x.shape
    np.testing.assert_allclose(dx, dout * (1 - np.tanh(x) ** 2), rtol=1e-7, atol=1e-9)


def test_numerical_gradient_array_affine_layer_changes_shape(rng):
    x = rng.normal(size=(3, 4))
    W = rng.normal(size=(4, 2))
    b = rng.normal(size=2)
    dout = rng.normal(size=(3, 2))
    dx = numerical_gradient_array(lambda v: v @ W + b, x, dout)
    dW = numerical_gradient_array(lambda w: x @ w + b, W, dout)
    db = numerical_gradient_array(lambda c: x @ W + c, b, dout)
    np.testing.assert_allclose(dx, dout @ W.T, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(dW, x.T @ dout, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(db, dout.sum(axis=0), rtol=1e-7, atol=1e-9)


def test_numerical_gradient_array_handles_f_returning_a_view_of_x(rng):
    x = rng.normal(size=(3, 3))
    dout = rng.normal(size=(3, 3))
    np.testing.assert_allclose(numerical_gradient_array(lambda v: v, x, dout), dout, rtol=1e-8)
    np.testing.assert_allclose(
        numerical_gradient_array(lambda v: v.T, x, dout.T), dout, rtol=1e-8, atol=1e-10
    )


def test_numerical_gradient_array_restores_x(rng):
    x = rng.normal(size=(3, 2))
    before = x.copy()
    numerical_gradient_array(np.exp, x, np.ones((3, 2)), h=0.1)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_array_restores_x_when_f_raises(rng):
    x = rng.normal(size=(2, 3))
    before = x.copy()
    calls = []

    def explodes_later(v):
        calls.append(1)
        if len(calls) == 4:
            raise FloatingPointError("overflow")
        return v * 3

    with pytest.raises(FloatingPointError):
        numerical_gradient_array(explodes_later, x, np.ones((2, 3)))
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_array_dout_shape_must_match_output():
    with pytest.raises(ValueError, match=r"dout with shape \(3, 2\).*f\(x\) with shape \(2, 3\)"):
        numerical_gradient_array(lambda v: v, np.zeros((2, 3)), np.ones((3, 2)))


def test_numerical_gradient_array_rejects_integer_arrays():
    with pytest.raises(TypeError, match=r"astype\(float\)"):
        numerical_gradient_array(lambda v: v, np.arange(3), np.ones(3))


# ---------------------------------------------------------------------------------------------
# rel_error
# ---------------------------------------------------------------------------------------------


def test_rel_error_known_values():
    assert rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    assert rel_error(np.array(1.0), np.array(3.0)) == pytest.approx(0.5)
    # Maximum over entries.
    assert rel_error(np.array([1.0, 1.0]), np.array([1.0, 3.0])) == pytest.approx(0.5)
    # Symmetric.
    assert rel_error(np.array([2.0]), np.array([3.0])) == rel_error(np.array([3.0]), [2.0])


def test_rel_error_floor_for_tiny_values():
    # |a| + |b| = 1e-10 < 1e-8, so the denominator is 1e-8.
    assert rel_error(np.array([0.0]), np.array([1e-10])) == pytest.approx(1e-2)
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0


def test_rel_error_returns_python_float():
    assert type(rel_error([1.0, 2.0], [1.0, 2.5])) is float


def test_rel_error_shape_mismatch_names_both_shapes():
    with pytest.raises(ValueError, match=r"shape \(2,\).*shape \(3,\)"):
        rel_error(np.zeros(2), np.zeros(3))
    with pytest.raises(ValueError, match=r"shape \(2, 3\).*shape \(3, 2\)"):
        rel_error(np.zeros((2, 3)), np.zeros((3, 2)))


# ---------------------------------------------------------------------------------------------
# check_gradient
# ---------------------------------------------------------------------------------------------


def test_default_tol():
    assert DEFAULT_TOL == 1e-7


@pytest.mark.parametrize("seed", range(20))
def test_check_gradient_passes_correct_gradients_robustly(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(5, 4))
    error = check_gradient(sin_x_squared, x, sin_x_squared_grad(x))
    assert isinstance(error, float) and 0.0 <= error <= DEFAULT_TOL
    W, loss, dW = softmax_problem(seed)
    assert check_gradient(loss, W, dW, name="dW") <= DEFAULT_TOL


def test_check_gradient_passes_where_the_true_gradient_is_zero():
    # d/dx of x^3 at 0 is 0; central differences give h^2 there instead, so a plain relative
    # error would be 1 for that entry.
    x = np.array([0.0, 1e-4, 0.5, -2.0])
    check_gradient(lambda v: np.sum(v**3), x, 3 * x**2)


def test_check_gradient_passes_unscaled_least_squares():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(30, 3)) * [1.0, 10.0, 100.0]
    y = 100 * rng.normal(size=30)
    w = rng.normal(size=3)
    check_gradient(lambda v: 0.5 * np.mean((X @ v - y) ** 2), w, X.T @ (X @ w - y) / 30)


@pytest.mark.parametrize("seed", range(10))
def test_check_gradient_catches_a_single_corrupted_entry(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(5, 4))
    analytic = sin_x_squared_grad(x)
    index = (int(rng.integers(5)), int(rng.integers(4)))
    analytic[index] += 1e-3
    with pytest.raises(AssertionError, match=re.escape(f"index {index}")):
        check_gradient(sin_x_squared, x, analytic)


def test_check_gradient_catches_a_corrupted_softmax_entry():
    W, loss, dW = softmax_problem(3)
    dW[7, 2] += 1e-3
    with pytest.raises(AssertionError, match=re.escape("index (7, 2)")):
        check_gradient(loss, W, dW, name="dW")


def test_check_gradient_failure_message_has_index_values_and_counts():
    x = np.linspace(-1.0, 1.0, 12).reshape(3, 4)
    analytic = sin_x_squared_grad(x)
    analytic[1, 2] += 1e-3
    analytic[2, 0] += 1e-2
    numeric = numerical_gradient(sin_x_squared, x)
    with pytest.raises(AssertionError) as excinfo:
        check_gradient(sin_x_squared, x, analytic, name="dx")
    message = str(excinfo.value)
    assert message.startswith("dx check failed")
    assert "index (2, 0)" in message  # the worse of the two corrupted entries
    assert f"numerical={numeric[2, 0]:.10g}" in message
    assert f"analytic={analytic[2, 0]:.10g}" in message
    assert "tol=1.0e-07" in message
    assert "2 of 12 entries exceed tol" in message
    worst = abs(numeric[2, 0] - analytic[2, 0]) / (abs(numeric[2, 0]) + abs(analytic[2, 0]))
    assert f"relative error={worst:.3e}" in message
    assert f"Max relative error {worst:.3e}" in message


def test_check_gradient_index_of_0d_and_1d_arrays():
    with pytest.raises(AssertionError, match=re.escape("index ()")):
        check_gradient(lambda v: float(v**2), np.array(1.5), np.array(3.5))
    with pytest.raises(AssertionError, match=re.escape("index (2,)")):
        check_gradient(lambda v: np.sum(v**2), np.ones(4), np.array([2.0, 2.0, -2.0, 2.0]))


def test_check_gradient_tol_controls_the_verdict():
    x = np.array([1.0, 2.0])
    analytic = np.array([2.0, 4.0]) * (1 + 1e-5)  # relative error about 5e-6
    with pytest.raises(AssertionError):
        check_gradient(lambda v: np.sum(v**2), x, analytic)
    error = check_gradient(lambda v: np.sum(v**2), x, analytic, tol=1e-4)
    assert error == pytest.approx(5e-6, rel=1e-3)


def test_check_gradient_nan_fails():
    x = np.ones(3)
    with pytest.raises(AssertionError, match=re.escape("index (1,)")):
        check_gradient(lambda v: np.sum(v**2), x, np.array([2.0, np.nan, 2.0]))


def test_check_gradient_all_zero_gradients_pass():
    assert check_gradient(lambda v: 1.0, np.ones((2, 2)), np.zeros((2, 2))) == 0.0


def test_check_gradient_restores_x(rng):
    x = rng.normal(size=(3, 3))
    before = x.copy()
    check_gradient(sin_x_squared, x, sin_x_squared_grad(x))
    np.testing.assert_array_equal(x, before)


def test_check_gradient_shape_mismatch_names_both_shapes():
    with pytest.raises(ValueError, match=r"analytic dW with shape \(4, 3\).*x with shape \(3, 4\)"):
        check_gradient(np.sum, np.zeros((3, 4)), np.zeros((4, 3)), name="dW")


def test_check_gradient_accepts_list_analytic():
    assert check_gradient(lambda v: np.sum(v**2), np.array([1.0, 2.0]), [2.0, 4.0]) < 1e-9


@pytest.mark.parametrize(
    ("tol", "error"), [(0.0, ValueError), (-1e-7, ValueError), ("1", TypeError)]
)
def test_check_gradient_rejects_bad_tol(tol, error):
    with pytest.raises(error, match="tol must be a positive number"):
        check_gradient(np.sum, np.zeros(2), np.ones(2), tol=tol)


def test_check_gradient_rejects_integer_x():
    with pytest.raises(TypeError, match=r"astype\(float\)"):
        check_gradient(np.sum, np.arange(2), np.ones(2))


# ---------------------------------------------------------------------------------------------
# check_gradient_array
# ---------------------------------------------------------------------------------------------


def test_check_gradient_array_passes_correct_layer_gradients(rng):
    x = rng.normal(size=(4, 5))
    W = rng.normal(size=(5, 3))
    dout = rng.normal(size=(4, 3))
    dx = (dout * (1 - np.tanh(x @ W) ** 2)) @ W.T
    error = check_gradient_array(lambda v: np.tanh(v @ W), x, dout, dx)
    assert isinstance(error, float) and error <= DEFAULT_TOL
    dout_relu = rng.normal(size=(4, 5))
    check_gradient_array(lambda v: np.maximum(v, 0.0), x, dout_relu, dout_relu * (x > 0))


def test_check_gradient_array_catches_a_single_corrupted_entry(rng):
    x = rng.normal(size=(4, 5))
    dout = rng.normal(size=(4, 5))
    dx = dout * (1 - np.tanh(x) ** 2)
    dx[3, 1] += 1e-3
    with pytest.raises(
        AssertionError, match=re.escape("dx check failed: worst entry at index (3, 1)")
    ):
        check_gradient_array(np.tanh, x, dout, dx, name="dx")


def test_check_gradient_array_shape_mismatches():
    x = np.zeros((2, 3))
    with pytest.raises(ValueError, match=r"analytic gradient with shape \(3,\).*\(2, 3\)"):
        check_gradient_array(np.tanh, x, np.ones((2, 3)), np.zeros(3))
    with pytest.raises(ValueError, match=r"dout with shape \(6,\)"):
        check_gradient_array(np.tanh, x, np.ones(6), np.zeros((2, 3)))


def test_check_gradient_array_restores_x(rng):
    x = rng.normal(size=(3, 3))
    before = x.copy()
    dout = rng.normal(size=(3, 3))
    check_gradient_array(np.sin, x, dout, dout * np.cos(x))
    np.testing.assert_array_equal(x, before)


def test_module_exports():
    missing = [name for name in gradcheck.__all__ if not hasattr(gradcheck, name)]
    assert not missing, f"__all__ names undefined attributes: {missing}"
    assert {"check_gradient", "numerical_gradient", "rel_error"} <= set(gradcheck.__all__)
