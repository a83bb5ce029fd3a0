"""The week-2 explorers' maths: feature maps and a small linear classifier trained by gradient
descent on the mean cross-entropy.

Students write sigmoid, softmax, the cross-entropy costs and gradient descent for logistic
regression themselves in the week-2 exercise, so nothing here is exported: the explorers only
use it to compute what they draw. Everything works on logits, so no input overflows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlcourse._core.network import log_softmax, logistic, softmax_rows

FEATURE_SETS: tuple[str, ...] = ("linear", "quadratic")
"""Feature maps the decision-boundary explorer offers."""


def feature_map(X: np.ndarray, kind: str) -> np.ndarray:
    """Features of 2-D points X of shape (m, 2).

    "linear" gives (x1, x2), shape (m, 2); "quadratic" adds the degree-2 terms:
    (x1, x2, x1**2, x2**2, x1*x2), shape (m, 5).
    """
    if kind == "linear":
        return X.copy()
    x1, x2 = X[:, 0], X[:, 1]
    return np.column_stack([x1, x2, x1**2, x2**2, x1 * x2])


def class_probabilities(Z: np.ndarray) -> np.ndarray:
    """P(class) from logits: the logistic of one column (binary) or softmax of c >= 2 columns.

    For one column the result is P(class 1), shape (k, 1); otherwise shape (k, c).
    """
    return logistic(Z) if Z.shape[1] == 1 else softmax_rows(Z)


def mean_cross_entropy(Z: np.ndarray, y: np.ndarray) -> float:
    """Mean cross-entropy of labels y (shape (m,)) under logits Z (shape (m, 1) or (m, c))."""
    if Z.shape[1] == 1:
        z = Z[:, 0]
        # -[y log p + (1 - y) log(1 - p)] with p = logistic(z) equals log(1 + e^z) - y z.
        return float(np.mean(np.logaddexp(0.0, z) - y * z))
    return float(-np.mean(log_softmax(Z)[np.arange(len(y)), y]))


@dataclass(frozen=True)
class LinearClassifier:
    """A trained linear classifier on standardised features of 2-D points.

    ``W`` has shape (n_features, 1) for two classes (one logit, for class 1) and
    (n_features, c) for c > 2 classes; ``b`` has shape (1,) or (c,).
    """

    features: str
    mean: np.ndarray
    scale: np.ndarray
    W: np.ndarray
    b: np.ndarray

    def logits(self, X: np.ndarray) -> np.ndarray:
        """Logits for points X of shape (k, 2): shape (k, 1) or (k, c)."""
        return (feature_map(X, self.features) - self.mean) / self.scale @ self.W + self.b

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Class labels for points X of shape (k, 2), int64 array of shape (k,)."""
        Z = self.logits(np.asarray(X, dtype=np.float64))
        if Z.shape[1] == 1:
            return (Z[:, 0] > 0).astype(np.int64)
        return np.argmax(Z, axis=1).astype(np.int64)


def fit_by_gradient_descent(
    X: np.ndarray, y: np.ndarray, *, features: str, lr: float, num_iters: int
) -> tuple[LinearClassifier, np.ndarray]:
    """Batch gradient descent from zeros on the mean cross-entropy, recording every step.

    Logistic regression for labels {0, 1}, softmax regression for labels 0..c-1 with c > 2.
    The features are standardised with the training set's mean and standard deviation first,
    so one learning rate suits every data set and feature map.

    Parameters
    ----------
    X : np.ndarray, shape (m, 2)
    y : np.ndarray of int, shape (m,)
        Labels 0..c-1.
    features : {"linear", "quadratic"}
    lr : float
    num_iters : int

    Returns
    -------
    model : LinearClassifier
    costs : np.ndarray, shape (num_iters,)
        The mean cross-entropy after each update.
    """
    F = feature_map(X, features)
    mean, scale = F.mean(axis=0), F.std(axis=0)
    scale[scale == 0] = 1.0
    F = (F - mean) / scale
    m, n = F.shape
    n_classes = int(y.max()) + 1
    columns = 1 if n_classes <= 2 else n_classes
    targets = y[:, None].astype(np.float64) if columns == 1 else np.eye(columns)[y]
    W, b = np.zeros((n, columns)), np.zeros(columns)
    costs = np.empty(num_iters)
    Z = F @ W + b
    for step in range(num_iters):
        dZ = (class_probabilities(Z) - targets) / m
        W = W - lr * (F.T @ dZ)
        b = b - lr * dZ.sum(axis=0)
        Z = F @ W + b
        costs[step] = mean_cross_entropy(Z, y)
    return LinearClassifier(features, mean, scale, W, b), costs
