"""Week 7: autoencoders against PCA on the digits, and the speed of a training epoch against torch.

    .venv/bin/python bench/autoencoder_week07.py        # needs torch (`make test` installs it)

1. Reconstruction error: for code sizes 2, 4, 8, 16 and 32, the test error
   J = 1/(2m)·Σ‖x̂ − x‖² on the 360 test digits of (a) the exercise's sigmoid autoencoder trained
   with the solution's ``autoencoder_loss`` (exec'd from the source notebook) and week 4's Adam
   through ``train_autoencoder_with`` (30 epochs, lr 0.01, batches of 64), (b) a linear
   autoencoder (the lecture's ``compare_linear_autoencoder_with_pca``, 80 epochs; its training
   error) and (c) scikit-learn's PCA with as many components.
2. Speed: one training epoch on the 1078 training digits (17 minibatches of 64, code of 32 sigmoid
   units, Adam) with the solution's ``autoencoder_loss`` and a NumPy Adam, against the same
   network in torch (float64 tensors, autograd, ``torch.optim.Adam``), one thread each
   (``OMP_NUM_THREADS=1``, ``torch.set_num_threads(1)``), with and without the sparsity
   penalty; best of 5 runs of 5 epochs after one warm-up epoch. Prints epochs per second and the
   ratio ours/torch (goal: at least 0.5).

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
from dlcourse.autoencoder_demo import (  # noqa: E402
    compare_linear_autoencoder_with_pca,
    digits_split,
    train_autoencoder_with,
)

SOLUTION = ROOT / "solutions" / "week07_autoencoders" / "autoencoders.ipynb"
CODE_SIZES = (2, 4, 8, 16, 32)
NAMES = ("W1", "b1", "W2", "b2")
EPOCHS, REPEATS, BATCH, CODE = 5, 5, 64, 32


def adam_step(w, dw, state, lr=1e-2, beta1=0.9, beta2=0.999, eps=1e-8):
    t = state["t"] = state.get("t", 0) + 1
    state["m"] = beta1 * state.get("m", 0.0) + (1 - beta1) * dw
    state["v"] = beta2 * state.get("v", 0.0) + (1 - beta2) * dw**2
    m_hat, v_hat = state["m"] / (1 - beta1**t), state["v"] / (1 - beta2**t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps)


def error(X_hat: np.ndarray, X: np.ndarray) -> float:
    return float(np.sum((X_hat - X) ** 2) / (2 * len(X)))


def reconstruction(solution: dict) -> None:
    from sklearn.decomposition import PCA

    X_train, _, X_test, _ = digits_split()
    linear = compare_linear_autoencoder_with_pca(CODE_SIZES)
    print("| code size | sigmoid AE, test J | PCA, test J | linear AE, train J | PCA, train J |")
    print("|---:|---:|---:|---:|---:|")
    for d in CODE_SIZES:
        run = train_autoencoder_with(
            solution["autoencoder_loss"], adam_step, code_size=d, epochs=30, live=False, lr=1e-2
        )
        pca = PCA(n_components=d).fit(X_train)
        pca_test = error(pca.inverse_transform(pca.transform(X_test)), X_test)
        row = linear[d]
        print(
            f"| {d} | {run['test_error'][-1]:.3f} | {pca_test:.3f} |"
            f" {row['autoencoder_error']:.3f} | {row['pca_error']:.3f} |"
        )


def _batches(m: int, rng: np.random.Generator) -> list[np.ndarray]:
    order = rng.permutation(m)
    return [order[s : s + BATCH] for s in range(0, m, BATCH)]


def speed(solution: dict) -> None:
    import torch

    torch.set_num_threads(1)
    X = digits_split()[0]
    rng = np.random.default_rng(0)
    start = {
        "W1": rng.normal(0, 0.1, (64, CODE)),
        "b1": np.zeros(CODE),
        "W2": rng.normal(0, 0.1, (CODE, 64)),
        "b2": np.zeros(64),
    }
    loss = solution["autoencoder_loss"]
    X_t = torch.from_numpy(X)
    for sparsity in (None, (0.05, 3.0)):
        params = {k: v.copy() for k, v in start.items()}
        states = {k: {} for k in NAMES}

        def ours_epoch(params=params, states=states, sparsity=sparsity):
            for rows in _batches(len(X), rng):
                _, grads = loss(params, X[rows], X[rows], sparsity)
                for k in NAMES:
                    params[k] = adam_step(params[k], grads[k], states[k])

        tensors = [torch.tensor(start[k], requires_grad=True) for k in NAMES]
        optimizer = torch.optim.Adam(tensors, lr=1e-2)

        def torch_epoch(tensors=tensors, optimizer=optimizer, sparsity=sparsity):
            W1, b1, W2, b2 = tensors
            for rows in _batches(len(X), rng):
                batch = X_t[torch.from_numpy(rows)]
                optimizer.zero_grad()
                H = torch.sigmoid(batch @ W1 + b1)
                value = ((H @ W2 + b2 - batch) ** 2).sum() / (2 * len(rows))
                if sparsity is not None:
                    rho, beta = sparsity
                    q = H.mean(dim=0)
                    kl = rho * torch.log(rho / q) + (1 - rho) * torch.log((1 - rho) / (1 - q))
                    value = value + beta * kl.sum()
                value.backward()
                optimizer.step()

        rates = {}
        for name, epoch in (("ours", ours_epoch), ("torch", torch_epoch)):
            epoch()
            best = float("inf")
            for _ in range(REPEATS):
                begin = time.perf_counter()
                for _ in range(EPOCHS):
                    epoch()
                best = min(best, time.perf_counter() - begin)
            rates[name] = EPOCHS / best
        what = "plain" if sparsity is None else f"sparse (rho, beta) = {sparsity}"
        print(
            f"epoch of 17 batches of 64, code {CODE}, {what}: ours {1e3 / rates['ours']:.1f} ms,"
            f" torch {1e3 / rates['torch']:.1f} ms, ours/torch speed"
            f" {rates['ours'] / rates['torch']:.2f}"
        )


def main() -> None:
    solution = define_answers(SOLUTION, ("corrupt", "kl_sparsity", "autoencoder_loss"))
    reconstruction(solution)
    speed(solution)


if __name__ == "__main__":
    main()
