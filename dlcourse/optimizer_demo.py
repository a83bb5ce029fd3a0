"""The week-4 digits demo: one small network trained by many optimizers, side by side.

Public API
----------
compare_optimizers_on_digits  train a two-layer ReLU network on the 8x8 digits once per
                              optimizer (same starting weights, same minibatches) and return
                              every run's per-iteration training losses, optionally with a
                              progress bar and a live loss plot
DEFAULT_LRS                   the learning rate each optimizer uses unless told otherwise
train_digits_with             train the same network on a fixed training split of the digits
                              with *your* update rule, minibatch generator and (optionally)
                              learning-rate schedule and gradient clipping; returns the losses,
                              gradient norms and per-epoch train/test accuracy
plot_training_runs            the loss curves and test accuracies of several such runs, side
                              by side
SPLIT_FRACTIONS, SPLIT_SEED   the fixed split train_digits_with trains and tests on

The updates of compare_optimizers_on_digits are PyTorch's rules (``torch.optim`` with its
defaults), computed by the private helpers of :mod:`dlcourse.widgets._optim`; the network's
forward and backward pass are private too, and train_digits_with only ever calls the update
and batching functions it is given. Students write all of these themselves in the exercises
(the network's loss and gradients in week 3, the optimizers in week 4), so nothing here hands
one out.
"""

from __future__ import annotations

import inspect
import math
import numbers
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from dlcourse.datasets import digits, train_val_test_split
from dlcourse.surfaces import _path_style
from dlcourse.widgets._classifiers import _log_softmax
from dlcourse.widgets._optim import _OPTIMIZERS, _update

__all__ = [
    "DEFAULT_LRS",
    "SPLIT_FRACTIONS",
    "SPLIT_SEED",
    "compare_optimizers_on_digits",
    "plot_training_runs",
    "train_digits_with",
]

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


def _check_seed(seed: object) -> int:
    if not isinstance(seed, numbers.Integral) or isinstance(seed, (bool, np.bool_)) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0, got {seed!r}")
    return int(seed)


def _check_live(live: object) -> bool:
    if not isinstance(live, (bool, np.bool_)):
        raise TypeError(f"live must be True or False, got {live!r}")
    return bool(live)


def _has_diverged(loss: float) -> bool:
    """True once a minibatch loss is above _DIVERGED_LOSS or not a finite number."""
    return not (np.isfinite(loss) and loss <= _DIVERGED_LOSS)


def _warn_diverged(name: str, iteration: int, loss: float, detail: str) -> None:
    """The RuntimeWarning of a run stopped by divergence (``detail``: e.g. its learning rate).

    ``stacklevel=3`` points at the line that called the public training function.
    """
    warnings.warn(
        f"{name} diverged at iteration {iteration} (the loss is {loss:.3g}"
        f"{', ' + detail if detail else ''}); try a smaller learning rate",
        RuntimeWarning,
        stacklevel=3,
    )


def _live_loss_plot(title: str, n_steps: int):
    """A shown LiveLossPlot of minibatch losses that redraws about 20 times in n_steps."""
    from dlcourse.live import LiveLossPlot

    plot = LiveLossPlot(
        title=title,
        every=max(1, n_steps // 20),
        xlabel="iteration (minibatch update)",
        ylabel="minibatch cross-entropy",
    )
    plot.show()
    return plot


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
    seed = _check_seed(seed)
    live = _check_live(live)

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
        plot = _live_loss_plot("Training loss on the digits, one curve per optimizer", len(steps))
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
            if _has_diverged(loss):
                diverged.add(name)
                _warn_diverged(name, t, loss, f"learning rate {chosen_lrs[name]:g}")
                continue
            losses[name].append(loss)
            if plot is not None:
                plot.update(t, max(loss, 1e-12), label=name)
            params = [
                _update(name, p, g, state, t, chosen_lrs[name], MOMENTUM_BETA)
                for p, g, state in zip(params, grads, states, strict=True)
            ]
    return losses


# ---------------------------------------------------------------------------------------------
# Training with the student's own functions
# ---------------------------------------------------------------------------------------------

SPLIT_FRACTIONS = (0.6, 0.2, 0.2)
"""(train, validation, test) fractions of the digits used by :func:`train_digits_with`."""

SPLIT_SEED = 0
"""Seed of the one fixed shuffle that splits the digits for :func:`train_digits_with`."""

_PARAM_NAMES = ("W1", "b1", "W2", "b2")


def _digits_split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(X_train, y_train, X_test, y_test) of the digits, pixels / 16, the fixed split."""
    X, y = digits()
    X_train, y_train, _, _, X_test, y_test = train_val_test_split(
        X / _PIXEL_MAX, y, SPLIT_FRACTIONS, seed=SPLIT_SEED
    )
    return X_train, y_train, X_test, y_test


def _accuracy(params: list[np.ndarray], X: np.ndarray, y: np.ndarray) -> float:
    """Fraction of rows of X the network classifies as y."""
    W1, b1, W2, b2 = params
    scores = np.maximum(X @ W1 + b1, 0.0) @ W2 + b2
    return float(np.mean(np.argmax(scores, axis=1) == y))


def _describe(value: object) -> str:
    """A short description of what a student's function gave back, for error messages."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 60 else text[:57] + '...'}"


def _check_callable(value: object, name: str, contract: str) -> None:
    if not callable(value):
        raise TypeError(f"{name} must be a function {contract}, got {_describe(value)}")


def _check_step_accepts(step: Callable, hyperparameters: dict) -> None:
    """TypeError now, rather than mid-training, if ``step`` cannot take the hyperparameters."""
    try:
        signature = inspect.signature(step)
    except (TypeError, ValueError):  # some builtins have no signature: just try it later
        return
    try:
        signature.bind(None, None, None, **hyperparameters)
    except TypeError as error:
        given = "".join(f", {k}={v!r}" for k, v in hyperparameters.items())
        raise TypeError(
            f"step cannot be called as step(w, dw, state{given}): {error}. It must accept"
            " (w, dw, state) and every hyperparameter passed to train_digits_with by name"
        ) from None


def _scheduled_lr(schedule: Callable, epoch: int) -> float:
    lr = schedule(epoch)
    if isinstance(lr, np.ndarray) and lr.size == 1:
        lr = lr.reshape(()).item()
    if not isinstance(lr, numbers.Real) or isinstance(lr, (bool, np.bool_)):
        raise TypeError(
            f"schedule({epoch}) returned {_describe(lr)}: it must return the learning rate of"
            " that epoch as a number (did you forget `return`?)"
        )
    if not (np.isfinite(lr) and lr >= 0):
        raise ValueError(f"schedule({epoch}) returned {lr}: a learning rate must be >= 0")
    return float(lr)


def _epoch_batches(
    minibatches: Callable,
    X: np.ndarray,
    y: np.ndarray,
    batch_size: int,
    rng: np.random.Generator,
    epoch: int,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Every (X_batch, y_batch) ``minibatches`` gives for one epoch, checked against the data.

    Raises TypeError or ValueError naming ``minibatches`` and what is wrong with its batches.
    """
    call = f"minibatches(X_train, y_train, {batch_size}, rng) (epoch {epoch})"
    result = minibatches(X, y, batch_size, rng)
    if result is None:
        raise TypeError(
            f"{call} returned None: it must yield (X_batch, y_batch) pairs (did you forget"
            " `yield`?)"
        )
    if isinstance(result, np.ndarray) or not isinstance(result, Iterable):
        raise TypeError(
            f"{call} returned {_describe(result)}: it must yield (X_batch, y_batch) pairs"
        )
    m, n = X.shape
    batches = []
    for index, item in enumerate(result):
        if not (isinstance(item, (tuple, list)) and len(item) == 2):
            raise TypeError(
                f"{call}: batch {index} is {_describe(item)}; each item must be a pair"
                " (X_batch, y_batch), e.g. `yield X[rows], y[rows]`"
            )
        X_batch, y_batch = np.asarray(item[0]), np.asarray(item[1])
        if X_batch.ndim != 2 or X_batch.shape[1] != n or y_batch.shape != X_batch.shape[:1]:
            raise ValueError(
                f"{call}: batch {index} has X_batch of shape {X_batch.shape} and y_batch of"
                f" shape {y_batch.shape}; expected (b, {n}) and (b,), b examples of X and y"
            )
        batches.append((X_batch, y_batch))
    sizes = [len(y_batch) for _, y_batch in batches]
    expected = [batch_size] * (m // batch_size) + ([m % batch_size] if m % batch_size else [])
    if sum(sizes) != m:
        raise ValueError(
            f"{call} yielded {len(sizes)} batches holding {sum(sizes)} examples in total; one"
            f" epoch must use each of the {m} training examples exactly once"
            + (" (is the last, smaller batch missing?)" if sum(sizes) < m else "")
        )
    if sizes != expected:
        shown = sizes if len(sizes) <= 8 else sizes[:4] + ["..."] + sizes[-3:]
        raise ValueError(
            f"{call} yielded batches of sizes {shown}; with {m} examples every batch but the"
            f" last must hold batch_size = {batch_size} examples and the last the"
            f" {m % batch_size or batch_size} left over"
        )
    X_seen = np.concatenate([X_batch for X_batch, _ in batches])
    y_seen = np.concatenate([y_batch for _, y_batch in batches])
    if not np.array_equal(_sorted_rows(X_seen), _sorted_rows(X)):
        raise ValueError(
            f"{call} repeats some training examples and leaves out others: one epoch must use"
            " each example exactly once (shuffle one permutation of the row indices and cut it"
            " into slices, rather than drawing rows at random)"
        )
    if not np.array_equal(
        _sorted_rows(np.column_stack([X_seen, y_seen])), _sorted_rows(np.column_stack([X, y]))
    ):
        raise ValueError(
            f"{call} pairs some rows of X with the wrong labels: X_batch and y_batch must be"
            " taken with the same row indices"
        )
    return batches


def _sorted_rows(A: np.ndarray) -> np.ndarray:
    """The rows of a 2-D array in lexicographic order (a canonical form of the multiset)."""
    return A[np.lexsort(A.T[::-1])]


def _checked_step(
    step: Callable, w: np.ndarray, dw: np.ndarray, state: dict, hyper: dict, where: str
) -> np.ndarray:
    """``step(w, dw, state, **hyper)`` as a float64 array of w's shape, or a clear error."""
    new = step(w, dw, state, **hyper)
    if new is None:
        raise TypeError(
            f"step returned None for {where}: it must return the updated weights (did you"
            " forget `return`?)"
        )
    try:
        array = np.asarray(new, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"step returned {_describe(new)} for {where}: it must return the updated weights, an"
            f" array of shape {w.shape}"
        ) from None
    if array.shape != w.shape:
        raise ValueError(
            f"step returned an array of shape {array.shape} for {where}: the updated weights"
            f" must have the shape of w, {w.shape}"
        )
    return array


def _checked_clip(clip: Callable, grads: list[np.ndarray], where: str) -> list[np.ndarray]:
    """The clipped gradients ``clip(grads)`` returns, checked; its norm is not used."""
    result = clip([g.copy() for g in grads])
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        raise TypeError(
            f"clip returned {_describe(result)} at {where}: it must return a pair (clipped"
            " gradients, total norm), e.g. `clip=lambda g: clip_grad_norm(g, 5.0)`"
        )
    clipped, _ = result
    if not (isinstance(clipped, (tuple, list)) and len(clipped) == len(grads)):
        raise TypeError(
            f"clip returned {_describe(clipped)} as the clipped gradients at {where}: expected a"
            f" list of {len(grads)} arrays, the gradients of {', '.join(_PARAM_NAMES)}"
        )
    checked = []
    for name, g, c in zip(_PARAM_NAMES, grads, clipped, strict=True):
        try:
            array = np.asarray(c, dtype=np.float64)
        except (TypeError, ValueError):
            array = None
        if array is None or array.shape != g.shape:
            raise ValueError(
                f"clip returned {_describe(c)} as the clipped gradient of {name} at {where};"
                f" expected an array of shape {g.shape}"
            )
        checked.append(array)
    return checked


def train_digits_with(
    step: Callable[..., np.ndarray],
    *,
    minibatches: Callable[..., Iterable[tuple[np.ndarray, np.ndarray]]],
    batch_size: int = 64,
    epochs: int = 5,
    hidden: int = 64,
    seed: int = 0,
    schedule: Callable[[int], float] | None = None,
    clip: Callable[[list[np.ndarray]], tuple[list[np.ndarray], float]] | None = None,
    live: bool = True,
    **hyperparameters: Any,
) -> dict[str, list[float]]:
    """Train a small network on the digits with your own update rule and batching.

    The network is the week-3 one, affine (64 → ``hidden``) – ReLU – affine (``hidden`` → 10)
    – softmax, trained on the mean cross-entropy; its forward and backward pass are done for
    you (privately). It trains on a fixed training split of the 8x8 digits (pixels divided by
    16; :data:`SPLIT_FRACTIONS` (0.6, 0.2, 0.2) with seed :data:`SPLIT_SEED`, so 1078 training
    and 360 test examples, the same for every call) and reports the test accuracy after each
    epoch.

    Randomness: one Generator ``rng = numpy.random.default_rng(seed)`` per call. The start
    weights are drawn from it first (He-normal, W ~ N(0, 2 / fan_in), zero biases; the same
    as :func:`compare_optimizers_on_digits` with the same seed and ``hidden``), then the same
    ``rng`` is passed to ``minibatches`` at the start of every epoch. So each epoch gets a new
    order, and two calls with the same seed (and the same, deterministic functions) give
    identical results: runs that differ only in ``step`` or its hyperparameters start from the
    same weights and see the same minibatches.

    Every iteration: the loss and gradients of the current minibatch, then (optionally)
    ``clip``, then one call of ``step`` per parameter array, in the order W1, b1, W2, b2,
    each with its own ``state`` dict, kept for the whole run.

    Parameters
    ----------
    step : callable ``step(w, dw, state, **hyperparameters) -> new w``
        Your update rule, e.g. ``sgd_step`` or ``adam_step``. ``w`` and ``dw`` have the
        parameter's shape, (64, hidden), (hidden,), (hidden, 10) or (10,); ``state`` starts
        as an empty dict.
    minibatches : callable ``minibatches(X, y, batch_size, rng)``
        Your batching generator, called once per epoch with the training split, X of shape
        (1078, 64) and y of shape (1078,). It must yield (X_batch, y_batch) pairs that use
        each training example exactly once, in batches of ``batch_size`` except a smaller
        last one.
    batch_size : int, default 64
        Examples per minibatch, 1..1078 (the default gives ceil(1078 / 64) = 17 iterations per
        epoch).
    epochs : int, default 5
        Passes over the training split, >= 1.
    hidden : int, default 64
        Hidden units, >= 1.
    seed : int, default 0
        Seed (>= 0) of the start weights and of the minibatch order (see above).
    schedule : callable ``schedule(epoch) -> lr``, optional
        The learning rate of each epoch (counted from 0), passed to ``step`` as ``lr=``
        instead of any ``lr`` in ``hyperparameters``, e.g.
        ``schedule=lambda e: step_decay(0.1, e, 2)``. Must return a number >= 0.
    clip : callable ``clip(grads) -> (clipped grads, norm)``, optional
        Applied to the list [dW1, db1, dW2, db2] before the update, e.g.
        ``clip=lambda g: clip_grad_norm(g, 5.0)``. It gets copies, so it may change them.
    live : bool, default True
        Show a ``tqdm.auto`` progress bar and a :class:`dlcourse.live.LiveLossPlot` of the
        minibatch losses that redraws while training. ``False`` trains silently.
    **hyperparameters
        Passed to every ``step`` call by name, e.g. ``lr=0.1`` or ``lr=1e-3, beta1=0.9``.

    Returns
    -------
    history : dict {str: list of float}
        ``"loss"``: the cross-entropy of each minibatch just before the update made on it
        (``epochs * ceil(1078 / batch_size)`` values); ``"grad_norm"``: the total L2 norm of
        that iteration's gradient (all four arrays together) before clipping, one per
        iteration; ``"train_accuracy"`` and ``"test_accuracy"``: the fraction of the training
        and test split classified correctly after each epoch (``epochs`` values). If the loss
        diverges (above 1000 or not a finite number) training stops there with a
        ``RuntimeWarning`` and the lists are shorter.

    Raises
    ------
    TypeError, ValueError
        For bad arguments, and when ``step``, ``minibatches``, ``schedule`` or ``clip``
        returns something malformed (None, a wrong shape, batches that skip or repeat
        examples, ...): the message names the function and what it returned.

    Examples
    --------
    ::

        runs = {
            "SGD": train_digits_with(sgd_step, minibatches=minibatches, lr=0.1),
            "Adam": train_digits_with(adam_step, minibatches=minibatches, lr=3e-3),
            "SGD, decayed": train_digits_with(
                sgd_step, minibatches=minibatches, schedule=lambda e: step_decay(0.1, e, 2)
            ),
        }
        plot_training_runs(runs)
    """
    _check_callable(step, "step", "step(w, dw, state, **hyperparameters) -> new w")
    _check_callable(minibatches, "minibatches", "minibatches(X, y, batch_size, rng)")
    if schedule is not None:
        _check_callable(schedule, "schedule", "schedule(epoch) -> learning rate, or None")
    if clip is not None:
        _check_callable(clip, "clip", "clip(grads) -> (clipped grads, norm), or None")
    batch_size = _check_positive_int(batch_size, "batch_size")
    epochs = _check_positive_int(epochs, "epochs")
    hidden = _check_positive_int(hidden, "hidden")
    seed = _check_seed(seed)
    live = _check_live(live)
    X_train, y_train, X_test, y_test = _digits_split()
    m = len(y_train)
    if batch_size > m:
        raise ValueError(
            f"batch_size must be at most the number of training examples, {m}; got {batch_size}"
        )
    _check_step_accepts(step, {**hyperparameters, **({"lr": 0.0} if schedule else {})})

    rng = np.random.default_rng(seed)
    n_classes = int(y_train.max()) + 1
    params = _he_init(X_train.shape[1], hidden, n_classes, seed=int(rng.integers(2**32)))
    states: list[dict] = [{} for _ in params]
    per_epoch = math.ceil(m / batch_size)
    history: dict[str, list[float]] = {
        "loss": [],
        "grad_norm": [],
        "train_accuracy": [],
        "test_accuracy": [],
    }

    def iterations() -> Iterator[tuple[int, int, np.ndarray, np.ndarray]]:
        for epoch in range(epochs):
            batches = _epoch_batches(minibatches, X_train, y_train, batch_size, rng, epoch)
            for i, (X_batch, y_batch) in enumerate(batches):
                yield epoch, i, X_batch, y_batch

    plot = None
    steps: Iterable[tuple[int, int, np.ndarray, np.ndarray]] = iterations()
    if live:
        plot = _live_loss_plot(
            f"Training loss on the digits with {getattr(step, '__name__', 'your step')}",
            epochs * per_epoch,
        )
        steps = plot.track(steps, total=epochs * per_epoch, desc="training", unit="step")

    hyper = dict(hyperparameters)
    with np.errstate(all="ignore"):
        for t, (epoch, i, X_batch, y_batch) in enumerate(steps, start=1):
            if i == 0 and schedule is not None:
                hyper["lr"] = _scheduled_lr(schedule, epoch)
            loss, grads = _loss_and_grads(params, X_batch, y_batch)
            if _has_diverged(loss):
                lr = hyper.get("lr")
                detail = f"epoch {epoch}" + (
                    f", lr {lr:g}" if isinstance(lr, numbers.Real) else f", lr {lr!r}" if lr else ""
                )
                _warn_diverged("training", t, loss, detail)
                break
            history["loss"].append(loss)
            history["grad_norm"].append(math.sqrt(sum(float(np.sum(g * g)) for g in grads)))
            if plot is not None:
                plot.update(t, max(loss, 1e-12), label="minibatch loss")
            where = f"iteration {t} (epoch {epoch})"
            if clip is not None:
                grads = _checked_clip(clip, grads, where)
            params = [
                _checked_step(step, p, g, state, hyper, f"{name} at {where}")
                for name, p, g, state in zip(_PARAM_NAMES, params, grads, states, strict=True)
            ]
            if i == per_epoch - 1:
                history["train_accuracy"].append(_accuracy(params, X_train, y_train))
                history["test_accuracy"].append(_accuracy(params, X_test, y_test))
    return history


def plot_training_runs(
    runs: Mapping[str, Mapping[str, Sequence[float]]], *, title: str | None = None
) -> Figure:
    """Loss curves and test accuracy of several training runs, side by side.

    Parameters
    ----------
    runs : dict {str: dict}
        Label → a result of :func:`train_digits_with` (at least its ``"loss"`` and
        ``"test_accuracy"`` lists), e.g. ``{"SGD": run_sgd, "Adam": run_adam}``.
    title : str, optional
        Figure title; default "Training on the digits".

    Returns
    -------
    matplotlib.figure.Figure
        Left: the minibatch loss against the iteration (log scale); right: the test accuracy
        after each epoch. Each run keeps one Okabe–Ito colour, line style and marker (colour-
        blind safe, readable in greyscale) on both; one legend, right of both plots, names
        them. Made with pyplot, so a notebook shows it.
    """
    if not isinstance(runs, Mapping) or not runs:
        raise TypeError(
            "runs must be a non-empty dict {label: result of train_digits_with}, e.g."
            f" {{'SGD': run}}; got {_describe(runs)}"
        )
    curves = {}
    for label, run in runs.items():
        if not isinstance(label, str):
            raise TypeError(f"runs' keys must be labels (strings), got {label!r}")
        if not isinstance(run, Mapping) or not {"loss", "test_accuracy"} <= set(run):
            raise TypeError(
                f"runs[{label!r}] must be a result of train_digits_with, a dict with 'loss' and"
                f" 'test_accuracy' lists; got {_describe(run)}"
            )
        loss = np.asarray(run["loss"], dtype=np.float64)
        accuracy = np.asarray(run["test_accuracy"], dtype=np.float64)
        if loss.ndim != 1 or accuracy.ndim != 1 or loss.size == 0:
            raise ValueError(f"runs[{label!r}] has no losses to draw")
        curves[label] = (loss, accuracy)
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a string, got {title!r}")

    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    for index, (label, (loss, accuracy)) in enumerate(curves.items()):
        style = _path_style(index)
        marker = style.pop("marker")
        iterations = np.arange(1, loss.size + 1)
        positive = loss > 0
        ax_loss.plot(
            iterations[positive],
            loss[positive],
            lw=1.5,
            marker=marker,
            ms=5,
            markevery=max(1, loss.size // 10),
            label=label,
            **style,
        )
        ax_acc.plot(np.arange(1, accuracy.size + 1), accuracy, lw=1.8, marker=marker, ms=6, **style)
    ax_loss.set_yscale("log")
    ax_loss.set_xlabel("iteration (minibatch update)")
    ax_loss.set_ylabel("minibatch cross-entropy (log scale)")
    ax_loss.set_title("Training loss")
    ax_acc.set_xlabel("epoch")
    ax_acc.set_ylabel("test accuracy")
    ax_acc.set_title("Test accuracy after each epoch")
    ax_acc.xaxis.get_major_locator().set_params(integer=True)
    ax_acc.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    for ax in (ax_loss, ax_acc):
        ax.grid(True, which="major", alpha=0.3)
    fig.legend(handles=ax_loss.get_lines(), loc="outside right upper", fontsize="small")
    fig.suptitle("Training on the digits" if title is None else title)
    return fig
