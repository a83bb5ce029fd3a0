"""Week 4: update steps per second of our NumPy optimizers against torch.optim (CPU).

    .venv/bin/pip install torch==2.13.0     # or `make test`; not a course dependency
    .venv/bin/python bench/optim_steps_week04.py                    # 1 thread, then default
    .venv/bin/python bench/optim_steps_week04.py --threads 1        # one table only
    .venv/bin/python bench/optim_steps_week04.py --threads default

Each update rule of the week-4 solution (``sgd_step``, ``momentum_step`` plain and Nesterov,
``adagrad_step``, ``rmsprop_step``, ``adadelta_step``, ``adam_step``, all at their default
hyperparameters, exec'd from the source notebook's answer cells) and ``clip_grad_norm`` (with
``max_norm`` half the gradient's norm, so it clips) runs on one 1,000,000-parameter float64
array with a fixed random gradient, next to the same rule in ``torch.optim`` (float64, CPU;
``torch.nn.utils.clip_grad_norm_``). Each side gets 5 warm-up steps (which also create the
optimizer state), then the best of 3 timed runs of 50 steps.

``--threads 1`` (the fair comparison, and the first table) sets ``OMP_NUM_THREADS``,
``OPENBLAS_NUM_THREADS``, ``MKL_NUM_THREADS`` to 1 before NumPy is imported and calls
``torch.set_num_threads(1)``; ``--threads default`` leaves both libraries at their defaults
(NumPy's element-wise arithmetic is single-threaded anyway; torch's is not). Without
``--threads`` the script prints the single-thread table and then runs itself again with
``--threads default``.

Columns: steps per second of ours and of torch, the ratio ours/torch (below 1: we are slower),
the optimizer state each side keeps (MB; the parameter itself is 8 MB), and the peak memory our
step allocates beyond its inputs and state (tracemalloc, which sees NumPy's allocations; it
includes the 8 MB new ``w`` each step returns, where torch updates in place). Numbers go in
the README, never in tests.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--threads", choices=("1", "default"), default=None)
    return parser.parse_args()


ARGS = _parse_args()
if ARGS.threads != "default":  # before NumPy (and its BLAS) is imported
    for _variable in _THREAD_VARIABLES:
        os.environ[_variable] = "1"

import math  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.notebooks import define_answers  # noqa: E402

SOLUTION = ROOT / "solutions" / "week04_optimizers" / "optimizers.ipynb"
FUNCTIONS = [
    "sgd_step",
    "momentum_step",
    "adagrad_step",
    "rmsprop_step",
    "adadelta_step",
    "adam_step",
    "clip_grad_norm",
]
TORCH_VERSION = "2.13.0"
SIZE = 1_000_000
WARMUP = 5
STEPS = 50
REPEATS = 3
SEED = 0
MB = 1e6

# label: (our function, its keyword arguments, torch optimizer, its keyword arguments)
RULES: dict[str, tuple[str, dict, str, dict]] = {
    "sgd": ("sgd_step", {}, "SGD", {"lr": 1e-3}),
    "momentum": ("momentum_step", {}, "SGD", {"lr": 1e-3, "momentum": 0.9}),
    "nesterov": (
        "momentum_step",
        {"nesterov": True},
        "SGD",
        {"lr": 1e-3, "momentum": 0.9, "nesterov": True},
    ),
    "adagrad": ("adagrad_step", {}, "Adagrad", {}),
    "rmsprop": ("rmsprop_step", {}, "RMSprop", {}),
    "adadelta": ("adadelta_step", {}, "Adadelta", {}),
    "adam": ("adam_step", {}, "Adam", {}),
}


def solution_functions() -> dict:
    """The week-4 solution's functions, defined from the source notebook's answer cells."""
    return define_answers(SOLUTION, FUNCTIONS)


def steps_per_second(run: Callable[[int], object]) -> float:
    """``run(n)`` performs n steps; WARMUP steps first, then the best of REPEATS timed runs."""
    run(WARMUP)
    best = math.inf
    for _ in range(REPEATS):
        start = time.perf_counter()
        run(STEPS)
        best = min(best, time.perf_counter() - start)
    return STEPS / best


def state_mb(state: dict) -> float:
    """Megabytes of the arrays or tensors in an optimizer state dict."""
    total = 0
    for value in state.values():
        if isinstance(value, np.ndarray):
            total += value.nbytes
        elif hasattr(value, "element_size") and value.dim() > 0:
            total += value.element_size() * value.nelement()
    return total / MB


def peak_extra_mb(one_step: Callable[[], object]) -> float:
    """Peak memory (MB) NumPy allocates during one call of ``one_step``, above what it held."""
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        result = one_step()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    del result
    return (peak - base) / MB


def ours_rule(f: dict, name: str, kwargs: dict, w0: np.ndarray, g: np.ndarray):
    """(steps/s, state MB, peak extra MB per step) of our update rule."""
    step = f[name]
    box = {"w": w0.copy(), "state": {}}

    def run(n: int) -> None:
        w, state = box["w"], box["state"]
        for _ in range(n):
            w = step(w, g, state, **kwargs)
        box["w"] = w

    speed = steps_per_second(run)
    peak = peak_extra_mb(lambda: step(box["w"], g, box["state"], **kwargs))
    return speed, state_mb(box["state"]), peak


def ours_clip(f: dict, g: np.ndarray, max_norm: float):
    clip = f["clip_grad_norm"]

    def run(n: int) -> None:
        for _ in range(n):
            clip([g], max_norm)

    return steps_per_second(run), 0.0, peak_extra_mb(lambda: clip([g], max_norm))


def torch_rule(torch, cls: str, kwargs: dict, w0: np.ndarray, g: np.ndarray):
    """(steps/s, state MB) of torch.optim's rule on one float64 parameter."""
    p = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
    p.grad = torch.from_numpy(g.copy())
    optimizer = getattr(torch.optim, cls)([p], **kwargs)

    def run(n: int) -> None:
        for _ in range(n):
            optimizer.step()

    speed = steps_per_second(run)
    return speed, state_mb(optimizer.state[p])


def torch_clip(torch, g: np.ndarray, max_norm: float):
    p = torch.zeros(g.shape, dtype=torch.float64, requires_grad=True)
    p.grad = torch.from_numpy(g.copy())

    def run(n: int) -> None:
        for _ in range(n):
            torch.nn.utils.clip_grad_norm_([p], max_norm)

    return steps_per_second(run), 0.0


def table_row(
    label: str, ours: tuple[float, float, float], theirs: tuple[float, float] | None
) -> str:
    """One markdown row from (steps/s, state MB, peak MB) of ours and (steps/s, state MB)."""
    speed, state, peak = ours
    if theirs is None:
        return f"| {label} | {speed:.0f} | - | - | {state:.0f} | - | {peak:.0f} |"
    their_speed, their_state = theirs
    return (
        f"| {label} | {speed:.0f} | {their_speed:.0f} | {speed / their_speed:.2f} | {state:.0f}"
        f" | {their_state:.0f} | {peak:.0f} |"
    )


def main() -> None:
    f = solution_functions()
    rng = np.random.default_rng(SEED)
    w0 = rng.normal(size=SIZE)
    g = rng.normal(size=SIZE)
    max_norm = 0.5 * float(np.linalg.norm(g))

    try:
        import torch
    except ImportError:
        torch = None
        print(
            f"PyTorch is not installed: timing our side only. For the comparison run\n"
            f"    .venv/bin/pip install torch=={TORCH_VERSION}\n"
        )
    if torch is not None and ARGS.threads != "default":
        torch.set_num_threads(1)

    threads = "1 (NumPy env vars, torch.set_num_threads(1))"
    if ARGS.threads == "default":
        threads = "library defaults" + (
            f" (torch.get_num_threads() = {torch.get_num_threads()})" if torch else ""
        )
    print(
        f"\n### {SIZE:,} float64 parameters, threads: {threads}\n\n"
        f"numpy {np.__version__}"
        + (f", torch {torch.__version__}" if torch else "")
        + f"; best of {REPEATS} x {STEPS} steps after {WARMUP} warm-up steps\n"
    )
    print(
        "| rule | ours steps/s | torch steps/s | ours/torch | ours state MB | torch state MB"
        " | ours peak extra MB/step |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, (name, kwargs, cls, torch_kwargs) in RULES.items():
        ours = ours_rule(f, name, kwargs, w0, g)
        theirs = torch_rule(torch, cls, torch_kwargs, w0, g) if torch else None
        print(table_row(label, ours, theirs))
    ours = ours_clip(f, g, max_norm)
    theirs = torch_clip(torch, g, max_norm) if torch else None
    print(table_row("clip_grad_norm", ours, theirs))

    if ARGS.threads is None:
        env = {k: v for k, v in os.environ.items() if k not in _THREAD_VARIABLES}
        subprocess.run([sys.executable, __file__, "--threads", "default"], env=env, check=True)


if __name__ == "__main__":
    main()
