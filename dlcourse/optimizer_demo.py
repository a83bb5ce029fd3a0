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
                              learning-rate schedule, gradient clipping, depth and width,
                              activation, initialization, normalization, dropout, weight
                              penalty and a per-epoch callback (early stopping); returns the
                              losses, gradient norms and per-epoch train/test accuracy
plot_training_runs            the loss curves and test accuracies of several such runs, side
                              by side
SPLIT_FRACTIONS, SPLIT_SEED   the fixed split train_digits_with trains and tests on

The updates of compare_optimizers_on_digits are PyTorch's rules (``torch.optim`` with its
defaults), computed by the private ``dlcourse._core.optim``; the network and its training loop
are the private ``dlcourse._core.network`` and ``dlcourse._core.training``, and
train_digits_with only ever calls the update and batching functions it is given. Students
write all of these themselves in the exercises (the network's loss and gradients in week 3,
the optimizers in week 4), so nothing here hands one out.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from dlcourse._core.checks import (
    check_bool,
    check_callable,
    check_int,
    check_text,
    describe,
    is_real,
)
from dlcourse._core.hooks import (
    activation_hook,
    callback_says_stop,
    check_hidden,
    check_step_accepts,
    checked_clip,
    checked_penalty,
    checked_step,
    dropout_hook,
    epoch_batches,
    init_hook,
    normalization_hook,
    scheduled_lr,
)
from dlcourse._core.network import (
    ACTIVATIONS,
    INITIALIZERS,
    Dropout,
    Layer,
    Network,
    Normalization,
    activation_layer,
    build_network,
)
from dlcourse._core.optim import OPTIMIZER_INFO, reference_update
from dlcourse._core.style import path_style
from dlcourse._core.training import Iteration, train
from dlcourse.datasets import digits, train_val_test_split

__all__ = [
    "DEFAULT_LRS",
    "SPLIT_FRACTIONS",
    "SPLIT_SEED",
    "compare_optimizers_on_digits",
    "plot_training_runs",
    "train_digits_with",
]

OPTIMIZER_NAMES: tuple[str, ...] = tuple(OPTIMIZER_INFO)
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

_PIXEL_MAX = 16.0
"""The digits' pixel intensities run 0..16; the network sees them divided by this."""


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
        if name not in OPTIMIZER_INFO:
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
        if not is_real(lr):
            raise TypeError(f"the learning rate of {name!r} must be a number, got {lr!r}")
        if not (np.isfinite(lr) and lr > 0):
            raise ValueError(f"the learning rate of {name!r} must be positive, got {lr}")
        chosen[name] = float(lr)
    return chosen


def _check_seed(seed: object) -> int:
    return check_int(seed, "seed", 0)


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


_LIVE_REDRAWS = 6
"""How often a training run's live loss plot is redrawn while it trains (and once at the end).
Drawing the figure into the notebook costs a few tenths of a second, more than the
hundreds of minibatch updates in between: the progress bar shows the pace, the plot the shape."""


def _live_loss_plot(title: str, n_steps: int):
    """A shown LiveLossPlot of minibatch losses that redraws _LIVE_REDRAWS times in n_steps."""
    from dlcourse.live import LiveLossPlot

    plot = LiveLossPlot(
        title=title,
        every=max(1, n_steps // _LIVE_REDRAWS),
        xlabel="iteration (minibatch update)",
        ylabel="minibatch cross-entropy",
    )
    plot.show()
    return plot


def _digits_network(
    n_in: int,
    hidden: tuple[int, ...],
    n_out: int,
    seed: int,
    *,
    activation: Layer | None = None,
    init: Callable[[int, int, np.random.Generator], np.ndarray] = INITIALIZERS["he"],
    normalization: Normalization | None = None,
    dropout: Dropout | None = None,
) -> Network:
    """The demo's network: by default affine–ReLU–affine with He-normal weights drawn from
    ``numpy.random.default_rng(seed)`` (W ~ N(0, 2 / fan_in)) and zero biases."""
    return build_network(
        (n_in, *hidden, n_out),
        activation=activation_layer(ACTIVATIONS["relu"]) if activation is None else activation,
        init=init,
        rng=np.random.default_rng(seed),
        normalization=normalization,
        dropout=dropout,
    )


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
    epochs = check_int(epochs, "epochs", 1)
    hidden = check_int(hidden, "hidden", 1)
    batch_size = check_int(batch_size, "batch_size", 1)
    seed = _check_seed(seed)
    live = check_bool(live, "live")

    X, y = digits()
    X = X / _PIXEL_MAX
    m = len(y)
    if batch_size > m:
        raise ValueError(
            f"batch_size must be at most the number of examples, {m}; got {batch_size}"
        )

    rng = np.random.default_rng(seed)
    start_seed = int(rng.integers(2**32))
    batches = [
        order[i : i + batch_size]
        for order in (rng.permutation(m) for _ in range(epochs))
        for i in range(0, m, batch_size)
    ]
    per_epoch = math.ceil(m / batch_size)

    plot = None
    steps: Iterable[tuple[str, int]] = [
        (name, t) for name in names for t in range(1, len(batches) + 1)
    ]
    if live:
        plot = _live_loss_plot("Training loss on the digits, one curve per optimizer", len(steps))
        steps = plot.track(steps, desc="training", unit="step")
    stream = iter(steps)

    losses: dict[str, list[float]] = {}
    for name in names:
        lr = chosen_lrs[name]
        own = itertools.islice(stream, len(batches))  # this run's share of the progress bar
        iterations = (
            ((t - 1) // per_epoch, X[batches[t - 1]], y[batches[t - 1]], False) for _, t in own
        )
        run = train(
            _digits_network(X.shape[1], (hidden,), int(y.max()) + 1, start_seed),
            iterations,
            lambda i, p, g, state, t, epoch, name=name, lr=lr: reference_update(
                name, p, g, state, t, lr, MOMENTUM_BETA
            ),
            on_loss=None
            if plot is None
            else lambda t, loss, name=name: plot.update(t, max(loss, 1e-12), label=name),
        )
        losses[name] = run.losses
        if run.diverged is not None:
            t, _, loss = run.diverged
            _warn_diverged(name, t, loss, f"learning rate {lr:g}")
            for _ in own:  # the bar still passes over the steps the run did not make
                pass
    for _ in stream:  # end the progress bar's loop: it closes and the plot redraws
        pass
    return losses


# ---------------------------------------------------------------------------------------------
# Training with the student's own functions
# ---------------------------------------------------------------------------------------------

SPLIT_FRACTIONS = (0.6, 0.2, 0.2)
"""(train, validation, test) fractions of the digits used by :func:`train_digits_with`."""

SPLIT_SEED = 0
"""Seed of the one fixed shuffle that splits the digits for :func:`train_digits_with`."""


def _digits_split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(X_train, y_train, X_test, y_test) of the digits, pixels / 16, the fixed split."""
    X, y = digits()
    X_train, y_train, _, _, X_test, y_test = train_val_test_split(
        X / _PIXEL_MAX, y, SPLIT_FRACTIONS, seed=SPLIT_SEED
    )
    return X_train, y_train, X_test, y_test


def train_digits_with(
    step: Callable[..., np.ndarray],
    *,
    minibatches: Callable[..., Iterable[tuple[np.ndarray, np.ndarray]]],
    batch_size: int = 64,
    epochs: int = 5,
    hidden: int | Sequence[int] = 64,
    seed: int = 0,
    schedule: Callable[[int], float] | None = None,
    clip: Callable[[list[np.ndarray]], tuple[list[np.ndarray], float]] | None = None,
    live: bool = True,
    activation: str | tuple[Callable, Callable] = "relu",
    init: str | Callable[[int, int, np.random.Generator], np.ndarray] = "he",
    normalization: tuple[Callable, Callable, Callable] | None = None,
    dropout: tuple[Callable, Callable] | None = None,
    penalty: Callable[[list[np.ndarray]], tuple[float, list[np.ndarray]]] | None = None,
    callback: Callable[[int, dict, Callable], bool | None] | None = None,
    **hyperparameters: Any,
) -> dict[str, list[float]]:
    """Train a small network on the digits with your own update rule and batching.

    By default the network is the week-3 one, affine (64 → ``hidden``) – ReLU – affine
    (``hidden`` → 10) – softmax, trained on the mean cross-entropy; its forward and backward
    pass are done for you (privately). ``hidden``, ``activation``, ``init``,
    ``normalization``, ``dropout`` and ``penalty`` change it (weeks 5–7). It trains on a
    fixed training split of the 8x8 digits (pixels divided by 16; :data:`SPLIT_FRACTIONS`
    (0.6, 0.2, 0.2) with seed :data:`SPLIT_SEED`, so 1078 training and 360 test examples, the
    same for every call) and reports the test accuracy after each epoch.

    Randomness: one Generator ``rng = numpy.random.default_rng(seed)`` per call. The start
    weights are drawn from it first (He-normal, W ~ N(0, 2 / fan_in), zero biases; the same
    as :func:`compare_optimizers_on_digits` with the same seed and ``hidden``), then the same
    ``rng`` is passed to ``minibatches`` at the start of every epoch. So each epoch gets a new
    order, and two calls with the same seed (and the same, deterministic functions) give
    identical results: runs that differ only in ``step`` or its hyperparameters start from the
    same weights and see the same minibatches.

    Every iteration: the loss and gradients of the current minibatch, then (optionally)
    ``clip``, then one call of ``step`` per parameter array, in the order W1, b1, W2, b2 (then
    W3, b3, ... for a deeper network, then the normalization layers' parameters), each with
    its own ``state`` dict, kept for the whole run. After the last minibatch of an epoch the
    accuracies are recorded and ``callback`` (if any) may stop training.

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
    hidden : int or sequence of int, default 64
        Hidden units, >= 1; a sequence gives one hidden layer per entry, e.g. ``(64, 32)``.
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
    activation : str or (forward, backward), default "relu"
        The hidden layers' activation: "relu", "leaky_relu", "tanh", "sigmoid" or "linear", or
        your pair ``forward(z) -> (a, cache)``, ``backward(da, cache) -> dz`` (e.g.
        ``(relu_forward, relu_backward)``).
    init : str or callable, default "he"
        The weights' initialization: "he" (W ~ N(0, 2 / fan_in)), "lecun" (W ~ N(0, 1 /
        fan_in)), or your ``init(fan_in, fan_out, rng) -> W`` of shape (fan_in, fan_out),
        called for W1, W2, ... in order with the run's generator. Biases start at 0.
    normalization : (init, forward, backward), optional
        A layer between every hidden affine layer and its activation (e.g. batch norm):
        ``init(width) -> list of parameter arrays`` (trained by ``step`` like the weights),
        ``forward(z, params, state, training) -> (out, cache)`` (``state``: the layer's own
        dict, e.g. for running averages; ``training`` is False when the accuracies are
        measured) and ``backward(dout, cache) -> (dz, list of parameter gradients)``.
    dropout : (forward, backward), optional
        A layer after every hidden activation: ``forward(a, rng, training) -> (out, cache)``
        (``rng``: the run's generator; ``training`` False when measuring accuracy) and
        ``backward(dout, cache) -> da``.
    penalty : callable ``penalty(weights) -> (value, grads)``, optional
        A weight penalty (e.g. L2) on the list [W1, W2, ...] (not the biases): ``value`` is
        added to each minibatch's loss (and so to ``"loss"``), ``grads`` (one array per weight
        matrix) to the weights' gradients.
    callback : callable ``callback(epoch, history, scores) -> True to stop``, optional
        Called after every epoch (counted from 0) with the history so far (this epoch's
        accuracies included) and ``scores(X) -> class scores (k, 10)`` of the network as it is
        (test mode), e.g. to measure the validation split and stop early. Return True to stop
        training after this epoch, None or False to go on.
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
        For bad arguments, and when ``step``, ``minibatches``, ``schedule``, ``clip`` or a
        hook returns something malformed (None, a wrong shape, batches that skip or repeat
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
    check_callable(step, "step", "step(w, dw, state, **hyperparameters) -> new w")
    check_callable(minibatches, "minibatches", "minibatches(X, y, batch_size, rng)")
    if schedule is not None:
        check_callable(schedule, "schedule", "schedule(epoch) -> learning rate, or None")
    if clip is not None:
        check_callable(clip, "clip", "clip(grads) -> (clipped grads, norm), or None")
    if penalty is not None:
        check_callable(penalty, "penalty", "penalty(weights) -> (value, grads), or None")
    if callback is not None:
        check_callable(callback, "callback", "callback(epoch, history, scores), or None")
    batch_size = check_int(batch_size, "batch_size", 1)
    epochs = check_int(epochs, "epochs", 1)
    widths = check_hidden(hidden)
    seed = _check_seed(seed)
    live = check_bool(live, "live")
    act_layer = activation_hook(activation)
    init_weights = init_hook(init)
    norm_layer = None if normalization is None else normalization_hook(normalization)
    dropout_layer = None if dropout is None else dropout_hook(dropout)
    X_train, y_train, X_test, y_test = _digits_split()
    m = len(y_train)
    if batch_size > m:
        raise ValueError(
            f"batch_size must be at most the number of training examples, {m}; got {batch_size}"
        )
    check_step_accepts(step, {**hyperparameters, **({"lr": 0.0} if schedule else {})})

    rng = np.random.default_rng(seed)
    n_classes = int(y_train.max()) + 1
    net = _digits_network(
        X_train.shape[1],
        widths,
        n_classes,
        int(rng.integers(2**32)),
        activation=act_layer,
        init=init_weights,
        normalization=norm_layer,
        dropout=dropout_layer,
    )
    per_epoch = math.ceil(m / batch_size)
    history: dict[str, list[float]] = {
        "loss": [],
        "grad_norm": [],
        "train_accuracy": [],
        "test_accuracy": [],
    }
    hyper = dict(hyperparameters)

    def iterations() -> Iterator[Iteration]:
        for epoch in range(epochs):
            batches = epoch_batches(minibatches, X_train, y_train, batch_size, rng, epoch)
            if schedule is not None:
                hyper["lr"] = scheduled_lr(schedule, epoch)
            for i, (X_batch, y_batch) in enumerate(batches):
                yield epoch, X_batch, y_batch, i == len(batches) - 1

    def where(t: int, epoch: int) -> str:
        return f"iteration {t} (epoch {epoch})"

    def student_step(index, p, g, state, t, epoch):
        return checked_step(step, p, g, state, hyper, f"{net.names[index]} at {where(t, epoch)}")

    def student_clip(grads, t, epoch):
        return checked_clip(clip, grads, net.names, where(t, epoch))

    def end_of_epoch(epoch: int, net: Network) -> bool:
        history["train_accuracy"].append(float(np.mean(net.predict(X_train) == y_train)))
        history["test_accuracy"].append(float(np.mean(net.predict(X_test) == y_test)))
        if callback is None:
            return False
        return callback_says_stop(callback, epoch, history, net)

    plot = None
    steps: Iterable[Iteration] = iterations()
    if live:
        plot = _live_loss_plot(
            f"Training loss on the digits with {getattr(step, '__name__', 'your step')}",
            epochs * per_epoch,
        )
        steps = plot.track(steps, total=epochs * per_epoch, desc="training", unit="step")

    run = train(
        net,
        steps,
        student_step,
        clip=None if clip is None else student_clip,
        penalty=None if penalty is None else checked_penalty(penalty, net),
        rng=rng,
        record_grad_norms=True,
        on_loss=None
        if plot is None
        else lambda t, loss: plot.update(t, max(loss, 1e-12), label="minibatch loss"),
        on_epoch_end=end_of_epoch,
    )
    history["loss"], history["grad_norm"] = run.losses, run.grad_norms
    if run.diverged is not None:
        t, epoch, loss = run.diverged
        lr = hyper.get("lr")
        detail = f"epoch {epoch}" + (
            f", lr {lr:g}" if is_real(lr) else f", lr {lr!r}" if lr else ""
        )
        _warn_diverged("training", t, loss, detail)
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
            f" {{'SGD': run}}; got {describe(runs)}"
        )
    curves = {}
    for label, run in runs.items():
        if not isinstance(label, str):
            raise TypeError(f"runs' keys must be labels (strings), got {label!r}")
        if not isinstance(run, Mapping) or not {"loss", "test_accuracy"} <= set(run):
            raise TypeError(
                f"runs[{label!r}] must be a result of train_digits_with, a dict with 'loss' and"
                f" 'test_accuracy' lists; got {describe(run)}"
            )
        loss = np.asarray(run["loss"], dtype=np.float64)
        accuracy = np.asarray(run["test_accuracy"], dtype=np.float64)
        if loss.ndim != 1 or accuracy.ndim != 1 or loss.size == 0:
            raise ValueError(f"runs[{label!r}] has no losses to draw")
        curves[label] = (loss, accuracy)
    if title is not None:
        title = check_text(title, "title")

    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    for index, (label, (loss, accuracy)) in enumerate(curves.items()):
        style = path_style(index)
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
