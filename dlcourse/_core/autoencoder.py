"""The reference autoencoder maths of week 7: corruptions of the input, the KL sparsity penalty,
a one-hidden-layer autoencoder trained by the one training loop, PCA for comparison, and trained
digits autoencoders kept in a cache for the explorers.

Students write corruption, the autoencoder's loss and gradients and the sparsity penalty
themselves in the week-7 exercise, so nothing here is public and no name here is a graded
function's.

The autoencoder: X (m, n) → affine (W1 (n, d), b1 (d,)) → activation, the code H (m, d) →
affine (W2 (d, n), b2 (n,)) → output (m, n), linear. Its cost is the course's squared error
J = 1/(2m)·Σᵢ‖outputᵢ − targetᵢ‖², plus, for a sparse autoencoder, β·Σⱼ KL(ρ‖ρ̂ⱼ) with ρ̂ⱼ the
mean of code unit j over the batch. Its parameters are the list [W1, b1, W2, b2], so
:func:`dlcourse._core.training.train` trains it like a classifier (the "labels" of a batch are
its reconstruction targets).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from dlcourse._core.network import ACTIVATIONS, Activation, draw_scheme
from dlcourse._core.optim import reference_update
from dlcourse._core.training import loss_not_finite, train

CORRUPTIONS = ("gaussian", "masking", "salt_pepper")
"""The kinds of corruption, in menu order: additive N(0, level²) noise, entries set to 0 with
probability level, entries set to the data's minimum or maximum with probability level."""

CODE_ACTIVATIONS = ("sigmoid", "linear")
"""Activations of the code layer: the week's sigmoid, or none (a linear autoencoder)."""

_ADAM_BETA1 = 0.9


def corrupted(X: np.ndarray, kind: str, level: float, rng: np.random.Generator) -> np.ndarray:
    """A corrupted copy of X (see :data:`CORRUPTIONS`); X itself is left as it is.

    ``level`` is the noise's standard deviation for "gaussian" and a probability (0..1) for the
    other two kinds; the caller checks it. Salt and pepper take the minimum and maximum of the
    whole array, each chosen for half of the corrupted entries on average.
    """
    if kind == "gaussian":
        return X + level * rng.standard_normal(X.shape)
    hit = rng.random(X.shape) < level
    if kind == "masking":
        return np.where(hit, 0.0, X)
    salt = rng.random(X.shape) < 0.5
    return np.where(hit, np.where(salt, X.max(), X.min()), X)


def kl_penalty(rho: float, rho_hat: np.ndarray) -> tuple[float, np.ndarray]:
    """Σⱼ KL(ρ‖ρ̂ⱼ) between Bernoulli distributions, and its gradient with respect to ρ̂.

    KL(ρ‖ρ̂) = ρ log(ρ/ρ̂) + (1 − ρ) log((1 − ρ)/(1 − ρ̂)), whose derivative is
    −ρ/ρ̂ + (1 − ρ)/(1 − ρ̂). ``rho_hat`` has shape (d,), entries strictly between 0 and 1.
    """
    value = np.sum(rho * np.log(rho / rho_hat) + (1 - rho) * np.log((1 - rho) / (1 - rho_hat)))
    return float(value), -rho / rho_hat + (1 - rho) / (1 - rho_hat)


@dataclass
class Autoencoder:
    """X → affine → activation (the code) → affine → linear output; see the module docstring.

    ``sparsity`` is (ρ, β) for the KL penalty on the mean code activations, or None.
    """

    activation: Activation
    params: list[np.ndarray]
    sparsity: tuple[float, float] | None = None
    names: tuple[str, ...] = ("W1", "b1", "W2", "b2")

    @property
    def code_size(self) -> int:
        """Units of the code layer, d."""
        return self.params[0].shape[1]

    def encode(self, X: np.ndarray) -> np.ndarray:
        """The codes H of the rows of X, shape (m, d)."""
        W1, b1 = self.params[0], self.params[1]
        return self.activation.value(np.asarray(X, dtype=np.float64) @ W1 + b1)

    def reconstruct(self, X: np.ndarray) -> np.ndarray:
        """The outputs for the rows of X, shape (m, n)."""
        W2, b2 = self.params[2], self.params[3]
        return self.encode(X) @ W2 + b2

    def loss_and_grads(
        self, X: np.ndarray, target: np.ndarray, *, rng=None, penalty=None
    ) -> tuple[float, list[np.ndarray]]:
        """J (with the sparsity penalty, if any) of inputs X and targets, and its gradients
        in the order of ``params``. (``rng`` and ``penalty`` are the training loop's: unused.)"""
        W1, b1, W2, b2 = self.params
        m = X.shape[0]
        Z = X @ W1 + b1
        H = self.activation.value(Z)
        residual = H @ W2 + b2 - target
        loss = float(np.sum(residual * residual)) / (2 * m)
        d_out = residual / m
        dH = d_out @ W2.T
        if self.sparsity is not None:
            rho, beta = self.sparsity
            value, d_rho_hat = kl_penalty(rho, H.mean(axis=0))
            loss += beta * value
            dH = dH + beta * d_rho_hat / m
        dZ = dH * self.activation.slope(Z, H)
        return loss, [X.T @ dZ, dZ.sum(axis=0), H.T @ d_out, d_out.sum(axis=0)]


def build_autoencoder(
    n: int,
    code_size: int,
    *,
    activation: str = "sigmoid",
    sparsity: tuple[float, float] | None = None,
    init_gain: float = 1.0,
    rng: np.random.Generator,
) -> Autoencoder:
    """An autoencoder with Xavier-normal weights drawn from ``rng`` (W1, then W2), zero biases.

    ``init_gain`` scales W1's σ: a small start lets what W1 learns show through the noise it
    started with (pixels that are always blank never change their weights)."""
    params = [
        draw_scheme("xavier_normal", n, code_size, rng, init_gain),
        np.zeros(code_size),
        draw_scheme("xavier_normal", code_size, n, rng),
        np.zeros(n),
    ]
    return Autoencoder(ACTIVATIONS[activation], params, sparsity)


def fit_autoencoder(
    X: np.ndarray,
    code_size: int,
    *,
    activation: str = "sigmoid",
    corruption: tuple[str, float] | None = None,
    sparsity: tuple[float, float] | None = None,
    epochs: int = 30,
    batch_size: int = 64,
    lr: float = 1e-2,
    lr_drop_epoch: int | None = None,
    init_gain: float = 1.0,
    seed: int = 0,
) -> tuple[Autoencoder, list[float]]:
    """Train an autoencoder on the rows of X with PyTorch's Adam; return it and its losses.

    From epoch ``lr_drop_epoch`` on (counting from 0), if given, the learning rate is lr / 10:
    the last epochs then settle into the minimum instead of jittering around it.

    One Generator ``default_rng(seed)`` draws the weights, then each epoch's order and (for a
    denoising autoencoder, ``corruption = (kind, level)``) each batch's corruption: the network
    learns to map corrupted inputs back to the clean rows.
    """
    rng = np.random.default_rng(seed)
    net = build_autoencoder(
        X.shape[1],
        code_size,
        activation=activation,
        sparsity=sparsity,
        init_gain=init_gain,
        rng=rng,
    )
    m = X.shape[0]

    def iterations():
        for epoch in range(epochs):
            order = rng.permutation(m)
            for start in range(0, m, batch_size):
                clean = X[order[start : start + batch_size]]
                noisy = clean if corruption is None else corrupted(clean, *corruption, rng)
                yield epoch, noisy, clean, start + batch_size >= m

    def adam(index, p, g, state, t, epoch):
        rate = lr / 10 if lr_drop_epoch is not None and epoch >= lr_drop_epoch else lr
        return reference_update("adam", p, g, state, t, rate, _ADAM_BETA1)

    run = train(net, iterations(), adam, diverged=loss_not_finite)
    return net, run.losses


def squared_error(X_hat: np.ndarray, X: np.ndarray) -> float:
    """The course's reconstruction error 1/(2m)·Σᵢ‖x̂ᵢ − xᵢ‖² of rows X_hat for rows X."""
    return float(np.sum((X_hat - X) ** 2)) / (2 * X.shape[0])


@dataclass(frozen=True)
class PCA:
    """The first k principal directions of a training set: its mean (n,) and the directions
    as orthonormal rows, shape (k, n), largest variance first."""

    mean: np.ndarray
    components: np.ndarray

    def encode(self, X: np.ndarray) -> np.ndarray:
        """Coordinates of the rows of X along the directions, shape (m, k)."""
        return (X - self.mean) @ self.components.T

    def reconstruct(self, X: np.ndarray) -> np.ndarray:
        """The rows of X projected onto the mean plus the span of the directions, (m, n)."""
        return self.encode(X) @ self.components + self.mean


def fit_pca(X: np.ndarray, k: int) -> PCA:
    """PCA of the rows of X with k components, from the eigenvectors of the covariance matrix
    (the signs of the directions are those of scikit-learn's ``PCA``: each one's largest entry
    positive)."""
    mean = X.mean(axis=0)
    centred = X - mean
    variances, vectors = np.linalg.eigh(centred.T @ centred)
    components = vectors[:, ::-1][:, :k].T
    signs = np.sign(components[np.arange(k), np.argmax(np.abs(components), axis=1)])
    return PCA(mean, components * signs[:, None])


@functools.cache
def digits_split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(X_train, y_train, X_test, y_test) of the week-4 digits split, pixels divided by 16
    (1078 and 360 images; read-only arrays)."""
    from dlcourse.datasets import digits, train_val_test_split

    X, y = digits()
    X_train, y_train, _, _, X_test, y_test = train_val_test_split(
        X / 16.0, y, (0.6, 0.2, 0.2), seed=0
    )
    arrays = (X_train, y_train, X_test, y_test)
    for array in arrays:
        array.flags.writeable = False
    return arrays


@functools.cache
def digits_autoencoder(
    code_size: int,
    *,
    activation: str = "sigmoid",
    corruption: tuple[str, float] | None = None,
    sparsity: tuple[float, float] | None = None,
    epochs: int = 30,
    lr_drop_epoch: int | None = None,
    init_gain: float = 1.0,
    seed: int = 0,
) -> Autoencoder:
    """An autoencoder trained (:func:`fit_autoencoder`) on the digits' training split, trained
    once per set of arguments and then reused (its arrays are read-only)."""
    X_train = digits_split()[0]
    net, _ = fit_autoencoder(
        X_train,
        code_size,
        activation=activation,
        corruption=corruption,
        sparsity=sparsity,
        epochs=epochs,
        lr_drop_epoch=lr_drop_epoch,
        init_gain=init_gain,
        seed=seed,
    )
    for p in net.params:
        p.flags.writeable = False
    return net


def digits_pca(k: int) -> PCA:
    """PCA of the digits' training split with k components (1..64)."""
    full = _digits_pca_full()
    return PCA(full.mean, full.components[:k])


@functools.cache
def _digits_pca_full() -> PCA:
    return fit_pca(digits_split()[0], digits_split()[0].shape[1])
