"""Private maths for the week-3 activation explorer: activations and a small two-layer network.

Students write the activations' forward and backward passes, the affine layer and the loss of
a two-layer network themselves in the week-3 exercise, so nothing here is exported: the
explorer only uses it to compute what it draws.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dlcourse.widgets._classifiers import _log_softmax, _logistic

LEAKY_SLOPE = 0.01
"""Slope of leaky ReLU for z <= 0."""


@dataclass(frozen=True)
class _Activation:
    """An element-wise activation g with its derivative g′.

    ``value(z)`` is g(z); ``slope(z, g_z)`` is g′(z), given z and the already computed
    ``g_z = g(z)`` (sigmoid and tanh express their derivative through g, which saves
    recomputing it). ``formula`` and ``slope_formula`` are the legend texts of the curves.
    """

    label: str
    value: Callable[[np.ndarray], np.ndarray]
    slope: Callable[[np.ndarray, np.ndarray], np.ndarray]
    formula: str
    slope_formula: str


_ACTIVATIONS: dict[str, _Activation] = {
    "sigmoid": _Activation(
        "sigmoid",
        _logistic,
        lambda z, s: s * (1.0 - s),
        "g(z) = 1 / (1 + e^(−z))",
        "g′(z) = g(z) · (1 − g(z))",
    ),
    "tanh": _Activation(
        "tanh",
        np.tanh,
        lambda z, t: 1.0 - t**2,
        "g(z) = tanh(z)",
        "g′(z) = 1 − tanh²(z)",
    ),
    "relu": _Activation(
        "ReLU",
        lambda z: np.maximum(z, 0.0),
        lambda z, _: (z > 0).astype(np.float64),
        "g(z) = max(0, z)",
        "g′(z) = 1 for z > 0, else 0",
    ),
    "leaky_relu": _Activation(
        f"leaky ReLU (α = {LEAKY_SLOPE:g})",
        lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
        lambda z, _: np.where(z > 0, 1.0, LEAKY_SLOPE),
        f"g(z) = z for z > 0, else {LEAKY_SLOPE:g}·z",
        f"g′(z) = 1 for z > 0, else {LEAKY_SLOPE:g}",
    ),
    "linear": _Activation(
        "linear (identity)",
        lambda z: np.array(z, dtype=np.float64, copy=True),
        lambda z, _: np.ones_like(z, dtype=np.float64),
        "g(z) = z",
        "g′(z) = 1",
    ),
}

ACTIVATIONS: tuple[str, ...] = tuple(_ACTIVATIONS)
"""Names of the activations the explorer offers, in menu order."""


@dataclass(frozen=True)
class _TwoLayerNet:
    """affine (W1, b1) – activation – affine (W2, b2) – softmax, for 2-D points.

    ``W1`` has shape (2, hidden), ``b1`` (hidden,), ``W2`` (hidden, K), ``b2`` (K,).
    """

    activation: str
    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray

    def logits(self, X: np.ndarray) -> np.ndarray:
        """Class scores for points X of shape (k, 2): shape (k, K)."""
        g = _ACTIVATIONS[self.activation].value
        return g(X @ self.W1 + self.b1) @ self.W2 + self.b2

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Class labels for points X of shape (k, 2), int64 array of shape (k,).

        Weights left huge by a learning rate far too large may overflow on points away from
        the data; that is silent here (the explorer reports the diverging run itself).
        """
        with np.errstate(all="ignore"):
            scores = self.logits(np.asarray(X, dtype=np.float64))
        return np.argmax(scores, axis=1).astype(np.int64)


def _train_two_layer_net(
    X: np.ndarray,
    y: np.ndarray,
    *,
    activation: str,
    hidden: int,
    lr: float,
    num_iters: int,
    seed: int,
) -> tuple[_TwoLayerNet, np.ndarray]:
    """Full-batch gradient descent on the mean softmax cross-entropy of a two-layer network.

    The starting weights come from ``rng = numpy.random.default_rng(seed)``: first
    ``W1 = rng.normal(0, 1/sqrt(n), (n, hidden))``, then
    ``W2 = rng.normal(0, 1/sqrt(hidden), (hidden, K))``; both biases start at zero. Every
    activation starts from the same weights, so runs differ only by the activation.

    If the cost stops being a finite number (a learning rate far too large), training stops
    and the last finite parameters are kept, so ``costs`` is shorter than ``num_iters``.

    Parameters
    ----------
    X : np.ndarray, shape (m, n)
    y : np.ndarray of int, shape (m,)
        Labels 0..K-1, K >= 2.
    activation : str
        One of ``ACTIVATIONS``.
    hidden : int
        Number of hidden units.
    lr : float
    num_iters : int
    seed : int

    Returns
    -------
    net : _TwoLayerNet
    costs : np.ndarray, shape (k,), k <= num_iters
        The mean cross-entropy after each update.
    """
    act = _ACTIVATIONS[activation]
    m, n = X.shape
    n_classes = int(y.max()) + 1
    rng = np.random.default_rng(seed)
    W1 = rng.normal(0.0, 1.0 / np.sqrt(n), size=(n, hidden))
    b1 = np.zeros(hidden)
    W2 = rng.normal(0.0, 1.0 / np.sqrt(hidden), size=(hidden, n_classes))
    b2 = np.zeros(n_classes)
    targets = np.eye(n_classes)[y]
    rows = np.arange(m)

    costs = np.empty(num_iters)
    done = num_iters
    with np.errstate(all="ignore"):
        pre = X @ W1 + b1
        hid = act.value(pre)
        log_p = _log_softmax(hid @ W2 + b2)
        for step in range(num_iters):
            # Backward pass through softmax cross-entropy, the second affine layer, the
            # activation and the first affine layer.
            d_scores = (np.exp(log_p) - targets) / m
            d_pre = (d_scores @ W2.T) * act.slope(pre, hid)
            new = (
                W1 - lr * (X.T @ d_pre),
                b1 - lr * d_pre.sum(axis=0),
                W2 - lr * (hid.T @ d_scores),
                b2 - lr * d_scores.sum(axis=0),
            )
            new_pre = X @ new[0] + new[1]
            new_hid = act.value(new_pre)
            new_log_p = _log_softmax(new_hid @ new[2] + new[3])
            cost = -float(np.mean(new_log_p[rows, y]))
            if not np.isfinite(cost):
                done = step
                break
            W1, b1, W2, b2 = new
            pre, hid, log_p = new_pre, new_hid, new_log_p
            costs[step] = cost
    return _TwoLayerNet(activation, W1, b1, W2, b2), costs[:done]
