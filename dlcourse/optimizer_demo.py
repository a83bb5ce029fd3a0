"""The week-4 digits demo: the same small network trained by seven optimizers, side by side.

Public API
----------
compare_optimizers_on_digits  train a two-layer ReLU network on the 8x8 digits once per
                              optimizer (same starting weights, same minibatches) and return
                              every run's per-iteration training losses, optionally with a
                              progress bar and a live loss plot
DEFAULT_LRS                   the learning rate each optimizer uses unless told otherwise

The updates are PyTorch's rules (``torch.optim`` with its defaults), computed by the private
helpers of :mod:`dlcourse.widgets._optim`; the network's forward and backward pass are private
too. Students write all of these themselves in the exercises, so nothing here hands one out.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Mapping, Sequence

import numpy as np

from dlcourse.datasets import digits
from dlcourse.widgets._classifiers import _log_softmax
from dlcourse.widgets._optim import _OPTIMIZERS, _update

__all__ = ["DEFAULT_LRS", "compare_optimizers_on_digits"]

OPTIMIZER_NAMES: tuple[str, ...] = tuple(_OPTIMIZERS)
"""Names :func:`compare_optimizers_on_digits` accepts, in its default order."""

DEFAULT_LRS: dict[str, float] = {
    "sgd": 0.1,
    "momentum": 0.1,
    "nesterov": 0.1,
    "adagrad": 0.05,
    "rmsprop": 0.003,
    "adadelta": 1.0,
    "adam": 0.003,
}
"""Default learning rate per optimizer.

SGD, momentum and Nesterov share one rate, 0.1, so the comparison shows what momentum alone
adds (PyTorch's v ← βv + g makes its steps up to 1/(1 − β) = 10 times longer). AdaGrad uses
0.05. RMSProp and Adam move each weight by about lr per step whatever the gradient's size; for
a run of only a few epochs 3e-3 suits them better than PyTorch's default 1e-3. Adadelta keeps
PyTorch's default 1.0 (it sets its own step sizes). With a few epochs these are reasonable,
not tuned: the lecture invites you to try others.
"""

MOMENTUM_BETA = 0.9
"""Momentum coefficient of momentum and Nesterov, and Adam's β₁ (PyTorch's usual values)."""

_DIVERGED_LOSS = 1e3
"""A run counts as diverged once a minibatch's cross-entropy exceeds this (it starts near
ln 10 ≈ 2.3) or stops being a finite number."""

_PIXEL_MAX = 16.0
"""The digits' pixel intensities run 0..16; the network sees them divided by this."""


def _check_positive_int(value: object, name: str) -> int:
    if not isinstance(value, numbers.Integral) or isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a positive integer, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer (at least 1), got {value}")
    return int(value)


def _check_names(optimizers: object) -> tuple[str, ...]:
    listed = ", ".join(repr(name) for name in OPTIMIZER_NAMES)
    if isinstance(optimizers, str) or not isinstance(optimizers, Sequence):
        raise TypeError(
            f"optimizers must be a list or tuple of names such as ('sgd', 'adam'), from {listed};"
            f" got {optimizers!r}"
        )
    if not optimizers:
        raise ValueError(f"optimizers must name at least one optimizer from {listed}")
    for name in optimizers:
        if name not in _OPTIMIZERS:
            raise ValueError(f"unknown optimizer {name!r}; choose from {listed}")
    if len(set(optimizers)) != len(optimizers):
        raise ValueError(f"optimizers lists a name twice: {list(optimizers)!r}")
    return tuple(optimizers)


def _check_lrs(lrs: object, names: tuple[str, ...]) -> dict[str, float]:
    if lrs is None:
        return {name: DEFAULT_LRS[name] for name in names}
    if not isinstance(lrs, Mapping):
        raise TypeError(f"lrs must be a dict such as {{'sgd': 0.1}}, got {lrs!r}")
    chosen = {name: DEFAULT_LRS[name] for name in names}
    for name, lr in lrs.items():
        if name not in names:
            raise ValueError(
                f"lrs has a learning rate for {name!r}, which is not among the optimizers being"
                f" compared ({', '.join(names)})"
            )
        if not isinstance(lr, numbers.Real) or isinstance(lr, (bool, np.bool_)):
            raise TypeError(f"the learning rate of {name!r} must be a number, got {lr!r}")
        if not (np.isfinite(lr) and lr > 0):
            raise ValueError(f"the learning rate of {name!r} must be positive, got {lr}")
        chosen[name] = float(lr)
    return chosen


def _he_init(n_in: int, hidden: int, n_out: int, seed: int) -> list[np.ndarray]:
    """[W1, b1, W2, b2]: He-normal weights (std √(2 / fan_in)), zero biases."""
    rng = np.random.default_rng(seed)
    W1 = rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, hidden))
    W2 = rng.normal(0.0, np.sqrt(2.0 / hidden), size=(hidden, n_out))
    return [W1, np.zeros(hidden), W2, np.zeros(n_out)]


def _loss_and_grads(
    params: list[np.ndarray], X: np.ndarray, y: np.ndarray
) -> tuple[float, list[np.ndarray]]:
    """Mean softmax cross-entropy of affine–ReLU–affine on (X, y) and its gradients."""
    W1, b1, W2, b2 = params
    pre = X @ W1 + b1
    hid = np.maximum(pre, 0.0)
    log_p = _log_softmax(hid @ W2 + b2)
    rows = np.arange(len(y))
    loss = -float(np.mean(log_p[rows, y]))
    d_scores = np.exp(log_p)
    d_scores[rows, y] -= 1.0
    d_scores /= len(y)
    d_pre = (d_scores @ W2.T) * (pre > 0)
    return loss, [X.T @ d_pre, d_pre.sum(axis=0), hid.T @ d_scores, d_scores.sum(axis=0)]


def compare_optimizers_on_digits(
    optimizers: Sequence[str] = OPTIMIZER_NAMES,
    *,
    lrs: Mapping[str, float] | None = None,
    epochs: int = 3,
    batch_size: int = 64,
    hidden: int = 64,
    seed: int = 0,
    live: bool = True,
) -> dict[str, list[float]]:
    """Train one small network on the digits with each optimizer and return the loss curves.

    The network is affine (64 → ``hidden``) – ReLU – affine (``hidden`` → 10) – softmax,
    trained on the mean cross-entropy of all 1797 8x8 digits (pixels divided by 16). Every
    optimizer starts from the same He-initialised weights (W ~ N(0, 2 / fan_in), zero biases)
    and sees the same minibatches in the same order: both come from
    ``numpy.random.default_rng(seed)``, which draws the weights and then one permutation of
    the examples per epoch, cut into consecutive batches of ``batch_size`` (the last batch of
    an epoch may be smaller). So the runs differ only by their update rule.

    The update rules are PyTorch's (``torch.optim``): momentum and Nesterov with
    β = 0.9 (v ← βv + g), AdaGrad, RMSProp (α = 0.99), Adadelta (ρ = 0.9) and Adam
    (β₁ = 0.9, β₂ = 0.999, with bias correction), no weight decay.

    Parameters
    ----------
    optimizers : sequence of str, default all seven
        From "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam"; each at
        most once. The result keeps this order.
    lrs : dict {str: float}, optional
        Learning rates for some or all of ``optimizers`` (positive); the others use
        :data:`DEFAULT_LRS`: 0.1 for SGD, momentum and Nesterov, 0.05 for AdaGrad, 3e-3
        for RMSProp and Adam, 1.0 for Adadelta.
    epochs : int, default 3
        Passes over the data, >= 1.
    batch_size : int, default 64
        Examples per minibatch, 1..1797. With the default there are ceil(1797 / 64) = 29
        iterations per epoch.
    hidden : int, default 64
        Hidden units, >= 1.
    seed : int, default 0
        Seed (>= 0) of the starting weights and of the minibatch order.
    live : bool, default True
        Show a ``tqdm.auto`` progress bar and a :class:`dlcourse.live.LiveLossPlot` that
        redraws while training (in a notebook, below the cell). ``False`` trains silently.

    Returns
    -------
    losses : dict {str: list of float}
        For each optimizer, the cross-entropy of each minibatch just before the update made on
        it: ``epochs * ceil(1797 / batch_size)`` values. If a run diverges (a learning rate
        far too large: a loss above 1000 or not a finite number) it stops there, with a
        ``RuntimeWarning``, and its list is shorter.

    Examples
    --------
    ::

        losses = compare_optimizers_on_digits()             # progress bar and live plot
        quiet = compare_optimizers_on_digits(["sgd", "adam"], lrs={"sgd": 0.1}, live=False)
    """
    names = _check_names(optimizers)
    chosen_lrs = _check_lrs(lrs, names)
    epochs = _check_positive_int(epochs, "epochs")
    hidden = _check_positive_int(hidden, "hidden")
    batch_size = _check_positive_int(batch_size, "batch_size")
    if not isinstance(seed, numbers.Integral) or isinstance(seed, (bool, np.bool_)) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0, got {seed!r}")
    if not isinstance(live, (bool, np.bool_)):
        raise TypeError(f"live must be True or False, got {live!r}")

    X, y = digits()
    X = X / _PIXEL_MAX
    m = len(y)
    if batch_size > m:
        raise ValueError(
            f"batch_size must be at most the number of examples, {m}; got {batch_size}"
        )

    rng = np.random.default_rng(seed)
    start = _he_init(X.shape[1], hidden, int(y.max()) + 1, seed=int(rng.integers(2**32)))
    batches = [
        order[i : i + batch_size]
        for order in (rng.permutation(m) for _ in range(epochs))
        for i in range(0, m, batch_size)
    ]

    plot = None
    steps = [(name, t) for name in names for t in range(1, len(batches) + 1)]
    if live:
        from dlcourse.live import LiveLossPlot

        plot = LiveLossPlot(
            title="Training loss on the digits, one curve per optimizer",
            every=max(1, len(steps) // 20),
            xlabel="iteration (minibatch update)",
            ylabel="minibatch cross-entropy",
        )
        plot.show()
        steps = plot.track(steps, desc="training", unit="step")

    losses: dict[str, list[float]] = {name: [] for name in names}
    params: list[np.ndarray] = []
    states: list[dict] = []
    diverged: set[str] = set()
    with np.errstate(all="ignore"):
        for name, t in steps:
            if t == 1:
                params = [p.copy() for p in start]
                states = [{} for _ in params]
            if name in diverged:
                continue
            batch = batches[t - 1]
            loss, grads = _loss_and_grads(params, X[batch], y[batch])
            if not (np.isfinite(loss) and loss <= _DIVERGED_LOSS):
                diverged.add(name)
                warnings.warn(
                    f"{name} diverged at iteration {t} (the loss is {loss:.3g}, learning rate"
                    f" {chosen_lrs[name]:g}); try a smaller learning rate",
                    RuntimeWarning,
                    stacklevel=2,
                )
                continue
            losses[name].append(loss)
            if plot is not None:
                plot.update(t, max(loss, 1e-12), label=name)
            params = [
                _update(name, p, g, state, t, chosen_lrs[name], MOMENTUM_BETA)
                for p, g, state in zip(params, grads, states, strict=True)
            ]
    return losses
