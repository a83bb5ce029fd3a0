"""Week 3: one training epoch of our NumPy MLP against the same network in PyTorch (CPU).

    .venv/bin/pip install torch==2.13.0     # only for this benchmark; not a course dependency
    .venv/bin/python bench/mlp_epoch_week03.py

The network is the week-3 solution's: affine - ReLU - affine - softmax cross-entropy, with
``mlp_loss`` and ``init_params`` taken from the source notebook's cells. One epoch is minibatch
SGD over the digits' training split (the exercise's 60/20/20 split, seed 0, pixels / 16), in one
fixed order (a single permutation from ``numpy.random.default_rng``), batches of 64, learning
rate 0.5. PyTorch runs ``nn.Linear``/``nn.ReLU``/``nn.Linear`` + ``F.cross_entropy`` +
``torch.optim.SGD`` from the same initial weights, on as many threads as NumPy's BLAS uses.

Before timing, both sides train one float64 epoch from the same start and the script prints the
largest difference between the two parameter sets (it should be ~1e-15) and both test
accuracies. Then each variant gets one warm-up epoch and the best of 5 timed epochs; the table
gives ms per epoch and the ratio ours/torch (above 1: we are slower). Without torch installed
it says how to install it and times our side alone. Numbers go in the README, never in tests.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import nbformat
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.notebooks import define_answers, grade_id  # noqa: E402
from dlcourse.datasets import digits, train_val_test_split  # noqa: E402

SOLUTION = ROOT / "solutions" / "week03_backprop" / "backprop.ipynb"
FUNCTIONS = [
    "affine_forward",
    "affine_backward",
    "relu_forward",
    "relu_backward",
    "softmax_cross_entropy",
    "mlp_loss",
]
TORCH_VERSION = "2.13.0"
HIDDEN_SIZES = (64, 256)
DTYPES = ("float64", "float32")
BATCH_SIZE = 64
LEARNING_RATE = 0.5
SEED = 0
REPEATS = 5
AGREEMENT = 1e-10


def solution_functions() -> dict:
    """The week-3 solution's network, defined from the source notebook's cells.

    The answer cells come from ``define_answers``; ``init_params`` and ``predict`` live in
    the locked ``helpers`` cell, which is not an answer cell, so it is read here directly.
    """
    namespace = define_answers(SOLUTION, FUNCTIONS)
    notebook = nbformat.read(SOLUTION, as_version=4)
    (helpers,) = [cell.source for cell in notebook.cells if grade_id(cell) == "helpers"]
    exec(helpers, namespace)
    return namespace


def numpy_threads() -> int:
    """How many threads NumPy's BLAS uses (threadpoolctl, which scikit-learn brings along)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return os.cpu_count() or 1
    blas = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    return max(blas) if blas else os.cpu_count() or 1


def best_ms(prepare: Callable[[], object], epoch: Callable[[object], object]) -> float:
    """Best of REPEATS timed ``epoch(prepare())`` calls, after one warm-up; milliseconds.

    ``prepare`` (untimed) gives each run the same starting point.
    """
    epoch(prepare())
    times = []
    for _ in range(REPEATS):
        state = prepare()
        start = time.perf_counter()
        epoch(state)
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def numpy_epoch(mlp_loss: Callable, params: dict, X: np.ndarray, y: np.ndarray) -> dict:
    """One epoch of minibatch SGD with the solution's ``mlp_loss``; returns new params."""
    params = dict(params)
    for start in range(0, X.shape[0], BATCH_SIZE):
        stop = start + BATCH_SIZE
        _, grads = mlp_loss(params, X[start:stop], y[start:stop])
        params = {k: params[k] - LEARNING_RATE * grads[k] for k in params}
    return params


def torch_model(torch, params: dict, dtype):
    """``nn.Sequential(Linear, ReLU, Linear)`` holding our params (nn.Linear stores W.T)."""
    nn = torch.nn
    n_in, hidden = params["W1"].shape
    n_out = params["W2"].shape[1]
    model = nn.Sequential(nn.Linear(n_in, hidden), nn.ReLU(), nn.Linear(hidden, n_out))
    model.to(dtype)
    with torch.no_grad():
        for layer, (W, b) in zip(model[::2], [("W1", "b1"), ("W2", "b2")], strict=True):
            layer.weight.copy_(torch.from_numpy(params[W].T.copy()))
            layer.bias.copy_(torch.from_numpy(params[b]))
    return model


def torch_epoch(torch, model, X, y) -> None:
    """One epoch of minibatch SGD (``torch.optim.SGD``, no momentum) on ``model`` in place."""
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    for start in range(0, X.shape[0], BATCH_SIZE):
        stop = start + BATCH_SIZE
        loss = torch.nn.functional.cross_entropy(model(X[start:stop]), y[start:stop])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def torch_params(model) -> dict:
    """A torch model's weights as our params dict of NumPy arrays."""
    first, second = model[0], model[2]
    return {
        "W1": first.weight.detach().numpy().T,
        "b1": first.bias.detach().numpy(),
        "W2": second.weight.detach().numpy().T,
        "b2": second.bias.detach().numpy(),
    }


def main() -> None:
    f = solution_functions()
    X, y = digits()
    X_tr, y_tr, _, _, X_te, y_te = train_val_test_split(X / 16.0, y, (0.6, 0.2, 0.2), seed=SEED)
    order = np.random.default_rng(SEED).permutation(X_tr.shape[0])
    X_tr, y_tr = X_tr[order], y_tr[order]
    n_in, n_out = X_tr.shape[1], int(y.max()) + 1
    threads = numpy_threads()

    try:
        import torch
    except ImportError:
        torch = None
        print(
            f"PyTorch is not installed: timing our side only. For the comparison run\n"
            f"    .venv/bin/pip install torch=={TORCH_VERSION}\n"
        )
    else:
        torch.set_num_threads(threads)

    batches = -(-X_tr.shape[0] // BATCH_SIZE)
    print(
        f"digits: {X_tr.shape[0]} training examples ({batches} batches of <= {BATCH_SIZE}), "
        f"{X_te.shape[0]} test; lr {LEARNING_RATE}"
    )
    print(f"numpy {np.__version__}, BLAS threads {threads}", end="")
    if torch is not None:
        print(f"; torch {torch.__version__}, torch.set_num_threads({threads})", end="")
    print()

    inits = {h: f["init_params"](n_in, h, n_out, np.random.default_rng(SEED)) for h in HIDDEN_SIZES}

    if torch is not None:
        print("\none float64 epoch from the same init:")
        X64, y64 = torch.from_numpy(X_tr), torch.from_numpy(y_tr)
        for h, init in inits.items():
            ours = numpy_epoch(f["mlp_loss"], init, X_tr, y_tr)
            model = torch_model(torch, init, torch.float64)
            torch_epoch(torch, model, X64, y64)
            theirs = torch_params(model)
            diff = max(float(np.max(np.abs(ours[k] - theirs[k]))) for k in ours)
            acc_ours = np.mean(f["predict"](ours, X_te) == y_te)
            acc_torch = np.mean(f["predict"](theirs, X_te) == y_te)
            verdict = "ok" if diff <= AGREEMENT else f"MISMATCH (> {AGREEMENT:g})"
            print(
                f"  hidden {h:<4} max |ours - torch| {diff:.1e} {verdict:<4}  "
                f"test accuracy ours {acc_ours:.1%}, torch {acc_torch:.1%}"
            )

    print(f"\n{'variant':<22} {'ours ms':>9} {'torch ms':>9} {'ours/torch':>11}")
    for h, init in inits.items():
        for dtype in DTYPES:
            X_d, params = X_tr.astype(dtype), {k: v.astype(dtype) for k, v in init.items()}
            ours = best_ms(
                lambda p=params: p, lambda p, X_d=X_d: numpy_epoch(f["mlp_loss"], p, X_d, y_tr)
            )
            if torch is None:
                print(f"{f'hidden {h}, {dtype}':<22} {ours:9.2f} {'-':>9} {'-':>11}")
                continue
            t_dtype = getattr(torch, dtype)
            X_t, y_t = torch.from_numpy(X_d).to(t_dtype), torch.from_numpy(y_tr)
            theirs = best_ms(
                lambda p=params, t_dtype=t_dtype: torch_model(torch, p, t_dtype),
                lambda model, X_t=X_t, y_t=y_t: torch_epoch(torch, model, X_t, y_t),
            )
            print(f"{f'hidden {h}, {dtype}':<22} {ours:9.2f} {theirs:9.2f} {ours / theirs:11.2f}")


if __name__ == "__main__":
    main()
