"""Week 6's solution against PyTorch and scikit-learn: dropout, k-fold splits and weight decay.

The week-6 contract (CONTRIBUTING.md, issue 16) follows the libraries: ``dropout_forward`` is
``torch.nn.functional.dropout`` (p the probability of dropping, each entry independently,
inverted scaling by 1/(1 − p) in training, the identity in eval mode); ``kfold_splits`` is
``sklearn.model_selection.KFold`` (the first n mod k folds one larger, the folds consecutive
blocks without shuffling); a gradient step with ``l2_penalty``'s gradients added is
``torch.optim.SGD(weight_decay=λ)``. These tests exec the answer cells of
``solutions/week06_regularization/regularization.ipynb`` and compare:

* dropout's statistics (the values kept, the dropped fraction, train against eval, p = 0 and
  p = 1) with torch's on the same input, and its backward pass with torch's autograd (both
  route the gradient through the kept entries with the factor 1/(1 − p));
* the folds with KFold's, exactly without shuffling and in sizes and coverage with it;
* 20 SGD steps with weight decay, to 1e-12 in float64.

torch is not a course dependency; ``make test`` installs it (the ``torch-check`` extra). Without
it these tests skip locally and fail in CI (environment variable ``CI`` set).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers import require_torch, torch_or_skip
from sklearn.model_selection import KFold

from autograder import notebooks

REPO = Path(__file__).resolve().parent.parent
SOLUTION = REPO / "solutions" / "week06_regularization" / "regularization.ipynb"

torch = torch_or_skip()


@pytest.fixture(autouse=True)
def _torch_is_required_in_ci():
    require_torch(torch, "week 6's check against torch")


@pytest.fixture(scope="module")
def solution() -> dict:
    """The week-6 solution's functions, defined from the source notebook's answer cells."""
    return notebooks.define_answers(
        SOLUTION, ("l2_penalty", "dropout_forward", "dropout_backward", "kfold_splits")
    )


# ---------------------------------------------------------------------------------------------
# Dropout
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_dropout_keeps_the_same_values_and_drops_the_same_fraction_as_torch(solution, p):
    x = np.random.default_rng(1).uniform(0.5, 2.0, size=(400, 500))
    torch.manual_seed(0)
    theirs = torch.nn.functional.dropout(torch.from_numpy(x), p, training=True).numpy()
    ours, _ = solution["dropout_forward"](x, p, True, np.random.default_rng(0))
    for out in (ours, theirs):
        kept = out != 0
        np.testing.assert_allclose(out[kept], x[kept] / (1 - p), rtol=1e-12)
    # both fractions are binomial(n, p) / n: within 6 standard deviations of p and of each other
    sd = np.sqrt(p * (1 - p) / x.size)
    ours_dropped, theirs_dropped = np.mean(ours == 0), np.mean(theirs == 0)
    assert abs(ours_dropped - p) < 6 * sd and abs(theirs_dropped - p) < 6 * sd
    assert abs(ours_dropped - theirs_dropped) < 6 * np.sqrt(2) * sd
    # the kept entries' mean is x's in expectation, for both
    assert abs(ours.mean() - x.mean()) < 0.02 and abs(theirs.mean() - x.mean()) < 0.02


@pytest.mark.parametrize("p", [0.0, 0.3, 1.0])
def test_eval_mode_is_the_identity_and_p_zero_and_one_match_torch(solution, p):
    x = np.random.default_rng(2).normal(size=(30, 40))
    ours, _ = solution["dropout_forward"](x, p, False, np.random.default_rng(0))
    theirs = torch.nn.functional.dropout(torch.from_numpy(x), p, training=False).numpy()
    np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_array_equal(ours, x)
    if p in (0.0, 1.0):  # no randomness left: training mode is deterministic
        ours, _ = solution["dropout_forward"](x, p, True, np.random.default_rng(0))
        theirs = torch.nn.functional.dropout(torch.from_numpy(x), p, training=True).numpy()
        np.testing.assert_array_equal(ours, theirs)


def test_dropout_backward_routes_gradients_as_torch_autograd_does(solution):
    p = 0.4
    x = np.random.default_rng(3).uniform(0.5, 2.0, size=(50, 60))
    dout = np.random.default_rng(4).normal(size=x.shape)
    ours_out, cache = solution["dropout_forward"](x, p, True, np.random.default_rng(5))
    ours_dx = solution["dropout_backward"](dout, cache)
    x_t = torch.from_numpy(x.copy()).requires_grad_(True)
    torch.manual_seed(1)
    theirs_out = torch.nn.functional.dropout(x_t, p, training=True)
    (theirs_out * torch.from_numpy(dout)).sum().backward()
    theirs_dx = x_t.grad.numpy()
    # each library's gradient is dout times the factor its own forward applied: 0 or 1/(1 - p)
    for out, dx in ((ours_out, ours_dx), (theirs_out.detach().numpy(), theirs_dx)):
        np.testing.assert_allclose(dx, dout * out / x, rtol=1e-12, atol=1e-15)
        assert set(np.unique(np.round(out / x, 12))) == {0.0, round(1 / (1 - p), 12)}


# ---------------------------------------------------------------------------------------------
# k-fold splits
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "k"), [(10, 3), (23, 5), (12, 4), (7, 7), (101, 10)])
def test_unshuffled_folds_are_kfolds(solution, n, k):
    ours = solution["kfold_splits"](n, k)
    theirs = list(KFold(n_splits=k).split(np.zeros((n, 1))))
    assert len(ours) == len(theirs) == k
    for (train, val), (train_ref, val_ref) in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(np.sort(val), val_ref)
        np.testing.assert_array_equal(np.sort(train), train_ref)


@pytest.mark.parametrize(("n", "k", "seed"), [(23, 5, 0), (100, 10, 1), (31, 2, 2)])
def test_shuffled_folds_have_kfolds_sizes_and_cover_every_index_once(solution, n, k, seed):
    ours = solution["kfold_splits"](n, k, np.random.default_rng(seed))
    theirs = list(KFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros((n, 1))))
    assert [len(val) for _, val in ours] == [len(val) for _, val in theirs]
    np.testing.assert_array_equal(np.sort(np.concatenate([val for _, val in ours])), np.arange(n))
    for train, val in ours:
        np.testing.assert_array_equal(np.sort(train), np.setdiff1d(np.arange(n), val))


# ---------------------------------------------------------------------------------------------
# Weight decay
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("lam", "lr"), [(1e-3, 0.1), (0.05, 0.5), (0.0, 0.2)])
def test_sgd_with_l2_gradients_is_torch_sgd_with_weight_decay(solution, lam, lr):
    rng = np.random.default_rng(6)
    weights = [rng.normal(size=(5, 4)), rng.normal(size=(4, 3))]
    params = [torch.tensor(W.copy(), dtype=torch.float64, requires_grad=True) for W in weights]
    optimizer = torch.optim.SGD(params, lr=lr, weight_decay=lam)
    for _ in range(20):
        data_grads = [rng.normal(size=W.shape) for W in weights]
        _, penalty_grads = solution["l2_penalty"](weights, lam)
        weights = [
            W - lr * (g + pg) for W, g, pg in zip(weights, data_grads, penalty_grads, strict=True)
        ]
        optimizer.zero_grad()
        for param, g in zip(params, data_grads, strict=True):
            param.grad = torch.from_numpy(g.copy())
        optimizer.step()
    for W, param in zip(weights, params, strict=True):
        np.testing.assert_allclose(W, param.detach().numpy(), rtol=1e-12, atol=1e-14)
