"""The week-7 autoencoder demo: train an autoencoder on the digits with a student's own loss,
update rule and corruption, and draw what it learned.

Public API
----------
digits_split            the digits split the week trains and tests on (pixels divided by 16)
train_autoencoder_with  train the one-hidden-layer autoencoder of the exercise with your
                        ``autoencoder_loss``, your update rule (week 4's Adam) and, for a
                        denoising autoencoder, your corruption; a progress bar and live loss
                        curve while it trains; returns the losses, the reconstruction errors
                        after each epoch and the trained parameters
plot_reconstructions    rows of 8×8 images (originals, corrupted inputs, reconstructions)
plot_codes              2-D codes as a scatter plot, one colour and marker per digit
plot_codes_vs_pca       the test digits' codes from a 2-unit autoencoder next to their first two
                        principal components
compare_linear_autoencoder_with_pca
                        train linear autoencoders (no sigmoid) and compare them with
                        scikit-learn's PCA: reconstruction errors and principal angles

The training loop and its checks are the private ``dlcourse._core`` ones; the autoencoder's
forward and backward pass are the student's (week 7).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from dlcourse._core import autoencoder as core
from dlcourse._core.checks import check_bool, check_int, check_real, describe
from dlcourse._core.digit_images import draw_digits
from dlcourse._core.hooks import _array, check_step_accepts, checked_step, returned_pair
from dlcourse._core.style import class_colors
from dlcourse._core.training import train

__all__ = [
    "compare_linear_autoencoder_with_pca",
    "digits_split",
    "plot_codes",
    "plot_codes_vs_pca",
    "plot_reconstructions",
    "train_autoencoder_with",
]

PARAM_NAMES = ("W1", "b1", "W2", "b2")
_MARKERS = "osD^vP*Xph"


def digits_split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The week's digits: the fixed split of week 4, pixels divided by 16 (values 0..1).

    Returns
    -------
    X_train : np.ndarray, shape (1078, 64)
    y_train : np.ndarray of int64, shape (1078,)
    X_test : np.ndarray, shape (360, 64)
    y_test : np.ndarray of int64, shape (360,)
        New arrays, yours to change.
    """
    return tuple(np.array(a) for a in core.digits_split())  # type: ignore[return-value]


class _StudentAutoencoder:
    """The student's ``autoencoder_loss`` as a network the training loop can train."""

    def __init__(self, loss: Callable, params: list[np.ndarray], sparsity: Any) -> None:
        self._loss = loss
        self.params = params
        self._sparsity = sparsity

    def loss_and_grads(self, X, target, *, rng=None, penalty=None):
        params = dict(zip(PARAM_NAMES, (p.copy() for p in self.params), strict=True))
        value, grads = returned_pair(
            self._loss(params, X, target, self._sparsity),
            "autoencoder_loss",
            "(loss, grads), grads a dict with the keys 'W1', 'b1', 'W2', 'b2'",
        )
        value = check_real(value, "the loss autoencoder_loss returned")
        if not (isinstance(grads, dict) and sorted(grads) == sorted(PARAM_NAMES)):
            raise TypeError(
                f"autoencoder_loss returned {describe(grads)} as grads: expected a dict with the"
                " keys 'W1', 'b1', 'W2', 'b2'"
            )
        return value, [
            _array(grads[name], f"autoencoder_loss (as grads[{name!r}])", p.shape)
            for name, p in zip(PARAM_NAMES, self.params, strict=True)
        ]


def train_autoencoder_with(
    loss: Callable[..., tuple[float, dict]],
    step: Callable[..., np.ndarray],
    *,
    code_size: int = 16,
    corrupt: Callable[[np.ndarray, np.random.Generator], np.ndarray] | None = None,
    sparsity: tuple[float, float] | None = None,
    epochs: int = 20,
    batch_size: int = 64,
    seed: int = 0,
    live: bool = True,
    **hyperparameters: Any,
) -> dict[str, Any]:
    """Train the exercise's autoencoder on the digits with your loss and update rule.

    The autoencoder is 64 → ``code_size`` (sigmoid) → 64 (linear). One Generator
    ``rng = numpy.random.default_rng(seed)`` draws the start weights (Xavier normal, zero
    biases), then every epoch's order of the 1078 training images and, with ``corrupt``, the
    corruption of every minibatch. Each iteration calls ``loss(params, X_in, X_clean,
    sparsity)`` with ``X_in = corrupt(X_clean, rng)`` (or ``X_clean``), then ``step`` once per
    parameter in the order W1, b1, W2, b2, each with its own ``state`` dict.

    Parameters
    ----------
    loss : callable ``loss(params, X, X_target, sparsity) -> (loss, grads)``
        Your ``autoencoder_loss``; ``params`` and ``grads`` are dicts with the keys "W1",
        "b1", "W2", "b2" ((64, d), (d,), (d, 64), (64,)).
    step : callable ``step(w, dw, state, **hyperparameters) -> new w``
        Your update rule, e.g. week 4's ``adam_step``.
    code_size : int, default 16
        Units of the code, 1..500 (more than 64 for a sparse, overcomplete code).
    corrupt : callable ``corrupt(X, rng) -> X_tilde``, optional
        Makes a denoising autoencoder, e.g. ``lambda X, rng: corrupt(X, "masking", 0.3, rng)``.
    sparsity : (rho, beta), optional
        Passed on to ``loss``.
    epochs : int, default 20
    batch_size : int, default 64
        1..1078.
    seed : int, default 0
    live : bool, default True
        A ``tqdm.auto`` progress bar and a live plot of the minibatch losses while training.
    **hyperparameters
        Passed to ``step`` by name (e.g. ``lr=1e-2``).

    Returns
    -------
    run : dict
        ``"loss"``: the loss of every minibatch (before its update); ``"train_error"`` and
        ``"test_error"``: the reconstruction error J = 1/(2m)·Σ‖x̂ − x‖² of the clean training
        and test images after each epoch; ``"params"``: the trained parameters (a dict).
    """
    code_size = check_int(code_size, "code_size", 1, 500)
    epochs = check_int(epochs, "epochs", 1)
    seed = check_int(seed, "seed", 0)
    live = check_bool(live, "live")
    check_step_accepts(step, hyperparameters)
    if corrupt is not None and not callable(corrupt):
        raise TypeError(f"corrupt must be a function corrupt(X, rng), got {describe(corrupt)}")
    X_train, _, X_test, _ = core.digits_split()
    m = X_train.shape[0]
    batch_size = check_int(batch_size, "batch_size", 1, m)
    rng = np.random.default_rng(seed)
    start = core.build_autoencoder(X_train.shape[1], code_size, rng=rng)
    net = _StudentAutoencoder(loss, list(start.params), sparsity)
    per_epoch = math.ceil(m / batch_size)
    run: dict[str, Any] = {"loss": [], "train_error": [], "test_error": []}

    def reconstruction_error(X: np.ndarray) -> float:
        probe = core.Autoencoder(start.activation, net.params)
        return core.squared_error(probe.reconstruct(X), X)

    def batches():
        for epoch in range(epochs):
            order = rng.permutation(m)
            for k in range(per_epoch):
                clean = X_train[order[k * batch_size : (k + 1) * batch_size]]
                noisy = clean if corrupt is None else _checked_corruption(corrupt, clean, rng)
                yield epoch, noisy, clean, k == per_epoch - 1

    iterations: Any = batches()
    plot = None
    if live:
        from dlcourse.live import LiveLossPlot

        plot = LiveLossPlot(
            title=f"Autoencoder with a {code_size}-unit code on the digits",
            every=per_epoch,
            xlabel="iteration (minibatch update)",
            ylabel="minibatch loss",
        )
        plot.show()
        iterations = plot.track(iterations, total=epochs * per_epoch, desc="training")

    def on_loss(t: int, value: float) -> None:
        run["loss"].append(value)
        if plot is not None:
            plot.update(t, max(value, 1e-12))

    def on_epoch_end(epoch: int, _net: Any) -> bool:
        run["train_error"].append(reconstruction_error(X_train))
        run["test_error"].append(reconstruction_error(X_test))
        return False

    def stepped(index, p, g, state, t, epoch):
        where = f"{PARAM_NAMES[index]} at iteration {t}"
        return checked_step(step, p, g, state, hyperparameters, where)

    train(net, iterations, stepped, on_loss=on_loss, on_epoch_end=on_epoch_end)
    run["params"] = dict(zip(PARAM_NAMES, net.params, strict=True))
    return run


def _checked_corruption(corrupt: Callable, X: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``corrupt(X, rng)`` as a float64 array of X's shape, or a clear error."""
    return _array(corrupt(X.copy(), rng), "corrupt(X, rng)", X.shape)


def plot_reconstructions(
    rows: Mapping[str, np.ndarray], *, title: str = "Digits and their reconstructions"
) -> Figure:
    """Draw rows of 8×8 images, one row per entry of ``rows``, titled with its key.

    Parameters
    ----------
    rows : mapping of str to np.ndarray, shape (k, 64) each
        The same k images in every row (originals, corrupted versions, reconstructions), pixel
        values 0..1 (white to black; values outside are drawn at the nearest end).
    title : str

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    if not isinstance(rows, Mapping) or not rows:
        raise ValueError("rows must be a dict holding at least one row of images")
    arrays = {label: np.asarray(images, dtype=np.float64) for label, images in rows.items()}
    shapes = {images.shape for images in arrays.values()}
    if len(shapes) != 1 or len(next(iter(shapes))) != 2 or next(iter(shapes))[1] != 64:
        raise ValueError(
            f"every row must be an array of shape (k, 64), the same k; got {sorted(shapes)}"
        )
    k = next(iter(shapes))[0]
    fig = Figure(figsize=(0.9 * k + 0.6, 1.3 * len(arrays) + 0.5))
    axes = fig.subplots(len(arrays), 1, squeeze=False)[:, 0]
    fig.subplots_adjust(left=0.02, right=0.98, top=1 - 0.45 / fig.get_figheight(), bottom=0.02)
    for ax, (label, images) in zip(axes, arrays.items(), strict=True):
        draw_digits(ax, images, title=label)
    fig.suptitle(title)
    return fig


def plot_codes(
    codes: np.ndarray,
    y: np.ndarray,
    *,
    ax: Axes | None = None,
    title: str = "2-D codes of the digits",
) -> Axes:
    """Scatter 2-D codes, each digit class with its own colour and marker, and a legend.

    Parameters
    ----------
    codes : np.ndarray, shape (m, 2)
    y : np.ndarray of int, shape (m,)
        The digit of each row, 0..9.
    ax : matplotlib Axes, optional
        Where to draw (a new figure's Axes if None).
    title : str

    Returns
    -------
    ax : matplotlib Axes
    """
    codes = np.asarray(codes, dtype=np.float64)
    y = np.asarray(y)
    if codes.ndim != 2 or codes.shape[1] != 2 or y.shape != codes.shape[:1]:
        raise ValueError(
            f"codes must have shape (m, 2) and y shape (m,); got {codes.shape} and {y.shape}"
        )
    if ax is None:
        ax = Figure(figsize=(6, 5), layout="constrained").subplots()
    classes = np.unique(y)
    colors = class_colors(len(classes))
    for index, label in enumerate(classes):
        rows = y == label
        ax.scatter(
            codes[rows, 0],
            codes[rows, 1],
            s=14,
            color=colors[index],
            marker=_MARKERS[index % len(_MARKERS)],
            label=str(label),
            alpha=0.8,
        )
    ax.set(xlabel="code unit 1", ylabel="code unit 2", title=title)
    ax.legend(
        title="digit", fontsize="small", markerscale=1.3, loc="upper left", bbox_to_anchor=(1, 1)
    )
    return ax


def plot_codes_vs_pca(*, epochs: int = 30, seed: int = 0) -> Figure:
    """The 360 test digits' 2-D codes: a 2-unit sigmoid autoencoder's beside PCA's.

    The autoencoder (64 → 2 → 64) and PCA are fitted on the 1078 training digits
    (:func:`digits_split`); the autoencoder with Adam (lr 0.01, batches of 64) for ``epochs``
    epochs from ``numpy.random.default_rng(seed)``. Trained autoencoders are kept for the
    session, so a second call with the same arguments draws at once.

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    epochs = check_int(epochs, "epochs", 1, 1000)
    seed = check_int(seed, "seed", 0)
    net = core.digits_autoencoder(2, epochs=epochs, seed=seed)
    _, _, X_test, y_test = core.digits_split()
    fig = Figure(figsize=(12, 4.8), layout="constrained")
    ax_ae, ax_pca = fig.subplots(1, 2)
    plot_codes(net.encode(X_test), y_test, ax=ax_ae, title="Autoencoder: the 2 code units")
    plot_codes(
        core.digits_pca(2).encode(X_test),
        y_test,
        ax=ax_pca,
        title="PCA: the first two principal components",
    )
    ax_pca.set(xlabel="principal component 1", ylabel="principal component 2")
    return fig


def compare_linear_autoencoder_with_pca(
    code_sizes: tuple[int, ...] = (2, 8, 16), *, epochs: int = 80, seed: int = 0
) -> dict[int, dict[str, Any]]:
    """Linear autoencoders against scikit-learn's PCA on the digits' training split.

    For each code size k, an autoencoder 64 → k → 64 without a sigmoid (x̂ = (x W1 + b1) W2 +
    b2) is trained on the 1078 training digits with Adam (batches of 64, ``epochs`` epochs, lr
    0.01 and 0.001 for the last 3/8 of them, weights from ``numpy.random.default_rng(seed)``),
    and ``sklearn.decomposition.PCA`` is fitted to the same images. The autoencoder's
    reconstructions lie in b2 plus the span of the rows of W2, PCA's in the mean plus the span
    of its first k components.

    Returns
    -------
    table : dict {k: dict}
        ``"autoencoder_error"`` and ``"pca_error"``: J = 1/(2m)·Σ‖x̂ − x‖² on the training
        images; ``"principal_angles"``: the k angles in degrees, largest first, between the
        two k-dimensional subspaces (``scipy.linalg.subspace_angles``);
        ``"variance_ratio"``: λ_k / λ_(k+1), the variance along the k-th principal direction
        over the variance along the next one (near 1, the two are nearly interchangeable).
    """
    from scipy.linalg import subspace_angles
    from sklearn.decomposition import PCA

    sizes = tuple(check_int(k, "code size", 1, 63) for k in code_sizes)
    epochs = check_int(epochs, "epochs", 1, 1000)
    seed = check_int(seed, "seed", 0)
    X_train = core.digits_split()[0]
    table = {}
    for k in sizes:
        net = core.digits_autoencoder(
            k, activation="linear", epochs=epochs, lr_drop_epoch=epochs - 3 * epochs // 8, seed=seed
        )
        pca = PCA(n_components=k + 1).fit(X_train)
        codes = (X_train - pca.mean_) @ pca.components_[:k].T
        table[k] = {
            "autoencoder_error": core.squared_error(net.reconstruct(X_train), X_train),
            "pca_error": core.squared_error(codes @ pca.components_[:k] + pca.mean_, X_train),
            "principal_angles": np.degrees(subspace_angles(net.params[2].T, pca.components_[:k].T)),
            "variance_ratio": float(pca.explained_variance_[k - 1] / pca.explained_variance_[k]),
        }
    return table
