"""Week 6: what each regularizer of the exercise does for a too-large network on 300 digits.

    .venv/bin/python bench/regularization_week06.py

The exercise's closing network, one hidden layer of 256 ReLU units trained with Adam (lr 3e-3,
batches of 64, 60 epochs) on the first 300 images of the digits' fixed training split with
``dlcourse.regularization_demo.train_mlp_with``, measured on the 359 validation images. The
regularizers are the week-6 solution's functions (exec'd from the source notebook's answer
cells): ``l2_penalty`` (λ = 1e-3), ``dropout_forward``/``dropout_backward`` (p = 0.5),
``random_shift`` (±1 pixel) and ``early_stopping`` (patience 5 on the validation loss; the
accuracy of the epoch it keeps), alone and combined, for seeds 0..4. Prints each setting's
validation accuracy, mean ± standard deviation and range over the seeds, and whether the best
regularized setting beats the unregularized one by more than the seeds' spread.

Early stopping chooses its epoch on the same validation set it is scored on, so its figures
are a little optimistic. Numbers go in the README, never in tests.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.notebooks import define_answers  # noqa: E402
from dlcourse.regularization_demo import digits_subset, train_mlp_with  # noqa: E402

SOLUTION = ROOT / "solutions" / "week06_regularization" / "regularization.ipynb"
SEEDS = (0, 1, 2, 3, 4)
EPOCHS, N_TRAIN, LAM, P, SHIFT, PATIENCE = 60, 300, 1e-3, 0.5, 1, 5


def settings(f: dict) -> dict[str, tuple[dict, bool]]:
    """Label -> (train_mlp_with's regularizing arguments, whether early stopping picks)."""
    l2 = {"penalty": lambda W: f["l2_penalty"](W, LAM)}
    dropout = {
        "dropout": (
            lambda a, rng, training: f["dropout_forward"](a, P, training, rng),
            f["dropout_backward"],
        )
    }
    shifts = {"augment": lambda X, rng: f["random_shift"](X, SHIFT, rng)}
    return {
        "none": ({}, False),
        f"L2 (λ = {LAM:g})": (l2, False),
        f"dropout (p = {P:g})": (dropout, False),
        f"early stopping (patience {PATIENCE})": ({}, True),
        f"shifts (±{SHIFT} pixel)": (shifts, False),
        "L2 + dropout": (l2 | dropout, False),
        "L2 + dropout + early stopping": (l2 | dropout, True),
    }


def main() -> None:
    f = define_answers(
        SOLUTION,
        ("l2_penalty", "dropout_forward", "dropout_backward", "random_shift", "early_stopping"),
    )
    data = digits_subset(N_TRAIN)
    results = {}
    start = time.perf_counter()
    for label, (kwargs, stop_early) in settings(f).items():
        accuracies = []
        for seed in SEEDS:
            run = train_mlp_with(*data, epochs=EPOCHS, seed=seed, **kwargs)
            epoch = f["early_stopping"](run["val_loss"], PATIENCE)[0] if stop_early else -1
            accuracies.append(run["val_accuracy"][epoch])
        results[label] = np.array(accuracies)
        shown = ", ".join(f"{a:.1%}" for a in accuracies)
        print(
            f"{label:<32} {results[label].mean():.2%} ± {results[label].std():.2%}"
            f"  (range {results[label].min():.1%}–{results[label].max():.1%}; {shown})",
            flush=True,
        )
    plain = results["none"]
    best = max((label for label in results if label != "none"), key=lambda k: results[k].mean())
    margin = results[best].mean() - plain.mean()
    spread = max(plain.std(), results[best].std())
    print(
        f"\nbest regularized: {best}, {margin:+.2%} over none; the seeds' spread (larger"
        f" standard deviation of the two) {spread:.2%}:"
        f" {'beats it by more than the spread' if margin > spread else 'NOT beyond the spread'}"
    )
    print(f"({len(results) * len(SEEDS)} runs in {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
