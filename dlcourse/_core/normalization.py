"""Batch normalization as the reference network uses it (PyTorch's ``BatchNorm1d``).

Students write batch norm themselves in week 5, so nothing here is public and no name here is
a graded function's. In training mode a layer normalizes each feature of a batch ``z`` of shape
(b, d) with the batch mean and the *biased* batch variance, then scales by γ and shifts by β;
it also moves its running averages towards the batch statistics,
``running = (1 − momentum)·running + momentum·statistic``, with the *unbiased* variance for
the running variance (they start at 0 and 1). In test mode it normalizes with the running
averages and changes nothing.
"""

from __future__ import annotations

import numpy as np

from dlcourse._core.network import Normalization

MOMENTUM = 0.1
"""Weight of the new batch statistic in the running averages (PyTorch's default)."""

EPS = 1e-5
"""Added to the variance before its square root (PyTorch's default)."""


def batch_norm_step(
    z: np.ndarray,
    gamma: np.ndarray,
    beta: np.ndarray,
    state: dict,
    training: bool,
    momentum: float = MOMENTUM,
    eps: float = EPS,
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """One batch-norm layer on ``z`` (b, d): ``(out (b, d), cache)``; updates ``state``.

    ``state`` holds "running_mean" and "running_var" (d,), created as zeros and ones.
    The cache (x̂, 1/√(σ² + ε), γ) is what :func:`batch_norm_grads` needs.
    """
    d = z.shape[1]
    running_mean = state.setdefault("running_mean", np.zeros(d))
    running_var = state.setdefault("running_var", np.ones(d))
    if training:
        mean = z.mean(axis=0)
        var = z.var(axis=0)
        b = z.shape[0]
        unbiased = var * (b / (b - 1)) if b > 1 else var
        state["running_mean"] = (1 - momentum) * running_mean + momentum * mean
        state["running_var"] = (1 - momentum) * running_var + momentum * unbiased
    else:
        mean, var = running_mean, running_var
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (z - mean) * inv_std
    return gamma * x_hat + beta, (x_hat, inv_std, gamma)


def batch_norm_grads(
    dout: np.ndarray, cache: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(dz, dγ, dβ) of a training-mode :func:`batch_norm_step`, through the batch statistics.

    The compact form: dz = γ/σ · (dout − mean(dout) − x̂·mean(dout·x̂)), column by column.
    """
    x_hat, inv_std, gamma = cache
    dgamma = np.sum(dout * x_hat, axis=0)
    dbeta = dout.sum(axis=0)
    dz = gamma * inv_std * (dout - dbeta / len(dout) - x_hat * (dgamma / len(dout)))
    return dz, dgamma, dbeta


def batch_norm_layer(momentum: float = MOMENTUM, eps: float = EPS) -> Normalization:
    """Batch norm as a :class:`Normalization` of the reference network: γ = 1, β = 0 at first."""

    def forward(z, params, state, training):
        return batch_norm_step(z, params[0], params[1], state, training, momentum, eps)

    def backward(dout, cache):
        dz, dgamma, dbeta = batch_norm_grads(dout, cache)
        return dz, [dgamma, dbeta]

    return Normalization(lambda width: [np.ones(width), np.zeros(width)], forward, backward)
