"""Week 2: our from-scratch classifiers against scikit-learn's LogisticRegression.

    .venv/bin/python bench/train_week02.py

Trains the week-2 solution's logistic regression on the breast-cancer set and its softmax
regression on the digits (the same splits, scaling and hyperparameters as the exercise), and
scikit-learn's ``LogisticRegression`` (lbfgs, default C=1) on the same arrays. Prints the
best-of-5 training time and the test accuracy of each; numbers are recorded in the README.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.notebooks import solution_answers  # noqa: E402
from dlcourse.datasets import breast_cancer, digits, train_val_test_split  # noqa: E402

SOLUTION = ROOT / "solutions" / "week02_classification" / "classification.ipynb"
FUNCTIONS = [
    "sigmoid",
    "bce_cost",
    "logistic_gradients",
    "train_logistic",
    "softmax",
    "softmax_cross_entropy",
    "train_softmax",
]
REPEATS = 5


def solution_functions() -> dict:
    """The week-2 solution's functions, defined from the source notebook's answer cells."""
    answers = solution_answers(SOLUTION)
    namespace: dict = {"np": np}
    for name in FUNCTIONS:
        exec(answers[name], namespace)
    return namespace


def best_time(train) -> tuple[float, object]:
    """Best wall-clock seconds of REPEATS calls of ``train()``, and its last result."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = train()
        times.append(time.perf_counter() - start)
    return min(times), result


def splits(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
    """Train and test parts of the exercise's 60/20/20 split (seed 0)."""
    X_tr, y_tr, _, _, X_te, y_te = train_val_test_split(X, y, (0.6, 0.2, 0.2), seed=0)
    return X_tr, y_tr, X_te, y_te


def report(label: str, seconds: float, accuracy: float) -> None:
    print(f"{label:<52} {seconds * 1000:8.1f} ms   test accuracy {accuracy:6.1%}")


def main() -> None:
    f = solution_functions()

    X_tr, y_tr, X_te, y_te = splits(*breast_cancer())
    mu, sd = X_tr.mean(axis=0), X_tr.std(axis=0)
    X_tr, X_te = (X_tr - mu) / sd, (X_te - mu) / sd
    print(f"breast cancer: {X_tr.shape[0]} training examples, {X_tr.shape[1]} features")
    seconds, (w, b, _) = best_time(lambda: f["train_logistic"](X_tr, y_tr, 0.5, 500))
    report(
        "ours: train_logistic (500 batch GD steps)", seconds, np.mean((X_te @ w + b > 0) == y_te)
    )
    seconds, model = best_time(lambda: LogisticRegression(max_iter=1000).fit(X_tr, y_tr))
    report("scikit-learn LogisticRegression (lbfgs)", seconds, model.score(X_te, y_te))

    X_tr, y_tr, X_te, y_te = splits(*digits())
    X_tr, X_te = X_tr / 16.0, X_te / 16.0
    print(f"digits: {X_tr.shape[0]} training examples, {X_tr.shape[1]} features, 10 classes")
    seconds, (W, b, _) = best_time(lambda: f["train_softmax"](X_tr, y_tr, 10, 1.0, 300))
    report(
        "ours: train_softmax (300 batch GD steps)",
        seconds,
        np.mean(np.argmax(X_te @ W + b, axis=1) == y_te),
    )
    seconds, model = best_time(lambda: LogisticRegression(max_iter=1000).fit(X_tr, y_tr))
    report("scikit-learn LogisticRegression (lbfgs, multinomial)", seconds, model.score(X_te, y_te))


if __name__ == "__main__":
    main()
