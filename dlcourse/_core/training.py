"""The one training loop of the library: minibatch training of a :class:`Network`, used by the
week-4 digits demo (``dlcourse.optimizer_demo``) and by the week-3 activation explorer.

The loop is the same for everyone; what differs is passed in:

* ``iterations`` yields ``(epoch, X_batch, y_batch, ends_epoch)``, one item per update (the
  caller makes the batches, checks a student's batching, wraps the stream in a progress bar);
* ``step(index, p, g, state, t, epoch) -> new p`` updates one parameter array (``state`` is
  that array's own dict, kept for the whole run);
* optional ``clip(grads, t, epoch) -> grads``, ``penalty`` (added to the loss), ``on_loss``
  (e.g. a live plot) and ``on_epoch_end(epoch, net) -> stop?`` (accuracies, early stopping);
* the network itself carries its depth, width, activation, initialization, normalization
  and dropout (see :func:`dlcourse._core.network.build_network`).

Every iteration: the loss and gradients of the batch; stop if the loss diverged; record the
loss (and the gradients' total norm); clip; step every parameter; at the end of an epoch,
``on_epoch_end``, whose True stops training.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import threadpool_limits

from dlcourse._core.network import Network, Penalty

DIVERGED_LOSS = 1e3
"""A run counts as diverged once a minibatch's cross-entropy exceeds this (it starts near
ln 10 ≈ 2.3 on the digits) or stops being a finite number."""

Iteration = tuple[int, np.ndarray, np.ndarray, bool]
"""(epoch, X_batch, y_batch, ends_epoch)."""

Step = Callable[[int, np.ndarray, np.ndarray, dict, int, int], np.ndarray]


def loss_diverged(loss: float) -> bool:
    """True once a minibatch loss is above DIVERGED_LOSS or not a finite number."""
    return not (np.isfinite(loss) and loss <= DIVERGED_LOSS)


def loss_not_finite(loss: float) -> bool:
    """True when the loss is NaN or infinite."""
    return not np.isfinite(loss)


@dataclass
class Run:
    """What :func:`train` did.

    ``losses`` and ``grad_norms`` (when recorded) have one entry per update made;
    ``previous_params`` are the parameters before the last update; ``diverged`` is
    (iteration, epoch, loss) of the loss that stopped a diverging run, else None;
    ``stopped_at_epoch`` the epoch after which ``on_epoch_end`` stopped training, else None.
    """

    losses: list[float] = field(default_factory=list)
    grad_norms: list[float] = field(default_factory=list)
    previous_params: list[np.ndarray] = field(default_factory=list)
    diverged: tuple[int, int, float] | None = None
    stopped_at_epoch: int | None = None


def train(
    net: Network,
    iterations: Iterable[Iteration],
    step: Step,
    *,
    clip: Callable[[list[np.ndarray], int, int], list[np.ndarray]] | None = None,
    penalty: Penalty | None = None,
    rng: np.random.Generator | None = None,
    diverged: Callable[[float], bool] = loss_diverged,
    record_grad_norms: bool = False,
    on_loss: Callable[[int, float], None] | None = None,
    on_epoch_end: Callable[[int, Network], bool | None] | None = None,
) -> Run:
    """Train ``net`` in place on ``iterations`` (see the module docstring); return the Run.

    ``rng`` is handed to the dropout layer. NumPy's floating-point warnings are silenced:
    divergence is reported through ``Run.diverged``. BLAS runs on one thread meanwhile: the
    course's matrices are small, and on a busy machine the threads waiting for each other
    cost 10-20 times the CPU time of the arithmetic.
    """
    run = Run(previous_params=list(net.params))
    states: list[dict] = [{} for _ in net.params]
    with np.errstate(all="ignore"), threadpool_limits(limits=1, user_api="blas"):
        for t, (epoch, X_batch, y_batch, ends_epoch) in enumerate(iterations, start=1):
            loss, grads = net.loss_and_grads(X_batch, y_batch, rng=rng, penalty=penalty)
            if diverged(loss):
                run.diverged = (t, epoch, loss)
                break
            run.losses.append(loss)
            if record_grad_norms:
                run.grad_norms.append(math.sqrt(sum(float(np.sum(g * g)) for g in grads)))
            if on_loss is not None:
                on_loss(t, loss)
            if clip is not None:
                grads = clip(grads, t, epoch)
            run.previous_params = net.params
            net.params = [
                step(index, p, g, state, t, epoch)
                for index, (p, g, state) in enumerate(zip(net.params, grads, states, strict=True))
            ]
            if ends_epoch and on_epoch_end is not None and on_epoch_end(epoch, net):
                run.stopped_at_epoch = epoch
                break
    return run


def full_batch_descent(
    net: Network, X: np.ndarray, y: np.ndarray, *, lr: float, num_iters: int
) -> np.ndarray:
    """Full-batch gradient descent on (X, y) with :func:`train`; the cost after each update.

    If the cost stops being a finite number (a learning rate far too large), training stops
    and ``net`` keeps the last parameters whose cost was finite, so the result is shorter
    than ``num_iters``.

    Returns
    -------
    costs : np.ndarray, shape (k,), k <= num_iters
        The mean cross-entropy after each of the k updates kept.
    """

    def sgd(index: int, p: np.ndarray, g: np.ndarray, state: dict, t: int, epoch: int):
        return p - lr * g

    run = train(net, ((i, X, y, True) for i in range(num_iters)), sgd, diverged=loss_not_finite)
    costs = run.losses[1:]
    if run.diverged is None:
        with np.errstate(all="ignore"):
            final = net.loss(X, y)
        if np.isfinite(final):
            return np.array(costs + [final], dtype=np.float64)
    net.params = run.previous_params
    return np.array(costs, dtype=np.float64)
