"""Week 8's two losses against torch autograd and the course's gradient checker.

``sgns_loss`` and ``full_softmax_loss`` of ``solutions/week08_embeddings/embeddings.ipynb`` are
exec'd from their answer cells. Their losses and gradients must equal, in float64:

* the same formulas written in torch (``F.logsigmoid`` for negative sampling,
  ``F.cross_entropy`` for the softmax) differentiated by autograd, to 1e-10, on ordinary scores
  and on scores in the thousands (where a naive formula overflows);
* the numerical gradient of ``dlcourse.gradcheck`` (central differences), for every input.

torch is not a course dependency; ``make test`` installs it (the ``torch-check`` extra). Without
it the torch tests skip locally and fail in CI.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers import require_torch, torch_or_skip

from autograder import notebooks
from dlcourse.gradcheck import check_gradient

REPO = Path(__file__).resolve().parent.parent
SOLUTION = REPO / "solutions" / "week08_embeddings" / "embeddings.ipynb"
RTOL, ATOL = 1e-10, 1e-12

torch = torch_or_skip()


@pytest.fixture(scope="module")
def solution() -> dict:
    return notebooks.define_answers(SOLUTION, ("sgns_loss", "full_softmax_loss"))


def _sgns_inputs(scale: float, seed: int = 0):
    rng = np.random.default_rng(seed)
    B, K, d = 6, 4, 5
    return (
        scale * rng.normal(size=(B, d)),
        scale * rng.normal(size=(B, d)),
        scale * rng.normal(size=(B, K, d)),
    )


def _softmax_inputs(scale: float, seed: int = 1):
    rng = np.random.default_rng(seed)
    B, V, d = 5, 7, 4
    return scale * rng.normal(size=(B, d)), scale * rng.normal(size=(V, d)), rng.integers(V, size=B)


def _close(ours, theirs, what):
    np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=RTOL, atol=ATOL, err_msg=what)


@pytest.mark.parametrize("scale", [1.0, 30.0])
def test_sgns_loss_matches_torch_autograd(solution, scale):
    require_torch(torch, "week 8's check against torch")
    v, u, un = _sgns_inputs(scale)
    loss, grads = solution["sgns_loss"](v, u, un)
    tv, tu, tn = (torch.tensor(a, requires_grad=True) for a in (v, u, un))
    pos = (tu * tv).sum(dim=1)
    neg = torch.einsum("bkd,bd->bk", tn, tv)
    expected = -(torch.nn.functional.logsigmoid(pos) + torch.nn.functional.logsigmoid(-neg).sum(1))
    expected = expected.mean()
    expected.backward()
    assert np.isfinite(loss)
    _close(loss, expected, "loss")
    for ours, tensor, name in zip(grads, (tv, tu, tn), ("dv", "du", "dneg"), strict=True):
        _close(ours, tensor.grad, name)


@pytest.mark.parametrize("scale", [1.0, 30.0])
def test_full_softmax_loss_matches_torch_autograd(solution, scale):
    require_torch(torch, "week 8's check against torch")
    v, U, target = _softmax_inputs(scale)
    loss, (dv, dU) = solution["full_softmax_loss"](v, U, target)
    tv, tU = torch.tensor(v, requires_grad=True), torch.tensor(U, requires_grad=True)
    expected = torch.nn.functional.cross_entropy(tv @ tU.T, torch.tensor(target))
    expected.backward()
    _close(loss, expected, "loss")
    _close(dv, tv.grad, "dv")
    _close(dU, tU.grad, "dU")


def test_sgns_loss_gradients_pass_the_gradient_checker(solution):
    inputs = list(_sgns_inputs(1.0, seed=3))
    _, grads = solution["sgns_loss"](*inputs)
    for i, name in enumerate(("v_center", "u_context", "u_negatives")):

        def loss_of(x, i=i):
            args = list(inputs)
            args[i] = x
            return solution["sgns_loss"](*args)[0]

        check_gradient(loss_of, inputs[i].copy(), grads[i], name=f"sgns_loss: d{name}")


def test_full_softmax_loss_gradients_pass_the_gradient_checker(solution):
    v, U, target = _softmax_inputs(1.0, seed=4)
    _, (dv, dU) = solution["full_softmax_loss"](v, U, target)
    loss = solution["full_softmax_loss"]
    check_gradient(lambda x: loss(x, U, target)[0], v.copy(), dv, name="dv_center")
    check_gradient(lambda x: loss(v, x, target)[0], U.copy(), dU, name="dU")


def test_the_gradient_checker_catches_a_wrong_gradient(solution):
    v, u, un = _sgns_inputs(1.0, seed=5)
    _, (dv, _, _) = solution["sgns_loss"](v, u, un)
    with pytest.raises(AssertionError):
        check_gradient(lambda x: solution["sgns_loss"](x, u, un)[0], v.copy(), 2 * dv)
