"""Week 5's solution against PyTorch: batch normalization and the seven initializers.

The week-5 contract (CONTRIBUTING.md, issue 15) is PyTorch's: ``batchnorm_forward`` and
``batchnorm_backward`` are ``torch.nn.BatchNorm1d`` (biased variance in the normalization,
unbiased in the running variance, momentum the weight of the new statistic, running averages
starting at 0 and 1), and ``init_weights`` draws from the distributions of ``torch.nn.init``
(gain 1 for Xavier, ``kaiming_*_(mode="fan_in", nonlinearity="relu")`` for He). These tests
exec the answer cells of ``solutions/week05_training/training.ipynb`` and compare, in float64:

* batch norm over several training steps (output, dx, dγ, dβ and both running averages after
  every step, with the default and with other momentum and eps), then in eval mode, to 1e-10;
* each initializer's empirical mean, variance and range on a large matrix against those of the
  matching ``torch.nn.init`` function on a matrix of the same size (torch's weight has shape
  (fan_out, fan_in), ours (fan_in, fan_out)).

torch is not a course dependency; ``make test`` installs it (the ``torch-check`` extra). Without
it these tests skip locally and fail in CI (environment variable ``CI`` set).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers import require_torch, torch_or_skip

from autograder import notebooks

REPO = Path(__file__).resolve().parent.parent
SOLUTION = REPO / "solutions" / "week05_training" / "training.ipynb"
RTOL, ATOL = 1e-10, 1e-12
STEPS = 5


torch = torch_or_skip()


@pytest.fixture(autouse=True)
def _torch_is_required_in_ci():
    require_torch(torch, "week 5's check against torch")


@pytest.fixture(scope="module")
def solution() -> dict:
    """The week-5 solution's functions, defined from the source notebook's answer cells."""
    return notebooks.define_answers(
        SOLUTION, ("init_weights", "batchnorm_forward", "batchnorm_backward")
    )


def _close(ours: np.ndarray, theirs: torch.Tensor, what: str) -> None:
    expected = theirs.detach().numpy()
    assert ours.shape == expected.shape, f"{what}: shape {ours.shape}, torch {expected.shape}"
    np.testing.assert_allclose(ours, expected, rtol=RTOL, atol=ATOL, err_msg=what)


# ---------------------------------------------------------------------------------------------
# Batch normalization
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("m", "d", "momentum", "eps"),
    [(16, 5, None, None), (3, 4, 0.3, None), (64, 7, 0.05, 1e-3), (2, 3, None, 0.5)],
)
def test_batchnorm_matches_batchnorm1d_over_training_steps_and_in_eval(
    solution, m, d, momentum, eps
):
    forward, backward = solution["batchnorm_forward"], solution["batchnorm_backward"]
    rng = np.random.default_rng(m * 100 + d)
    gamma, beta = rng.normal(size=d), rng.normal(size=d)
    layer = torch.nn.BatchNorm1d(
        d,
        eps=1e-5 if eps is None else eps,
        momentum=0.1 if momentum is None else momentum,
        dtype=torch.float64,
    )
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(gamma))
        layer.bias.copy_(torch.from_numpy(beta))
    bn_param = {"mode": "train"}
    if momentum is not None:
        bn_param["momentum"] = momentum
    if eps is not None:
        bn_param["eps"] = eps
    for step in range(1, STEPS + 1):
        # features of very different spreads and offsets
        x = rng.normal(size=(m, d)) * np.logspace(-2, 2, d) + rng.normal(size=d) * 3
        dout = rng.normal(size=(m, d))
        out, cache = forward(x, gamma, beta, bn_param)
        dx, dgamma, dbeta = backward(dout, cache)

        xt = torch.tensor(x, requires_grad=True)
        layer.train()
        layer.zero_grad()
        yt = layer(xt)
        yt.backward(torch.from_numpy(dout))
        where = f"step {step} (m={m}, d={d}, momentum={momentum}, eps={eps})"
        _close(out, yt, f"out at {where}")
        _close(dx, xt.grad, f"dx at {where}")
        _close(dgamma, layer.weight.grad, f"dgamma at {where}")
        _close(dbeta, layer.bias.grad, f"dbeta at {where}")
        _close(bn_param["running_mean"], layer.running_mean, f"running_mean after {where}")
        _close(bn_param["running_var"], layer.running_var, f"running_var after {where}")

    bn_param["mode"] = "test"
    layer.eval()
    before = (bn_param["running_mean"].copy(), bn_param["running_var"].copy())
    x = rng.normal(size=(m + 3, d)) * 5
    out, _ = forward(x, gamma, beta, bn_param)
    with torch.no_grad():
        _close(out, layer(torch.from_numpy(x)), "out in eval mode")
    np.testing.assert_array_equal(bn_param["running_mean"], before[0])
    np.testing.assert_array_equal(bn_param["running_var"], before[1])


def test_batchnorm_in_eval_mode_before_any_training_matches_a_fresh_batchnorm1d(solution):
    rng = np.random.default_rng(7)
    x, gamma, beta = rng.normal(size=(6, 3)), rng.normal(size=3), rng.normal(size=3)
    out, _ = solution["batchnorm_forward"](x, gamma, beta, {"mode": "test"})
    layer = torch.nn.BatchNorm1d(3, dtype=torch.float64).eval()
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(gamma))
        layer.bias.copy_(torch.from_numpy(beta))
        _close(out, layer(torch.from_numpy(x)), "out of a fresh layer in eval mode")


# ---------------------------------------------------------------------------------------------
# Initializers
# ---------------------------------------------------------------------------------------------

FAN_IN, FAN_OUT = 600, 300
"""A (600, 300) matrix: 180 000 draws, and fan_in != fan_out so the fans cannot be swapped."""


def _torch_init(method: str) -> np.ndarray:
    """torch.nn.init's matrix for ``method``, transposed into our (fan_in, fan_out) layout."""
    torch.manual_seed(0)
    w = torch.empty(FAN_OUT, FAN_IN, dtype=torch.float64)  # torch: (out_features, in_features)
    init = torch.nn.init
    if method == "zeros":
        init.zeros_(w)
    elif method == "normal":
        init.normal_(w, 0.0, 0.01)
    elif method == "uniform":
        bound = 1 / np.sqrt(FAN_IN)
        init.uniform_(w, -bound, bound)
    elif method == "xavier_uniform":
        init.xavier_uniform_(w)
    elif method == "xavier_normal":
        init.xavier_normal_(w)
    elif method == "he_uniform":
        init.kaiming_uniform_(w, mode="fan_in", nonlinearity="relu")
    else:
        init.kaiming_normal_(w, mode="fan_in", nonlinearity="relu")
    return w.numpy().T


METHODS = (
    "zeros",
    "normal",
    "uniform",
    "xavier_uniform",
    "xavier_normal",
    "he_uniform",
    "he_normal",
)


@pytest.mark.parametrize("method", METHODS)
def test_init_weights_draws_what_torch_nn_init_draws(solution, method):
    ours = solution["init_weights"](FAN_IN, FAN_OUT, method, np.random.default_rng(1))
    theirs = _torch_init(method)
    assert ours.shape == theirs.shape == (FAN_IN, FAN_OUT)
    assert ours.dtype == np.float64
    if method == "zeros":
        assert not ours.any() and not theirs.any()
        return
    n = ours.size
    sd = theirs.std()
    # two independent samples of the same law: the means differ by about sd * sqrt(2 / n), the
    # variances by about var * sqrt(4 / n) (normal) or less (uniform); allow 6 of those
    assert abs(ours.mean() - theirs.mean()) < 6 * sd * np.sqrt(2 / n), method
    assert abs(ours.var() / theirs.var() - 1) < 6 * np.sqrt(4 / n), method
    if method.endswith("uniform"):
        # the bound of U(-a, a): both samples reach within 1e-3 of it, neither beyond it
        a_ours, a_theirs = np.abs(ours).max(), np.abs(theirs).max()
        assert abs(a_ours / a_theirs - 1) < 1e-3, (method, a_ours, a_theirs)
    else:
        # a normal law: the same share of draws beyond two standard deviations
        p_ours, p_theirs = np.mean(np.abs(ours) > 2 * sd), np.mean(np.abs(theirs) > 2 * sd)
        assert abs(p_ours - p_theirs) < 6 * np.sqrt(2 * 0.0455 / n), (method, p_ours, p_theirs)
