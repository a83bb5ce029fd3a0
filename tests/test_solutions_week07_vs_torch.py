"""Week 7's solution against PyTorch autograd and the course's gradient checker.

``autoencoder_loss`` of ``solutions/week07_autoencoders/autoencoders.ipynb`` (its answer cell,
exec'd) must give the loss and gradients torch's autograd computes for the same network in
float64: X → affine → sigmoid → affine, J = 1/(2m)·Σ‖output − target‖², plus β·Σⱼ KL(ρ‖ρ̂ⱼ)
with ρ̂ the batch mean of the code, written out independently here. Its gradients must also
pass :func:`dlcourse.gradcheck.check_gradient`; ``kl_sparsity``'s gradient is checked the same
way and against autograd.

torch is not a course dependency; ``make test`` installs it (the ``torch-check`` extra). Without
it these tests skip locally and fail in CI (environment variable ``CI`` set).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers import require_torch, torch_or_skip

from autograder import notebooks
from dlcourse.gradcheck import check_gradient

REPO = Path(__file__).resolve().parent.parent
SOLUTION = REPO / "solutions" / "week07_autoencoders" / "autoencoders.ipynb"
NAMES = ("W1", "b1", "W2", "b2")
RTOL, ATOL = 1e-10, 1e-12

torch = torch_or_skip()


@pytest.fixture(autouse=True)
def _torch_is_required_in_ci():
    require_torch(torch, "week 7's check against torch")


@pytest.fixture(scope="module")
def solution() -> dict:
    """The week-7 solution's functions, defined from the source notebook's answer cells."""
    return notebooks.define_answers(SOLUTION, ("corrupt", "kl_sparsity", "autoencoder_loss"))


def _params(n: int, d: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.normal(0, 0.4, (n, d)),
        "b1": rng.normal(0, 0.2, d),
        "W2": rng.normal(0, 0.4, (d, n)),
        "b2": rng.normal(0, 0.2, n),
    }


def _torch_loss(params, X, target, sparsity):
    """The loss by torch autograd in float64, and its gradients as NumPy arrays."""
    tensors = {
        k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in params.items()
    }
    X_t = torch.tensor(X, dtype=torch.float64)
    H = torch.sigmoid(X_t @ tensors["W1"] + tensors["b1"])
    out = H @ tensors["W2"] + tensors["b2"]
    loss = ((out - torch.tensor(target, dtype=torch.float64)) ** 2).sum() / (2 * X.shape[0])
    if sparsity is not None:
        rho, beta = sparsity
        q = H.mean(dim=0)
        loss = (
            loss
            + beta * (rho * torch.log(rho / q) + (1 - rho) * torch.log((1 - rho) / (1 - q))).sum()
        )
    loss.backward()
    return loss.item(), {k: t.grad.numpy() for k, t in tensors.items()}


CASES = [
    (8, 6, 3, None, "undercomplete"),
    (5, 4, 7, (0.1, 3.0), "sparse, overcomplete"),
    (12, 10, 5, (0.3, 0.5), "sparse, undercomplete"),
]


@pytest.mark.parametrize(("m", "n", "d", "sparsity", "what"), CASES, ids=[c[-1] for c in CASES])
def test_autoencoder_loss_matches_torch_autograd(solution, m, n, d, sparsity, what):
    rng = np.random.default_rng(m * 100 + d)
    X = rng.uniform(0, 1, (m, n))
    target = X if sparsity else np.clip(X + rng.normal(0, 0.1, X.shape), 0, 1)
    params = _params(n, d, m + d)
    loss, grads = solution["autoencoder_loss"](params, X, target, sparsity)
    expected_loss, expected_grads = _torch_loss(params, X, target, sparsity)
    assert type(loss) is float
    np.testing.assert_allclose(loss, expected_loss, rtol=RTOL, atol=ATOL)
    assert sorted(grads) == sorted(NAMES)
    for k in NAMES:
        np.testing.assert_allclose(grads[k], expected_grads[k], rtol=RTOL, atol=ATOL, err_msg=k)


@pytest.mark.parametrize("sparsity", [None, (0.05, 3.0)], ids=["plain", "sparse"])
def test_autoencoder_loss_passes_the_course_gradient_checker(solution, sparsity):
    rng = np.random.default_rng(7)
    X = rng.uniform(0, 1, (6, 5))
    params = _params(5, 4, 8)
    _, grads = solution["autoencoder_loss"](params, X, X, sparsity)
    for k in NAMES:

        def loss_of(value, k=k):
            return solution["autoencoder_loss"](params | {k: value}, X, X, sparsity)[0]

        assert check_gradient(loss_of, params[k].copy(), grads[k], name=k) < 1e-7


def test_kl_sparsity_matches_torch_and_the_gradient_checker(solution):
    rho_hat = np.array([0.02, 0.05, 0.2, 0.5, 0.9])
    penalty, grad = solution["kl_sparsity"](0.05, rho_hat)
    q = torch.tensor(rho_hat, dtype=torch.float64, requires_grad=True)
    # torch's kl_div(log_input, target) sums target * (log target - log_input) over both coins
    both = torch.stack([q, 1 - q])
    target = torch.tensor([[0.05], [0.95]], dtype=torch.float64).expand(2, len(rho_hat))
    expected = torch.nn.functional.kl_div(both.log(), target, reduction="sum")
    expected.backward()
    np.testing.assert_allclose(penalty, expected.item(), rtol=RTOL)
    np.testing.assert_allclose(grad, q.grad.numpy(), rtol=RTOL)
    check_gradient(lambda v: solution["kl_sparsity"](0.05, v)[0], rho_hat.copy(), grad)
