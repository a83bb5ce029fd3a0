"""Week 5: the solution's batch norm against torch, and the deep MLP's accuracy on the digits.

    .venv/bin/python bench/batchnorm_week05.py          # needs torch (`make test` installs it)

1. Speed: forward + backward (train mode) of the week-5 solution's ``batchnorm_forward`` and
   ``batchnorm_backward`` (exec'd from the source notebook's answer cells) on a (4096, 1024)
   float64 batch, against ``torch.nn.BatchNorm1d`` (float64, CPU, ``y.backward(dout)``), one
   thread each (``OMP_NUM_THREADS=1`` and ``torch.set_num_threads(1)``); best of 5 runs of 10
   passes after 2 warm-up passes. Prints passes per second and the ratio ours/torch (goal:
   at least 0.5).
2. Accuracy: the 6-layer ReLU network of the exercise (five hidden layers of 64) trained on the
   digits with ``train_digits_with``, the solution's ``init_weights`` and batch norm and week
   4's Adam (lr 3e-3, 6 epochs, batches of 64): N(0, 0.01²) without batch norm against He
   (normal) with it, seeds 0, 1 and 2. Prints each run's final test accuracy (goal: He + batch
   norm at least 95%, and a clear gap).

Numbers go in the README, never in tests.
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
from dlcourse.optimizer_demo import train_digits_with  # noqa: E402

SOLUTION = ROOT / "solutions" / "week05_training" / "training.ipynb"
SHAPE = (4096, 1024)
WARMUP, PASSES, REPEATS = 2, 10, 5
SEEDS = (0, 1, 2)


def _best_rate(run) -> float:
    """Passes per second of ``run()`` (one forward + backward), best of REPEATS."""
    for _ in range(WARMUP):
        run()
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        for _ in range(PASSES):
            run()
        best = min(best, time.perf_counter() - start)
    return PASSES / best


def speed(solution: dict) -> None:
    import torch

    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    x, dout = rng.normal(size=SHAPE) * 3 + 1, rng.normal(size=SHAPE)
    gamma, beta = rng.normal(size=SHAPE[1]), rng.normal(size=SHAPE[1])
    forward, backward = solution["batchnorm_forward"], solution["batchnorm_backward"]

    def ours():
        _, cache = forward(x, gamma, beta, {"mode": "train"})
        backward(dout, cache)

    layer = torch.nn.BatchNorm1d(SHAPE[1], dtype=torch.float64)
    xt, dt = torch.from_numpy(x).requires_grad_(True), torch.from_numpy(dout)

    def theirs():
        xt.grad = None
        layer.zero_grad()
        layer(xt).backward(dt)

    ours_rate, torch_rate = _best_rate(ours), _best_rate(theirs)
    print(f"batch norm forward + backward on {SHAPE}, float64, 1 thread:")
    print(f"  ours {ours_rate:.1f} passes/s, torch {torch_rate:.1f} passes/s,")
    print(f"  ours / torch = {ours_rate / torch_rate:.2f}")


def accuracy(solution: dict) -> None:
    init_weights = solution["init_weights"]
    batchnorm_forward, batchnorm_backward = (
        solution["batchnorm_forward"],
        solution["batchnorm_backward"],
    )

    def minibatches(X, y, batch_size, rng):
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch_size):
            rows = order[start : start + batch_size]
            yield X[rows], y[rows]

    def adam_step(w, dw, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        t = state["t"] = state.get("t", 0) + 1
        state["m"] = beta1 * state.get("m", 0.0) + (1 - beta1) * dw
        state["v"] = beta2 * state.get("v", 0.0) + (1 - beta2) * dw**2
        m_hat, v_hat = state["m"] / (1 - beta1**t), state["v"] / (1 - beta2**t)
        return w - lr * m_hat / (np.sqrt(v_hat) + eps)

    def apply(z, params, state, training):
        state["mode"] = "train" if training else "test"
        return batchnorm_forward(z, params[0], params[1], state)

    def gradient(dout, cache):
        dz, dgamma, dbeta = batchnorm_backward(dout, cache)
        return dz, [dgamma, dbeta]

    batch_norm = (lambda width: [np.ones(width), np.zeros(width)], apply, gradient)
    setups = {
        "N(0, 0.01²), no batch norm": ("normal", None),
        "He normal + batch norm": ("he_normal", batch_norm),
    }
    print("6-layer ReLU MLP on the digits, 6 epochs of Adam (lr 3e-3), final test accuracy:")
    for label, (method, normalization) in setups.items():
        results = []
        for seed in SEEDS:
            run = train_digits_with(
                adam_step,
                minibatches=minibatches,
                hidden=(64,) * 5,
                epochs=6,
                seed=seed,
                live=False,
                lr=3e-3,
                init=lambda i, o, rng, method=method: init_weights(i, o, method, rng),
                normalization=normalization,
            )
            results.append(run["test_accuracy"][-1])
        shown = ", ".join(f"{a:.1%}" for a in results)
        print(f"  {label:<28} seeds {SEEDS}: {shown}")


def main() -> None:
    solution = define_answers(SOLUTION, ("init_weights", "batchnorm_forward", "batchnorm_backward"))
    speed(solution)
    accuracy(solution)


if __name__ == "__main__":
    main()
