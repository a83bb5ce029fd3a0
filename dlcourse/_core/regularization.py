"""The week-6 regularizers as the reference network uses them: an L2 weight penalty, inverted
dropout, zero-filled shifts of the 8×8 digits, and early stopping read off a validation curve.

Students write their own versions in week 6 (``l2_penalty``, ``dropout_forward``, ...), so
nothing here is public and no name here is a graded function's. Conventions are the
exercise's: the penalty is λ/2·Σ‖W‖² on the weight matrices only; dropout's ``p`` is the
probability of *dropping* a unit, the kept ones scaled by 1/(1 − p) while training; a shift by
(dr, dc) moves every pixel dr rows down and dc columns right, filling with zeros.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from dlcourse._core.checks import describe
from dlcourse._core.network import Dropout, Penalty

SIDE = 8
"""The digits are SIDE × SIDE images, given as rows of SIDE² pixels."""


def weight_decay(lam: float) -> Penalty:
    """The penalty ``weights -> (λ/2·Σ‖W‖², [λ·W, ...])`` the training loop adds."""

    def penalty(weights: Sequence[np.ndarray]) -> tuple[float, list[np.ndarray]]:
        value = 0.5 * lam * sum(float(np.sum(W * W)) for W in weights)
        return value, [lam * W for W in weights]

    return penalty


def inverted_dropout(p: float) -> Dropout:
    """A dropout layer dropping each unit with probability ``p`` (0 <= p < 1) while training.

    The cache is the scaled mask (0 or 1/(1 − p) per entry); in test mode it is None and the
    layer is the identity.
    """
    if not 0 <= p < 1:
        raise ValueError(f"the dropout probability must lie in [0, 1), got {p}")

    def forward(a: np.ndarray, rng: np.random.Generator, training: bool):
        if not training or p == 0:
            return a, None
        scaled_mask = (rng.random(a.shape) >= p) / (1.0 - p)
        return a * scaled_mask, scaled_mask

    def backward(dout: np.ndarray, cache: np.ndarray | None) -> np.ndarray:
        return dout if cache is None else dout * cache

    return Dropout(forward, backward)


def shift_digits(images: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Each image of ``images`` (m, SIDE²) moved by its row ``offsets[i]`` = (dr, dc), zeros
    shifted in: ``out[i, r, c] = image[i, r − dr, c − dc]`` where that lies in the image.

    Returns a new float64 array of shape (m, SIDE²).
    """
    m = len(images)
    grid = np.zeros((m, 3 * SIDE, 3 * SIDE))
    grid[:, SIDE : 2 * SIDE, SIDE : 2 * SIDE] = images.reshape(m, SIDE, SIDE)
    rows = SIDE - offsets[:, 0, None] + np.arange(SIDE)  # (m, SIDE) rows of grid to read
    cols = SIDE - offsets[:, 1, None] + np.arange(SIDE)
    out = grid[np.arange(m)[:, None, None], rows[:, :, None], cols[:, None, :]]
    return out.reshape(m, SIDE * SIDE)


def random_offsets(m: int, max_shift: int, rng: np.random.Generator) -> np.ndarray:
    """(m, 2) integer offsets, each uniform on −max_shift..max_shift."""
    return rng.integers(-max_shift, max_shift + 1, size=(m, 2))


def shift_augmentation(max_shift: int) -> Callable[[np.ndarray, np.random.Generator], np.ndarray]:
    """``augment(X, rng)``: every row of X shifted by its own random offsets."""
    return lambda X, rng: shift_digits(X, random_offsets(len(X), max_shift, rng))


def stopping_epochs(val_losses: Sequence[float], patience: int) -> tuple[int, int]:
    """(best epoch, stop epoch) of early stopping with ``patience`` on a validation curve.

    An epoch improves when its loss is below every earlier one; training stops at the first
    epoch ``patience`` epochs after the last improvement (else at the last epoch).
    """
    best, best_epoch = np.inf, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            return best_epoch, epoch
    return best_epoch, len(val_losses) - 1


def checked_augment(
    augment: Callable, n_features: int
) -> Callable[[np.ndarray, np.random.Generator], np.ndarray]:
    """The student's ``augment(X_batch, rng) -> X_batch``, checked when called."""

    def checked(X: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        result = augment(X.copy(), rng)
        if result is None:
            raise TypeError(
                "augment returned None: it must return the augmented batch (did you forget"
                " `return`?)"
            )
        try:
            array = np.asarray(result, dtype=np.float64)
        except (TypeError, ValueError):
            array = None
        if array is None or array.shape != X.shape:
            raise (TypeError if array is None else ValueError)(
                f"augment returned {describe(result)}; expected an array of shape {X.shape}"
                f" (the batch it was given, {n_features} pixels per row)"
            )
        return array

    return checked
