"""The week-6 demo: a deliberately too-large MLP on a small part of the digits, trained with or
without your regularizers, with its training and validation curves.

Public API
----------
digits_subset             the first ``n_train`` images of the fixed training split of the digits
                          and the whole validation split (pixels divided by 16)
train_mlp_with            train an MLP on given training data with Adam, optionally with your
                          weight penalty, dropout layer and augmentation, a starting hidden layer
                          (frozen or not); returns the training and validation loss and accuracy
                          after every epoch, the final validation probabilities and parameters
plot_regularization_runs  the validation (and training) curves of several such runs side by side
plot_shifted_digits       a few digits and random zero-filled shifts of each (what augmentation
                          by shifting makes)
OVERFIT_HIDDEN            the hidden layer widths of the too-large network (one layer of 256)

The network, Adam and the training loop are the private ``dlcourse._core`` ones; the penalty,
dropout and augmentation are only ever the functions you pass in (week 6's exercise writes
them), checked as they are called.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from dlcourse._core.checks import (
    as_float_array,
    check_bool,
    check_callable,
    check_int,
    check_real,
    check_text,
    describe,
)
from dlcourse._core.hooks import check_hidden, checked_penalty, dropout_hook
from dlcourse._core.network import (
    ACTIVATIONS,
    INITIALIZERS,
    activation_layer,
    build_network,
    log_softmax,
    softmax_rows,
)
from dlcourse._core.optim import reference_update
from dlcourse._core.regularization import SIDE, checked_augment, random_offsets, shift_digits
from dlcourse._core.style import path_style
from dlcourse._core.training import Iteration, train
from dlcourse.datasets import digits, train_val_test_split
from dlcourse.optimizer_demo import SPLIT_FRACTIONS, SPLIT_SEED

__all__ = [
    "OVERFIT_HIDDEN",
    "digits_subset",
    "plot_regularization_runs",
    "plot_shifted_digits",
    "train_mlp_with",
]

OVERFIT_HIDDEN = (256,)
"""One hidden layer of 256 ReLU units: about 19,000 weights for a few hundred images."""

_PIXEL_MAX = 16.0
_ADAM_BETA1 = 0.9
CURVES = ("train_loss", "val_loss", "train_accuracy", "val_accuracy")
"""The per-epoch lists of :func:`train_mlp_with`'s result."""


def digits_subset(n_train: int = 300) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A small training set and the validation set of the digits.

    The digits (pixels divided by 16) are split once with
    :data:`dlcourse.optimizer_demo.SPLIT_FRACTIONS` and ``SPLIT_SEED`` (1078 training, 359
    validation, 360 test images, the split of ``train_digits_with``); this returns the first
    ``n_train`` training images and the whole validation split. The test split is left alone.

    Parameters
    ----------
    n_train : int, default 300
        Training images, 1..1078.

    Returns
    -------
    X_train : np.ndarray, shape (n_train, 64)
    y_train : np.ndarray of int64, shape (n_train,)
    X_val : np.ndarray, shape (359, 64)
    y_val : np.ndarray of int64, shape (359,)
    """
    X, y = digits()
    X_train, y_train, X_val, y_val, _, _ = train_val_test_split(
        X / _PIXEL_MAX, y, SPLIT_FRACTIONS, seed=SPLIT_SEED
    )
    n_train = check_int(n_train, "n_train", 1, len(y_train))
    return X_train[:n_train], y_train[:n_train], X_val, y_val


def _check_data(X: object, y: object, name: str, n: int | None) -> tuple[np.ndarray, np.ndarray]:
    X = as_float_array(X, f"X_{name}")
    y = np.asarray(y)
    if X.ndim != 2 or (n is not None and X.shape[1] != n):
        wanted = "(m, n)" if n is None else f"(m, {n})"
        raise ValueError(f"X_{name} must have shape {wanted}, got {X.shape}")
    if y.shape != X.shape[:1] or y.dtype.kind not in "iu" or (y.size and y.min() < 0):
        raise ValueError(
            f"y_{name} must hold one integer label >= 0 per row of X_{name}: shape"
            f" {X.shape[:1]}, got {describe(y)}"
        )
    return X, y.astype(np.int64)


def train_mlp_with(
    X_train: np.ndarray,
    y_train: np.ndarray,
    X_val: np.ndarray,
    y_val: np.ndarray,
    *,
    hidden: int | Sequence[int] = OVERFIT_HIDDEN,
    epochs: int = 60,
    batch_size: int | None = None,
    lr: float = 3e-3,
    seed: int = 0,
    penalty: Callable[[list[np.ndarray]], tuple[float, list[np.ndarray]]] | None = None,
    dropout: tuple[Callable, Callable] | None = None,
    augment: Callable[[np.ndarray, np.random.Generator], np.ndarray] | None = None,
    start: Sequence[np.ndarray] | None = None,
    freeze: bool = False,
    live: bool = False,
) -> dict:
    """Train a ReLU MLP on (X_train, y_train) with Adam and measure it on (X_val, y_val).

    The network is affine → ReLU (→ dropout) per hidden layer, then affine → softmax, trained
    on the mean cross-entropy (plus ``penalty``) with PyTorch's Adam (β₁ = 0.9, β₂ = 0.999).
    One Generator ``rng = numpy.random.default_rng(seed)`` draws, in this order, the He-normal
    starting weights (zero biases), then each epoch's shuffle of the training rows (cut into
    batches of ``batch_size``, the last one smaller); the same ``rng`` is handed to the
    dropout layer and to ``augment``. So runs with the same seed start from the same weights.

    Parameters
    ----------
    X_train, y_train : np.ndarray, shapes (m, n) and (m,)
        Training examples and integer labels (e.g. from :func:`digits_subset`).
    X_val, y_val : np.ndarray, shapes (k, n) and (k,)
        Validation examples and labels, never trained on.
    hidden : int or sequence of int, default (256,)
        Hidden layer widths.
    epochs : int, default 60
        Passes over the training set, >= 1.
    batch_size : int, optional
        Examples per minibatch, 1..m; by default 64, or m when there are fewer examples.
    lr : float, default 3e-3
        Adam's learning rate, > 0.
    seed : int, default 0
        Seed (>= 0) of the weights, the shuffles, dropout and augmentation.
    penalty : callable ``penalty(weights) -> (value, grads)``, optional
        A weight penalty on [W1, W2, ...] (not the biases), e.g.
        ``lambda W: l2_penalty(W, 1e-3)``: ``value`` is added to each minibatch's loss,
        ``grads`` to the weights' gradients.
    dropout : (forward, backward), optional
        A layer after every hidden ReLU: ``forward(a, rng, training) -> (out, cache)`` and
        ``backward(dout, cache) -> da``, e.g.
        ``(lambda a, rng, training: dropout_forward(a, 0.5, training, rng), dropout_backward)``.
    augment : callable ``augment(X_batch, rng) -> X_batch``, optional
        Applied to every training minibatch before its step (it gets a copy), e.g.
        ``lambda X, rng: random_shift(X, 1, rng)``. The curves are measured on the original
        images.
    start : sequence of arrays, optional
        Starting values for the first parameters, in the order W1, b1, W2, ... (e.g. the
        ``params[:2]`` of an earlier run, to reuse its hidden layer); the rest are drawn.
    freeze : bool, default False
        Keep the ``start`` parameters fixed (train only the others).
    live : bool, default False
        Show a ``tqdm.auto`` progress bar over the epochs.

    Returns
    -------
    history : dict
        ``"train_loss"``, ``"val_loss"`` (mean cross-entropy without the penalty, test mode),
        ``"train_accuracy"`` and ``"val_accuracy"``: lists with one float per epoch, measured
        after it; ``"val_probabilities"``: np.ndarray (k, classes) after the last epoch;
        ``"params"``: the trained [W1, b1, W2, b2, ...].

    Examples
    --------
    ::

        X, y, X_val, y_val = digits_subset(300)
        plain = train_mlp_with(X, y, X_val, y_val)
        l2 = train_mlp_with(X, y, X_val, y_val, penalty=lambda W: l2_penalty(W, 1e-3))
        plot_regularization_runs({"plain": plain, "L2": l2})
    """
    X_train, y_train = _check_data(X_train, y_train, "train", None)
    X_val, y_val = _check_data(X_val, y_val, "val", X_train.shape[1])
    widths = check_hidden(hidden)
    epochs = check_int(epochs, "epochs", 1)
    m = len(y_train)
    batch_size = min(64, m) if batch_size is None else check_int(batch_size, "batch_size", 1, m)
    lr = check_real(lr, "lr")
    if not (math.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a positive number, got {lr}")
    seed = check_int(seed, "seed", 0)
    freeze = check_bool(freeze, "freeze")
    live = check_bool(live, "live")
    if penalty is not None:
        check_callable(penalty, "penalty", "penalty(weights) -> (value, grads), or None")
    if augment is not None:
        check_callable(augment, "augment", "augment(X_batch, rng) -> X_batch, or None")
        augment = checked_augment(augment, X_train.shape[1])
    if freeze and not start:
        raise ValueError("freeze=True keeps the start parameters fixed: pass start=[W1, b1, ...]")

    rng = np.random.default_rng(seed)
    n_classes = int(max(y_train.max(), y_val.max())) + 1
    net = build_network(
        (X_train.shape[1], *widths, n_classes),
        activation=activation_layer(ACTIVATIONS["relu"]),
        init=INITIALIZERS["he"],
        rng=rng,
        dropout=None if dropout is None else dropout_hook(dropout),
    )
    n_start = _set_start(net.params, net.names, start)
    history: dict = {key: [] for key in CURVES}

    def iterations() -> Iterator[Iteration]:
        epoch_range: Iterator[int] = iter(range(epochs))
        if live:
            from tqdm.auto import tqdm

            epoch_range = iter(tqdm(range(epochs), desc="training", unit="epoch"))
        for epoch in epoch_range:
            order = rng.permutation(m)
            for start_row in range(0, m, batch_size):
                rows = order[start_row : start_row + batch_size]
                X_batch = X_train[rows] if augment is None else augment(X_train[rows], rng)
                yield epoch, X_batch, y_train[rows], start_row + batch_size >= m

    def adam(index, p, g, state, t, epoch):
        if freeze and index < n_start:
            return p
        return reference_update("adam", p, g, state, t, lr, _ADAM_BETA1)

    def measure(epoch: int, net) -> bool:
        for split, X, y in (("train", X_train, y_train), ("val", X_val, y_val)):
            log_p = log_softmax(net.scores(X))
            history[f"{split}_loss"].append(-float(np.mean(log_p[np.arange(len(y)), y])))
            history[f"{split}_accuracy"].append(float(np.mean(np.argmax(log_p, axis=1) == y)))
        return False

    train(
        net,
        iterations(),
        adam,
        penalty=None if penalty is None else checked_penalty(penalty, net),
        rng=rng,
        diverged=lambda loss: not np.isfinite(loss),
        on_epoch_end=measure,
    )
    history["val_probabilities"] = softmax_rows(net.scores(X_val))
    history["params"] = [p.copy() for p in net.params]
    return history


def _set_start(params: list[np.ndarray], names: list[str], start: object) -> int:
    """Put ``start``'s arrays in place of the first parameters; how many there were."""
    if start is None:
        return 0
    if not isinstance(start, (list, tuple)) or len(start) > len(params):
        raise TypeError(
            f"start must be a list of at most {len(params)} arrays [W1, b1, ...], got"
            f" {describe(start)}"
        )
    for i, value in enumerate(start):
        array = as_float_array(value, f"start[{i}]")
        if array.shape != params[i].shape:
            raise ValueError(
                f"start[{i}] ({names[i]}) must have shape {params[i].shape}, got {array.shape}"
            )
        params[i] = array.copy()
    return len(start)


def plot_regularization_runs(
    runs: Mapping[str, Mapping[str, Sequence[float]]],
    *,
    title: str | None = None,
    show_train: bool = True,
) -> Figure:
    """Validation loss and accuracy of several :func:`train_mlp_with` runs, epoch by epoch.

    Parameters
    ----------
    runs : dict {str: dict}
        Label → a result of :func:`train_mlp_with` (its ``"train_loss"``, ``"val_loss"``,
        ``"train_accuracy"`` and ``"val_accuracy"`` lists).
    title : str, optional
        Figure title; default "Training and validation curves".
    show_train : bool, default True
        Also draw each run's training curves (thin dotted lines of the same colour).

    Returns
    -------
    matplotlib.figure.Figure
        Left: the loss (log scale); right: the accuracy. One Okabe–Ito colour and marker per
        run, validation solid, training dotted with hollow markers; the gap between a run's
        training and validation curves is its overfitting. Made with pyplot, so a notebook shows it.
    """
    if not isinstance(runs, Mapping) or not runs:
        raise TypeError(
            "runs must be a non-empty dict {label: result of train_mlp_with}, got"
            f" {describe(runs)}"
        )
    for label, run in runs.items():
        if not isinstance(label, str):
            raise TypeError(f"runs' keys must be labels (strings), got {label!r}")
        if not isinstance(run, Mapping) or not set(CURVES) <= set(run):
            raise TypeError(
                f"runs[{label!r}] must be a result of train_mlp_with (with {', '.join(CURVES)});"
                f" got {describe(run)}"
            )
    title = "Training and validation curves" if title is None else check_text(title, "title")
    show_train = check_bool(show_train, "show_train")
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    _draw_curves(ax_loss, ax_acc, runs, show_train)
    fig.legend(handles=ax_loss.get_lines(), loc="outside right upper", fontsize="small")
    fig.suptitle(title)
    return fig


def _draw_curves(ax_loss, ax_acc, runs: Mapping[str, Mapping], show_train: bool) -> None:
    """Draw the runs' loss and accuracy curves on two Axes (labels, scales and grids too)."""
    for index, (label, run) in enumerate(runs.items()):
        style = path_style(index)
        marker, color = style["marker"], style["color"]
        for ax, key in ((ax_loss, "loss"), (ax_acc, "accuracy")):
            val = np.asarray(run[f"val_{key}"], dtype=np.float64)
            epochs = np.arange(1, val.size + 1)
            every = max(1, val.size // 8)
            ax.plot(
                epochs,
                val,
                lw=1.8,
                ls="-",
                marker=marker,
                ms=5,
                markevery=every,
                color=color,
                label=label,
            )
            if show_train:
                ax.plot(
                    epochs,
                    np.asarray(run[f"train_{key}"], dtype=np.float64),
                    lw=1.0,
                    ls=":",
                    marker=marker,
                    ms=3,
                    markevery=every,
                    mfc="none",
                    color=color,
                    label=f"{label} (training)",
                )
    ax_loss.set_yscale("log")
    ax_loss.set(
        xlabel="epoch",
        ylabel="cross-entropy (log scale)",
        title="Loss: validation solid" + (", training dotted" if show_train else ""),
    )
    ax_acc.set(xlabel="epoch", ylabel="accuracy", title="Accuracy")
    ax_acc.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    for ax in (ax_loss, ax_acc):
        ax.grid(True, alpha=0.3)


def plot_shifted_digits(
    n_images: int = 4, *, copies: int = 5, max_shift: int = 1, seed: int = 0
) -> Figure:
    """A few training digits, each followed by random shifts of it (augmentation's new data).

    Each copy moves the image by its own row and column offsets, drawn uniformly from
    −``max_shift`` … ``max_shift``; the pixels shifted in are blank (nothing wraps around).

    Parameters
    ----------
    n_images : int, default 4
        Digits shown, one per row, 1..10 (the first images of the fixed training split).
    copies : int, default 5
        Shifted copies per digit, 1..10.
    max_shift : int, default 1
        Largest offset, 0..3.
    seed : int, default 0
        Seed (>= 0) of the offsets.

    Returns
    -------
    matplotlib.figure.Figure
        One row per digit: the original (titled with its label), then its copies, each titled
        with its (rows down, columns right) offset. Made with pyplot, so a notebook shows it.
    """
    n_images = check_int(n_images, "n_images", 1, 10)
    copies = check_int(copies, "copies", 1, 10)
    max_shift = check_int(max_shift, "max_shift", 0, 3)
    seed = check_int(seed, "seed", 0)
    X, y, _, _ = digits_subset(n_images)
    rng = np.random.default_rng(seed)
    offsets = random_offsets(n_images * copies, max_shift, rng)
    shifted = shift_digits(np.repeat(X, copies, axis=0), offsets).reshape(n_images, copies, -1)
    fig, axes = plt.subplots(
        n_images,
        copies + 1,
        figsize=(1.4 * (copies + 1), 1.6 * n_images),
        squeeze=False,
        layout="constrained",
    )
    for row in range(n_images):
        images = [X[row]] + list(shifted[row])
        titles = [f"digit {y[row]}"] + [
            f"({dr:+d}, {dc:+d})" for dr, dc in offsets[row * copies : (row + 1) * copies]
        ]
        for ax, image, title in zip(axes[row], images, titles, strict=True):
            ax.imshow(image.reshape(SIDE, SIDE), cmap="gray_r", vmin=0, vmax=1)
            ax.set(xticks=[], yticks=[])
            ax.set_xlabel("column", fontsize="x-small")
            ax.set_ylabel("row", fontsize="x-small")
            ax.set_title(title, fontsize="small")
    fig.suptitle(f"Training digits and shifted copies (offsets up to ±{max_shift} pixels)")
    return fig
