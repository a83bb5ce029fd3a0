"""The week-5 batch-norm demo: one deep network trained with and without batch normalization,
side by side.

Public API
----------
compare_batch_norm_on_digits  train the same deep ReLU network on the digits twice, from the
                              same starting weights and on the same minibatches, once plain and
                              once with batch norm between every hidden affine layer and its
                              ReLU; a progress bar and live loss curves while it trains; returns
                              both runs' losses and accuracies (for
                              :func:`dlcourse.optimizer_demo.plot_training_runs`)

The network, the batch norm layer, Adam and the training loop are the private
``dlcourse._core`` ones (students write batch norm themselves in week 5).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence

import numpy as np

from dlcourse._core.checks import check_bool, check_choice, check_int, check_real
from dlcourse._core.hooks import check_hidden
from dlcourse._core.network import (
    ACTIVATIONS,
    INIT_SCHEMES,
    Network,
    activation_layer,
    build_network,
    draw_scheme,
)
from dlcourse._core.normalization import batch_norm_layer
from dlcourse._core.optim import reference_update
from dlcourse._core.training import Iteration, train
from dlcourse.datasets import digits, train_val_test_split
from dlcourse.optimizer_demo import SPLIT_FRACTIONS, SPLIT_SEED

__all__ = ["RUN_LABELS", "compare_batch_norm_on_digits"]

RUN_LABELS = ("without batch norm", "with batch norm")
"""The keys of :func:`compare_batch_norm_on_digits`' result, in order."""

_PIXEL_MAX = 16.0
_ADAM_BETA1 = 0.9


def compare_batch_norm_on_digits(
    *,
    init: str = "normal",
    hidden: int | Sequence[int] = (64, 64, 64, 64, 64),
    epochs: int = 6,
    batch_size: int = 64,
    lr: float = 3e-3,
    seed: int = 0,
    live: bool = True,
) -> dict[str, dict[str, list[float]]]:
    """Train a deep ReLU network on the digits without and with batch norm, side by side.

    Both runs use the fixed split of :func:`dlcourse.optimizer_demo.train_digits_with` (pixels
    divided by 16; 1078 training and 360 test images), the same starting weights (drawn with
    ``init`` from ``numpy.random.default_rng(seed)``, zero biases), the same shuffled
    minibatches and PyTorch's Adam (β₁ = 0.9, β₂ = 0.999, with bias correction). The second
    network has a batch-norm layer (γ = 1 and β = 0 at first, trained by Adam; momentum 0.1,
    ε = 1e-5, as ``torch.nn.BatchNorm1d``) between every hidden affine layer and its ReLU; its
    accuracies are measured in test mode, with the running averages. The two runs take turns,
    one minibatch each, so the live curves grow together.

    Parameters
    ----------
    init : str, default "normal"
        The weights' scheme: "zeros", "normal" (N(0, 0.01²)), "uniform", "xavier_uniform",
        "xavier_normal", "he_uniform" or "he_normal".
    hidden : int or sequence of int, default five layers of 64
        Hidden layer widths (a 6-layer network by default).
    epochs : int, default 6
        Passes over the training split, >= 1.
    batch_size : int, default 64
        Examples per minibatch, 2..1078 (batch norm needs two examples).
    lr : float, default 3e-3
        Adam's learning rate, > 0.
    seed : int, default 0
        Seed (>= 0) of the weights and of the minibatch order.
    live : bool, default True
        Show a ``tqdm.auto`` progress bar and a :class:`dlcourse.live.LiveLossPlot` of both
        runs' minibatch losses while training; ``False`` trains silently.

    Returns
    -------
    runs : dict {str: dict {str: list of float}}
        For "without batch norm" and "with batch norm": ``"loss"``, each minibatch's
        cross-entropy before its update (``epochs * ceil(1078 / batch_size)`` values, fewer if
        the run diverged), and ``"train_accuracy"`` and ``"test_accuracy"`` after each epoch.

    Examples
    --------
    ::

        runs = compare_batch_norm_on_digits()     # N(0, 0.01²): only batch norm learns
        plot_training_runs(runs)
    """
    init = check_choice(init, "init", tuple(INIT_SCHEMES))
    widths = check_hidden(hidden)
    epochs = check_int(epochs, "epochs", 1)
    seed = check_int(seed, "seed", 0)
    lr = check_real(lr, "lr")
    if not (math.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a positive number, got {lr}")
    live = check_bool(live, "live")
    X, y = digits()
    X_train, y_train, _, _, X_test, y_test = train_val_test_split(
        X / _PIXEL_MAX, y, SPLIT_FRACTIONS, seed=SPLIT_SEED
    )
    m = len(y_train)
    batch_size = check_int(batch_size, "batch_size", 2, m)

    rng = np.random.default_rng(seed)
    weight_seed = int(rng.integers(2**32))
    nets = [
        build_network(
            (X_train.shape[1], *widths, int(y.max()) + 1),
            activation=activation_layer(ACTIVATIONS["relu"]),
            init=lambda n_in, n_out, r: draw_scheme(init, n_in, n_out, r),
            rng=np.random.default_rng(weight_seed),
            normalization=normalization,
        )
        for normalization in (None, batch_norm_layer())
    ]
    orders = [rng.permutation(m) for _ in range(epochs)]
    per_epoch = math.ceil(m / batch_size)
    runs = {label: {"loss": [], "train_accuracy": [], "test_accuracy": []} for label in RUN_LABELS}

    steps: Iterator[tuple[int, int]] = iter(
        [(epoch, k) for epoch in range(epochs) for k in range(per_epoch)]
    )
    plot = None
    if live:
        from dlcourse.live import LiveLossPlot

        plot = LiveLossPlot(
            title="Deep ReLU network on the digits: without and with batch norm",
            every=2 * per_epoch,  # both curves redrawn about once per epoch
            xlabel="iteration (minibatch update)",
            ylabel="minibatch cross-entropy",
        )
        plot.show()
        steps = iter(plot.track(list(steps), desc="training both", unit="step"))

    def end_of_epoch(label: str):
        def record(epoch: int, net: Network) -> bool:
            runs[label]["train_accuracy"].append(float(np.mean(net.predict(X_train) == y_train)))
            runs[label]["test_accuracy"].append(float(np.mean(net.predict(X_test) == y_test)))
            return False

        return record

    def adam(index, p, g, state, t, epoch):
        return reference_update("adam", p, g, state, t, lr, _ADAM_BETA1)

    states: list[dict] = [{}, {}]
    diverged = [False, False]
    for epoch, k in steps:
        rows = orders[epoch][k * batch_size : (k + 1) * batch_size]
        for index, (label, net) in enumerate(zip(RUN_LABELS, nets, strict=True)):
            if diverged[index]:
                continue
            batch: list[Iteration] = [(epoch, X_train[rows], y_train[rows], k == per_epoch - 1)]
            run = _resume(net, batch, adam, states[index], end_of_epoch(label))
            if run.diverged is not None:
                diverged[index] = True
                continue
            runs[label]["loss"] += run.losses
            if plot is not None:
                plot.update(len(runs[label]["loss"]), max(run.losses[-1], 1e-12), label=label)
    return runs


def _resume(
    net: Network,
    iterations: Iterable[Iteration],
    step: Callable,
    carried: dict,
    on_epoch_end: Callable[[int, Network], bool],
):
    """One call of the training loop on the next minibatch, its Adam state carried over.

    :func:`dlcourse._core.training.train` keeps one state dict per parameter and a step count
    for its run; ``carried`` keeps them between calls, so the runs can take turns.
    """
    t0 = carried.get("t", 0)
    saved = carried.setdefault("states", [{} for _ in net.params])

    def stepped(index, p, g, state, t, epoch):
        return step(index, p, g, saved[index], t0 + t, epoch)

    run = train(net, iterations, stepped, on_epoch_end=on_epoch_end)
    carried["t"] = t0 + len(run.losses)
    return run
